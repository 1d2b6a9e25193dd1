/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_WRITER_CORE_H
#define INCLUDED_ROUNDPIPERS_WRITER_CORE_H

#include <roundpipers/core_api.h>
#include <roundpipers/deadline.h>
#include <roundpipers/pipe_core.h>
#include <roundpipers/pipe_state.h>
#include <roundpipers/tag.h>
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace roundpipers {

/*!
 * \brief The writer role of a pipe_core, type-erased (pipe_writer<T> wraps it).
 * \ingroup roundpipers_core
 *
 * \details
 * Construction acquires the pipe's single writer slot; destruction closes the stream.
 * reserve() hands out the next n frames of the ring (waiting until blocking readers
 * have freed them), publish() makes the first k of them visible to readers.
 * The writer keeps a cached limit (slowest blocking reader + capacity) and rescans the
 * reader slots only when that limit is too small or a reader registered, so a
 * steady-state reserve/publish touches no reader's cache line and makes no syscall.
 *
 * Thread safety: one thread at a time per writer_core.
 */
class ROUNDPIPERS_CORE_API writer_core
{
public:
    /*!
     * \param pipe the pipe to write
     * \throws pipe_error errc::writer_exists while another writer is alive,
     * errc::closed after the stream was closed
     */
    explicit writer_core(std::shared_ptr<pipe_core> pipe);
    ~writer_core();
    writer_core(writer_core&& other) noexcept;
    writer_core& operator=(writer_core&& other) noexcept;
    writer_core(const writer_core&) = delete;
    writer_core& operator=(const writer_core&) = delete;

    /*!
     * \brief Waits until \p n frames are free, then points \p out at them.
     * \return read_status::ok, or read_status::timeout when \p until passed
     * \throws pipe_error errc::invalid_argument (n == 0, moved-from), errc::closed,
     * errc::write_capacity_exceeded (n > capacity)
     */
    read_status reserve(std::size_t n, deadline until, std::uint8_t** out)
    {
        // The common case, inline in the caller: room known from the cached limit, no
        // reader registered since it was computed, the stream open. Everything else
        // (scans, waits, errors, a moved-from writer) is reserve_slow(), which makes
        // the same checks in full.
        if (d_hot.flags && !d_closed && n - 1 < d_hot.geometry.capacity &&
            d_written + n <= d_limit &&
            // acquire: a peer's close (see throw_if_closed_by_peer)
            !(d_hot.flags->load(std::memory_order_acquire) & closed_flag) &&
            // seq_cst load after the previous publish's store (see refresh_limit)
            d_hot.reader_epoch->load(std::memory_order_seq_cst) == d_epoch) {
            d_reserved = n;
            claim_until(d_written + n);
            *out = d_hot.geometry.frame_ptr(d_written);
            return read_status::ok;
        }
        return reserve_slow(n, until, out);
    }

    /*!
     * \brief Publishes the first \p k frames of the last reservation (0 discards it).
     * \throws pipe_error errc::invalid_argument when k exceeds the reservation
     */
    void publish(std::size_t k)
    {
        // The common case inline: frames of the reservation, no tags pending, the
        // stream open; the rest (and every error) is publish_slow().
        if (d_hot.flags && !d_closed && k != 0 && k <= d_reserved &&
            d_tags.pending.empty() &&
            // acquire: a stream another process ended takes no more frames
            !(d_hot.flags->load(std::memory_order_acquire) & closed_flag)) {
            d_reserved = 0;
            d_written += k;
            store_written();
            return;
        }
        publish_slow(k);
    }

    /*!
     * \brief Declares that frames before \p end_frame may be written into the ring from
     * now on, by this writer or by code writing the ring for it.
     * \details reserve() does this for the frames it hands out. A bridge whose ring is
     * filled by someone else (a GNU Radio block writing a pipe_sink's input edge) calls
     * it before letting that code overwrite slots, so lossy readers can tell torn data.
     */
    void claim_until(std::uint64_t end_frame)
    {
        check_valid("claim_until");
        if (end_frame <= d_reserve_head)
            return;
        d_reserve_head = end_frame;
        // relaxed store then release fence: the new head is ordered before every data
        // store into the claimed slots, so a lossy reader that sees overwritten data and
        // then (acquire fence) loads the head knows its frames were torn.
        d_hot.reserve_head->store(d_reserve_head, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_release);
    }

    /*!
     * \brief Declares that this writer's waits for room are probes: it publishes frames
     * by another path meanwhile (a bridge such as pipe_sink, whose upstream block writes
     * the ring), so a reader waiting for frames while it waits is no mutual wait. By
     * default reserve() fails with errc::mutual_wait when a blocking reader that holds
     * it back sleeps for frames it has not written (and such a reader's get() does).
     */
    void set_moves_while_waiting(bool moves);

    /*!
     * \brief Attaches a tag to frame \p frame, which must not be published yet.
     * \details The tag becomes visible with its frame (publish()). Tags may be added in
     * any order; readers get them in frame order, tags of one frame in the order added.
     * When the tag area is full, its oldest tags are freed once every blocking reader
     * has finished their frames (the writer waits for that, until \p until), or at
     * once when no blocking reader holds them (lossy readers then lose them).
     * \return read_status::ok, or read_status::timeout when \p until passed first
     * \throws pipe_error errc::invalid_argument for an empty key, a key over
     * max_tag_key_bytes, a value over max_tag_value_bytes, a published frame, or more
     * unpublished tags than the tag area holds; errc::closed after close();
     * errc::mutual_wait when the blocking reader holding the oldest tag waits for
     * frames this writer has not published
     */
    read_status
    add_tag(std::uint64_t frame, const std::string& key, const std::string& value, deadline until);

    /*! \brief Drops the tags added for frames not yet published. */
    void drop_pending_tags();
    /*! \brief Drops the tags added for the unpublished frames [\p begin, \p end). */
    void drop_pending_tags(std::uint64_t begin, std::uint64_t end);

    /*!
     * \brief True when one more tag of \p bytes key and value bytes can wait for its
     * frame: the tags waiting for unpublished frames may fill the tag area at most.
     * A bridge that adds many tags before it publishes their frames asks this first,
     * and publishes the frames before a tag that does not fit.
     */
    bool pending_tag_fits(std::size_t bytes) const;

    /*! \brief Tags added and not yet published (they wait for their frames). */
    std::size_t pending_tags() const { return d_tags.pending.size(); }

    /*!
     * \brief Declares that a blocking reader can never hold more than \p frames frames
     * (a bridge whose frames come from a GNU Radio block, which keeps part of its
     * buffer free): readers that ask for more fail at once with
     * errc::read_capacity_exceeded naming the limit, instead of waiting for ever.
     * 0 restores the capacity.
     */
    void set_window_limit(std::size_t frames);

    /*! \brief Ends the stream for good (idempotent); readers drain what is left. */
    void close();

    /*!
     * \brief Ends the stream as incomplete: readers drain what was published, then see
     * the end, and pipe_core::writer_lost() tells them the stream did not end as
     * planned (as when the writer's process dies). For writers that fail half way.
     */
    void abandon();

    /*! \brief True unless moved from. */
    bool valid() const { return static_cast<bool>(d_pipe); }
    /*! \brief True once close() was called. */
    bool is_closed() const { return d_closed; }
    /*! \brief Frames ever published. */
    std::uint64_t written() const { return d_written; }
    /*! \brief A snapshot (see pipe_state for the writer's meaning of the fields). */
    pipe_state state() const;
    /*!
     * \brief The writer's own view, from what it cached at its last scan of the
     * readers: no shared line is read. `available` is a lower bound of the frames
     * writable now (readers may have moved on since), `consumed` the slowest blocking
     * reader as last seen. The spans of reserve() carry this one: the hot path stays
     * O(1) whatever the number of reader slots.
     */
    pipe_state cached_state() const
    {
        check_valid("cached_state");
        const std::uint64_t cap = d_pipe->capacity();
        pipe_state s;
        s.written = d_written;
        s.capacity = cap;
        if (d_limit == UINT64_MAX || d_limit < cap) {
            s.consumed = d_written; // no blocking reader at the last scan
            s.available = cap;
        } else {
            s.consumed = d_limit - cap;
            s.available =
                d_limit > d_written ? std::min<std::uint64_t>(cap, d_limit - d_written) : 0;
        }
        return s;
    }
    /*! \brief The pipe (throws errc::invalid_argument when moved from). */
    pipe_core& pipe() const
    {
        check_valid("pipe");
        return *d_pipe;
    }

private:
    /*! How a wait for the blocking readers ended. */
    enum class wait_outcome { ready, timeout, closed_by_peer, mutual };

    // Inline on the hot path; the throw is out of line.
    void check_valid(const char* op) const
    {
        if (!d_pipe)
            throw_moved_from(op);
    }
    [[noreturn]] static void throw_moved_from(const char* op);
    read_status reserve_slow(std::size_t n, deadline until, std::uint8_t** out);
    void publish_slow(std::size_t k);
    /*! Makes d_written visible to readers and wakes those asleep (the one place). */
    void store_written()
    {
        if (d_hot.asymmetric) {
            // release store: publishes the frame bytes to readers. The load of
            // readers_sleeping after it is ordered by the compiler barrier only: a reader
            // that arms its sleep runs heavy_fence() before it re-loads `written`, which
            // either makes this store visible to it or this load see its arming.
            d_hot.written->store(d_written, std::memory_order_release);
            std::atomic_signal_fence(std::memory_order_seq_cst);
        } else {
            // seq_cst store: release publishes the frame bytes to readers; seq_cst orders
            // it before the load of readers_sleeping (a reader arms its sleep, then
            // re-loads `written`; one of the two sides sees the other).
            d_hot.written->store(d_written, std::memory_order_seq_cst);
        }
        if (d_hot.readers_sleeping->load(std::memory_order_seq_cst) != 0)
            d_pipe->wake_readers(d_written, false);
    }
    void refresh_limit();
    /*!
     * Waits (the one wait protocol: writer_wait.needs and its futex) until every
     * blocking reader is at or past \p needs; with \p detect_mutual, stops with
     * wait_outcome::mutual when such a reader sleeps for frames not yet published.
     */
    wait_outcome wait_for_readers(std::uint64_t needs, deadline until, bool detect_mutual);
    /*! Frees the oldest published tags until \p entries more and \p bytes more fit. */
    read_status make_tag_room(std::size_t bytes, deadline until);
    /*! Copies the pending tags of frames before d_written into the tag area. */
    void publish_tags();
    /*! Takes the tag counters of the pipe as earlier writers left them. */
    void adopt_tag_counters();
    /*! Throws errc::closed when another process ended the stream (a dead maker). */
    void throw_if_closed_by_peer() const;

    // alignas(64): a writer starts its own cache line and fills whole lines, so a
    // reader (or anything else another thread writes) placed next to it, on one
    // stack or in one struct, never shares a line with the state this thread writes
    // on every call (in a program laid out as B1 is, that halved batch-1 throughput).
    alignas(64) std::shared_ptr<pipe_core> d_pipe;
    std::uint64_t d_written = 0;      // authoritative copy: only this writer stores it
    std::uint64_t d_limit = 0;        // cached: frames may be written up to (excl.) this
    std::uint64_t d_slowest = 0;      // cached: min blocking cursor (UINT64_MAX: none)
    std::uint64_t d_epoch = 0;        // reader_epoch seen when d_limit was computed
    std::uint64_t d_reserve_head = 0; // max end of any reservation so far
    std::size_t d_reserved = 0;       // frames of the outstanding reservation
    bool d_closed = false;
    bool d_moves_while_waiting = false;

    /*! The writer's own copies of the tag area's counters (see docs/design.md). */
    struct tag_counters {
        tag_list pending;              // added, frames not yet published; frame order
        tag_list spares;               // published tags whose buffers add_tag reuses
        std::size_t pending_bytes = 0; // key and value bytes of `pending`
        std::uint64_t published = 0;   // entries published (the shared `tags` count)
        std::uint64_t tail = 0;        // oldest entry kept
        std::uint64_t byte_head = 0;   // next byte position of the key and value ring
        std::uint64_t byte_tail = 0;   // first byte of the oldest entry kept
        std::uint64_t frame_end = 0;   // every freed entry's frame is below this
    };
    tag_counters d_tags;

    // flags_line::flags bit of a closed stream (detail::flag_closed, checked in the .cc)
    static constexpr std::uint32_t closed_flag = 2u;
    /*!
     * What reserve() and publish() read on their common path, copied from the pipe when
     * the writer role is taken, so that path reads this object's lines and the shared
     * words it must. Empty when moved from.
     */
    struct hot_path {
        detail::ring_geometry geometry;
        // flags_line::flags and ::reader_epoch, written_line::value, reserve_head,
        // sleepers_line::readers_sleeping
        const std::atomic<std::uint32_t>* flags = nullptr;
        const std::atomic<std::uint64_t>* reader_epoch = nullptr;
        std::atomic<std::uint64_t>* written = nullptr;
        std::atomic<std::uint64_t>* reserve_head = nullptr;
        const std::atomic<std::uint32_t>* readers_sleeping = nullptr;
        bool asymmetric = false; // the pipe's fence mode (docs/design.md 6.6)
    };
    hot_path d_hot;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_WRITER_CORE_H */
