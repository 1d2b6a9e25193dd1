/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_WRITE_ONLY_PIPE_STREAM_H
#define INCLUDED_ROUNDPIPERS_WRITE_ONLY_PIPE_STREAM_H

#include <roundpipers/byte_sink.h>
#include <roundpipers/detail/role_check.h>
#include <roundpipers/frame_shape.h>
#include <roundpipers/metadata_store.h>
#include <roundpipers/writer_api.h>
#include <optional>
#include <string>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace roundpipers {

/*!
 * \brief Writes frames to an ostream or a file descriptor as raw bytes.
 * \ingroup roundpipers_core
 *
 * \details
 * The writers' member set. Each publish sends the frames as raw native-endian bytes,
 * with no header, no framing and no metadata, and flushes them to the sink at once.
 * The internal buffer starts at capacity_frames and grows when a write is larger, so
 * writes never fail for size. I/O failures throw (errc::io_error for an ostream,
 * errc::system_error with errno for a descriptor); they are never ignored. Metadata is
 * kept in the object only. Nothing waits.
 *
 * Thread safety: one thread at a time (checked in debug builds).
 */
template <class T, class Meta = no_metadata>
class write_only_pipe_stream : public writer_api<write_only_pipe_stream<T, Meta>, T>
{
    static_assert(std::is_trivially_copyable_v<T>,
                  "write_only_pipe_stream<T>: T must be trivially copyable");

public:
    /*!
     * \param out the stream (must outlive this object)
     * \param capacity_frames initial buffer size, in frames (>= 1)
     * \param shape the per-frame shape
     */
    write_only_pipe_stream(std::ostream& out,
                           std::size_t capacity_frames,
                           const frame_shape& shape = {})
        : d_sink(out), d_shape(shape)
    {
        init(capacity_frames);
    }

    /*!
     * \param fd an open file descriptor (not closed by this object)
     * \param capacity_frames initial buffer size, in frames (>= 1)
     * \param shape the per-frame shape
     */
    write_only_pipe_stream(int fd, std::size_t capacity_frames, const frame_shape& shape = {})
        : d_sink(fd), d_shape(shape)
    {
        init(capacity_frames);
    }

    /*! \brief Moves the pipe; \p other is left moved-from (its use is an error). */
    write_only_pipe_stream(write_only_pipe_stream&& other) noexcept
        : d_sink(other.d_sink),
          d_shape(std::move(other.d_shape)),
          d_frame_elements(other.d_frame_elements),
          d_buffer(std::move(other.d_buffer)),
          d_reserved(std::exchange(other.d_reserved, 0)),
          d_written(other.d_written),
          d_until(other.d_until),
          d_closed(other.d_closed),
          d_valid(std::exchange(other.d_valid, false)),
          d_meta(std::move(other.d_meta))
    {
    }
    write_only_pipe_stream& operator=(write_only_pipe_stream&& other) noexcept
    {
        if (this != &other) {
            d_sink = other.d_sink;
            d_shape = std::move(other.d_shape);
            d_frame_elements = other.d_frame_elements;
            d_buffer = std::move(other.d_buffer);
            d_reserved = std::exchange(other.d_reserved, 0);
            d_written = other.d_written;
            d_until = other.d_until;
            d_closed = other.d_closed;
            d_valid = std::exchange(other.d_valid, false);
            d_meta = std::move(other.d_meta);
        }
        return *this;
    }

    /*!
     * \brief Room for \p n frames in the internal buffer (grows as needed; never waits).
     * \details \p until also bounds the wait of the publish() that follows for a
     * non-blocking descriptor that is full.
     */
    write_span<T> reserve_until(std::size_t n, deadline until)
    {
        detail::role_check::scope role(d_role, "write_only_pipe_stream");
        check_valid("reserve");
        if (d_closed)
            throw pipe_error(errc::closed, "write-only pipe stream: cannot write after close()");
        if (n == 0)
            throw pipe_error(errc::invalid_argument,
                             "write-only pipe stream: a write must be at least 1 frame (got 0)");
        if (n > d_buffer.size() / d_frame_elements) {
            if (n > d_buffer.max_size() / d_frame_elements)
                throw pipe_error(errc::invalid_argument,
                                 "write-only pipe stream: a write of " + std::to_string(n) +
                                     " frames is too large to buffer");
            grow(n);
        }
        d_reserved = n;
        d_until = until;
        return write_span<T>(read_status::ok,
                             array_view<T>(d_buffer.data(),
                                           extents(n, true, d_shape.data(), d_shape.size()),
                                           n * d_frame_elements),
                             state());
    }

