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
#include <cstdint>
#include <memory>

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
    read_status reserve(std::size_t n, deadline until, std::uint8_t** out);

    /*!
     * \brief Publishes the first \p k frames of the last reservation (0 discards it).
     * \throws pipe_error errc::invalid_argument when k exceeds the reservation
     */
    void publish(std::size_t k);

    /*!
     * \brief Declares that frames before \p end_frame may be written into the ring from
     * now on, by this writer or by code writing the ring for it.
     * \details reserve() does this for the frames it hands out. A bridge whose ring is
     * filled by someone else (a GNU Radio block writing a pipe_sink's input edge) calls
     * it before letting that code overwrite slots, so lossy readers can tell torn data.
     */
    void claim_until(std::uint64_t end_frame);

    /*!
     * \brief Declares that this writer's waits for room are probes: it publishes frames
     * by another path meanwhile (a bridge such as pipe_sink, whose upstream block writes
     * the ring), so a reader waiting for frames while it waits is no mutual wait. By
     * default reserve() fails with errc::mutual_wait when a blocking reader that holds
     * it back sleeps for frames it has not written (and such a reader's get() does).
     */
    void set_moves_while_waiting(bool moves);

    /*! \brief Ends the stream for good (idempotent); readers drain what is left. */
    void close();

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
    pipe_state cached_state() const;
    /*! \brief The pipe (throws errc::invalid_argument when moved from). */
    pipe_core& pipe() const;

private:
    void check_valid(const char* op) const;
    void refresh_limit();
    /*! Throws errc::closed when another process ended the stream (a dead maker). */
    void throw_if_closed_by_peer() const;

    std::shared_ptr<pipe_core> d_pipe;
    std::uint64_t d_written = 0;      // authoritative copy: only this writer stores it
    std::uint64_t d_limit = 0;        // cached: frames may be written up to (excl.) this
    std::uint64_t d_epoch = 0;        // reader_epoch seen when d_limit was computed
    std::uint64_t d_reserve_head = 0; // max end of any reservation so far
    std::size_t d_reserved = 0;       // frames of the outstanding reservation
    bool d_closed = false;
    bool d_moves_while_waiting = false;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_WRITER_CORE_H */
