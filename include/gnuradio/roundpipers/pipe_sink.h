/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_SINK_H
#define INCLUDED_ROUNDPIPERS_PIPE_SINK_H

#include <gnuradio/block.h>
#include <gnuradio/gr_complex.h>
#include <gnuradio/roundpipers/api.h>
#include <roundpipers/pipe.h>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gr {
namespace roundpipers {

/*!
 * \brief Hands a flowgraph's frames to code outside it through a named pipe.
 * \ingroup roundpipers_blocks
 *
 * \details
 * Opens the pipe \p pipe_name in roundpipers::registry (creating it if needed) and is
 * its writer. Each input item is one frame of \p shape values of T. Outside readers
 * (`roundpipers::registry::open<T>(pipe_name, capacity, shape)->get_reader()`) get the
 * frames while the flowgraph runs; blocking readers hold the flowgraph back, lossy ones
 * never do. When the flowgraph finishes or stops, the pipe reaches end of stream; a
 * restarted flowgraph writes a new stream into a new pipe of the same name.
 *
 * Zero copy: when the upstream block's output is this sink's only consumer, the edge
 * is the pipe's own ring, so the upstream block writes straight into the frames the
 * outside readers see. Otherwise (the upstream output already uses a custom buffer)
 * the sink copies each frame once. Every wait in work() is bounded, so tb.stop()
 * returns promptly whatever the outside readers do.
 *
 * Thread safety: the pipe and its readers may be used from any thread.
 */
template <class T>
class ROUNDPIPERS_API pipe_sink : virtual public gr::block
{
public:
    using sptr = std::shared_ptr<pipe_sink<T>>;

    /*!
     * \brief Makes a pipe sink.
     * \param pipe_name name of the pipe in roundpipers::registry (non-empty)
     * \param shape frame shape; each input item is prod(shape) values ({} for scalars)
     * \param capacity_frames capacity of the pipe, in frames (rounded up)
     * \param shared reachable by name from other processes of this user
     * (`roundpipers.attach(pipe_name)` in Python, `roundpipers::attach<T>(pipe_name)` in
     * C++); the name must then be a valid shared name (1-100 of `[A-Za-z0-9._-]`)
     */
    static sptr make(const std::string& pipe_name,
                     const std::vector<std::size_t>& shape = {},
                     std::size_t capacity_frames = 8192,
                     bool shared = true);

    /*! \brief The pipe's name. */
    virtual std::string pipe_name() const = 0;
    /*! \brief The frame shape. */
    virtual std::vector<std::size_t> shape() const = 0;
    /*!
     * \brief The pipe of the current run, or of the next one once a run stopped (a
     * reader opened between two runs reads the next run's stream).
     */
    virtual std::shared_ptr<::roundpipers::pipe<T>> pipe() const = 0;
    /*! \brief Frames published to the pipe in the current run. */
    virtual uint64_t frames_published() const = 0;
    /*! \brief True when the input edge is the pipe's ring (no copy). */
    virtual bool zero_copy() const = 0;
};

using pipe_sink_c = pipe_sink<gr_complex>;
using pipe_sink_f = pipe_sink<float>;
using pipe_sink_i = pipe_sink<std::int32_t>;
using pipe_sink_s = pipe_sink<std::int16_t>;
using pipe_sink_b = pipe_sink<std::uint8_t>;

} // namespace roundpipers
} // namespace gr

#endif /* INCLUDED_ROUNDPIPERS_PIPE_SINK_H */
