/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <roundpipers/pipe_error.h>
#include <roundpipers/tag_writer.h>

namespace roundpipers {

void tag_writer::add(std::size_t i, const std::string& key, const std::string& value)
{
    if (i >= d_frames)
        throw pipe_error(errc::invalid_argument,
                         "pipe '" + d_core.pipe().name() + "': tag_writer::add: frame " +
                             std::to_string(i) + " is outside this write of " +
                             std::to_string(d_frames) + " frames");
    if (d_core.add_tag(d_first_frame + i, key, value, d_until) != read_status::ok)
        throw pipe_error(errc::timeout,
                         "pipe '" + d_core.pipe().name() + "': no room for tag '" + key +
                             "' in the tag area before the write's deadline (blocking "
                             "readers still hold older tags)");
}

} // namespace roundpipers
