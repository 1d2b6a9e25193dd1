/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The reader's side of the tag area. Every value read from it may come from another
 * process: counts are checked, lengths bounded, positions wrapped, and entries the
 * writer replaced while they were read are detected afterwards through the tail and
 * read again. See docs/design.md (stream tags).
 */

#include "control_region.h"
#include "tag_area.h"
#include <roundpipers/pipe_error.h>
#include <roundpipers/reader_core.h>
#include <algorithm>
#include <atomic>

namespace roundpipers {

namespace {
// Reads of a window that the writer laps (lossy readers only) before the window's tags
// are given up; each lap moves the tail on, so one more look usually succeeds.
constexpr int tag_read_attempts = 4;
} // namespace

void reader_core::refresh_tag_count() noexcept
{
    // acquire: pairs with the writer's release store of the count; the caller loaded
    // `written` before, so every tag of a frame before that count is in this one. A
    // count that goes back (only a hostile peer stores one) is ignored: it must not
    // throw from inside a wait, and passing no new tags is harmless.
    const std::uint64_t t = d_pipe->ctl().written.tags.load(std::memory_order_acquire);
    d_tag.cached = std::max(d_tag.cached, t);
}

void reader_core::pass_freed_tags()
{
    auto& tail_line = d_pipe->ctl().tag_tail;
    // acquire: pairs with the writer's release store of the tail after its frame bound
    const std::uint64_t tail = tail_line.entries.load(std::memory_order_acquire);
    if (tail <= d_tag.pos)
        return;
    // Freed entries are of frames before frame_end: a reader already there skipped
    // them anyway; one that is not (a lapped lossy reader) lost them, as it did those
    // of frames it lost to a lap and had not passed yet.
    const std::uint64_t horizon = d_tag.lost_frames_end > d_tag.lost_frames_begin
                                      ? std::min(d_pos, d_tag.lost_frames_begin)
                                      : d_pos;
    if (tail_line.frame_end.load(std::memory_order_relaxed) > horizon)
        d_tag.lost += tail - d_tag.pos;
    d_tag.pos = tail;
}

void reader_core::pass_consumed_tags()
{
    // The tags get() handed out are the entries from d_tag.pos on, in frame order:
    // those of frames now behind the reader are passed at once, so that entries the
    // writer frees later are never mistaken for tags this reader did not get.
    if (!d_tag.follow_pos)
        return;
    d_tag.follow_pos = false;
    for (const auto& t : d_tag.handed_out) {
        if (t.frame >= d_pos)
            break;
        ++d_tag.pos;
    }
}

void reader_core::pass_tags_before(std::uint64_t below)
{
    const auto area = d_pipe->tags();
    while (d_tag.pos < d_tag.cached) {
        const std::uint64_t f = area.entry(d_tag.pos).frame.load(std::memory_order_relaxed);
        if (f >= below)
            break;
        d_tag.lost += lost_to_a_lap(f);
        ++d_tag.pos;
    }
}

void reader_core::lose_tags_before(std::uint64_t below)
{
    d_tag.follow_pos = false;
    // The frames [d_pos, below) are lost: so are their tags, whenever this reader gets
    // to their entries (a tag count loaded after the lap may not show them all yet).
    if (d_tag.lost_frames_end <= d_pos)
        d_tag.lost_frames_begin = d_pos;
    d_tag.lost_frames_end = std::max(d_tag.lost_frames_end, below);
    pass_freed_tags();
    const auto area = d_pipe->tags();
    if (d_tag.cached > d_tag.pos && d_tag.cached - d_tag.pos > area.capacity()) {
        // More entries than the area holds: the oldest of them are gone.
        d_tag.lost += d_tag.cached - d_tag.pos - area.capacity();
        d_tag.pos = d_tag.cached - area.capacity();
    }
    pass_tags_before(below);
}

void reader_core::recycle_tags()
{
    // The strings keep their buffers in the spares: a tagged stream reads without
    // allocating once it runs.
    for (auto& t : d_tag.handed_out)
        d_tag.spares.push_back(std::move(t));
    d_tag.handed_out.clear();
}

void reader_core::collect_tags(std::uint64_t begin, std::uint64_t end)
{
    if (!d_tag.handed_out.empty())
        recycle_tags();
    d_tag.follow_pos = false;
    if (d_tag.pos >= d_tag.cached)
        return; // no tag was published past this reader: the untagged stream's path
    if (d_tag.next_index == d_tag.pos && end <= d_tag.next_frame)
        return; // the next tag (and every later one) is past this window: nothing to read
    const auto area = d_pipe->tags();
    auto& ctl = d_pipe->ctl();
    for (int attempt = 0; attempt < tag_read_attempts; ++attempt) {
        pass_freed_tags();
        const std::uint64_t start = d_tag.pos;
        if (d_tag.cached > start && d_tag.cached - start > area.capacity())
            throw pipe_error(errc::corrupted,
                             "pipe '" + d_pipe->name() + "': " +
                                 std::to_string(d_tag.cached - start) +
                                 " tags are said to be kept, more than the tag area's " +
                                 std::to_string(area.capacity()) +
                                 " (another process wrote over the shared control region)");
        // The first entry of a frame at or after the reader's position: entries before
        // it only had their frame looked at (to pass them); from it on, what was read
        // is used, so only a replacement from it on spoils the look.
        std::uint64_t first_used = d_tag.cached;
        std::uint64_t bad_entry = UINT64_MAX;
        std::uint64_t passed_lost = 0;
        std::uint64_t next_index = UINT64_MAX;
        std::uint64_t next_frame = 0;
        for (std::uint64_t i = start; i < d_tag.cached; ++i) {
            const auto& e = area.entry(i);
            // relaxed: the acquire load of the count (or the fence below) orders them
            const std::uint64_t f = e.frame.load(std::memory_order_relaxed);
            if (f < d_pos && first_used == d_tag.cached) {
                passed_lost += lost_to_a_lap(f); // passed; counted if this look holds
                continue;
            }
            if (first_used == d_tag.cached)
                first_used = i;
            if (f >= end) {
                // Remembered for the windows before it (a sparse tag stream then costs
                // one comparison per read). Later entries have later frames, and one
                // the writer frees meanwhile (lossy readers) is counted at the next look.
                next_index = i;
                next_frame = f;
                break;
            }
            if (f < begin)
                continue;
            const std::uint32_t key_bytes = e.key_bytes.load(std::memory_order_relaxed);
            const std::uint32_t value_bytes = e.value_bytes.load(std::memory_order_relaxed);
            if (key_bytes == 0 || key_bytes > max_tag_key_bytes ||
                value_bytes > max_tag_value_bytes) {
                bad_entry = i;
                break;
            }
            const std::uint64_t at = e.bytes_at.load(std::memory_order_relaxed);
            tag g;
            if (!d_tag.spares.empty()) {
                g = std::move(d_tag.spares.back());
                d_tag.spares.pop_back();
            }
            g.frame = f;
            area.read_bytes(at, key_bytes, g.key);
            area.read_bytes(at + key_bytes, value_bytes, g.value);
            d_tag.handed_out.push_back(std::move(g));
        }
        // acquire fence, then the tail: an entry the writer replaced while it was read
        // lies before the tail the writer stored (release fence) before replacing it.
        // Entries a blocking reader uses are never freed, so only a lossy reader looks
        // again.
        std::atomic_thread_fence(std::memory_order_acquire);
        if (ctl.tag_tail.entries.load(std::memory_order_relaxed) <= first_used) {
            if (bad_entry != UINT64_MAX)
                throw pipe_error(errc::corrupted,
                                 "pipe '" + d_pipe->name() + "': tag entry " +
                                     std::to_string(bad_entry) +
                                     " has a key or value length no writer stores "
                                     "(another process wrote over the shared control region)");
            d_tag.pos = first_used;
            d_tag.lost += passed_lost;
            if (next_index != UINT64_MAX) { // only from a look that holds
                d_tag.next_index = next_index;
                d_tag.next_frame = next_frame;
            }
            return;
        }
        recycle_tags(); // read while replaced: look again from the new tail
    }
    // Lapped on every look (only a lossy reader far behind a writer that tags heavily):
    // the window goes without its tags, which count as lost as they are passed.
    if (d_tag.lost_frames_end <= d_pos)
        d_tag.lost_frames_begin = d_pos;
    d_tag.lost_frames_end = std::max(d_tag.lost_frames_end, end);
}

const tag_list& reader_core::tags_between(std::uint64_t begin, std::uint64_t end)
{
    check_valid("tags_between");
    d_tag.follow_pos = false;
    refresh_tag_count();
    collect_tags(begin, end);
    return d_tag.handed_out;
}

} // namespace roundpipers
