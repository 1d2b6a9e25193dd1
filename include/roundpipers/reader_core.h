/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_READER_CORE_H
#define INCLUDED_ROUNDPIPERS_READER_CORE_H

#include <roundpipers/core_api.h>
#include <roundpipers/deadline.h>
#include <roundpipers/pipe_core.h>
#include <roundpipers/pipe_state.h>
#include <roundpipers/tag.h>
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>

namespace roundpipers {

/*!
 * \brief The reader role of a pipe_core, type-erased (pipe_reader<T> wraps it).
 * \ingroup roundpipers_core
 *
 * \details
 * Construction claims a reader slot positioned at the current write position;
 * destruction frees it (a blocked writer then proceeds). get() waits for n frames and
 * marks them outstanding; consume() ends the outstanding span and advances.
 * A blocking reader holds the writer back; a lossy one never does, and detects laps
 * (at get) and torn data (at consume, after the fact) as read_status::overrun.
 *
 * Thread safety: one thread at a time per reader_core.
 */
class ROUNDPIPERS_CORE_API reader_core
{
public:
    /*! \brief What get() hands out. */
    struct span {
        read_status status = read_status::timeout;
        const std::uint8_t* data = nullptr; //!< first frame (ok only)
        std::size_t frames = 0;             //!< frames at data (ok only)
        pipe_state state;                   //!< snapshot
        /*! The tags of the frames at data (ok only; valid until the next get). */
        const tag_list* tags = nullptr;
    };

    /*!
     * \param pipe the pipe to read
     * \param options blocking (default) or lossy
     * \throws pipe_error errc::too_many_readers when every slot is taken
     */
    reader_core(std::shared_ptr<pipe_core> pipe, const reader_options& options);
    ~reader_core();
    reader_core(reader_core&& other) noexcept;
    reader_core& operator=(reader_core&& other) noexcept;
    reader_core(const reader_core&) = delete;
    reader_core& operator=(const reader_core&) = delete;

    /*!
     * \brief Waits until \p n frames are available (or the stream ends, or \p until).
     * \details On ok the n frames at span.data are outstanding until consume().
     * A lapped lossy reader returns overrun and moves to the oldest valid frame.
     * \throws pipe_error errc::invalid_argument (n == 0, moved-from),
     * errc::read_capacity_exceeded (n > capacity), errc::chunk_outstanding
     */
    span get(std::size_t n, deadline until)
    {
        // The common case, inline in the caller: a blocking reader whose frames are
        // known to be published, with no tag to hand out. Everything else (waits, lossy
        // readers, tags, errors, a moved-from reader) is get_slow(), which makes the
        // same checks in full.
        if (d_hot.cursor && !d_lossy && !d_outstanding &&
            n - 1 < d_hot.geometry.capacity && d_cached_written >= d_pos + n &&
            d_tag.handed_out.empty() &&
            (d_tag.pos >= d_tag.cached ||
             (d_tag.next_index == d_tag.pos && d_pos + n <= d_tag.next_frame)) &&
            within_window_limit(n)) {
            d_tag.follow_pos = true;
            span out;
            out.status = read_status::ok;
            out.data = d_hot.geometry.frame_ptr(d_pos);
            out.frames = n;
            out.state = snapshot(d_cached_written);
            out.tags = &d_tag.handed_out;
            d_outstanding = n;
            return out;
        }
        return get_slow(n, until);
    }

    /*!
     * \brief Ends the outstanding span (if any) and advances by \p k frames.
     * \details k may exceed what was read (frames are then skipped as they arrive);
     * positions saturate at 2^62. For a lossy reader whose outstanding frames were
     * overwritten meanwhile, the overwritten frames count as lost, the reader moves to
     * the later of (position + k) and the oldest valid frame, and overrun is returned.
     */
    read_status consume(std::size_t k)
    {
        // The common case inline: a blocking reader with no tags handed out, below the
        // saturation point; the rest is consume_slow().
        if (d_hot.cursor && !d_lossy && d_tag.handed_out.empty() &&
            d_pos < max_position && k <= max_position - d_pos) {
            d_outstanding = 0;
            if (k == 0)
                return read_status::ok;
            d_pos += k;
            store_cursor(d_pos);
            return read_status::ok;
        }
        return consume_slow(k);
    }

