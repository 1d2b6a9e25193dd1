/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "share_service.h"
#include "system_error.h"
#include <roundpipers/pipe_error.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>

namespace roundpipers {
namespace detail {

namespace {

constexpr int peer_check_interval_ms = 100;

/*! dup() that keeps close-on-exec; -1 stays -1. */
int dup_cloexec(int fd) { return fd < 0 ? -1 : ::fcntl(fd, F_DUPFD_CLOEXEC, 0); }

} // namespace

share_service& share_service::instance()
{
    // Never destroyed: the thread may still run while the process exits.
    static auto* service = new share_service();
    return *service;
}

share_service::share_service()
{
    d_epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
    if (d_epoll_fd < 0)
        detail::throw_system_error("shared pipes", "epoll_create1", errno);
}

void share_service::start_locked()
{
    if (!d_started) {
        std::thread([this] { run(); }).detach();
        d_started = true;
    }
    d_cv.notify_all();
}

void share_service::publish(const std::shared_ptr<pipe_core>& core)
{
    // Declared before the lock: if it is the last reference to a closed pipe, its
    // destructor (which calls forget() and takes the lock) runs after the unlock.
    std::shared_ptr<pipe_core> old;
    std::lock_guard<std::mutex> lock(d_mutex);
    auto it = d_endpoints.find(core->name());
    if (it != d_endpoints.end()) {
        old = it->second.core.lock();
        if (old && !old->is_closed())
            throw pipe_error(errc::name_in_use,
                             "shared pipe '" + core->name() +
                                 "': this process (pid " + std::to_string(::getpid()) +
                                 ") already shares a live pipe of that name; close it (end its "
                                 "stream) or pick another name");
        const int ro = core->ring().read_only_ring_fd();
        ::close(it->second.ring_ro_fd);
        it->second.core = core;
        it->second.raw = core.get();
        it->second.ring_ro_fd = ro;
        return;
    }
    // The map entry first (the only step that may throw bad_alloc with nothing to undo),
    // then what it owns; a failure after that erases it, which releases everything.
    auto& entry = d_endpoints.emplace(core->name(), endpoint_entry{}).first->second;
    try {
        entry.id = d_next_id++;
        entry.endpoint = std::make_unique<name_endpoint>(core->name());
        entry.core = core;
        entry.raw = core.get();
        entry.ring_ro_fd = core->ring().read_only_ring_fd();
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = entry.id;
        if (::epoll_ctl(d_epoll_fd, EPOLL_CTL_ADD, entry.endpoint->listen_fd(), &ev) != 0)
            detail::throw_system_error("shared pipe '" + core->name() + "'", "epoll_ctl(ADD)",
                                       errno);
    } catch (...) {
        if (entry.ring_ro_fd >= 0)
            ::close(entry.ring_ro_fd);
        d_endpoints.erase(core->name()); // closes the endpoint: socket and lock files go
        throw;
    }
    start_locked();
}

void share_service::watch(const std::shared_ptr<pipe_core>& core)
{
    std::lock_guard<std::mutex> lock(d_mutex);
    d_watched.emplace_back(core.get(), core);
    start_locked();
}

void share_service::forget(const pipe_core* core) noexcept
{
    std::lock_guard<std::mutex> lock(d_mutex);
    for (auto it = d_endpoints.begin(); it != d_endpoints.end();) {
        if (it->second.raw == core) {
            ::epoll_ctl(d_epoll_fd, EPOLL_CTL_DEL, it->second.endpoint->listen_fd(), nullptr);
            ::close(it->second.ring_ro_fd);
            it = d_endpoints.erase(it); // unlinks the socket, lets go of the name
        } else {
            ++it;
        }
    }
    for (auto it = d_watched.begin(); it != d_watched.end();)
        it = it->first == core ? d_watched.erase(it) : std::next(it);
}

bool share_service::accept_on(std::uint64_t id)
{
    // A few connections per round: a flood of clients that connect and never speak
    // cannot keep the thread from its peer checks (check_peers_if_due between them).
    for (int served_count = 0; served_count < 4; ++served_count) {
        served_pipe served;
        int conn = -1;
        // Declared before the lock: a last reference is dropped after the lock is
        // released (~pipe_core calls forget(), which takes it).
        std::shared_ptr<pipe_core> core;
        {
            // The accept and the duplication happen under the lock, so the listening
            // socket and the descriptors cannot be closed by forget() meanwhile.
            std::lock_guard<std::mutex> lock(d_mutex);
            auto it = std::find_if(d_endpoints.begin(), d_endpoints.end(),
                                   [&](const auto& e) { return e.second.id == id; });
            if (it == d_endpoints.end())
                return false;
            conn = ::accept4(it->second.endpoint->listen_fd(), nullptr, nullptr, SOCK_CLOEXEC);
            if (conn < 0) {
                if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                    std::this_thread::sleep_for(std::chrono::milliseconds(10)); // EMFILE...
                return false;
            }
            core = it->second.core.lock();
            if (core) {
                served.name = it->first;
                served.writer_role_taken = core->has_writer();
                served.control_fd = dup_cloexec(core->ring().control_fd());
                served.ring_fd = dup_cloexec(core->ring().fd());
                served.ring_ro_fd = dup_cloexec(it->second.ring_ro_fd);
            }
        }
        if (core && served.control_fd >= 0 && served.ring_fd >= 0 && served.ring_ro_fd >= 0)
            serve_connection(conn, served);
        else
            ::close(conn); // the client sees the end of the exchange and retries
        for (int fd : { served.control_fd, served.ring_fd, served.ring_ro_fd })
            if (fd >= 0)
                ::close(fd);
        core.reset();
        check_peers_if_due();
    }
    return true;
}

void share_service::check_peers_if_due()
{
    const auto now = std::chrono::steady_clock::now();
    if (now - d_last_check < std::chrono::milliseconds(peer_check_interval_ms))
        return;
    d_last_check = now;
    check_peers();
}

void share_service::check_peers()
{
    std::vector<std::shared_ptr<pipe_core>> cores;
    {
        std::lock_guard<std::mutex> lock(d_mutex);
        for (const auto& e : d_endpoints)
            if (auto c = e.second.core.lock())
                cores.push_back(std::move(c));
        for (const auto& w : d_watched)
            if (auto c = w.second.lock())
                cores.push_back(std::move(c));
    }
    for (const auto& c : cores)
        c->release_dead_peers();
    // `cores` is released here, outside the lock: a last reference runs ~pipe_core,
    // which calls forget().
}

void share_service::run()
{
    for (;;) {
        try {
            {
                std::unique_lock<std::mutex> lock(d_mutex);
                d_cv.wait(lock, [this] { return !d_endpoints.empty() || !d_watched.empty(); });
            }
            epoll_event events[16];
            const int n = ::epoll_wait(d_epoll_fd, events, 16, peer_check_interval_ms);
            for (int i = 0; i < n; ++i)
                accept_on(events[i].data.u64);
            check_peers_if_due();
        } catch (const std::exception&) {
            // Out of memory or descriptors for one round: the next round tries again.
            std::this_thread::sleep_for(std::chrono::milliseconds(peer_check_interval_ms));
        }
    }
}

} // namespace detail
} // namespace roundpipers
