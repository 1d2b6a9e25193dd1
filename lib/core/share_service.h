/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_SHARE_SERVICE_H
#define INCLUDED_ROUNDPIPERS_SHARE_SERVICE_H

#include "endpoint.h"
#include <roundpipers/pipe_core.h>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace roundpipers {
namespace detail {

/*!
 * The one background thread of a process that has shared or attached pipes. It
 * answers attach requests on the endpoints of the pipes this process made with
 * pipe_options::shared, and every 100 ms it looks for dead peers of every such pipe and
 * every attached one (pipe_core::release_dead_peers): that is how a kill -9 anywhere is
 * noticed within the 1 s that docs/design.md promises, without slicing any wait.
 *
 * The thread starts with the first shared or attached pipe, sleeps on a condition
 * variable while there is none, and is never joined (the process may exit at any
 * time, with pipes alive); its state is never destroyed for that reason.
 */
class share_service
{
public:
    static share_service& instance();

    /*!
     * \brief Takes the pipe's name for this process and serves it.
     * \details A pipe of the same name that this process shares and that is closed (or
     * gone) hands its endpoint over: attached readers of the old one keep draining it.
     * \throws pipe_error errc::name_in_use when a live pipe holds the name (here or in
     * another process), errc::invalid_argument for a bad name or folder
     */
    void publish(const std::shared_ptr<pipe_core>& core);

    /*! \brief Watches the peers of a pipe attached from another process. */
    void watch(const std::shared_ptr<pipe_core>& core);

    /*! \brief Stops serving and watching \p core (called by its destructor). */
    void forget(const pipe_core* core) noexcept;

private:
    share_service();

    struct endpoint_entry {
        std::uint64_t id = 0; // the epoll key: never reused, unlike descriptor numbers
        std::unique_ptr<name_endpoint> endpoint;
        std::weak_ptr<pipe_core> core;
        const pipe_core* raw = nullptr;
        int ring_ro_fd = -1; // read-only descriptor handed to attached readers
    };

    void start_locked();
    void run();
    /*! Answers up to a few connections of endpoint \p id; false when nothing was left. */
    bool accept_on(std::uint64_t id);
    void check_peers_if_due();
    void check_peers();

    std::mutex d_mutex;
    std::condition_variable d_cv;
    std::map<std::string, endpoint_entry> d_endpoints; // by name
    std::vector<std::pair<const pipe_core*, std::weak_ptr<pipe_core>>> d_watched;
    int d_epoll_fd = -1;
    std::uint64_t d_next_id = 1;
    bool d_started = false;
    std::chrono::steady_clock::time_point d_last_check; // service thread only
};

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_SHARE_SERVICE_H */
