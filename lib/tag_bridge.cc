/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "tag_bridge.h"
#include <gnuradio/roundpipers/tag_values.h>
#include <gnuradio/block_detail.h>
#include <gnuradio/tags.h>
#include <pmt/pmt.h>
#include <roundpipers/pipe_error.h>
#include <algorithm>
#include <vector>

namespace gr {
namespace roundpipers {

namespace rp = ::roundpipers;


void stream_tag_queue::restart(uint64_t first_item, uint64_t first_frame)
{
    d_queue.clear();
    d_fetched_until = first_item;
    d_first_item = first_item;
    d_first_frame = first_frame;
}

void stream_tag_queue::fetch(gr::block& blk, uint64_t end_item, const gr::logger_ptr& logger)
{
    if (end_item <= d_fetched_until)
        return;
    std::vector<gr::tag_t> tags;
    blk.detail()->get_tags_in_range(tags, 0, d_fetched_until, end_item, blk.unique_id());
    // GNU Radio keeps a buffer's tags ordered by offset; sort anyway (stable), since
    // the writer publishes them in frame order whatever order it gets them in.
    std::stable_sort(tags.begin(), tags.end(), gr::tag_t::offset_compare);
    for (const auto& t : tags) {
        rp::tag pt;
        pt.frame = d_first_frame + (t.offset - d_first_item);
        pt.key = pmt::is_symbol(t.key) ? pmt::symbol_to_string(t.key) : pmt::write_string(t.key);
        std::string why;
        if (pt.key.empty() || pt.key.size() > rp::max_tag_key_bytes)
            why = "its key has " + std::to_string(pt.key.size()) + " bytes (a pipe tag key has 1 to " +
                  std::to_string(rp::max_tag_key_bytes) + ")";
        if (why.empty()) {
            try {
                pt.value = pmt::serialize_str(t.value);
            } catch (const std::exception& e) {
                why = std::string("its value cannot be serialised (") + e.what() + ")";
            }
        }
        if (why.empty() && pt.value.size() > rp::max_tag_value_bytes)
            why = "its serialised value has " + std::to_string(pt.value.size()) +
                  " bytes (a pipe tag value has at most " +
                  std::to_string(rp::max_tag_value_bytes) + ")";
        if (!why.empty()) {
            logger->error("stream tag '{}' at item {} is not carried into pipe: {}",
                                pt.key.substr(0, 64), t.offset, why);
            continue;
        }
        d_queue.push_back({ t.offset, std::move(pt) });
    }
    d_fetched_until = end_item;
}

uint64_t stream_tag_queue::hand_over(rp::writer_core& writer,
                                     uint64_t end_item,
                                     uint64_t next_item,
                                     rp::deadline until,
                                     const gr::logger_ptr& logger)
{
    while (!d_queue.empty() && d_queue.front().item < end_item) {
        const auto& q = d_queue.front();
        if (!writer.pending_tag_fits(q.tag.key.size() + q.tag.value.size())) {
            if (q.item > next_item)
                return q.item; // publish the frames before it: their tags then go out
            // More tags on one frame than the whole tag area holds: it can never go.
            logger->error("stream tag '{}' at item {} dropped: its frame has more tags "
                          "than the pipe's tag area holds (raise tag_capacity)",
                          q.tag.key, q.item);
            d_queue.pop_front();
            continue;
        }
        // Only the tag of the next frame to publish waits: a later one first lets the
        // frames before it go out (a reader may be waiting for them).
        const rp::deadline wait = q.item == next_item ? until : rp::no_wait;
        try {
            if (writer.add_tag(q.tag.frame, q.tag.key, q.tag.value, wait) !=
                rp::read_status::ok)
                return q.item;
        } catch (const rp::pipe_error& e) {
            if (e.code() != rp::errc::mutual_wait)
                throw;
            logger->error("stream tag '{}' at item {} dropped: {}", q.tag.key, q.item, e.what());
        }
        d_queue.pop_front();
    }
    return end_item;
}

void add_pipe_tags(gr::block& blk,
                   const rp::tag_list& tags,
                   uint64_t first_frame,
                   uint64_t first_item)
{
    for (const auto& t : tags) {
        gr::tag_t st;
        st.offset = first_item + (t.frame - first_frame);
        st.key = pmt::string_to_symbol(t.key);
        st.value = tag_value_to_pmt(t.value);
        st.srcid = blk.alias_pmt();
        blk.detail()->add_item_tag(0, st);
    }
}

} // namespace roundpipers
} // namespace gr
