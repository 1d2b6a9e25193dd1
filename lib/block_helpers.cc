/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "block_helpers.h"
#include <algorithm>
#include <roundpipers/pipe_error.h>
#include <climits>
#include <thread>

namespace gr {
namespace roundpipers {

std::size_t frame_item_bytes(const std::string& who,
                             const std::vector<std::size_t>& shape,
                             std::size_t element_bytes)
{
    const std::size_t elements = ::roundpipers::frame_elements(shape, who);
    if (elements > std::size_t(INT_MAX) / element_bytes)
        throw ::roundpipers::pipe_error(::roundpipers::errc::invalid_argument,
                                        who + ": frames of shape " +
                                            ::roundpipers::to_string(shape) +
                                            " are too large for a GNU Radio item");
    return elements * element_bytes;
}

::roundpipers::read_status reserve_bounded(::roundpipers::writer_core& writer,
                                           std::size_t n,
                                           ::roundpipers::deadline until,
                                           std::uint8_t** at)
{
    try {
        return writer.reserve(n, until, at);
    } catch (const ::roundpipers::pipe_error& e) {
        if (e.code() != ::roundpipers::errc::mutual_wait)
            throw;
        if (until != ::roundpipers::no_wait && until != ::roundpipers::wait_forever)
            std::this_thread::sleep_until(until);
        return ::roundpipers::read_status::timeout;
    }
}

std::size_t frames_upstream_needs(const gr::block& upstream)
{
    const std::size_t multiple = std::size_t(std::max(1, upstream.output_multiple()));
    const std::size_t least = std::size_t(std::max(1, upstream.min_noutput_items()));
    return (least + multiple - 1) / multiple * multiple;
}

std::size_t gr_capacity(const std::string& who, std::size_t capacity_frames)
{
    constexpr std::size_t limit = std::size_t(INT_MAX / 2);
    if (capacity_frames > limit)
        throw ::roundpipers::pipe_error(
            ::roundpipers::errc::invalid_argument,
            who + ": a capacity of " + std::to_string(capacity_frames) +
                " frames is more than a GNU Radio buffer can index (at most " +
                std::to_string(limit) + " items); ask for fewer frames");
    return capacity_frames;
}

} // namespace roundpipers
} // namespace gr
