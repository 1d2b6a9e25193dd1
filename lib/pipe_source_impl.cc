/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "pipe_source_impl.h"
#include "block_helpers.h"
#include "tag_bridge.h"
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
typename pipe_source<T>::sptr pipe_source<T>::make(const std::string& pipe_name,
                                                   const std::vector<std::size_t>& shape,
                                                   std::size_t capacity_frames,
                                                   bool lossy,
                                                   bool shared)
{
    return gnuradio::make_block_sptr<pipe_source_impl<T>>(
        pipe_name, shape, capacity_frames, lossy, shared);
}

template <class T>
pipe_source_impl<T>::pipe_source_impl(const std::string& pipe_name,
                                      const std::vector<std::size_t>& shape,
                                      std::size_t capacity_frames,
                                      bool lossy,
                                      bool shared)
    : gr::sync_block("pipe_source",
                     gr::io_signature::make(0, 0, 0),
                     gr::io_signature::make(
                         1,
                         1,
                         static_cast<int>(frame_item_bytes(
                             "pipe_source '" + pipe_name + "'", shape, sizeof(T))),
                         pipe_buffer::type)),
      d_pipe_name(pipe_name),
      d_shape(shape),
      d_lossy(lossy),
      d_frame_bytes(frame_item_bytes("pipe_source '" + pipe_name + "'", shape, sizeof(T))),
      d_capacity_frames(gr_capacity("pipe_source '" + pipe_name + "'", capacity_frames)),
      d_options(pipe_options_for(shared)),
      d_pipe(rp::registry::open<T>(pipe_name, d_capacity_frames, shape, d_options))
{
    open_reader();
}

template <class T>
void pipe_source_impl<T>::open_reader()
{
    // Read from now on: frames written before the flowgraph starts wait in the pipe
    // (a blocking source holds the writer back until the flowgraph reads them).
    rp::reader_options options;
    options.lossy = d_lossy;
    d_reader.reset(); // the old stream's slot is freed first
    d_reader.emplace(d_pipe->core(), options);
    // Its position moves when downstream blocks finish frames (release_consumed_frames),
    // also while work() waits for the writer: an outside writer waiting for room then
    // is no mutual wait.
    d_reader->set_moves_while_waiting(true);
    d_start_frame = d_reader->state().consumed;
}

template <class T>
void pipe_source_impl<T>::renew_pipe_if_drained()
{
    auto& core = *d_pipe->core();
    if (!core.is_closed() || d_reader->state().consumed < core.written())
        return; // the stream goes on (or its tail is still to read) in the next run
    d_lost_earlier += d_reader->state().lost; // frames_lost() counts every stream
    d_pipe = rp::registry::open_for_writing<T>(d_pipe_name, d_capacity_frames, d_shape, d_options);
    open_reader();
}

template <class T>
std::shared_ptr<rp::pipe<T>> pipe_source_impl<T>::pipe() const
{
    std::lock_guard<std::mutex> lock(d_mutex);
    return d_pipe;
}

template <class T>
pipe_source_impl<T>::~pipe_source_impl() = default;

template <class T>
edge_binding pipe_source_impl<T>::bind_edge(std::size_t item_bytes)
{
    std::lock_guard<std::mutex> lock(d_mutex);
    if (d_lossy || item_bytes != d_frame_bytes)
        return {}; // a plain memfd edge; frames are copied into it
    // The edge's item 0 is the reader's next frame.
    d_start_frame = d_reader->state().consumed;
    d_bound = true;
    d_zero_copy = true;
    return { d_pipe->core(), d_start_frame };
}

template <class T>
bool pipe_source_impl<T>::start()
{
    std::lock_guard<std::mutex> lock(d_mutex);
    auto out = std::dynamic_pointer_cast<pipe_buffer>(this->detail()->output(0));
    // After lock()/unlock() GNU Radio may keep the edge of the previous run: then the
    // binding of that run (d_start_frame) still holds, with the same reader.
    d_zero_copy = !d_lossy && out && out->pipe() == d_pipe->core();
    if (d_zero_copy && !d_bound) {
        // lock()/unlock() kept the edge of the previous run and GNU Radio reset its item
        // counters: item 0 is now the reader's next frame.
        d_start_frame = d_reader->state().consumed;
        out->realign(d_start_frame);
    }
    if (out && out->pipe() && out->pipe() != d_pipe->core()) {
        // lock()/unlock() kept the edge of a pipe whose stream has since been renewed:
        // copying into it would overwrite frames the old stream's readers still read.
        try {
            out->use_own_memory();
        } catch (const std::exception& e) {
            // start() runs on the block's thread: an exception would hang tb.start().
            this->d_logger->error("pipe '{}': no memory for the edge ({}); the block stops",
                                  d_pipe_name, e.what());
            d_failed = true;
        }
    }
    d_bound = false;
    return gr::sync_block::start();
}

template <class T>
bool pipe_source_impl<T>::stop()
{
    // Keep the reader: a stopped flowgraph keeps its place in the pipe (the writer
    // waits for it, as before a first start). What this run produced counts as
    // delivered: GNU Radio drops the items in flight on its edges when it restarts, and
    // a restart must never deliver a frame twice.
    std::lock_guard<std::mutex> lock(d_mutex);
    if (d_zero_copy) {
        const uint64_t produced = d_start_frame + this->nitems_written(0);
        const uint64_t pos = d_reader->state().consumed;
        if (produced > pos)
            d_reader->consume(static_cast<std::size_t>(produced - pos));
    }
    try {
        renew_pipe_if_drained();
    } catch (const std::exception& e) {
        this->d_logger->error("pipe '{}': the next stream's pipe could not be made ({})",
                              d_pipe_name, e.what());
    }
    return gr::sync_block::stop();
}

