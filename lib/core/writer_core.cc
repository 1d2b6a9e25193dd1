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
#include <roundpipers/writer_core.h>
#include <algorithm>
#include <utility>

namespace roundpipers {

namespace {

// The errors of the hot path are thrown out of line: reserve() and publish() then keep
// no string-building frame, which would cost every call its set-up.

[[noreturn, gnu::cold, gnu::noinline]] void
throw_closed_by_peer(const pipe_core& pipe, std::uint32_t flags, std::uint64_t written)
{
    throw pipe_error(errc::closed,
                     "pipe '" + pipe.name() + "' was closed " +
                         ((flags & detail::flag_maker_lost)
                              ? "because its maker (pid " + std::to_string(pipe.maker_pid()) +
                                    ") is gone"
                              : std::string("by another process")) +
                         "; " + std::to_string(written) + " frames were written");
}

[[noreturn, gnu::cold, gnu::noinline]] void
throw_bad_reserve(const pipe_core& pipe, bool closed, std::size_t n, std::uint64_t written)
{
    if (closed)
        throw pipe_error(errc::closed,
                         "pipe '" + pipe.name() +
                             "': cannot write after close() (" + std::to_string(written) +
                             " frames were written)");
    if (n == 0)
        throw pipe_error(errc::invalid_argument,
                         "pipe '" + pipe.name() +
                             "': a write must be at least 1 frame (got 0)");
    throw pipe_error(errc::write_capacity_exceeded,
                     "Buffer capacity exceeded on pipe '" + pipe.name() + "': trying to write " +
                         std::to_string(n) + " frames into buffer capable of holding " +
                         std::to_string(pipe.capacity()));
}

[[noreturn, gnu::cold, gnu::noinline]] void
throw_bad_publish(const pipe_core& pipe, bool closed, std::size_t k, std::size_t reserved)
{
    if (closed)
        throw pipe_error(errc::closed,
                         "pipe '" + pipe.name() + "': cannot publish after close()");
    throw pipe_error(errc::invalid_argument,
                     "pipe '" + pipe.name() + "': publish(" + std::to_string(k) +
                         ") exceeds the " + std::to_string(reserved) + " frames reserved");
}

} // namespace

writer_core::writer_core(std::shared_ptr<pipe_core> pipe) : d_pipe(std::move(pipe))
{
    if (!d_pipe)
        throw pipe_error(errc::invalid_argument, "writer_core: null pipe");
    auto& flags = d_pipe->ctl().flags.flags;
    // acq_rel CAS: the one writer slot is taken atomically; acquire makes the previous
    // state of the pipe visible to this writer.
    std::uint32_t f = flags.load(std::memory_order_acquire);
    for (;;) {
        if (f & detail::flag_closed)
            throw pipe_error(errc::closed,
                             "pipe '" + d_pipe->name() +
                                 "' is closed: its writer ended the stream, no writer can "
                                 "be acquired after close()");
        if (f & detail::flag_writer)
            throw pipe_error(errc::writer_exists,
                             "Writer already acquired for pipe '" + d_pipe->name() +
                                 "' - only one writer allowed");
        if (flags.compare_exchange_weak(f, f | detail::flag_writer,
                                        std::memory_order_acq_rel))
            break;
    }
    // release, at once after the flag: a peer that finds the flag set and this
    // process dead (even while ensure_writable() below waits for the maker) ends the
    // stream instead of waiting for a writer that is gone.
    auto& owner = d_pipe->ctl().owners.writer;
    owner.store(detail::self_token(), std::memory_order_release);
    // An attached pipe maps its frames read-only until its process holds the writer
    // role; if writable frames cannot be had, or the tag counters earlier writers left
    // are corrupt, the role is given back.
    try {
        d_pipe->ensure_writable();
        // acquire: the counts of the pipe as its earlier users left them (0 in-process,
        // where a pipe has one writer ever; kept for a pipe mapped from another process)
        d_written = d_pipe->ctl().written.value.load(std::memory_order_acquire);
        d_reserve_head = d_pipe->ctl().reserve_head.value.load(std::memory_order_acquire);
        adopt_tag_counters();
    } catch (...) {
        owner.store(0, std::memory_order_relaxed);
        flags.fetch_and(~detail::flag_writer, std::memory_order_acq_rel);
        throw;
    }
    // Force a scan of the reader slots at the first reserve.
    d_epoch = ~d_pipe->ctl().flags.reader_epoch.load(std::memory_order_acquire);
    static_assert(closed_flag == detail::flag_closed,
                  "the inline look at the flags tests the shared bit");
    auto& ctl = d_pipe->ctl();
    d_hot.geometry = d_pipe->d_geometry;
    d_hot.flags = &ctl.flags.flags;
    d_hot.reader_epoch = &ctl.flags.reader_epoch;
    d_hot.written = &ctl.written.value;
    d_hot.reserve_head = &ctl.reserve_head.value;
    d_hot.readers_sleeping = &ctl.sleepers.readers_sleeping;
    d_hot.asymmetric = d_pipe->d_asymmetric;
}

writer_core::~writer_core()
{
    if (d_pipe && !d_closed)
        close();
}

writer_core::writer_core(writer_core&& other) noexcept
    : d_pipe(std::move(other.d_pipe)),
      d_written(other.d_written),
      d_limit(other.d_limit),
      d_slowest(other.d_slowest),
      d_epoch(other.d_epoch),
      d_reserve_head(other.d_reserve_head),
      d_reserved(other.d_reserved),
      d_closed(other.d_closed),
      d_moves_while_waiting(other.d_moves_while_waiting),
      d_tags(std::move(other.d_tags)),
      d_hot(std::exchange(other.d_hot, hot_path{}))
{
}

writer_core& writer_core::operator=(writer_core&& other) noexcept
{
    if (this != &other) {
        if (d_pipe && !d_closed)
            close();
        d_pipe = std::move(other.d_pipe);
        d_written = other.d_written;
        d_limit = other.d_limit;
        d_slowest = other.d_slowest;
        d_epoch = other.d_epoch;
        d_reserve_head = other.d_reserve_head;
        d_reserved = other.d_reserved;
        d_closed = other.d_closed;
        d_moves_while_waiting = other.d_moves_while_waiting;
        d_tags = std::move(other.d_tags);
        d_hot = std::exchange(other.d_hot, hot_path{});
    }
    return *this;
}

[[gnu::cold, gnu::noinline]] void writer_core::throw_moved_from(const char* op)
{
    throw pipe_error(errc::invalid_argument,
                     std::string("pipe_writer::") + op +
                         ": use of a moved-from writer (it holds no pipe)");
}

void writer_core::refresh_limit()
{
    auto& ctl = d_pipe->ctl();
    // seq_cst, and before the scan: a reader that registers after this load bumps the
    // epoch, so the next reserve rescans. Reservations made before the rescan are safe
    // because a new reader starts at a `written` loaded after its epoch bump.
    d_epoch = ctl.flags.reader_epoch.load(std::memory_order_seq_cst);
    const std::uint64_t m = d_pipe->min_blocking_cursor();
    d_slowest = m;
    // A cursor from shared memory may be anything: saturate instead of wrapping.
    d_limit = m > UINT64_MAX - d_pipe->capacity() ? UINT64_MAX : m + d_pipe->capacity();
}

void writer_core::throw_if_closed_by_peer() const
{
    // acquire: the flag was set after the peer's death was seen; nothing else to order
    const auto f = d_pipe->ctl().flags.flags.load(std::memory_order_acquire);
    if (f & detail::flag_closed)
        throw_closed_by_peer(*d_pipe, f, d_written);
}

writer_core::wait_outcome
writer_core::wait_for_readers(std::uint64_t needs, deadline until, bool detect_mutual)
{
    auto& ctl = d_pipe->ctl();
    bool closed_by_peer = false;
    bool mutual = false;
    auto ready = [&] {
        refresh_limit();
        // seq_cst: pairs with close_for_peer's seq_cst flag store and wake
        closed_by_peer = ctl.flags.flags.load(std::memory_order_seq_cst) & detail::flag_closed;
        return d_slowest >= needs || closed_by_peer;
    };
    auto sleep = [&](deadline dl) {
        d_pipe->check_intact();
        auto& ww = ctl.writer_wait;
        const std::uint32_t seq = ww.space_seq.load(std::memory_order_seq_cst);
        // seq_cst store, then a seq_cst re-check of the cursors: pairs with the
        // reader's seq_cst cursor store then seq_cst load of `needs`.
        ww.needs.store(needs, std::memory_order_seq_cst);
        if (d_pipe->d_asymmetric)
            detail::heavy_fence(); // pairs with the readers' release cursor stores
        if (ready()) {
            ww.needs.store(detail::not_waiting, std::memory_order_seq_cst);
            return true;
        }
        // A blocking reader that holds this writer back sleeps for frames it has not
        // published: neither can go on (see reader_core::get for the other order).
        if (detect_mutual && d_pipe->reader_waits_for_frames(needs, d_written)) {
            ww.needs.store(detail::not_waiting, std::memory_order_seq_cst);
            mutual = true;
            return true;
        }
        detail::futex_wait(&ww.space_seq, seq, dl);
        ww.needs.store(detail::not_waiting, std::memory_order_seq_cst);
        return false;
    };
    if (!detail::backoff_wait(ready, sleep, until))
        return wait_outcome::timeout;
    if (closed_by_peer)
        return wait_outcome::closed_by_peer;
    return mutual ? wait_outcome::mutual : wait_outcome::ready;
}

read_status writer_core::reserve_slow(std::size_t n, deadline until, std::uint8_t** out)
{
    check_valid("reserve");
    const std::size_t cap = d_pipe->capacity();
    // n - 1 wraps for n == 0: one test for every refused reservation
    if (d_closed || n - 1 >= cap)
        throw_bad_reserve(*d_pipe, d_closed, n, d_written);
    d_reserved = 0; // a new reservation replaces an unpublished one
    throw_if_closed_by_peer();
    auto fits = [&] { return d_written + n <= d_limit; };

    // seq_cst load after the previous publish's seq_cst store (see refresh_limit).
    if (d_pipe->ctl().flags.reader_epoch.load(std::memory_order_seq_cst) != d_epoch || !fits())
        refresh_limit();
    if (!fits()) {
        // Frame written + n - 1 overwrites frame written + n - 1 - cap: every blocking
        // reader must be past it.
        switch (wait_for_readers(d_written + n - cap, until, !d_moves_while_waiting)) {
        case wait_outcome::ready:
            break;
        case wait_outcome::timeout:
            return read_status::timeout;
        case wait_outcome::closed_by_peer:
            throw_if_closed_by_peer();
            break;
        case wait_outcome::mutual:
            throw pipe_error(errc::mutual_wait,
                             "pipe '" + d_pipe->name() + "': mutual_wait: a write of " +
                                 std::to_string(n) +
                                 " frames waits for a blocking reader that waits for those "
                                 "frames; a reader's window plus the write must fit the "
                                 "capacity of " + std::to_string(cap) +
                                 " frames: read or write fewer frames at a time");
        }
    }
    d_reserved = n;
    claim_until(d_written + n);
    *out = d_pipe->frame_ptr(d_written);
    return read_status::ok;
}

void writer_core::publish_slow(std::size_t k)
{
    check_valid("publish");
    if (d_closed || k > d_reserved)
        throw_bad_publish(*d_pipe, d_closed, k, d_reserved);
    d_reserved = 0;
    if (k == 0)
        return;
    // A stream that another process ended (its maker died) takes no more frames: its
    // readers may already have seen the end.
    throw_if_closed_by_peer();
    d_written += k;
    if (!d_tags.pending.empty())
        publish_tags(); // before `written`: a reader that sees the frames sees their tags
    store_written();
}

void writer_core::set_moves_while_waiting(bool moves)
{
    check_valid("set_moves_while_waiting");
    d_moves_while_waiting = moves;
    // seq_cst: a reader's mutual-wait look (pipe_core::writer_waits_for) after this
    // store sees the writer as a bridge.
    auto& flags = d_pipe->ctl().flags.flags;
    if (moves)
        flags.fetch_or(detail::flag_writer_moves, std::memory_order_seq_cst);
    else
        flags.fetch_and(~detail::flag_writer_moves, std::memory_order_seq_cst);
}

void writer_core::set_window_limit(std::size_t frames)
{
    check_valid("set_window_limit");
    d_pipe->set_window_limit(frames);
}

void writer_core::close()
{
    check_valid("close");
    if (d_closed)
        return;
    d_closed = true;
    d_reserved = 0;
    drop_pending_tags(); // their frames will never be published
    // seq_cst: after the last `written` store; a reader that sees the flag sees the
    // final count, and every armed sleeper is woken below.
    d_pipe->ctl().flags.flags.fetch_or(detail::flag_closed, std::memory_order_seq_cst);
    d_pipe->wake_readers(d_written, true);
}

void writer_core::abandon()
{
    check_valid("abandon");
    if (d_closed)
        return;
    d_closed = true;
    d_reserved = 0;
    drop_pending_tags();
    d_pipe->close_for_peer(detail::flag_writer_lost);
}

pipe_state writer_core::state() const
{
    check_valid("state");
    pipe_state s = d_pipe->state();
    s.written = d_written;
    return s;
}

} // namespace roundpipers
