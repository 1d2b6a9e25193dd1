/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_ENDPOINT_H
#define INCLUDED_ROUNDPIPERS_PIPE_ENDPOINT_H

#include <gnuradio/roundpipers/api.h>
#include <roundpipers/pipe_core.h>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace gr {
namespace roundpipers {

/*!
 * \brief Which ring a flowgraph edge should use: a pipe's, from a given frame on.
 * \ingroup roundpipers_blocks
 */
struct edge_binding {
    /*! The pipe whose ring is the edge's memory; null for a plain memfd edge. */
    std::shared_ptr<::roundpipers::pipe_core> pipe;
    /*! Absolute frame of the pipe that the edge's first item is. */
    std::uint64_t start_frame = 0;
};

/*!
 * \brief A block that lends its pipe's ring to one of its flowgraph edges.
 * \ingroup roundpipers_blocks
 *
 * \details
 * pipe_buffer's factory asks the block that owns a new buffer (pipe_source for its
 * output, pipe_sink for its input) for the pipe to build the edge on. It is called
 * while tb.start() sets the flowgraph up, before the block's start(), once per run.
 *
 * Thread safety: called by GNU Radio on the thread that starts the flowgraph.
 */
class ROUNDPIPERS_API pipe_endpoint
{
public:
    virtual ~pipe_endpoint() = default;

    /*!
     * \brief The pipe (and start frame) for an edge of items of \p item_bytes bytes.
     * \return a binding with a null pipe when the edge should be a plain memfd ring
     */
    virtual edge_binding bind_edge(std::size_t item_bytes) = 0;
};

} // namespace roundpipers
} // namespace gr

#endif /* INCLUDED_ROUNDPIPERS_PIPE_ENDPOINT_H */