    /*! \brief Sends the first \p k frames of the last reservation to the sink. */
    void publish(std::size_t k)
    {
        detail::role_check::scope role(d_role, "write_only_pipe_stream");
        check_valid("publish");
        if (d_closed)
            throw pipe_error(errc::closed,
                             "write-only pipe stream: cannot publish after close() (" +
                                 std::to_string(d_written) + " frames were sent)");
        if (k > d_reserved)
            throw pipe_error(errc::invalid_argument,
                             "write-only pipe stream: publish(" + std::to_string(k) +
                                 ") exceeds the " + std::to_string(d_reserved) +
                                 " frames reserved");
        d_reserved = 0;
        const std::uint64_t frame_bytes = d_frame_elements * sizeof(T);
        const std::uint64_t before = d_sink.bytes_written();
        try {
            d_sink.write(d_buffer.data(), k * frame_bytes, d_until);
        } catch (...) {
            // Whole frames that went out count as written; bytes_written() tells the rest.
            d_written += (d_sink.bytes_written() - before) / frame_bytes;
            throw;
        }
        d_written += k;
    }

    /*! \brief No more writes (idempotent). */
    void close()
    {
        d_closed = true;
        d_reserved = 0;
    }
    /*! \brief True once closed. */
    bool is_closed() const { return d_closed; }

    /*! \brief Frames sent so far. */
    std::uint64_t written_frames() const { return d_written; }
    /*! \brief Bytes sent so far. */
    std::uint64_t bytes_written() const { return d_sink.bytes_written(); }
    /*! \brief Snapshot: written, available = current buffer size in frames. */
    pipe_state state() const
    {
        pipe_state s;
        s.written = d_written;
        s.consumed = d_written;
        s.capacity = capacity();
        s.available = s.capacity;
        return s;
    }
    /*! \brief The internal buffer size in frames (grows with large writes). */
    std::size_t capacity() const { return d_buffer.size() / d_frame_elements; }
    /*! \brief The frame shape. */
    const frame_shape& shape() const { return d_shape; }
    /*! \brief "write-only pipe stream". */
    const std::string& name() const
    {
        static const std::string n = "write-only pipe stream";
        return n;
    }
    /*! \brief Replaces the metadata (kept here, never written to the sink). */
    void set_metadata(const Meta& value) { d_meta.set(value); }
    /*! \brief The metadata, empty until set. */
    std::optional<Meta> get_metadata() const { return d_meta.get(); }

private:
    void check_valid(const char* op) const
    {
        if (!d_valid)
            throw pipe_error(errc::invalid_argument,
                             std::string("write_only_pipe_stream::") + op +
                                 ": use of a moved-from write-only pipe");
    }

    void grow(std::size_t frames)
    {
        try {
            d_buffer.resize(frames * d_frame_elements);
        } catch (const std::bad_alloc&) {
            throw pipe_error(errc::invalid_argument,
                             "write-only pipe stream: cannot buffer " + std::to_string(frames) +
                                 " frames (" + std::to_string(frames * d_frame_elements * sizeof(T)) +
                                 " bytes): out of memory; write fewer frames at a time");
        }
    }

    void init(std::size_t capacity_frames)
    {
        d_frame_elements = frame_elements(d_shape, "write-only pipe stream");
        if (capacity_frames == 0)
            throw pipe_error(errc::invalid_argument,
                             "write-only pipe stream: capacity must be at least 1 frame "
                             "(got 0)");
        if (capacity_frames > d_buffer.max_size() / d_frame_elements)
            throw pipe_error(errc::invalid_argument,
                             "write-only pipe stream: capacity of " +
                                 std::to_string(capacity_frames) + " frames is too large");
        grow(capacity_frames);
    }

    byte_sink d_sink;
    frame_shape d_shape;
    std::size_t d_frame_elements = 1;
    std::vector<T> d_buffer;
    std::size_t d_reserved = 0;
    std::uint64_t d_written = 0;
    deadline d_until = wait_forever; // of the last reservation, for its publish
    bool d_closed = false;
    bool d_valid = true;
    metadata_store<Meta> d_meta;
    detail::role_check d_role;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_WRITE_ONLY_PIPE_STREAM_H */
