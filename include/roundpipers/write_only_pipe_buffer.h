/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_WRITE_ONLY_PIPE_BUFFER_H
#define INCLUDED_ROUNDPIPERS_WRITE_ONLY_PIPE_BUFFER_H

#include <roundpipers/detail/role_check.h>
#include <roundpipers/frame_shape.h>
#include <roundpipers/metadata_store.h>
#include <roundpipers/writer_api.h>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace roundpipers {

/*!
 * \brief Writes frames straight into a caller's memory until it is full.
 * \ingroup roundpipers_core
 *
 * \details
 * The writers' member set (write, reserve, publish, ...) over `T data[n_elements]`.
 * A write that does not fit fails with errc::buffer_full and writes nothing; a write
 * larger than the whole buffer fails with errc::write_capacity_exceeded.
 * written_frames() tells how far it got. Nothing ever waits.
 *
 * Thread safety: one thread at a time (checked in debug builds).
 */
template <class T, class Meta = no_metadata>
class write_only_pipe_buffer : public writer_api<write_only_pipe_buffer<T, Meta>, T>
{
    static_assert(std::is_trivially_copyable_v<T>,
                  "write_only_pipe_buffer<T>: T must be trivially copyable");

public:
    /*!
     * \param data the caller's memory (may be null only when n_elements is 0)
     * \param n_elements number of T at \p data (a multiple of the frame size)
     * \param shape the per-frame shape
     * \throws pipe_error errc::invalid_argument for a null pointer, a bad shape or a
     * trailing partial frame
     */
    write_only_pipe_buffer(T* data, std::size_t n_elements, const frame_shape& shape = {})
        : d_data(data), d_shape(shape)
    {
        d_frame_elements = frame_elements(shape, "write-only pipe buffer");
        if (!data && n_elements)
            throw pipe_error(errc::invalid_argument,
                             "write-only pipe buffer: null data pointer with " +
                                 std::to_string(n_elements) + " elements");
        if (n_elements % d_frame_elements != 0)
            throw pipe_error(errc::invalid_argument,
                             "write-only pipe buffer: " + std::to_string(n_elements) +
                                 " elements are not a whole number of frames of shape " +
                                 to_string(shape) + " (" + std::to_string(d_frame_elements) +
                                 " elements each)");
        d_capacity = n_elements / d_frame_elements;
    }

    /*! \brief Moves the pipe; \p other is left moved-from (its use is an error). */
    write_only_pipe_buffer(write_only_pipe_buffer&& other) noexcept
        : d_data(std::exchange(other.d_data, nullptr)),
          d_shape(std::move(other.d_shape)),
          d_frame_elements(other.d_frame_elements),
          d_capacity(std::exchange(other.d_capacity, 0)),
          d_written(other.d_written),
          d_reserved(std::exchange(other.d_reserved, 0)),
          d_closed(other.d_closed),
          d_valid(std::exchange(other.d_valid, false)),
          d_meta(std::move(other.d_meta))
    {
    }
    write_only_pipe_buffer& operator=(write_only_pipe_buffer&& other) noexcept
    {
        if (this != &other) {
            d_data = std::exchange(other.d_data, nullptr);
            d_shape = std::move(other.d_shape);
            d_frame_elements = other.d_frame_elements;
            d_capacity = std::exchange(other.d_capacity, 0);
            d_written = other.d_written;
            d_reserved = std::exchange(other.d_reserved, 0);
            d_closed = other.d_closed;
            d_valid = std::exchange(other.d_valid, false);
            d_meta = std::move(other.d_meta);
        }
        return *this;
    }

    /*!
     * \brief The next \p n frames of the caller's memory (never waits).
     * \throws pipe_error errc::buffer_full when fewer than n frames are left,
     * errc::write_capacity_exceeded when n exceeds the whole buffer, errc::closed after
     * close(), errc::invalid_argument for n == 0
     */
    write_span<T> reserve_until(std::size_t n, deadline)
    {
        detail::role_check::scope role(d_role, "write_only_pipe_buffer");
        check_valid("reserve");
        if (d_closed)
            throw pipe_error(errc::closed, "write-only pipe buffer: cannot write after close()");
        if (n == 0)
            throw pipe_error(errc::invalid_argument,
                             "write-only pipe buffer: a write must be at least 1 frame (got 0)");
        if (n > d_capacity)
            throw pipe_error(errc::write_capacity_exceeded,
                             "Buffer capacity exceeded on write-only pipe buffer: trying to "
                             "write " + std::to_string(n) +
                                 " frames into buffer capable of holding " +
                                 std::to_string(d_capacity));
        if (n > d_capacity - d_written)
            throw pipe_error(errc::buffer_full,
                             "write-only pipe buffer is full: trying to write " +
                                 std::to_string(n) + " frames with " +
                                 std::to_string(d_capacity - d_written) + " of " +
                                 std::to_string(d_capacity) + " frames left");
        d_reserved = n;
        return write_span<T>(
            read_status::ok,
            array_view<T>(d_data + d_written * d_frame_elements,
                          extents(n, true, d_shape.data(), d_shape.size()),
                          n * d_frame_elements),
            state());
    }

    /*! \brief Keeps the first \p k frames of the last reservation. */
    void publish(std::size_t k)
    {
        detail::role_check::scope role(d_role, "write_only_pipe_buffer");
        check_valid("publish");
        if (d_closed)
            throw pipe_error(errc::closed,
                             "write-only pipe buffer: cannot publish after close() (" +
                                 std::to_string(d_written) + " frames were written)");
        if (k > d_reserved)
            throw pipe_error(errc::invalid_argument,
                             "write-only pipe buffer: publish(" + std::to_string(k) +
                                 ") exceeds the " + std::to_string(d_reserved) +
                                 " frames reserved");
        d_written += k;
        d_reserved = 0;
    }

    /*! \brief No more writes (idempotent). */
    void close()
    {
        d_closed = true;
        d_reserved = 0;
    }
    /*! \brief True once closed. */
    bool is_closed() const { return d_closed; }

    /*! \brief Frames written so far. */
    std::size_t written_frames() const { return d_written; }
    /*! \brief Snapshot: written, available = frames left. */
    pipe_state state() const
    {
        pipe_state s;
        s.written = d_written;
        s.consumed = d_written;
        s.available = d_capacity - d_written;
        s.capacity = d_capacity;
        return s;
    }
    /*! \brief Total frames. */
    std::size_t capacity() const { return d_capacity; }
    /*! \brief The frame shape. */
    const frame_shape& shape() const { return d_shape; }
    /*! \brief "write-only pipe buffer". */
    const std::string& name() const
    {
        static const std::string n = "write-only pipe buffer";
        return n;
    }
    /*! \brief Replaces the metadata. */
    void set_metadata(const Meta& value) { d_meta.set(value); }
    /*! \brief The metadata, empty until set. */
    std::optional<Meta> get_metadata() const { return d_meta.get(); }

private:
    void check_valid(const char* op) const
    {
        if (!d_valid)
            throw pipe_error(errc::invalid_argument,
                             std::string("write_only_pipe_buffer::") + op +
                                 ": use of a moved-from write-only pipe");
    }

    T* d_data;
    frame_shape d_shape;
    std::size_t d_frame_elements = 1;
    std::size_t d_capacity = 0;
    std::size_t d_written = 0;
    std::size_t d_reserved = 0;
    bool d_closed = false;
    bool d_valid = true;
    metadata_store<Meta> d_meta;
    detail::role_check d_role;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_WRITE_ONLY_PIPE_BUFFER_H */