template <class T>
uint64_t pipe_source_impl<T>::frames_lost() const
{
    std::lock_guard<std::mutex> lock(d_mutex);
    return d_lost_earlier + d_reader->state().lost;
}

template <class T>
bool pipe_source_impl<T>::zero_copy() const
{
    std::lock_guard<std::mutex> lock(d_mutex);
    return d_zero_copy;
}

template <class T>
bool pipe_source_impl<T>::release_consumed_frames()
{
    // The blocks downstream read the pipe's ring through their gr::buffer_readers; the
    // slowest one (less its history) is how far the pipe reader may advance.
    auto buf = this->detail()->output(0);
    const uint64_t produced = this->nitems_written(0);
    uint64_t min_read = UINT64_MAX;
    bool unread = false;
    {
        gr::thread::scoped_lock guard(*buf->mutex());
        for (std::size_t i = 0; i < buf->nreaders(); ++i) {
            const auto* r = buf->reader(i);
            const uint64_t history = r->link() ? r->link()->history() - 1 : 0;
            const uint64_t read = r->nitems_read();
            min_read = std::min(min_read, read > history ? read - history : 0);
            unread = unread || read < produced;
        }
    }
    if (min_read == UINT64_MAX)
        return false;
    const uint64_t target = d_start_frame + min_read;
    const uint64_t pos = d_reader->state().consumed;
    if (target > pos)
        d_reader->consume(static_cast<std::size_t>(target - pos));
    return unread;
}

template <class T>
int pipe_source_impl<T>::work_zero_copy(int noutput_items)
{
    release_consumed_frames();
    const uint64_t produced = d_start_frame + this->nitems_written(0);
    auto& core = d_reader->pipe();
    uint64_t available = core.written() - produced;
    if (available == 0) {
        if (core.is_closed())
            return core.written() == produced ? gr::block::WORK_DONE : 0;
        // Wait (bounded) until the writer publishes the next frame. The writer may be
        // waiting for room that downstream frees meanwhile, and only this block hands that
        // room back: release it in short slices, or the two would wait for each other
        // until GNU Radio's next poll of this block.
        const auto until = work_deadline();
        while (available == 0 && !core.is_closed() &&
               std::chrono::steady_clock::now() < until) {
            const bool downstream_reading = release_consumed_frames();
            const uint64_t pos = d_reader->state().consumed;
            const std::size_t need = static_cast<std::size_t>(
                std::min<uint64_t>(produced + 1 - pos, core.capacity()));
            // Slices only while downstream still has frames to read and so to hand
            // back; an idle source waits the whole bound in one go.
            const auto slice = downstream_reading
                                   ? std::min(until, rp::deadline_after(release_slice))
                                   : until;
            if (d_reader->get(need, slice).status == rp::read_status::ok)
                d_reader->consume(0);
            available = core.written() - produced;
        }
        if (available == 0)
            return core.is_closed() && core.written() == produced ? gr::block::WORK_DONE : 0;
    }
    // The frames are already in the edge's memory: producing them, with their tags, is
    // the whole job.
    const uint64_t k = std::min<uint64_t>(available, uint64_t(noutput_items));
    add_pipe_tags(*this, d_reader->tags_between(produced, produced + k), produced,
                  this->nitems_written(0));
    return static_cast<int>(k);
}

template <class T>
int pipe_source_impl<T>::work_copy(int noutput_items, void* out)
{
    for (;;) {
        const uint64_t available = d_reader->state().available;
        const std::size_t n = static_cast<std::size_t>(
            std::max<uint64_t>(1, std::min<uint64_t>(available, uint64_t(noutput_items))));
        const auto span = d_reader->get(n, work_deadline());
        switch (span.status) {
        case rp::read_status::ok: {
            std::memcpy(out, span.data, n * d_frame_bytes);
            // Overwritten while copied: the copy is torn, drop it (counted as lost).
            if (d_reader->consume(n) == rp::read_status::overrun)
                continue;
            add_pipe_tags(*this, *span.tags, span.state.consumed, this->nitems_written(0));
            return static_cast<int>(n);
        }
        case rp::read_status::overrun:           // lapped: resumed at the oldest frame
        case rp::read_status::insufficient_data: // closed: take the shorter tail
            continue;
        case rp::read_status::end_of_stream:
            return gr::block::WORK_DONE;
        case rp::read_status::timeout:
            return 0;
        }
    }
}

template <class T>
int pipe_source_impl<T>::work(int noutput_items,
                              gr_vector_const_void_star&,
                              gr_vector_void_star& output_items)
{
    std::lock_guard<std::mutex> lock(d_mutex);
    if (d_failed)
        return gr::block::WORK_DONE;
    if (d_zero_copy)
        return work_zero_copy(noutput_items);
    return work_copy(noutput_items, output_items[0]);
}

template class pipe_source<gr_complex>;
template class pipe_source<float>;
template class pipe_source<std::int32_t>;
template class pipe_source<std::int16_t>;
template class pipe_source<std::uint8_t>;

} // namespace roundpipers
} // namespace gr
