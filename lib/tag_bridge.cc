/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "tag_bridge.h"
#include <gnuradio/block_detail.h>
#include <gnuradio/tags.h>
#include <pmt/pmt.h>
#include <roundpipers/pipe_error.h>
#include <algorithm>
#include <iterator>
#include <vector>

namespace gr {
namespace roundpipers {

namespace rp = ::roundpipers;

namespace {

/*!
 * Walks \p bytes as pmt::serialize_str writes them, without building anything: every
 * count must fit in the bytes that are left. Bytes from another process may declare a
 * vector of 2^32 items in 5 bytes; pmt::deserialize_str would allocate it first.
 */
class pmt_bytes_check
{
public:
    explicit pmt_bytes_check(const std::string& bytes)
        : d_at(reinterpret_cast<const unsigned char*>(bytes.data())), d_end(d_at + bytes.size())
    {
    }

    /*! True when the bytes are exactly one well-formed serialised PMT. */
    bool whole() { return one(0) && d_at == d_end; }

private:
    static constexpr int max_depth = 64;

    bool take(std::size_t n)
    {
        if (std::size_t(d_end - d_at) < n)
            return false;
        d_at += n;
        return true;
    }
    bool count(std::uint64_t& n, std::size_t bytes)
    {
        if (std::size_t(d_end - d_at) < bytes)
            return false;
        n = 0;
        for (std::size_t i = 0; i < bytes; ++i)
            n = (n << 8) | *d_at++;
        return true;
    }
    bool one(int depth)
    {
        // Pairs (lists) and dicts continue in their second part: a loop, not recursion.
        for (;;) {
            if (depth > max_depth || d_at == d_end)
                return false;
            const unsigned char type = *d_at++;
            std::uint64_t n = 0;
            switch (type) {
            case 0x00: // true
            case 0x01: // false
            case 0x06: // null
                return true;
            case 0x02: // symbol: u16 length, bytes
                return count(n, 2) && take(n);
            case 0x03: // int32
                return take(4);
            case 0x04: // double
            case 0x0b: // uint64
            case 0x0d: // int64
                return take(8);
            case 0x05: // complex
                return take(16);
            case 0x07: // pair: car, cdr
            case 0x09: // dict: an entry, then the rest of the dict
                if (!one(depth + 1))
                    return false;
                continue;
            case 0x08: // vector: u32 count, items
            case 0x0c: // tuple
                if (!count(n, 4) || n > std::uint64_t(d_end - d_at))
                    return false; // each item takes at least one byte
                for (std::uint64_t i = 0; i < n; ++i)
                    if (!one(depth + 1))
                        return false;
                return true;
            case 0x0a: { // uniform vector: subtype, u32 count, u8 pad count, pad, items
                static constexpr std::size_t item_bytes[] = { 1, 1, 2, 2, 4, 4, 8, 8, 4, 8, 8, 16 };
                std::uint64_t sub = 0, pad = 0;
                if (!count(sub, 1) || (sub & 0x7f) >= std::size(item_bytes) || !count(n, 4) ||
                    !count(pad, 1) || !take(pad))
                    return false;
                return n <= std::uint64_t(d_end - d_at) / item_bytes[sub & 0x7f] &&
                       take(n * item_bytes[sub & 0x7f]);
            }
            default:
                return false;
            }
        }
    }

    const unsigned char* d_at;
    const unsigned char* d_end;
};

} // namespace

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
        pmt::pmt_t value;
        if (pmt_bytes_check(t.value).whole()) {
            try {
                value = pmt::deserialize_str(t.value);
                // What does not serialise back to the same bytes was not a PMT.
                if (pmt::serialize_str(value) != t.value)
                    value = nullptr;
            } catch (const std::exception&) {
                value = nullptr;
            }
        }
        if (!value)
            value = pmt::make_blob(t.value.data(), t.value.size());
        gr::tag_t st;
        st.offset = first_item + (t.frame - first_frame);
        st.key = pmt::string_to_symbol(t.key);
        st.value = value;
        st.srcid = blk.alias_pmt();
        blk.detail()->add_item_tag(0, st);
    }
}

} // namespace roundpipers
} // namespace gr
