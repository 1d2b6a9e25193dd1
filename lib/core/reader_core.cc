/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "backoff.h"
#include "control_region.h"
#include "fence.h"
#include "process_token.h"
#include <roundpipers/pipe_error.h>
#include <roundpipers/reader_core.h>
#include <algorithm>
#include <utility>

namespace roundpipers {

reader_core::reader_core(std::shared_ptr<pipe_core> pipe, const reader_options& options)
    : d_pipe(std::move(pipe)), d_lossy(options.lossy)
{
    static_assert(no_writer_waiting == detail::not_waiting,
                  "the inline look at writer_wait.needs compares with the shared value");
    if (!d_pipe)
        throw pipe_error(errc::invalid_argument, "reader_core: null pipe");
    auto& ctl = d_pipe->ctl();
    std::size_t index = d_pipe->max_readers();
    for (std::size_t i = 0; i < d_pipe->max_readers(); ++i) {
        std::uint32_t expected = detail::slot_free;
        // acq_rel: the slot is ours alone from here; acquire sees its last owner's stores.
        if (d_pipe->slot(i).state.compare_exchange_strong(
                expected, detail::slot_claimed, std::memory_order_acq_rel)) {
            index = i;
            break;
        }
    }
    if (index == d_pipe->max_readers())
        throw pipe_error(errc::too_many_readers,
                         "pipe '" + d_pipe->name() + "': all " +
                             std::to_string(d_pipe->max_readers()) +
                             " reader slots are taken (pipe_options::max_readers)");
    d_slot = &d_pipe->slot(index);
    d_hot.geometry = d_pipe->d_geometry;
    d_hot.cursor = &d_slot->cursor;
    d_hot.writer_needs = &ctl.writer_wait.needs;
    d_hot.window_limit = &ctl.flags.window_limit;
    d_hot.asymmetric = d_pipe->d_asymmetric;
    // release, at once after the claim: a peer that finds the slot claimed (acquire on
    // state) sees either 0 (a departed reader clears its owner before freeing the slot,
    // so no stale token of a dead process is ever found here) or this token.
    d_slot->owner.store(detail::self_token(), std::memory_order_release);
    // relaxed: the slot is not yet visible as a reader (its seq_cst state store below
    // publishes these resets to the writer and to `roundpipers stat`).
    d_slot->wake_at.store(detail::not_waiting, std::memory_order_relaxed);
    d_slot->lost.store(0, std::memory_order_relaxed);
    d_slot->options.store(0, std::memory_order_relaxed);

    // Start at the current write position (semantic 3). The cursor is set before the
    // slot becomes visible to the writer, the epoch bump makes the writer rescan, and
    // the position is re-read after the bump: a writer that missed the bump had
    // published everything it reserved before `w1`, so nothing at or after w1 can be
    // overwritten before the writer sees this slot.
    const std::uint64_t w0 = ctl.written.value.load(std::memory_order_seq_cst);
    d_slot->cursor.store(w0, std::memory_order_seq_cst);
    // Raise the mark to cover the slot, and count the change even when it already did:
    // a departing reader's lowering computed before it then fails (no ABA).
    std::uint64_t high = ctl.flags.slot_high_water.load(std::memory_order_seq_cst);
    while (!ctl.flags.slot_high_water.compare_exchange_weak(
        high,
        detail::high_water_after(
            high, std::max(detail::high_water_of(high), static_cast<std::uint32_t>(index + 1))),
        std::memory_order_seq_cst)) {
    }
    d_slot->state.store(d_lossy ? detail::slot_lossy : detail::slot_blocking,
                        std::memory_order_seq_cst);
    ctl.flags.reader_epoch.fetch_add(1, std::memory_order_seq_cst);
    // With asymmetric fences the writer's `written` store is a release store, which its
    // next reserve's epoch load may overtake: the barrier makes either that load see
    // the new epoch or `w1` below see the store (docs/design.md section 7).
    if (d_pipe->d_asymmetric)
        detail::heavy_fence();
    const std::uint64_t w1 = ctl.written.value.load(std::memory_order_seq_cst);
    // Tags from the oldest kept entry on (acquire: pairs with the writer's release
    // store of the tail): the first get passes those of frames before w1. Starting at
    // the published count instead could skip the tags of frames a publish is making
    // visible right now (the count is stored before `written`). The count is loaded
    // after w1, so it covers every tag of a frame before w1.
    d_tag.pos = ctl.tag_tail.entries.load(std::memory_order_acquire);
    d_tag.cached = ctl.written.tags.load(std::memory_order_acquire);
    d_pos = w1;
    d_cached_written = w1;
    if (w1 != w0)
        store_cursor(w1);
}

reader_core::~reader_core()
{
    release_slot();
}

void reader_core::release_slot() noexcept
{
    if (!d_slot)
        return;
    // The owner is cleared first (relaxed: the seq_cst state store below orders it for
    // the next claimer), so a free slot never carries a token that another process
    // could find dead later, while a new reader sets the slot up.
    d_slot->owner.store(0, std::memory_order_relaxed);
    // seq_cst store then notify: a writer waiting on this reader re-checks or is woken.
    d_slot->state.store(detail::slot_free, std::memory_order_seq_cst);
    d_pipe->notify_writer();
    d_pipe->lower_high_water();
    d_slot = nullptr;
    d_hot = hot_path{};
}

reader_core::reader_core(reader_core&& other) noexcept
    : d_pipe(std::move(other.d_pipe)),
      d_slot(std::exchange(other.d_slot, nullptr)),
      d_pos(other.d_pos),
      d_cached_written(other.d_cached_written),
      d_lost(other.d_lost),
      d_outstanding(other.d_outstanding),
      d_lossy(other.d_lossy),
      d_moves_while_waiting(other.d_moves_while_waiting),
      d_tag(std::move(other.d_tag)),
      d_hot(std::exchange(other.d_hot, hot_path{}))
{
}

reader_core& reader_core::operator=(reader_core&& other) noexcept
{
    if (this != &other) {
        release_slot();
        d_pipe = std::move(other.d_pipe);
        d_slot = std::exchange(other.d_slot, nullptr);
        d_pos = other.d_pos;
        d_cached_written = other.d_cached_written;
        d_lost = other.d_lost;
        d_outstanding = other.d_outstanding;
        d_lossy = other.d_lossy;
        d_moves_while_waiting = other.d_moves_while_waiting;
        d_tag = std::move(other.d_tag);
        d_hot = std::exchange(other.d_hot, hot_path{});
    }
    return *this;
}

void reader_core::set_moves_while_waiting(bool moves)
{
    check_valid("set_moves_while_waiting");
    d_moves_while_waiting = moves;
    // seq_cst: a writer's mutual-wait look (pipe_core::reader_waits_for_frames) after
    // this store skips the slot.
    d_slot->options.store(moves ? detail::slot_moves_while_waiting : 0,
                          std::memory_order_seq_cst);
}

[[gnu::cold, gnu::noinline]] void reader_core::throw_moved_from(const char* op)
{
    throw pipe_error(errc::invalid_argument,
                     std::string("pipe_reader::") + op +
                         ": use of a moved-from reader (it holds no pipe)");
}

std::uint64_t reader_core::advanced(std::size_t k) const
{
    // Positions saturate at 2^62: a huge skip must not wrap the 64-bit counter (the
    // writer would compute a tiny limit and wait forever). A reader there is never
    // waited for and sees end_of_stream after close.
    if (d_pos >= max_position)
        return max_position;
    return k > max_position - d_pos ? max_position : d_pos + k;
}

bool reader_core::lapped(std::uint64_t head) const
{
    // Frame f is overwritten by frame f + capacity; reservations reach up to `head`.
    // Written without a sum: a head from shared memory may be anything.
    return head > d_pos && head - d_pos > d_pipe->capacity();
}

void reader_core::resync_after_lap(std::uint64_t head, std::uint64_t at_least)
{
    if (head > max_position + d_pipe->capacity())
        throw pipe_error(errc::corrupted,
                         "pipe '" + d_pipe->name() + "': its reservation head " +
                             std::to_string(head) +
                             " is past any real stream (another process wrote over the shared "
                             "control region)");
    const std::uint64_t oldest_valid = head - d_pipe->capacity();
    d_lost += oldest_valid - d_pos;
    // The tags of the lost frames are lost with them (the count is loaded after the
    // head, which is past every published frame).
    refresh_tag_count();
    lose_tags_before(oldest_valid);
    d_pos = std::max(oldest_valid, at_least);
    // Frames from oldest_valid to d_pos were read intact (a lap seen at consume): their
    // tags were handed out with them, not lost.
    pass_tags_before(d_pos);
    store_cursor(d_pos);
    // relaxed: a display counter for `roundpipers stat`, ordered with nothing
    d_slot->lost.store(d_lost, std::memory_order_relaxed);
}

bool reader_core::overrun_if_lapped(span& out, std::uint64_t written)
{
    // acquire: pairs with nothing that must be seen (the head publishes no data); it
    // keeps this check ordered before the frame reads that follow it. Data torn after
    // this check is still caught by the fenced re-check in consume().
    const std::uint64_t head = d_pipe->ctl().reserve_head.value.load(std::memory_order_acquire);
    if (!lapped(head))
        return false;
    resync_after_lap(head, d_pos);
    out.status = read_status::overrun;
    out.state = snapshot(written);
    return true;
}

[[gnu::cold, gnu::noinline]] void
reader_core::throw_bad_get(std::size_t n, std::size_t limit) const
{
    if (n == 0)
        throw pipe_error(errc::invalid_argument,
                         "pipe '" + d_pipe->name() +
                             "': n_to_read must be at least 1 frame (got 0)");
    if (n > d_pipe->capacity())
        throw pipe_error(errc::read_capacity_exceeded,
                         "Buffer capacity exceeded on pipe '" + d_pipe->name() +
                             "': trying to read " + std::to_string(n) +
                             " frames from buffer capable of holding " +
                             std::to_string(d_pipe->capacity()));
    if (!d_lossy && n > limit)
        throw_window_limit(n, limit);
    throw pipe_error(errc::chunk_outstanding,
                     "pipe '" + d_pipe->name() + "': a chunk of " +
                         std::to_string(d_outstanding) + " frames at position " +
                         std::to_string(d_pos) +
                         " is still held by this reader; release it before asking for "
                         "another");
}

pipe_state reader_core::state() const
{
    check_valid("state");
    return snapshot(d_pipe->written());
}

void reader_core::throw_window_limit(std::size_t n, std::size_t limit) const
{
    throw pipe_error(errc::read_capacity_exceeded,
                     "Buffer capacity exceeded on pipe '" + d_pipe->name() +
                         "': trying to read " + std::to_string(n) +
                         " frames, but its writer (a GNU Radio block, which keeps part of "
                         "its buffer free) gives a blocking reader at most " +
                         std::to_string(limit) + " of its " +
                         std::to_string(d_pipe->capacity()) +
                         " frames at once: read fewer frames, or give the pipe a larger "
                         "capacity");
}

[[gnu::noinline]] bool
reader_core::wait_for_frames(std::size_t n, deadline until, span& out)
{
    auto& ctl = d_pipe->ctl();
    auto have = [&] { return d_cached_written >= d_pos + n; };
    bool went_back = false;
    bool mutual = false;
    // seq_cst loads: the re-check after arming a sleep must pair with the writer's
    // seq_cst `written` store / readers_sleeping load and its seq_cst close.
    std::size_t over_limit = 0; // the limit that stopped the wait (0: none did)
    auto ready = [&] {
        const std::uint64_t w = ctl.written.value.load(std::memory_order_seq_cst);
        if (w < d_cached_written) {
            went_back = true; // only a hostile peer moves `written` back
            return true;
        }
        // A writer that came after this wait began may give less than asked for
        // (a Pipe Sink started after its reader): stop instead of waiting for ever.
        if (!d_lossy) {
            const std::size_t limit = d_pipe->window_limit();
            if (n > limit) {
                over_limit = limit;
                return true;
            }
        }
        d_cached_written = w;
        refresh_tag_count();
        if (have())
            return true;
        if (ctl.flags.flags.load(std::memory_order_seq_cst) & detail::flag_closed) {
            // The flag is set after the last `written` store: reload the final count.
            d_cached_written = ctl.written.value.load(std::memory_order_seq_cst);
            refresh_tag_count();
            return true;
        }
        return false;
    };
    const std::size_t index = std::size_t(d_slot - ctl.slots());
    auto& asleep_word = ctl.asleep.words[index / 64];
    const std::uint64_t asleep_bit = std::uint64_t(1) << (index % 64);
    auto sleep = [&](deadline dl) {
        d_pipe->check_intact();
        // Arm before the re-check, all seq_cst: futex value first (a wake after it
        // changes it), then readers_sleeping, the sleeper bit and wake_at, which
        // publish() and close() load after their own stores (seq_cst, or release
        // with the heavy_fence() below); one side always sees the other.
        // The count rises before wake_at is armed and falls after it is disarmed,
        // so an armed wake_at always implies a counted sleeper (release_dead_peers
        // relies on it for a reader that dies asleep).
        const std::uint32_t seq = d_slot->data_seq.load(std::memory_order_seq_cst);
        ctl.sleepers.readers_sleeping.fetch_add(1, std::memory_order_seq_cst);
        asleep_word.fetch_or(asleep_bit, std::memory_order_seq_cst);
        d_slot->wake_at.store(d_pos + n, std::memory_order_seq_cst);
        if (d_pipe->d_asymmetric)
            detail::heavy_fence(); // pairs with the writer's release `written` store
        bool now_ready = ready();
        // The writer waits for this reader's frames while this reader waits for
        // the writer's: seen here if the writer armed its wait first (the writer
        // sees the other order; both arm before they look, all seq_cst). Look
        // again after seeing `needs`: the writer stored `written` before it armed
        // (the seq_cst load of `needs` makes that store visible), so a count still
        // short is short of what the waiting writer has published.
        if (!now_ready && !d_lossy && !d_moves_while_waiting &&
            d_pipe->writer_waits_for(d_pos)) {
            now_ready = ready();
            mutual = !now_ready;
            // A stream that ends meanwhile (a peer's close) is an end, not a mutual
            // wait: look once more, which reloads the final count once it sees it.
            if (mutual && (ctl.flags.flags.load(std::memory_order_seq_cst) &
                           detail::flag_closed)) {
                now_ready = ready();
                mutual = !now_ready;
            }
        }
        if (!now_ready && !mutual)
            detail::futex_wait(&d_slot->data_seq, seq, dl);
        d_slot->wake_at.store(detail::not_waiting, std::memory_order_seq_cst);
        asleep_word.fetch_and(~asleep_bit, std::memory_order_seq_cst);
        ctl.sleepers.readers_sleeping.fetch_sub(1, std::memory_order_seq_cst);
        return now_ready || mutual;
    };
    if (!detail::backoff_wait(ready, sleep, until)) {
        out.status = read_status::timeout;
        out.state = snapshot(d_cached_written);
        return true;
    }
    if (mutual)
        throw pipe_error(errc::mutual_wait,
                         "pipe '" + d_pipe->name() + "': mutual_wait: this blocking reader "
                         "waits for " + std::to_string(n) + " frames at position " +
                             std::to_string(d_pos) + " (" +
                             std::to_string(d_cached_written > d_pos ? d_cached_written - d_pos : 0) +
                             " are there) while the writer waits for this reader to free "
                             "room; a window plus the writer's write must fit the capacity of " +
                             std::to_string(d_pipe->capacity()) +
                             " frames: read or write fewer frames at a time");
    if (over_limit)
        throw_window_limit(n, over_limit);
    if (went_back)
        throw pipe_error(errc::corrupted,
                         "pipe '" + d_pipe->name() + "': its frame count went back from " +
                             std::to_string(d_cached_written) +
                             " (another process wrote over the shared control region)");
    if (!have()) {
        const std::uint64_t left =
            d_cached_written > d_pos ? d_cached_written - d_pos : 0;
        out.status = left == 0 ? read_status::end_of_stream
                               : read_status::insufficient_data;
        out.state = snapshot(d_cached_written);
        out.state.available = left;
        return true;
    }
    return false;
}

reader_core::span reader_core::get_slow(std::size_t n, deadline until)
{
    check_valid("get");
    // n - 1 wraps for n == 0: one test for every refused request. The limit is loaded
    // once: the error thrown is decided with the value that refused the call (a bridge
    // may change it meanwhile).
    const std::size_t limit = d_lossy ? d_pipe->capacity() : d_pipe->window_limit();
    if (n - 1 >= d_pipe->capacity() || n > limit || d_outstanding)
        throw_bad_get(n, limit);
    span out;
    if (d_lossy && overrun_if_lapped(out, d_pipe->written()))
        return out;
    // The frames are usually there already: the wait is out of line, so this path
    // keeps no frame for its lambdas and strings.
    if (d_cached_written < d_pos + n && wait_for_frames(n, until, out))
        return out;
    if (d_lossy && overrun_if_lapped(out, d_cached_written))
        return out;
    // An untagged stream skips the call (nothing handed out to recycle, no entry past
    // this reader), and so does a window before the next tag already looked at (a
    // sparse tag stream: one comparison per read, as in collect_tags).
    if (!d_tag.handed_out.empty() ||
        (d_tag.pos < d_tag.cached &&
         !(d_tag.next_index == d_tag.pos && d_pos + n <= d_tag.next_frame)))
        collect_tags(d_pos, d_pos + n);
    d_tag.follow_pos = true;
    out.status = read_status::ok;
    out.data = d_pipe->frame_ptr(d_pos);
    out.frames = n;
    out.state = snapshot(d_cached_written);
    out.tags = &d_tag.handed_out;
    d_outstanding = n;
    return out;
}

read_status reader_core::consume_slow(std::size_t k)
{
    check_valid("consume");
    if (d_lossy && d_outstanding) {
        // acquire fence then the head: if the frames just read were overwritten while
        // they were read, the writer's release fence (after raising the head, before the
        // data stores) makes the raised head visible here.
        std::atomic_thread_fence(std::memory_order_acquire);
        const std::uint64_t head =
            d_pipe->ctl().reserve_head.value.load(std::memory_order_relaxed);
        if (lapped(head)) {
            // Frames before the oldest valid one were torn: lost. Frames after it were
            // read intact, so the reader still advances by k when that goes further.
            d_outstanding = 0;
            resync_after_lap(head, advanced(k));
            return read_status::overrun;
        }
    }
    d_outstanding = 0;
    if (k == 0)
        return read_status::ok;
    d_pos = advanced(k);
    if (!d_tag.handed_out.empty())
        pass_consumed_tags();
    store_cursor(d_pos);
    return read_status::ok;
}

} // namespace roundpipers
