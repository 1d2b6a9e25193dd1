/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_RING_GEOMETRY_H
#define INCLUDED_ROUNDPIPERS_RING_GEOMETRY_H

#include <cstddef>
#include <cstdint>

namespace roundpipers {
namespace detail {

/*!
 * Where absolute frame f lives in a ring of \p capacity frames of \p frame_bytes bytes:
 * the one rule, held by the pipe and copied by each reader so that its hot path reads
 * it from the reader's own cache line.
 */
struct ring_geometry {
    std::uint8_t* frames = nullptr;  // first frame (in the first half of the mapping)
    std::uint64_t capacity = 0;      // frames
    std::uint64_t capacity_mask = 0; // capacity - 1 when a power of two, else 0
    std::uint64_t frame_bytes = 0;

    ring_geometry() = default;
    ring_geometry(std::uint8_t* first, std::uint64_t capacity_frames, std::uint64_t bytes)
        : frames(first),
          capacity(capacity_frames),
          capacity_mask(
              capacity_frames > 1 && (capacity_frames & (capacity_frames - 1)) == 0
                  ? capacity_frames - 1
                  : 0),
          frame_bytes(bytes)
    {
    }

    /*! Address of absolute frame \p frame. */
    std::uint8_t* frame_ptr(std::uint64_t frame) const
    {
        // A mask when the capacity is a power of two (a division costs tens of cycles
        // on every reserve and get at batch 1).
        const std::uint64_t slot =
            capacity_mask ? (frame & capacity_mask) : (frame % capacity);
        return frames + slot * frame_bytes;
    }
};

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_RING_GEOMETRY_H */
