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
#include <unistd.h>
#include <cerrno>
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

void byte_sink::write(const void* data, std::size_t bytes)
{
    if (bytes == 0)
        return;
    if (d_out) {
        d_out->write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
        d_out->flush();
        if (!*d_out)
            throw pipe_error(errc::io_error,
                             "write-only pipe stream: writing " + std::to_string(bytes) +
                                 " bytes to the ostream failed after " +
                                 std::to_string(d_bytes_written) + " bytes");
        d_bytes_written += bytes;
        return;
    }
    const auto* p = static_cast<const std::uint8_t*>(data);
    std::size_t left = bytes;
    while (left) {
        const ssize_t n = ::write(d_fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            detail::throw_system_error("write-only pipe stream",
                                       "write(2) of " + std::to_string(left) +
                                           " bytes to fd " + std::to_string(d_fd) +
                                           " after " + std::to_string(d_bytes_written) +
                                           " bytes",
                                       errno);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
        d_bytes_written += static_cast<std::uint64_t>(n);
    }
}

} // namespace roundpipers
