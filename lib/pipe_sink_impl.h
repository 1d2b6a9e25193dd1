/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_SINK_IMPL_H
#define INCLUDED_ROUNDPIPERS_PIPE_SINK_IMPL_H

#include "tag_bridge.h"
#include <gnuradio/roundpipers/pipe_endpoint.h>
#include <gnuradio/roundpipers/pipe_sink.h>
#include <mutex>
#include <optional>

namespace gr {
namespace roundpipers {

template <class T>
class pipe_sink_impl : public pipe_sink<T>, public pipe_endpoint
{
public:
    pipe_sink_impl(const std::string& pipe_name,
                   const std::vector<std::size_t>& shape,
                   std::size_t capacity_frames,
                   bool shared);
    ~pipe_sink_impl() override;

    edge_binding bind_edge(std::size_t item_bytes) override;
    bool check_topology(int ninputs, int noutputs) override;
    bool start() override;
    bool stop() override;
    void forecast(int noutput_items, gr_vector_int& ninput_items_required) override;
    int general_work(int noutput_items,
                     gr_vector_int& ninput_items,
                     gr_vector_const_void_star& input_items,
                     gr_vector_void_star& output_items) override;

    std::string pipe_name() const override { return d_pipe_name; }
    std::vector<std::size_t> shape() const override { return d_shape; }
    std::shared_ptr<::roundpipers::pipe<T>> pipe() const override;
    uint64_t frames_published() const override;
    bool zero_copy() const override;

private:
    void renew_pipe_if_closed();
    // Tells the pipe's blocking readers the largest window they can be given.
    void limit_windows();
    // Takes the writer role of this run's pipe (once): a second writer is an error here.
    void take_writer();
    bool upstream_finished(int ninput);
    // Publishes the frames upstream wrote up to `end`, waiting for room until `until`.
    void publish_written(uint64_t end, ::roundpipers::deadline until);
    // At the first work() of a run: which pipe frame the next input item becomes.
    void start_run_if_needed();
    int work_zero_copy(int ninput);
    int work_copy(int ninput, const void* in);

    const std::string d_pipe_name;
    const std::vector<std::size_t> d_shape;
    const std::size_t d_capacity_frames;
    const ::roundpipers::pipe_options d_options; // of each run's pipe
    const std::size_t d_frame_bytes;

    // d_mutex guards the pipe and writer of the current run against the accessors.
    mutable std::mutex d_mutex;
    std::shared_ptr<::roundpipers::pipe<T>> d_pipe;
    std::optional<::roundpipers::pipe_writer<T>> d_writer;
    uint64_t d_published = 0; // frames of the input edge published to the pipe
    int d_min_input = 1;      // forecast: more than the pending input when window-bound
    uint64_t d_upstream_need = 1; // free frames the upstream block needs to run
    uint64_t d_window = 0;        // published frames kept from the upstream block
    bool d_zero_copy = false;
    stream_tag_queue d_tag_queue; // the input's stream tags on their way into the pipe
    bool d_run_started = false;   // the first work() of a run set d_tag_queue's origin
};

} // namespace roundpipers
} // namespace gr

#endif /* INCLUDED_ROUNDPIPERS_PIPE_SINK_IMPL_H */