    /*!
     * \brief The tags of the published frames [\p begin, \p end), in frame order.
     * \details For bridges that hand frames out by another path than get() (such as
     * pipe_source, whose edge is the ring). Frames before this reader's position have
     * no tags any more; valid until the next get() or tags_between().
     */
    const tag_list& tags_between(std::uint64_t begin, std::uint64_t end);

    /*!
     * \brief Declares that this reader's position also moves while it waits (a bridge
     * that hands frames back from another path, as pipe_source does), so a writer
     * waiting for it is no mutual wait. By default get() fails with errc::mutual_wait
     * when it would wait for frames while the writer waits for it.
     */
    void set_moves_while_waiting(bool moves);

    /*! \brief True unless moved from. */
    bool valid() const { return static_cast<bool>(d_pipe); }
    /*! \brief True for a lossy reader. */
    bool lossy() const { return d_lossy; }
    /*! \brief Frames of the outstanding span (0 when none). */
    std::size_t outstanding() const { return d_outstanding; }
    /*! \brief A snapshot. */
    pipe_state state() const;
    /*! \brief The pipe (throws errc::invalid_argument when moved from). */
    pipe_core& pipe() const
    {
        check_valid("pipe");
        return *d_pipe;
    }

private:
    // Inline on the hot path; the throw is out of line.
    void check_valid(const char* op) const
    {
        if (!d_pipe)
            throw_moved_from(op);
    }
    [[noreturn]] static void throw_moved_from(const char* op);
    /*! Throws the error of a refused get() of \p n frames (\p limit: the one seen). */
    [[noreturn]] void throw_bad_get(std::size_t n, std::size_t limit) const;
    [[noreturn]] void throw_window_limit(std::size_t n, std::size_t limit) const;
    /*!
     * Waits (the one wait protocol: the slot's wake_at and futex) until \p n frames
     * from d_pos are published or the stream ended; \return true when \p out is the
     * final answer (timeout, end of stream, too few frames left), false when the
     * frames are there.
     */
    bool wait_for_frames(std::size_t n, deadline until, span& out);
    void release_slot() noexcept;
    span get_slow(std::size_t n, deadline until);
    read_status consume_slow(std::size_t k);
    /*! False when a writer that is a bridge holds blocking windows below \p n frames. */
    bool within_window_limit(std::size_t n) const
    {
        // relaxed, as pipe_core::window_limit(): a bound set before the writer publishes;
        // 0 means none, and n is already at most the capacity.
        const std::uint64_t limit = d_hot.window_limit->load(std::memory_order_relaxed);
        return limit == 0 || n <= limit;
    }
    /*! Stores the cursor and wakes a writer that waits for room (the one place). */
    void store_cursor(std::uint64_t pos)
    {
        if (d_lossy) {
            // The writer ignores lossy cursors; relaxed keeps state() snapshots current.
            d_hot.cursor->store(pos, std::memory_order_relaxed);
            return;
        }
        if (d_hot.asymmetric) {
            // release: hands the frames back to the writer. The load of `needs` after it
            // is ordered by the compiler barrier only: a writer that arms its sleep runs
            // heavy_fence() before it re-scans the cursors.
            d_hot.cursor->store(pos, std::memory_order_release);
            std::atomic_signal_fence(std::memory_order_seq_cst);
        } else {
            // seq_cst: release hands the frames back to the writer; seq_cst orders the
            // store before the load of `needs` (Dekker pair with the writer).
            d_hot.cursor->store(pos, std::memory_order_seq_cst);
        }
        // seq_cst: notify_writer's own first look, made here so that the common case
        // (no writer asleep) costs no call; notify_writer looks again.
        if (d_hot.writer_needs->load(std::memory_order_seq_cst) != no_writer_waiting)
            d_pipe->notify_writer();
    }
    std::uint64_t advanced(std::size_t k) const;
    bool lapped(std::uint64_t head) const;
    void resync_after_lap(std::uint64_t head, std::uint64_t at_least);
    bool overrun_if_lapped(span& out, std::uint64_t written);
    pipe_state snapshot(std::uint64_t written) const
    {
        pipe_state s;
        s.written = written;
        s.consumed = d_pos;
        s.capacity = d_hot.geometry.capacity;
        s.available =
            written > d_pos ? std::min<std::uint64_t>(written - d_pos, s.capacity) : 0;
        s.lost = d_lost;
        s.lost_tags = d_tag.lost;
        return s;
    }
    /*! Reloads the published tag count (after a load of `written`). */
    void refresh_tag_count() noexcept;
    /*! Empties d_tag.handed_out into d_tag.spares. */
    void recycle_tags();
    /*! Fills d_tag.handed_out with the tags of frames [begin, end) (see reader_tags.cc). */
    void collect_tags(std::uint64_t begin, std::uint64_t end);
    /*! After a consume: passes the handed-out tags of frames now behind the reader. */
    void pass_consumed_tags();
    /*! Passes the tags of frames before \p below (lost ones are counted). */
    void pass_tags_before(std::uint64_t below);
    /*! 1 when a tag of frame \p f is lost with its frame (lost to a lap), else 0. */
    std::uint64_t lost_to_a_lap(std::uint64_t f) const
    {
        return f >= d_tag.lost_frames_begin && f < d_tag.lost_frames_end;
    }
    /*! Passes the tags of frames before \p below, counting them lost. */
    void lose_tags_before(std::uint64_t below);
    /*! Passes entries the writer freed (lost when they may be of frames to come). */
    void pass_freed_tags();

