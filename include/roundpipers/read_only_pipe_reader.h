/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_READ_ONLY_PIPE_READER_H
#define INCLUDED_ROUNDPIPERS_READ_ONLY_PIPE_READER_H

#include <roundpipers/detail/role_check.h>
#include <roundpipers/frame_shape.h>
#include <roundpipers/metadata_store.h>
#include <roundpipers/reader_api.h>
#include <memory>
#include <optional>
#include <string>

namespace roundpipers {

namespace detail {

/*! The caller's data as a finished stream, shared by a read_only_pipe and its readers. */
template <class T, class Meta>
struct read_only_source {
    const T* data;
    std::size_t frames;
    roundpipers::frame_shape shape;
    std::size_t frame_elements;
    metadata_store<Meta> meta;
};

} // namespace detail

/*!
 * \brief A reader of a read_only_pipe: the same member set as pipe_reader.
 * \ingroup roundpipers_core
 *
 * \details
 * It starts at frame 0 and never waits: the data behaves as a stream whose writer has
 * already closed (insufficient_data for a short tail, then end_of_stream).
 *
 * Thread safety: one thread at a time (checked in debug builds); readers are
 * independent of each other.
 */
template <class T, class Meta = no_metadata>
class read_only_pipe_reader : public reader_api<read_only_pipe_reader<T, Meta>, T>
{
public:
    /*! \brief A reader at frame 0 of \p source (use read_only_pipe::get_reader()). */
    explicit read_only_pipe_reader(std::shared_ptr<detail::read_only_source<T, Meta>> source)
        : d_src(std::move(source))
    {
    }
    /*!
     * \brief Moves the reader.
     * \throws pipe_error errc::chunk_outstanding while a chunk guard or span of \p other
     * is alive (it refers to \p other).
     */
    read_only_pipe_reader(read_only_pipe_reader&& other)
        : d_src(std::move(movable(other).d_src)), d_pos(other.d_pos), d_outstanding(0)
    {
    }
    /*! \brief Move assignment, with the same rule as the move constructor (for both). */
    read_only_pipe_reader& operator=(read_only_pipe_reader&& other)
    {
        if (this != &other) {
            movable(*this);
            d_src = std::move(movable(other).d_src);
            d_pos = other.d_pos;
            d_outstanding = 0;
        }
        return *this;
    }

    /*! \brief \p n frames from the current position, never waiting (see reader_api::get). */
    read_span<T> get_until(std::size_t n, deadline)
    {
        detail::role_check::scope role(d_role, "read_only_pipe_reader");
        const auto& src = source("get");
        if (n == 0)
            throw pipe_error(errc::invalid_argument,
                             "read-only pipe: n_to_read must be at least 1 frame (got 0)");
        if (d_outstanding)
            throw pipe_error(errc::chunk_outstanding,
                             "read-only pipe: a chunk of " + std::to_string(d_outstanding) +
                                 " frames at position " + std::to_string(d_pos) +
                                 " is still held by this reader; release it before "
                                 "asking for another");
        // As pipe_reader: a window larger than the capacity is an error whatever is
        // left (an empty array has no capacity to exceed: it is only at its end).
        if (n > src.frames && src.frames > 0)
            throw pipe_error(errc::read_capacity_exceeded,
                             "Buffer capacity exceeded on read-only pipe: trying to read " +
                                 std::to_string(n) + " frames from buffer capable of holding " +
                                 std::to_string(src.frames));
        const std::size_t left = src.frames > d_pos ? src.frames - d_pos : 0;
        if (left == 0)
            return read_span<T>(read_status::end_of_stream, {}, state());
        if (left < n)
            return read_span<T>(read_status::insufficient_data, {}, state());
        d_outstanding = n;
        return read_span<T>(
            read_status::ok,
            const_array_view<T>(src.data + d_pos * src.frame_elements,
                                extents(n, true, src.shape.data(), src.shape.size()),
                                n * src.frame_elements),
            state());
    }

    /*! \brief Releases the outstanding frames and advances by \p k (past the end: end). */
    read_status consume(std::size_t k)
    {
        detail::role_check::scope role(d_role, "read_only_pipe_reader");
        const auto& src = source("consume");
        d_outstanding = 0;
        d_pos = k > src.frames - d_pos ? src.frames : d_pos + k;
        return read_status::ok;
    }

    /*! \brief The metadata set on the pipe, empty until set. */
    std::optional<Meta> get_metadata() const { return source("get_metadata").meta.get(); }

    /*! \brief Snapshot: written = all frames, this reader's position, frames left. */
    pipe_state state() const
    {
        const auto& src = source("state");
        pipe_state s;
        s.written = src.frames;
        s.consumed = d_pos;
        s.available = src.frames - d_pos;
        s.capacity = src.frames;
        return s;
    }
    /*! \brief Total frames (reads larger than this are errors). */
    std::size_t capacity() const { return source("capacity").frames; }
    /*! \brief The frame shape. */
    const frame_shape& shape() const { return source("shape").shape; }
    /*! \brief "read-only pipe". */
    const std::string& name() const
    {
        static const std::string n = "read-only pipe";
        return n;
    }
    /*! \brief Always false: nothing can be lost. */
    bool is_lossy() const { return false; }

private:
    static read_only_pipe_reader& movable(read_only_pipe_reader& r)
    {
        if (r.d_outstanding)
            throw pipe_error(errc::chunk_outstanding,
                             "read-only pipe: a reader cannot be moved while one of its chunks "
                             "or spans (" + std::to_string(r.d_outstanding) +
                                 " frames) is alive; release it first");
        return r;
    }

    const detail::read_only_source<T, Meta>& source(const char* op) const
    {
        if (!d_src)
            throw pipe_error(errc::invalid_argument,
                             std::string("read_only_pipe_reader::") + op +
                                 ": use of a moved-from reader (it holds no pipe)");
        return *d_src;
    }

    std::shared_ptr<detail::read_only_source<T, Meta>> d_src;
    std::size_t d_pos = 0;
    std::size_t d_outstanding = 0;
    detail::role_check d_role;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_READ_ONLY_PIPE_READER_H */
