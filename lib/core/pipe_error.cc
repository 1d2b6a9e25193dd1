/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "system_error.h"
#include <roundpipers/pipe_error.h>
#include <roundpipers/pipe_state.h>
#include <cstring>

namespace roundpipers {

const char* errc_name(errc code) noexcept
{
    switch (code) {
    case errc::ok:
        return "ok";
    case errc::invalid_argument:
        return "invalid_argument";
    case errc::writer_exists:
        return "writer_exists";
    case errc::closed:
        return "closed";
    case errc::read_capacity_exceeded:
        return "read_capacity_exceeded";
    case errc::write_capacity_exceeded:
        return "write_capacity_exceeded";
    case errc::chunk_outstanding:
        return "chunk_outstanding";
    case errc::buffer_full:
        return "buffer_full";
    case errc::end_of_stream:
        return "end_of_stream";
    case errc::insufficient_data:
        return "insufficient_data";
    case errc::timeout:
        return "timeout";
    case errc::overrun:
        return "overrun";
    case errc::too_many_readers:
        return "too_many_readers";
    case errc::system_error:
        return "system_error";
    case errc::io_error:
        return "io_error";
    case errc::not_found:
        return "not_found";
    case errc::name_in_use:
        return "name_in_use";
    case errc::corrupted:
        return "corrupted";
    case errc::mutual_wait:
        return "mutual_wait";
    }
    return "unknown";
}

const char* read_status_name(read_status s) noexcept
{
    switch (s) {
    case read_status::ok:
        return "ok";
    case read_status::end_of_stream:
        return "end_of_stream";
    case read_status::insufficient_data:
        return "insufficient_data";
    case read_status::timeout:
        return "timeout";
    case read_status::overrun:
        return "overrun";
    }
    return "unknown";
}

void read_result::throw_if_failed(const std::string& pipe_name) const
{
    const std::string who = "pipe '" + pipe_name + "': ";
    const std::string where = " at position " + std::to_string(d_state.consumed) +
                              " (written " + std::to_string(d_state.written) + ")";
    switch (d_status) {
    case read_status::ok:
        return;
    case read_status::end_of_stream:
        throw pipe_error(errc::end_of_stream, who + "end of stream" + where);
    case read_status::insufficient_data:
        throw pipe_error(errc::insufficient_data,
                         who + "not enough data: only " +
                             std::to_string(d_state.available) + " frames left" + where);
    case read_status::timeout:
        throw pipe_error(errc::timeout, who + "timed out" + where);
    case read_status::overrun:
        throw pipe_error(errc::overrun,
                         who + "overrun: " + std::to_string(d_state.lost) +
                             " frames lost so far" + where);
    }
}

namespace detail {

void throw_system_error(const std::string& who, const std::string& step, int err)
{
    throw pipe_error(errc::system_error,
                     who + ": " + step + " failed: " + std::strerror(err) + " (errno " +
                         std::to_string(err) + ")",
                     err);
}

} // namespace detail
} // namespace roundpipers
