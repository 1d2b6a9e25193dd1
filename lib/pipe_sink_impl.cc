/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "pipe_sink_impl.h"
#include "block_helpers.h"
#include <gnuradio/block_detail.h>
#include <gnuradio/buffer_reader.h>
#include <gnuradio/io_signature.h>
#include <gnuradio/roundpipers/pipe_buffer.h>
#include <roundpipers/registry.h>
#include <algorithm>
#include <cstring>

namespace gr {
namespace roundpipers {

namespace rp = ::roundpipers;

template <class T>
typename pipe_sink<T>::sptr pipe_sink<T>::make(const std::string& pipe_name,
                                               const std::vector<std::size_t>& shape,
                                               std::size_t capacity_frames,
                                               bool shared)
{
    return gnuradio::make_block_sptr<pipe_sink_impl<T>>(pipe_name, shape, capacity_frames,
                                                        shared);
}

// The input declares pipe_buffer::type so that a default upstream edge is replaced by
// one over the pipe's ring; GNU Radio 3.10 takes the replacement's type from the
// consumer's *output* signature, hence the empty output that names it too.
template <class T>
pipe_sink_impl<T>::pipe_sink_impl(const std::string& pipe_name,
                                  const std::vector<std::size_t>& shape,
                                  std::size_t capacity_frames,
                                  bool shared)
    : gr::block("pipe_sink",
                gr::io_signature::make(
                    1,
                    1,
                    static_cast<int>(
                        frame_item_bytes("pipe_sink '" + pipe_name + "'", shape, sizeof(T))),
                    pipe_buffer::type),
                gr::io_signature::make(0, 0, 0, pipe_buffer::type)),
      d_pipe_name(pipe_name),
      d_shape(shape),
      d_capacity_frames(capacity_frames),
      d_options(pipe_options_for(shared)),
      d_frame_bytes(frame_item_bytes("pipe_sink '" + pipe_name + "'", shape, sizeof(T))),
      d_pipe(rp::registry::open_for_writing<T>(
          pipe_name, gr_capacity("pipe_sink '" + pipe_name + "'", capacity_frames), shape, d_options))
{
    limit_windows();
}

template <class T>
void pipe_sink_impl<T>::limit_windows()
{
    // GNU Radio keeps a slot of the ring free and the upstream block writes only with
    // d_upstream_need frames free: a blocking reader can be given at most this much.
    // Set from the start, so that a reader waiting for more is told at once.
    const uint64_t cap = d_pipe->capacity();
    d_pipe->core()->set_window_limit(
        static_cast<std::size_t>(cap > d_upstream_need ? cap - d_upstream_need : 1));
}

template <class T>
pipe_sink_impl<T>::~pipe_sink_impl() = default;

template <class T>
void pipe_sink_impl<T>::renew_pipe_if_closed()
{
    // Each run writes one stream; after a stop the pipe is closed and the next run
    // writes into a new pipe under the same name (readers of the old one drain it).
    if (d_pipe->is_closed()) {
        d_pipe = rp::registry::open_for_writing<T>(
            d_pipe_name, d_capacity_frames, d_shape, d_options);
        limit_windows();
    }
}

template <class T>
void pipe_sink_impl<T>::take_writer()
{
    renew_pipe_if_closed();
    if (d_writer && d_writer->core().valid() && &d_writer->core().pipe() == d_pipe->core().get())
        return;
    try {
        d_writer.emplace(d_pipe->get_writer());
    } catch (const rp::pipe_error& e) {
        if (e.code() != rp::errc::writer_exists)
            throw;
        const uint32_t pid = d_pipe->core()->writer_pid();
        throw std::runtime_error(
            "pipe_sink '" + d_pipe_name + "': pipe '" + d_pipe_name +
            "' already has a writer (process " + std::to_string(pid) +
            "): another Pipe Sink of that name or an outside writer holds it, and a pipe "
            "has one writer; give this sink its own pipe name, or close the other writer "
            "first");
    }
}

template <class T>
bool pipe_sink_impl<T>::check_topology(int, int)
{
    // GNU Radio checks the topology in the thread that calls tb.start(), while start()
    // runs on the block's own thread (where an exception leaves the flowgraph hung):
    // the writer is taken here, so that a second writer fails tb.start() itself.
    std::lock_guard<std::mutex> lock(d_mutex);
    take_writer();
    // On unlock() GNU Radio keeps the previous run's edge, which is the closed pipe's
    // ring: the upstream block would write the new run over frames that the old
    // stream's readers still drain. The edge moves to memory of its own (here, in the
    // caller's thread: a failure is unlock()'s error) and the run copies into the new
    // pipe.
    if (auto detail = this->detail(); detail && detail->ninputs() > 0 && detail->input(0))
        if (auto in = std::dynamic_pointer_cast<pipe_buffer>(detail->input(0)->buffer());
            in && in->pipe() && in->pipe() != d_pipe->core())
            in->use_own_memory();
    return true;
}

template <class T>
edge_binding pipe_sink_impl<T>::bind_edge(std::size_t item_bytes)
{
    std::lock_guard<std::mutex> lock(d_mutex);
    if (item_bytes != d_frame_bytes)
        return {};
    renew_pipe_if_closed();
    return { d_pipe->core(), d_pipe->core()->written() };
}

template <class T>
bool pipe_sink_impl<T>::start()
{
    std::lock_guard<std::mutex> lock(d_mutex);
    auto in = std::dynamic_pointer_cast<pipe_buffer>(this->detail()->input(0)->buffer());
    // After lock()/unlock() GNU Radio keeps the edge of the previous run, whose pipe was
    // closed at the stop: this run then writes a new pipe, copying from that edge.
    d_zero_copy = in && in->pipe() == d_pipe->core() && !d_pipe->is_closed();
    take_writer(); // normally taken by check_topology already
    d_published = 0;
    d_min_input = 1;
    d_run_started = false;
    // The upstream block runs only with d_upstream_need free frames; the frames kept for
    // lossy readers (half the ring) must leave it that much and one frame of slack.
    const uint64_t cap = d_pipe->capacity();
    auto up = this->detail()->input(0)->buffer()->link();
    d_upstream_need = up ? frames_upstream_needs(*up) : 1;
    d_window = std::min<uint64_t>(cap / 2, cap > d_upstream_need + 2 ? cap - 2 - d_upstream_need : 0);
    limit_windows();
    if (d_zero_copy) { // the upstream block may write bufsize - 1 frames before we run
        d_writer->core().claim_until(d_pipe->capacity() - 1);
        // Its waits for room only probe whether the readers moved on: the upstream
        // block keeps writing the ring meanwhile, and work() publishes that.
        d_writer->core().set_moves_while_waiting(true);
    }
    return gr::block::start();
}

template <class T>
bool pipe_sink_impl<T>::stop()
{
    std::lock_guard<std::mutex> lock(d_mutex);
    d_writer.reset(); // end of stream for the outside readers
    // The next run's pipe exists from now on: a reader that opens or attaches to the
    // name between two runs reads the next run's stream, not the end of this one.
    try {
        renew_pipe_if_closed();
    } catch (const std::exception& e) {
        this->d_logger->error("pipe '{}': the next run's pipe could not be made yet ({}); "
                              "tb.start() tries again",
                              d_pipe_name, e.what());
    }
    return gr::block::stop();
}

template <class T>
std::shared_ptr<rp::pipe<T>> pipe_sink_impl<T>::pipe() const
{
    std::lock_guard<std::mutex> lock(d_mutex);
    return d_pipe;
}

template <class T>
uint64_t pipe_sink_impl<T>::frames_published() const
{
    std::lock_guard<std::mutex> lock(d_mutex);
    return d_published;
}

template <class T>
bool pipe_sink_impl<T>::zero_copy() const
{
    std::lock_guard<std::mutex> lock(d_mutex);
    return d_zero_copy;
}

template <class T>
void pipe_sink_impl<T>::forecast(int, gr_vector_int& ninput_items_required)
{
    ninput_items_required[0] = d_min_input;
}

template <class T>
bool pipe_sink_impl<T>::upstream_finished(int ninput)
{
    // ninput was counted before work() was called: the upstream block may have written
    // more since, and then finished. Only when it is done and nothing came after
    // ninput is the input complete.
    auto in = this->detail()->input(0);
    if (!in->done())
        return false;
    gr::thread::scoped_lock guard(*in->buffer()->mutex());
    return in->items_available() == ninput;
}

template <class T>
void pipe_sink_impl<T>::start_run_if_needed()
{
    if (d_run_started)
        return;
    d_run_started = true;
    d_tag_queue.restart(this->nitems_read(0), d_writer->core().written());
}

template <class T>
void pipe_sink_impl<T>::publish_written(uint64_t end, rp::deadline until)
{
    if (end <= d_published)
        return;
    auto& writer = d_writer->core();
    // Frames go out with their tags: only up to the first tag that finds no room yet.
    d_tag_queue.fetch(*this, end, this->d_logger);
    end = d_tag_queue.hand_over(writer, end, d_published, until, this->d_logger);
    if (end <= d_published)
        return;
    std::uint8_t* at = nullptr;
    const std::size_t n = static_cast<std::size_t>(end - d_published);
    if (reserve_bounded(writer, n, until, &at) == rp::read_status::ok) {
        writer.publish(n);
        d_published = end;
    }
}

template <class T>
int pipe_sink_impl<T>::work_zero_copy(int ninput)
{
    auto& writer = d_writer->core();
    const uint64_t cap = writer.pipe().capacity();
    const uint64_t consumed = this->nitems_read(0);
    const uint64_t end = consumed + uint64_t(ninput);
    d_min_input = 1;
    // The upstream block wrote these frames straight into the ring, only into slots the
    // blocking readers had finished, so the reservation never waits. Publishing them is
    // the whole job.
    publish_written(end, rp::no_wait);
    if (d_published == end && upstream_finished(ninput)) {
        // Nothing will be written again: the readers drain the ring after the end.
        this->consume_each(ninput);
        return gr::block::WORK_DONE;
    }
    // GNU Radio may reuse what the slowest blocking reader has finished, but while a
    // lossy reader is registered the last `window` published frames stay out of the
    // upstream block's reach, so that it gets half the ring (less what the upstream
    // block needs) to read before those frames are overwritten. Without one, nothing is
    // kept: a small ring then flows like a plain edge.
    const uint64_t window = d_window;
    auto slowest = [&] { return std::min<uint64_t>(writer.state().consumed, d_published); };
    auto freed = [&] {
        const uint64_t keep = d_published > window ? d_published - window : 0;
        const uint64_t limit = std::min(slowest(), keep);
        return limit > consumed ? limit - consumed : 0;
    };
    uint64_t k = freed();
    if (k == 0) {
        // GNU Radio shows this block at most capacity - 1 frames, and the upstream block
        // writes only with d_upstream_need frames free: waiting for more input than that
        // would wait for ever ("requesting more input data than we can provide").
        const bool more_input_possible = uint64_t(ninput) + d_upstream_need < cap;
        if (end > d_published) {
            // Not all of what upstream wrote is published yet (no room for the frames
            // or for their tags): wait (bounded) for the readers to make room. Waiting
            // for more input instead could wait for ever, as no reader would wake us.
            publish_written(end, work_deadline());
            return 0;
        }
        if (more_input_possible) {
            // The upstream block has room to write more: let GNU Radio wake us when it
            // has, instead of calling work() again at once. Waiting for the readers
            // here instead would miss that input: a reader waiting for the next frame
            // frees nothing until it is published.
            d_min_input = ninput + 1;
            return 0;
        }
        // Wait (bounded) until the slowest reader finishes frame `consumed`: a
        // reservation of n frames needs it at written + n - capacity.
        const uint64_t n = consumed + 1 + cap - d_published;
        std::uint8_t* at = nullptr;
        if (n >= 1 && n <= cap &&
            reserve_bounded(writer, static_cast<std::size_t>(n), work_deadline(), &at) ==
                rp::read_status::ok)
            writer.publish(0);
        k = freed();
    }
    k = std::min<uint64_t>(k, uint64_t(ninput));
    // Once consumed, GNU Radio lets the upstream block write up to bufsize - 1 frames
    // past the new read position: claim those slots first, for the lossy readers.
    writer.claim_until(consumed + k + cap - 1);
    this->consume_each(static_cast<int>(k));
    return 0;
}

template <class T>
int pipe_sink_impl<T>::work_copy(int ninput, const void* in)
{
    // Copy what fits now; when nothing does, wait (bounded) for room for one frame.
    const std::size_t room = static_cast<std::size_t>(d_writer->state().available);
    std::size_t n = std::max<std::size_t>(
        1, std::min({ std::size_t(ninput), d_writer->capacity(), room }));
    // The frames' tags go first (they wait in the writer for their frames); the copy
    // stops before a tag that finds no room yet.
    const uint64_t first = this->nitems_read(0);
    d_tag_queue.fetch(*this, first + n, this->d_logger);
    n = static_cast<std::size_t>(
        d_tag_queue.hand_over(d_writer->core(), first + n, first, work_deadline(), this->d_logger) -
        first);
    if (n == 0)
        return 0;
    auto span = d_writer->reserve_for(n, max_work_wait);
    if (!span)
        return 0;
    std::memcpy(span.data().data(), in, n * d_frame_bytes);
    d_writer->publish(n);
    d_published += n;
    this->consume_each(static_cast<int>(n));
    return 0;
}

template <class T>
int pipe_sink_impl<T>::general_work(int,
                                    gr_vector_int& ninput_items,
                                    gr_vector_const_void_star& input_items,
                                    gr_vector_void_star&)
{
    std::lock_guard<std::mutex> lock(d_mutex);
    start_run_if_needed();
    if (d_zero_copy)
        return work_zero_copy(ninput_items[0]);
    return work_copy(ninput_items[0], input_items[0]);
}

template class pipe_sink<gr_complex>;
template class pipe_sink<float>;
template class pipe_sink<std::int32_t>;
template class pipe_sink<std::int16_t>;
template class pipe_sink<std::uint8_t>;

} // namespace roundpipers
} // namespace gr
