/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gnuradio/block.h>
#include <gnuradio/block_detail.h>
#include <gnuradio/buffer_reader.h>
#include <gnuradio/roundpipers/pipe_buffer.h>
#include "block_helpers.h"
#include <algorithm>
#include <climits>
#include <stdexcept>
#include <string>

namespace gr {
namespace roundpipers {

gr::buffer_type pipe_buffer::type(gr::buftype<pipe_buffer, pipe_buffer>{});

gr::buffer_sptr pipe_buffer::make_buffer(int nitems,
                                         std::size_t sizeof_item,
                                         uint64_t downstream_lcm_nitems,
                                         uint32_t downstream_max_out_mult,
                                         gr::block_sptr link,
                                         gr::block_sptr buf_owner)
{
    edge_binding binding;
    // buf_owner is the consumer when GNU Radio replaces a default upstream buffer for a
    // consumer that declares this type on its input (pipe_sink); otherwise the writer.
    const gr::block_sptr owner = buf_owner ? buf_owner : link;
    if (auto* endpoint = dynamic_cast<pipe_endpoint*>(owner.get())) {
        if (link && owner != link)
            check_no_orphaned_readers(link, owner, sizeof_item);
        binding = endpoint->bind_edge(sizeof_item);
        if (binding.pipe && link && owner == link)
            check_room_for_readers(nitems, sizeof_item, *link, *binding.pipe);
    }
    // The constructor is private: make_shared cannot reach it.
    return gr::buffer_sptr(new pipe_buffer(nitems,
                                           sizeof_item,
                                           downstream_lcm_nitems,
                                           downstream_max_out_mult,
                                           link,
                                           binding,
                                           owner == link));
}

void pipe_buffer::check_room_for_readers(int nitems,
                                         std::size_t sizeof_item,
                                         gr::block& writer,
                                         const ::roundpipers::pipe_core& pipe)
{
    // GNU Radio sizes an edge to twice what its hungriest downstream block reads at once
    // (decimation x output multiple + history) when that is more than its default of
    // 64 KiB (flat_flowgraph::allocate_buffer). So a larger request says that a block
    // downstream needs nitems / 2 frames at once, which a pipe's ring must hold too: it
    // would wait for them for ever and the flowgraph end with no output. A minimum
    // output buffer set on the block also raises the request: then nothing can be told.
    if (writer.min_output_buffer(0) > 0)
        return;
    const std::size_t default_items =
        std::max<std::size_t>(65536 / sizeof_item, 2 * std::size_t(std::max(1, writer.output_multiple())));
    const std::size_t needed = (std::size_t(std::max(nitems, 0)) + 1) / 2;
    if (std::size_t(std::max(nitems, 0)) <= default_items || pipe.capacity() >= needed)
        return;
    throw std::invalid_argument(
        "block '" + writer.alias() + "': pipe '" + pipe.name() + "' holds " +
        std::to_string(pipe.capacity()) + " frames, but a block after it reads " +
        std::to_string(needed) +
        " frames at once (its decimation times its output multiple, plus its history): give "
        "the pipe a capacity of at least " + std::to_string(needed) + " frames");
}

void pipe_buffer::check_no_orphaned_readers(const gr::block_sptr& producer,
                                            const gr::block_sptr& consumer,
                                            std::size_t sizeof_item)
{
    // GNU Radio 3.10.5 replaces the producer's output buffer even when other consumers
    // already read it; they would be left on the old buffer and the flowgraph would
    // hang. It does not say which output it replaces: any output of this item size may
    // be the one. When one of them has no reader yet, it may be ours (a block with two
    // outputs, one to a stock block, one to this consumer, is fine); when every one has
    // readers, the replacement orphans some.
    auto detail = producer->detail();
    if (!detail)
        return;
    int candidates = 0;
    int with_readers = 0;
    bool another_pipe = false;
    for (int i = 0; i < detail->noutputs(); ++i) {
        auto out = detail->output(i);
        if (!out || std::size_t(out->get_sizeof_item()) != sizeof_item)
            continue;
        ++candidates;
        if (out->nreaders() > 0) {
            ++with_readers;
            another_pipe = another_pipe || std::dynamic_pointer_cast<pipe_buffer>(out) != nullptr;
        }
    }
    if (candidates == 0 || with_readers < candidates)
        return;
    if (another_pipe)
        throw std::runtime_error(
            "block '" + consumer->alias() + "' and another block with its own buffer (a "
            "second Pipe Sink?) read the same output of block '" + producer->alias() +
            "': GNU Radio 3.10.5 gives one output one buffer, so one of them would get no "
            "frame. Put a blocks.copy in front of one of them.");
    throw std::runtime_error(
        "block '" + consumer->alias() + "' cannot share the output of block '" +
        producer->alias() +
        "' with other blocks: GNU Radio 3.10.5 cannot give one output to stock blocks and "
        "to a block with its own buffer type (the others would hang, or the flowgraph "
        "fails to start with a transfer-type error). Put a blocks.copy in front of it, or "
        "give it its own branch.");
}

pipe_buffer::pipe_buffer(int nitems,
                         std::size_t sizeof_item,
                         uint64_t downstream_lcm_nitems,
                         uint32_t downstream_max_out_mult,
                         gr::block_sptr link,
                         const edge_binding& binding,
                         bool any_reader)
    : gr::buffer(gr::buffer_mapping_type::double_mapped,
                 nitems,
                 sizeof_item,
                 downstream_lcm_nitems,
                 downstream_max_out_mult,
                 link),
      d_pipe(binding.pipe),
      d_any_reader(any_reader)
{
    const std::string who =
        std::string("pipe_buffer") + (link ? " of block '" + link->alias() + "'" : "");
    if (d_pipe) {
        if (d_pipe->frame_bytes() != sizeof_item)
            throw std::invalid_argument(who + ": items of " + std::to_string(sizeof_item) +
                                        " bytes cannot live in pipe '" + d_pipe->name() +
                                        "' of " + std::to_string(d_pipe->frame_bytes()) +
                                        "-byte frames");
        if (d_pipe->capacity() > std::size_t(INT_MAX / 2))
            throw std::invalid_argument(who + ": pipe '" + d_pipe->name() + "' holds " +
                                        std::to_string(d_pipe->capacity()) +
                                        " frames, more than GNU Radio can index");
        // GNU Radio shows a reader at most bufsize - 1 items. A downstream block that
        // works on more at once (its output multiple, e.g. VOLK alignment) could never
        // run: GNU Radio would stop it with an error and the flowgraph would end empty.
        if (downstream_max_out_mult > 0 &&
            d_pipe->capacity() <= std::size_t(downstream_max_out_mult))
            throw std::invalid_argument(
                who + ": pipe '" + d_pipe->name() + "' holds " +
                std::to_string(d_pipe->capacity()) + " frames, but a block downstream "
                "works on " + std::to_string(downstream_max_out_mult) +
                " items at a time (its output multiple) and GNU Radio shows it at most " +
                std::to_string(d_pipe->capacity() - 1) + ": give the pipe a capacity of at least " +
                std::to_string(downstream_max_out_mult + 1) + " frames");
        // GNU Radio lets the writing block fill at most half its buffer at once, in whole
        // output multiples (block_executor's min_available_space): a block that needs
        // more could never run, and GNU Radio would end its thread ("Buffer too small
        // for min_noutput_items") with the flowgraph hung.
        if (link) {
            const std::size_t need = frames_upstream_needs(*link);
            const std::size_t multiple = std::size_t(std::max(1, link->output_multiple()));
            if (d_pipe->capacity() / 2 / multiple * multiple < need)
                throw std::invalid_argument(
                    who + ": pipe '" + d_pipe->name() + "' holds " +
                    std::to_string(d_pipe->capacity()) + " frames, but the block writes " +
                    std::to_string(need) +
                    " frames at a time (its output multiple or minimum output) and GNU Radio "
                    "lets a block fill at most half its buffer at once: give the pipe a "
                    "capacity of at least " + std::to_string(2 * need) + " frames");
        }
        d_base = reinterpret_cast<char*>(d_pipe->ring().data());
        d_bufsize = static_cast<unsigned>(d_pipe->capacity());
        // The edge's item k is the pipe's frame start_frame + k: same ring slot.
        realign(binding.start_frame);
        return;
    }
    const std::size_t min_bytes = std::size_t(nitems > 0 ? nitems : 1) * sizeof_item;
    const std::size_t bytes = ::roundpipers::memfd_ring::ring_bytes_for(min_bytes, sizeof_item, who);
    if (bytes / sizeof_item > std::size_t(INT_MAX / 2))
        throw std::invalid_argument(who + ": " + std::to_string(bytes / sizeof_item) +
                                    " items are more than GNU Radio can index");
    d_ring.emplace("roundpipers:gr_edge", bytes, 0, true);
    d_base = reinterpret_cast<char*>(d_ring->data());
    d_bufsize = static_cast<unsigned>(bytes / sizeof_item);
}

pipe_buffer::~pipe_buffer() = default;

int pipe_buffer::fd() const
{
    std::lock_guard<std::mutex> lock(d_pipe_mutex);
    return d_pipe ? d_pipe->ring().fd() : d_ring->fd();
}

std::shared_ptr<::roundpipers::pipe_core> pipe_buffer::pipe() const
{
    std::lock_guard<std::mutex> lock(d_pipe_mutex);
    return d_pipe;
}

void pipe_buffer::realign(std::uint64_t start_frame)
{
    // Index d_write_index must land on the slot of start_frame.
    const uint64_t slot = start_frame % d_bufsize;
    d_slot_offset = static_cast<unsigned>((slot + d_bufsize - d_write_index) % d_bufsize);
}

void pipe_buffer::use_own_memory()
{
    std::lock_guard<std::mutex> lock(d_pipe_mutex);
    if (!d_pipe)
        return;
    // The pipe's ring is capacity * frame_bytes: already a valid ring size, so the
    // item count (and every reader's index into it) stays as GNU Radio set it up. Not
    // prefaulted: fresh pages read as zeros either way.
    d_ring.emplace("roundpipers:gr_edge", std::size_t(d_bufsize) * d_sizeof_item, 0, false);
    d_base = reinterpret_cast<char*>(d_ring->data());
    d_pipe.reset();
}

void* pipe_buffer::write_pointer()
{
    return d_base + std::size_t(index_add(d_write_index, d_slot_offset)) * d_sizeof_item;
}

const void* pipe_buffer::_read_pointer(unsigned int read_index)
{
    return d_base + std::size_t(index_add(read_index, d_slot_offset)) * d_sizeof_item;
}

int pipe_buffer::space_available()
{
    // Called by the writer's thread with the buffer mutex held, as for GNU Radio's own
    // double-mapped buffer: free space is bufsize - 1 - the largest reader backlog, and
    // tags are pruned here once every reader has passed them.
    if (d_readers.empty())
        return static_cast<int>(d_bufsize) - 1;
    int most_data = d_readers[0]->items_available();
    uint64_t min_items_read = d_readers[0]->nitems_read();
    for (std::size_t i = 1; i < d_readers.size(); ++i) {
        most_data = std::max(most_data, d_readers[i]->items_available());
        min_items_read = std::min(min_items_read, d_readers[i]->nitems_read());
    }
    if (min_items_read != d_last_min_items_read) {
        prune_tags(d_last_min_items_read);
        d_last_min_items_read = min_items_read;
    }
    return static_cast<int>(d_bufsize) - most_data - 1;
}

void pipe_buffer::post_work(int) {}

unsigned pipe_buffer::index_add(unsigned a, unsigned b)
{
    unsigned s = a + b;
    if (s >= d_bufsize)
        s -= d_bufsize;
    return s;
}

unsigned pipe_buffer::index_sub(unsigned a, unsigned b)
{
    // GNU Radio 3.10.5 labels a buffer with one transfer type, set for each reader as
    // flat_flowgraph connects it, and refuses a second label (a pipe_source read by a
    // stock block, DEVICE_TO_HOST, and by a pipe_sink, DEVICE_TO_DEVICE). The label
    // selects device copies that a pipe_buffer never makes: it is host memory for every
    // reader. buffer_add_reader calls index_sub right after each label, so forgetting it
    // here lets every kind of reader share a writer's edge. Written only while the
    // flowgraph is being connected (the label is then set); afterwards this is a read.
    // Not for a sink's replacement of its upstream buffer: there GNU Radio may have left
    // a stock reader on the old buffer, and its refusal is what stops that hang.
    if (d_any_reader && d_transfer_type != gr::transfer_type::DEFAULT_INVALID) {
        d_transfer_type = gr::transfer_type::DEFAULT_INVALID;
        // This call is buffer_add_reader's: b is the new reader's history - 1. Items
        // before the first must read as zeros, as on a plain edge; in the pipe's ring
        // those slots may hold frames written ahead. Decided here, in the thread of
        // tb.start(), before any block thread runs (a failure is tb.start()'s error).
        if (b > 0)
            use_own_memory();
    }
    // b may exceed a: readers start history - 1 items behind the write index.
    const int s = static_cast<int>(a) - static_cast<int>(b);
    return s < 0 ? static_cast<unsigned>(s + static_cast<int>(d_bufsize))
                 : static_cast<unsigned>(s);
}

} // namespace roundpipers
} // namespace gr
