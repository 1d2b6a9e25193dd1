/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "tag_area.h"
#include <roundpipers/tag.h>
#include <algorithm>
#include <cstring>

namespace roundpipers {
namespace detail {

void tag_area::write_bytes(std::uint64_t at, const std::string& s) const
{
    const std::size_t start = static_cast<std::size_t>(at % d_byte_capacity);
    const std::size_t first = std::min(s.size(), d_byte_capacity - start);
    std::memcpy(d_bytes + start, s.data(), first);
    std::memcpy(d_bytes, s.data() + first, s.size() - first);
}

void tag_area::read_bytes(std::uint64_t at, std::size_t n, std::string& out) const
{
    const std::size_t start = static_cast<std::size_t>(at % d_byte_capacity);
    const std::size_t first = std::min(n, d_byte_capacity - start);
    out.resize(n);
    std::memcpy(&out[0], d_bytes + start, first);
    std::memcpy(&out[0] + first, d_bytes, n - first);
}

std::size_t tag_area::default_capacity(std::size_t capacity_frames)
{
    // One tag per frame of a full ring fits: a stream that tags every frame never waits
    // for tag room (tags of frames in the ring plus those of a reservation, which
    // must fit the ring too). The cap keeps a huge pipe's area at a few MiB.
    return std::clamp<std::size_t>(capacity_frames, 1024, 65536);
}

std::size_t tag_area::byte_capacity_for(std::size_t capacity)
{
    // 64 bytes per tag hold a key and a serialised PMT of the usual kinds (rx_time is a
    // 7-byte key and a 29-byte tuple); at least four of the largest values fit.
    return std::max<std::size_t>(capacity * 64, 4 * (max_tag_key_bytes + max_tag_value_bytes));
}

} // namespace detail
} // namespace roundpipers
