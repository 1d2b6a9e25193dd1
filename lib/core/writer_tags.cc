/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The writer's side of the tag area: tags wait in the writer's own memory until their
 * frames are published, then move into the shared area in frame order, before
 * `written` moves. Room for them is counted when they are added, so publish() never
 * waits. See docs/design.md (stream tags).
 */

#include "control_region.h"
#include "tag_area.h"
#include <roundpipers/pipe_error.h>
#include <roundpipers/writer_core.h>
#include <algorithm>

namespace roundpipers {

namespace {

std::string shown_key(const std::string& key)
{
    return key.size() <= 40 ? "'" + key + "'" : "'" + key.substr(0, 40) + "...'";
}

} // namespace

void writer_core::adopt_tag_counters()
{
    auto& ctl = d_pipe->ctl();
    const auto area = d_pipe->tags();
    // acquire: the entries and bytes an earlier writer published are visible
    d_tags.published = ctl.written.tags.load(std::memory_order_acquire);
    d_tags.tail = ctl.tag_tail.entries.load(std::memory_order_acquire);
    d_tags.frame_end = ctl.tag_tail.frame_end.load(std::memory_order_relaxed);
    auto bad = [&](const std::string& what) {
        throw pipe_error(errc::corrupted,
                         "pipe '" + d_pipe->name() + "': its tag area " + what +
                             " (another process wrote over the shared control region)");
    };
    if (d_tags.tail > d_tags.published || d_tags.published - d_tags.tail > area.capacity())
        bad("keeps entries " + std::to_string(d_tags.tail) + " to " +
            std::to_string(d_tags.published) + ", more than its " +
            std::to_string(area.capacity()));
    if (d_tags.tail == d_tags.published)
        return; // nothing kept: the byte ring starts afresh
    const auto& last = area.entry(d_tags.published - 1);
    d_tags.byte_tail = area.entry(d_tags.tail).bytes_at.load(std::memory_order_relaxed);
    d_tags.byte_head = last.bytes_at.load(std::memory_order_relaxed) +
                       last.key_bytes.load(std::memory_order_relaxed) +
                       last.value_bytes.load(std::memory_order_relaxed);
    if (d_tags.byte_head < d_tags.byte_tail ||
        d_tags.byte_head - d_tags.byte_tail > area.byte_capacity())
        bad("holds bytes " + std::to_string(d_tags.byte_tail) + " to " +
            std::to_string(d_tags.byte_head) + ", more than its " +
            std::to_string(area.byte_capacity()));
}

read_status writer_core::add_tag(std::uint64_t frame,
                                 const std::string& key,
                                 const std::string& value,
                                 deadline until)
{
    check_valid("add_tag");
    // The name is spelled out only on the way to an error: a tag costs no allocation.
    auto who = [&] { return "pipe '" + d_pipe->name() + "'"; };
    if (d_closed)
        throw pipe_error(errc::closed, who() + ": cannot add a tag after close()");
    if (key.empty() || key.size() > max_tag_key_bytes)
        throw pipe_error(errc::invalid_argument,
                         who() + ": a tag key must be 1 to " + std::to_string(max_tag_key_bytes) +
                             " bytes (got " + std::to_string(key.size()) + " bytes" +
                             (key.empty() ? std::string() : ": " + shown_key(key)) + ")");
    if (value.size() > max_tag_value_bytes)
        throw pipe_error(errc::invalid_argument,
                         who() + ": the value of tag " + shown_key(key) + " has " +
                             std::to_string(value.size()) + " bytes, more than the " +
                             std::to_string(max_tag_value_bytes) + " a tag may carry");
    if (frame < d_written)
        throw pipe_error(errc::invalid_argument,
                         who() + ": tag " + shown_key(key) + " is for frame " +
                             std::to_string(frame) + ", which is already published (" +
                             std::to_string(d_written) +
                             " frames are); tag a frame at or after " +
                             std::to_string(d_written) + " before publishing it");
    throw_if_closed_by_peer();
    const read_status st = make_tag_room(key.size() + value.size(), until);
    if (st != read_status::ok)
        return st;
    // A tag object from the spares keeps its strings' buffers: no allocation once the
    // stream runs.
    tag t;
    if (!d_tags.spares.empty()) {
        t = std::move(d_tags.spares.back());
        d_tags.spares.pop_back();
    }
    t.frame = frame;
    t.key.assign(key);
    t.value.assign(value);
    auto at = std::upper_bound(d_tags.pending.begin(), d_tags.pending.end(), frame,
                               [](std::uint64_t f, const tag& g) { return f < g.frame; });
    d_tags.pending.insert(at, std::move(t));
    d_tags.pending_bytes += key.size() + value.size();
    return read_status::ok;
}

read_status writer_core::make_tag_room(std::size_t bytes, deadline until)
{
    const auto area = d_pipe->tags();
    auto& t = d_tags;
    if (t.pending.size() + 1 > area.capacity() ||
        t.pending_bytes + bytes > area.byte_capacity())
        throw pipe_error(errc::invalid_argument,
                         "pipe '" + d_pipe->name() + "': " +
                             std::to_string(t.pending.size() + 1) + " tags (" +
                             std::to_string(t.pending_bytes + bytes) +
                             " bytes) would wait for frames not yet published, more than the "
                             "tag area holds (" + std::to_string(area.capacity()) + " tags, " +
                             std::to_string(area.byte_capacity()) +
                             " bytes): publish their frames first, or raise "
                             "pipe_options::tag_capacity");
    auto fits = [&] {
        return (t.published - t.tail) + t.pending.size() + 1 <= area.capacity() &&
               (t.byte_head - t.byte_tail) + t.pending_bytes + bytes <= area.byte_capacity();
    };
    if (fits())
        return read_status::ok;
    auto& ctl = d_pipe->ctl();
    const std::uint64_t old_tail = t.tail;
    auto store_tail = [&] {
        if (t.tail == old_tail)
            return;
        // frame_end first, then the tail with release: a reader that sees the new tail
        // sees its frame bound. The release fence orders both before the entry and byte
        // stores that will reuse the freed room, so a reader that read an entry while it
        // was replaced sees the new tail afterwards (acquire fence) and drops what it read.
        ctl.tag_tail.frame_end.store(t.frame_end, std::memory_order_relaxed);
        ctl.tag_tail.entries.store(t.tail, std::memory_order_release);
        std::atomic_thread_fence(std::memory_order_release);
    };
    refresh_limit();
    while (!fits()) {
        // The pending tags alone fit (checked above), so some published entry is kept.
        const std::uint64_t frame = area.entry(t.tail).frame.load(std::memory_order_relaxed);
        if (frame >= d_written)
            throw pipe_error(errc::corrupted,
                             "pipe '" + d_pipe->name() + "': its tag entry " +
                                 std::to_string(t.tail) + " is for frame " +
                                 std::to_string(frame) + ", which was never published (" +
                                 std::to_string(d_written) +
                                 " frames were); another process wrote over the shared "
                                 "control region");
        if (d_slowest == UINT64_MAX || frame < d_slowest) {
            // No blocking reader needs it any more: free it (lossy readers that did not
            // read it yet lose it, and count it).
            t.frame_end = std::max(t.frame_end, frame + 1);
            ++t.tail;
            const std::uint64_t next =
                t.tail == t.published ? t.byte_head
                                      : area.entry(t.tail).bytes_at.load(std::memory_order_relaxed);
            // Positions from shared memory are clamped: the counts stay consistent
            // whatever a peer wrote there.
            t.byte_tail = std::clamp(next, t.byte_tail, t.byte_head);
            continue;
        }
        store_tail();
        // Mutual waits are looked for even for a bridge: while it waits here for tag
        // room it publishes nothing by any other path.
        switch (wait_for_readers(frame + 1, until, true)) {
        case wait_outcome::ready:
            continue;
        case wait_outcome::timeout:
            return read_status::timeout;
        case wait_outcome::closed_by_peer:
            throw_if_closed_by_peer();
            break;
        case wait_outcome::mutual:
            throw pipe_error(errc::mutual_wait,
                             "pipe '" + d_pipe->name() +
                                 "': mutual_wait: the tag area is full (" +
                                 std::to_string(area.capacity()) + " tags, " +
                                 std::to_string(area.byte_capacity()) +
                                 " bytes) and its oldest tag, on frame " +
                                 std::to_string(frame) +
                                 ", is held by a blocking reader that waits for frames not "
                                 "yet published: raise pipe_options::tag_capacity, or read "
                                 "fewer frames at a time");
        }
    }
    store_tail();
    return read_status::ok;
}

void writer_core::publish_tags()
{
    const auto area = d_pipe->tags();
    auto& t = d_tags;
    std::size_t k = 0;
    for (; k < t.pending.size() && t.pending[k].frame < d_written; ++k) {
        const tag& g = t.pending[k];
        // relaxed stores: published by the release store of the count below
        auto& e = area.entry(t.published);
        e.frame.store(g.frame, std::memory_order_relaxed);
        e.bytes_at.store(t.byte_head, std::memory_order_relaxed);
        e.key_bytes.store(static_cast<std::uint32_t>(g.key.size()), std::memory_order_relaxed);
        e.value_bytes.store(static_cast<std::uint32_t>(g.value.size()),
                            std::memory_order_relaxed);
        area.write_bytes(t.byte_head, g.key);
        area.write_bytes(t.byte_head + g.key.size(), g.value);
        t.byte_head += g.key.size() + g.value.size();
        t.pending_bytes -= g.key.size() + g.value.size();
        ++t.published;
    }
    if (k == 0)
        return;
    for (std::size_t i = 0; i < k; ++i)
        t.spares.push_back(std::move(t.pending[i]));
    t.pending.erase(t.pending.begin(), t.pending.begin() + static_cast<std::ptrdiff_t>(k));
    // release: a reader that sees the count sees the entries and bytes before it
    d_pipe->ctl().written.tags.store(t.published, std::memory_order_release);
}

void writer_core::drop_pending_tags()
{
    drop_pending_tags(0, UINT64_MAX);
}

void writer_core::drop_pending_tags(std::uint64_t begin, std::uint64_t end)
{
    auto& t = d_tags;
    for (auto it = t.pending.begin(); it != t.pending.end();) {
        if (it->frame >= begin && it->frame < end) {
            t.pending_bytes -= it->key.size() + it->value.size();
            t.spares.push_back(std::move(*it));
            it = t.pending.erase(it);
        } else {
            ++it;
        }
    }
}

bool writer_core::pending_tag_fits(std::size_t bytes) const
{
    check_valid("pending_tag_fits");
    const auto area = d_pipe->tags();
    return d_tags.pending.size() + 1 <= area.capacity() &&
           d_tags.pending_bytes + bytes <= area.byte_capacity();
}

} // namespace roundpipers
