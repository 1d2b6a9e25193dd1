/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_BLOCK_HELPERS_H
#define INCLUDED_ROUNDPIPERS_BLOCK_HELPERS_H

#include <roundpipers/deadline.h>
#include <roundpipers/frame_shape.h>
#include <gnuradio/block.h>
#include <roundpipers/pipe_state.h>
#include <roundpipers/writer_core.h>
#include <chrono>
#include <string>
#include <vector>

namespace gr {
namespace roundpipers {

/*!
 * Longest wait inside work(): GNU Radio can only interrupt a block between calls to
 * work(), so tb.stop() returns within about this much whatever outside threads do.
 */
constexpr std::chrono::milliseconds max_work_wait{ 20 };
/*! How often a waiting pipe_source hands consumed frames back to the writer. */
constexpr std::chrono::microseconds release_slice{ 100 };

/*! The deadline of one bounded wait inside work(). */
inline ::roundpipers::deadline work_deadline()
{
    return ::roundpipers::deadline_after(max_work_wait);
}

/*!
 * Bytes of one frame of \p shape of \p element_bytes-byte values, checked to fit a
 * GNU Radio item size (int); throws pipe_error(errc::invalid_argument) naming \p who
 * otherwise.
 */
std::size_t frame_item_bytes(const std::string& who,
                             const std::vector<std::size_t>& shape,
                             std::size_t element_bytes);

/*!
 * writer_core::reserve() inside work(): a mutual wait with an outside reader (it waits
 * for frames upstream cannot write until it reads on) waits out \p until like a timeout
 * instead of throwing on the block's thread; the reader is told when it asks again.
 */
::roundpipers::read_status reserve_bounded(::roundpipers::writer_core& writer,
                                           std::size_t n,
                                           ::roundpipers::deadline until,
                                           std::uint8_t** at);

/*!
 * \p capacity_frames, checked against what a GNU Radio buffer can index (its items are
 * counted in int, and it shows readers up to twice its size); throws
 * pipe_error(errc::invalid_argument) naming \p who at construction, before any memory is
 * made, instead of a failure at tb.start() after gigabytes were prefaulted.
 */
std::size_t gr_capacity(const std::string& who, std::size_t capacity_frames);

/*!
 * Free frames \p upstream needs in its output buffer before GNU Radio lets it run: its
 * minimum output (at least 1) rounded up to its output multiple.
 */
std::size_t frames_upstream_needs(const gr::block& upstream);

/*! The options of a block's pipe: shared by name with other processes or not. */
inline ::roundpipers::pipe_options pipe_options_for(bool shared)
{
    ::roundpipers::pipe_options o;
    o.shared = shared;
    return o;
}

} // namespace roundpipers
} // namespace gr

#endif /* INCLUDED_ROUNDPIPERS_BLOCK_HELPERS_H */
