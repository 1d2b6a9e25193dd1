/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_STATE_H
#define INCLUDED_ROUNDPIPERS_PIPE_STATE_H

#include <roundpipers/core_api.h>
#include <roundpipers/frame_shape.h>
#include <roundpipers/pipe_error.h>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace roundpipers {

/*!
 * \brief A snapshot of a pipe as seen by one reader or writer, in frames.
 * \ingroup roundpipers_core
 *
 * \details
 * Counters are absolute 64-bit frame counts, never wrapped.
 * For a reader: `consumed` is its absolute position, `available` what it could read
 * then (`written - consumed`, or a lapped lossy reader's valid share), `lost` the frames
 * it lost to overruns (cumulative).
 * For a writer: `consumed` is the slowest blocking reader's position (`written` when
 * there is none), `available` the frames it could write without waiting, `lost` 0.
 */
struct pipe_state {
    std::uint64_t written = 0;   //!< frames ever published
    std::uint64_t consumed = 0;  //!< absolute position (see above)
    std::uint64_t available = 0; //!< frames readable (reader) or writable (writer) now
    std::uint64_t capacity = 0;  //!< usable capacity of the pipe, in frames
    std::uint64_t lost = 0;      //!< frames this reader lost to overruns, cumulative
    std::uint64_t lost_tags = 0; //!< tags this (lossy) reader lost, cumulative
};

/*!
 * \brief The outcome of a read or write.
 * \ingroup roundpipers_core
 */
enum class read_status {
    ok,                //!< the operation happened
    end_of_stream,     //!< the writer closed and nothing is left
    insufficient_data, //!< the writer closed and 0 < left < n_to_read
    timeout,           //!< the timed wait ran out (or a try_ call could not proceed)
    overrun,           //!< a lossy reader was lapped; it resumed at the oldest valid frame
};

/*! \brief The name of a status, e.g. "end_of_stream". */
ROUNDPIPERS_CORE_API const char* read_status_name(read_status s) noexcept;

/*!
 * \brief What read() (and every timed or try_ operation) returns.
 * \ingroup roundpipers_core
 *
 * \details
 * `explicit operator bool` is true when the operation happened. A result compares
 * equal to its read_status.
 */
class read_result
{
public:
    read_result() = default;
    /*!
     * \param status the outcome
     * \param state the snapshot taken by the operation
     * \param frames frames handed to the callback (0 when it was not called)
     */
    read_result(read_status status, const pipe_state& state, std::size_t frames = 0)
        : d_status(status), d_state(state), d_frames(frames)
    {
    }

    explicit operator bool() const { return d_status == read_status::ok; }
    /*! \brief The outcome. */
    read_status status() const { return d_status; }
    /*! \brief The snapshot taken by the operation. */
    const pipe_state& state() const { return d_state; }
    /*! \brief Frames handed to the callback (0 when it was not called). */
    std::size_t frames() const { return d_frames; }

    /*!
     * \brief Throws pipe_error with the matching errc unless the status is ok.
     * \param pipe_name named in the message
     */
    ROUNDPIPERS_CORE_API void throw_if_failed(const std::string& pipe_name) const;

    friend bool operator==(const read_result& r, read_status s) { return r.d_status == s; }
    friend bool operator==(read_status s, const read_result& r) { return r.d_status == s; }
    friend bool operator!=(const read_result& r, read_status s) { return r.d_status != s; }
    friend bool operator!=(read_status s, const read_result& r) { return r.d_status != s; }

private:
    read_status d_status = read_status::ok;
    pipe_state d_state;
    std::size_t d_frames = 0;
};

/*! \brief Writes return the same result type (ok or timeout). */
using write_result = read_result;

/*!
 * \brief How a reader behaves when it falls behind.
 * \ingroup roundpipers_core
 */
struct reader_options {
    /*!
     * false (default): the reader holds the writer back; nothing is ever lost.
     * true: the reader never holds the writer back; when lapped, its next read reports
     * read_status::overrun and it resumes at the oldest valid frame.
     */
    bool lossy = false;
};

/*!
 * \brief Options of a pipe, fixed at creation.
 * \ingroup roundpipers_core
 */
struct pipe_options {
    /*! Reader slots in the control region (readers alive at once). */
    std::size_t max_readers = 64;
    /*! Touch every page at creation so the first writes do not fault. */
    bool prefault = true;
    /*!
     * Reachable by name from other processes of this user while the pipe lives
     * (roundpipers::attach). The name must then be 1-100 characters of
     * `[A-Za-z0-9._-]`, not starting with a dot, and free (errc::name_in_use).
     */
    bool shared = false;
    /*!
     * Tags (see tag.h) the pipe's tag area holds at once: tags of frames that some
     * blocking reader has not finished, plus tags added for frames not yet published.
     * 0 (default): the capacity in frames, at least 1024 and at most 65536, so that a
     * stream with one tag per frame never waits for tag room. The area also holds 64
     * bytes of key and value per tag on average (at least 256 KiB). Its pages are
     * touched only when tags are written: an untagged pipe pays no memory for it.
     */
    std::size_t tag_capacity = 0;
};

/*!
 * \brief How roundpipers::attach() finds a shared pipe.
 * \ingroup roundpipers_core
 */
struct attach_options {
    attach_options() = default;
    /*! \brief `attach_options{std::chrono::seconds(5)}`: wait up to 5 s for the name. */
    attach_options(std::chrono::milliseconds wait, std::optional<frame_shape> frame = std::nullopt)
        : timeout(wait), shape(std::move(frame))
    {
    }
    /*! How long to wait for the name to appear (0: look once). */
    std::chrono::milliseconds timeout{ 0 };
    /*! When set, the pipe's frame shape must be this one (errc::invalid_argument). */
    std::optional<frame_shape> shape;
};

/*! \brief The metadata type of pipes that carry none. */
struct no_metadata {
    friend bool operator==(no_metadata, no_metadata) { return true; }
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_PIPE_STATE_H */
