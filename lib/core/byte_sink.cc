/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "system_error.h"
#include <roundpipers/byte_sink.h>
#include <roundpipers/pipe_error.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cerrno>
#include <ios>
#include <ostream>
#include <string>

namespace roundpipers {

byte_sink::byte_sink(std::ostream& out) : d_out(&out) {}

byte_sink::byte_sink(int fd) : d_fd(fd)
{
    if (fd < 0)
        throw pipe_error(errc::invalid_argument,
                         "write-only pipe stream: invalid file descriptor " +
                             std::to_string(fd));
}

namespace {

/*!
 * Holds SIGPIPE back for the calling thread while it writes: a write to a pipe whose
 * reader is gone then fails with EPIPE instead of killing the process. A SIGPIPE raised
 * by our write is taken off the pending set before the mask is restored; one that was
 * already pending stays.
 */
class sigpipe_held
{
public:
    sigpipe_held()
    {
        sigemptyset(&d_pipe);
        sigaddset(&d_pipe, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        d_was_pending = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &d_pipe, &d_old);
    }
    ~sigpipe_held()
    {
        if (!d_was_pending) {
            const timespec zero{ 0, 0 };
            while (sigtimedwait(&d_pipe, nullptr, &zero) == SIGPIPE) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &d_old, nullptr);
    }
    sigpipe_held(const sigpipe_held&) = delete;
    sigpipe_held& operator=(const sigpipe_held&) = delete;

private:
    sigset_t d_pipe;
    sigset_t d_old;
    bool d_was_pending = false;
};

} // namespace

void byte_sink::write(const void* data, std::size_t bytes, deadline until)
{
    if (bytes == 0)
        return;
    if (d_out) {
        const std::string what = "write-only pipe stream: writing " + std::to_string(bytes) +
                                 " bytes to the ostream failed after " +
                                 std::to_string(d_bytes_written) + " bytes";
        try {
            d_out->write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
            d_out->flush();
        } catch (const std::ios_base::failure& e) {
            throw pipe_error(errc::io_error, what + " (" + e.what() + ")");
        }
        if (!*d_out)
            throw pipe_error(errc::io_error, what);
        d_bytes_written += bytes;
        return;
    }
    sigpipe_held held;
    const auto* p = static_cast<const std::uint8_t*>(data);
    std::size_t left = bytes;
    auto where = [&] {
        return " (" + std::to_string(bytes - left) + " of " + std::to_string(bytes) +
               " bytes of this write went out; " + std::to_string(d_bytes_written) +
               " bytes in all)";
    };
    while (left) {
        const ssize_t n = ::write(d_fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                // A non-blocking descriptor: wait for room, within the write's deadline.
                const auto now = std::chrono::steady_clock::now();
                if (until != wait_forever && now >= until)
                    throw pipe_error(errc::timeout,
                                     "write-only pipe stream: fd " + std::to_string(d_fd) +
                                         " took no more bytes before the deadline" + where());
                int wait_ms = -1;
                if (until != wait_forever)
                    wait_ms = int(std::min<std::int64_t>(
                        1000, std::chrono::duration_cast<std::chrono::milliseconds>(until - now)
                                      .count() + 1));
                pollfd pf{ d_fd, POLLOUT, 0 };
                ::poll(&pf, 1, wait_ms);
                continue;
            }
            detail::throw_system_error("write-only pipe stream",
                                       "write(2) to fd " + std::to_string(d_fd) + where(),
                                       errno);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
        d_bytes_written += static_cast<std::uint64_t>(n);
    }
}

} // namespace roundpipers