    // alignas(64): a reader starts its own cache line and fills whole lines, so a
    // writer (or anything else another thread writes) placed next to it, on one
    // stack or in one struct, never shares a line with the state this thread writes
    // on every call (in a program laid out as B1 is, that halved batch-1 throughput).
    alignas(64) std::shared_ptr<pipe_core> d_pipe;
    detail::reader_slot* d_slot = nullptr;
    std::uint64_t d_pos = 0;            // authoritative copy of the slot cursor
    std::uint64_t d_cached_written = 0; // last `written` seen; reloaded only when short
    std::uint64_t d_lost = 0;
    std::size_t d_outstanding = 0;
    bool d_lossy = false;
    bool d_moves_while_waiting = false;
    /*! The reader's place in the tag area (see docs/design.md 16.3). */
    struct tag_cursor {
        tag_list handed_out;      // tags handed out with the last span
        tag_list spares;          // earlier tags whose string buffers are reused
        std::uint64_t pos = 0;    // first tag entry not yet passed
        std::uint64_t cached = 0; // tag entries published, loaded after `written`
        std::uint64_t lost = 0;
        bool follow_pos = false;  // handed_out are the entries from pos on (get)
        std::uint64_t next_index = UINT64_MAX; // an entry past the last window read...
        std::uint64_t next_frame = 0;          // ...and its frame
        std::uint64_t lost_frames_begin = 0;   // frames lost to laps (lossy): their tags...
        std::uint64_t lost_frames_end = 0;     // ...count as lost when they are passed
    };
    tag_cursor d_tag;

    // Positions saturate at 2^62: a huge skip must not wrap the 64-bit counter (the
    // writer would compute a tiny limit and wait forever). A reader there is never
    // waited for and sees end_of_stream after close. No real stream reaches it.
    static constexpr std::uint64_t max_position = std::uint64_t(1) << 62;
    // writer_wait.needs while no writer waits (detail::not_waiting, checked in the .cc)
    static constexpr std::uint64_t no_writer_waiting = UINT64_MAX;
    /*!
     * What get() and consume() read on their common path, copied from the pipe when
     * the slot is taken, so that path reads this object's lines and the shared words
     * it must (its cursor, the window limit, `needs`). Empty when moved from or
     * released.
     */
    struct hot_path {
        detail::ring_geometry geometry;
        std::atomic<std::uint64_t>* cursor = nullptr;             // this slot's cursor
        const std::atomic<std::uint64_t>* writer_needs = nullptr; // writer_wait.needs
        const std::atomic<std::uint64_t>* window_limit = nullptr; // flags.window_limit
        bool asymmetric = false; // the pipe's fence mode (docs/design.md 6.6)
    };
    hot_path d_hot;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_READER_CORE_H */
