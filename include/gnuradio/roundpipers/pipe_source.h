/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_SOURCE_H
#define INCLUDED_ROUNDPIPERS_PIPE_SOURCE_H

#include <gnuradio/gr_complex.h>
#include <gnuradio/roundpipers/api.h>
#include <gnuradio/sync_block.h>
#include <roundpipers/pipe.h>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gr {
namespace roundpipers {

/*!
 * \brief Brings frames that code outside a flowgraph writes into the flowgraph.
 * \ingroup roundpipers_blocks
 *
 * \details
 * Opens the pipe \p pipe_name in roundpipers::registry (creating it if needed) and
 * registers as its reader when made, so frames written before the flowgraph starts
 * wait in the pipe (after a stop, the next run goes on after the frames the last run
 * delivered; none is delivered twice). Outside code writes with
 * `roundpipers::registry::open<T>(pipe_name, capacity, shape)->get_writer()`; each
 * frame becomes one output item of prod(shape) values of T. When the outside writer
 * closes the pipe and the flowgraph has read everything, the block returns WORK_DONE,
 * so tb.wait() returns.
 *
 * Blocking (default): the output edge is the pipe's own ring. work() hands the
 * frames the outside writer published to the blocks downstream without copying, and
 * reports their reading progress back to the pipe as one reader, so the writer never
 * overwrites frames the flowgraph has not read. Lossy: the block is a lossy reader
 * that never holds the writer back; frames lost to overruns are skipped, and each frame
 * is copied once into the output edge (a GNU Radio edge cannot skip frames in place).
 * Every wait in work() is bounded, so tb.stop() returns promptly.
 *
 * Thread safety: the pipe and its writer may be used from any thread.
 */
template <class T>
class ROUNDPIPERS_API pipe_source : virtual public gr::sync_block
{
public:
    using sptr = std::shared_ptr<pipe_source<T>>;

    /*!
     * \brief Makes a pipe source.
     * \param pipe_name name of the pipe in roundpipers::registry (non-empty)
     * \param shape frame shape; each output item is prod(shape) values ({} for scalars)
     * \param capacity_frames capacity of the pipe, in frames (rounded up)
     * \param lossy read as a lossy reader (never hold the outside writer back)
     * \param shared reachable by name from other processes of this user: an
     * attached writer (`roundpipers.attach(pipe_name).get_writer()`) feeds the flowgraph
     */
    static sptr make(const std::string& pipe_name,
                     const std::vector<std::size_t>& shape = {},
                     std::size_t capacity_frames = 8192,
                     bool lossy = false,
                     bool shared = true);

    /*! \brief The pipe's name. */
    virtual std::string pipe_name() const = 0;
    /*! \brief The frame shape. */
    virtual std::vector<std::size_t> shape() const = 0;
    /*! \brief True for a lossy source. */
    virtual bool lossy() const = 0;
    /*!
     * \brief The pipe read by the block: once an outside writer closed it and the
     * flowgraph read it to its end, the next stream's pipe under the same name.
     */
    virtual std::shared_ptr<::roundpipers::pipe<T>> pipe() const = 0;
    /*! \brief Frames lost to overruns (lossy sources), cumulative over its streams. */
    virtual uint64_t frames_lost() const = 0;
    /*! \brief True when the output edge is the pipe's ring (no copy). */
    virtual bool zero_copy() const = 0;
};

using pipe_source_c = pipe_source<gr_complex>;
using pipe_source_f = pipe_source<float>;
using pipe_source_i = pipe_source<std::int32_t>;
using pipe_source_s = pipe_source<std::int16_t>;
using pipe_source_b = pipe_source<std::uint8_t>;

} // namespace roundpipers
} // namespace gr

#endif /* INCLUDED_ROUNDPIPERS_PIPE_SOURCE_H */
