/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_SOURCE_IMPL_H
#define INCLUDED_ROUNDPIPERS_PIPE_SOURCE_IMPL_H

#include <gnuradio/roundpipers/pipe_endpoint.h>
#include <gnuradio/roundpipers/pipe_source.h>
#include <roundpipers/reader_core.h>
#include <mutex>
#include <optional>

namespace gr {
namespace roundpipers {

template <class T>
class pipe_source_impl : public pipe_source<T>, public pipe_endpoint
{
public:
    pipe_source_impl(const std::string& pipe_name,
                     const std::vector<std::size_t>& shape,
                     std::size_t capacity_frames,
                     bool lossy,
                     bool shared);
    ~pipe_source_impl() override;

    edge_binding bind_edge(std::size_t item_bytes) override;
    bool start() override;
    bool stop() override;
    int work(int noutput_items,
             gr_vector_const_void_star& input_items,
             gr_vector_void_star& output_items) override;

    std::string pipe_name() const override { return d_pipe_name; }
    std::vector<std::size_t> shape() const override { return d_shape; }
    bool lossy() const override { return d_lossy; }
    std::shared_ptr<::roundpipers::pipe<T>> pipe() const override;
    uint64_t frames_lost() const override;
    bool zero_copy() const override;

private:
    int work_zero_copy(int noutput_items);
    int work_copy(int noutput_items, void* out);
    // Returns true while a block downstream has not read every frame produced.
    bool release_consumed_frames();

    // Registers the reader of this block on d_pipe, from its current write position.
    void open_reader();
    // After a stream that an outside writer closed was read to its end: the name takes
    // a new writer, in a new pipe, for the next run.
    void renew_pipe_if_drained();

    const std::string d_pipe_name;
    const std::vector<std::size_t> d_shape;
    const bool d_lossy;
    const std::size_t d_frame_bytes;
    const std::size_t d_capacity_frames;
    const ::roundpipers::pipe_options d_options; // of each stream's pipe
    std::shared_ptr<::roundpipers::pipe<T>> d_pipe;

    // The pipe reader, for the block's whole life: frames written before a start, or
    // while the flowgraph is stopped, wait for it. d_mutex guards it against the
    // accessors.
    mutable std::mutex d_mutex;
    std::optional<::roundpipers::reader_core> d_reader;
    uint64_t d_start_frame = 0; // pipe frame of the output edge's item 0 (zero copy)
    uint64_t d_lost_earlier = 0; // frames lost in the streams before this one
    bool d_bound = false; // bind_edge() ran for the coming start()
    bool d_zero_copy = false;
    bool d_failed = false; // start() could not set up the edge: work() ends the stream
};

} // namespace roundpipers
} // namespace gr

#endif /* INCLUDED_ROUNDPIPERS_PIPE_SOURCE_IMPL_H */
