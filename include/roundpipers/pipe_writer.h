/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_WRITER_H
#define INCLUDED_ROUNDPIPERS_PIPE_WRITER_H

#include <roundpipers/detail/role_check.h>
#include <roundpipers/metadata_store.h>
#include <roundpipers/writer_api.h>
#include <roundpipers/writer_core.h>
#include <memory>
#include <optional>
#include <string>

namespace roundpipers {

/*!
 * \brief The single writer of a pipe<T, Meta> (move-only).
 * \ingroup roundpipers_core
 *
 * \details
 * Obtained with pipe::get_writer(). write(n, fn) waits until n frames are free (blocking
 * readers hold it back; with no reader it never waits), hands fn a writable view of shape
 * `{n, frame_shape...}` straight in the ring, then publishes. close(), or destruction,
 * ends the stream for good: readers drain what is left, then see end_of_stream.
 * See writer_api for the whole member set (write, write_for, try_write, reserve,
 * reserve_for, try_reserve, publish).
 *
 * Thread safety: one thread at a time (checked in debug builds); the writer may move
 * between threads.
 */
template <class T, class Meta = no_metadata>
class pipe_writer : public writer_api<pipe_writer<T, Meta>, T>
{
public:
    /*! \brief Acquires the writer slot of \p core (use pipe::get_writer()). */
    pipe_writer(std::shared_ptr<pipe_core> core, std::shared_ptr<metadata_store<Meta>> meta)
        : d_core(std::move(core)), d_meta(std::move(meta))
    {
    }

    /*! \brief Waits until \p until for room for \p n frames (see writer_api::reserve). */
    write_span<T> reserve_until(std::size_t n, deadline until)
    {
        detail::role_check::scope role(d_role, "pipe_writer");
        std::uint8_t* p = nullptr;
        const read_status st = d_core.reserve(n, until, &p);
        if (st != read_status::ok)
            return write_span<T>(st, array_view<T>(), d_core.cached_state());
        const auto& pipe = d_core.pipe();
        const auto& shape = pipe.shape();
        return write_span<T>(st,
                             array_view<T>(reinterpret_cast<T*>(p),
                                           extents(n, true, shape.data(), shape.size()),
                                           n * pipe.frame_elements()),
                             d_core.cached_state());
    }

    /*! \brief Publishes the first \p k frames of the last reservation (0 discards it). */
    void publish(std::size_t k)
    {
        detail::role_check::scope role(d_role, "pipe_writer");
        d_core.publish(k);
    }

    /*! \brief Tags \p frame, waiting for tag room until \p until (see writer_core::add_tag). */
    read_status add_tag_until(std::uint64_t frame,
                              const std::string& key,
                              const std::string& value,
                              deadline until)
    {
        detail::role_check::scope role(d_role, "pipe_writer");
        return d_core.add_tag(frame, key, value, until);
    }

    /*! \brief The tag_writer of a write callback over \p span. */
    tag_writer tags_for(const write_span<T>& span, deadline until)
    {
        return tag_writer(d_core, d_core.written(), span.frames(), until);
    }

    /*! \brief Drops the tags added for the unpublished frames [\p begin, \p end). */
    void drop_pending_tags(std::uint64_t begin, std::uint64_t end)
    {
        d_core.drop_pending_tags(begin, end);
    }

    /*! \brief Ends the stream for good (idempotent); also done by the destructor. */
    void close()
    {
        detail::role_check::scope role(d_role, "pipe_writer");
        d_core.close();
    }

    /*! \brief Replaces the pipe-wide metadata (last write wins). */
    void set_metadata(const Meta& value) { meta("set_metadata").set(value); }
    /*! \brief The pipe-wide metadata, empty until set. */
    std::optional<Meta> get_metadata() const { return meta("get_metadata").get(); }

    /*! \brief Snapshot: written, slowest blocking reader, frames writable now. */
    pipe_state state() const { return d_core.state(); }
    /*! \brief Frames ever published. */
    std::uint64_t written_frames() const { return d_core.state().written; }
    /*! \brief Usable capacity in frames. */
    std::size_t capacity() const { return d_core.pipe().capacity(); }
    /*! \brief The frame shape. */
    const frame_shape& shape() const { return d_core.pipe().shape(); }
    /*! \brief The pipe's name. */
    const std::string& name() const { return d_core.pipe().name(); }
    /*! \brief True once closed. */
    bool is_closed() const { return d_core.is_closed(); }
    /*! \brief The type-erased writer (for bridges such as the GNU Radio blocks). */
    writer_core& core() { return d_core; }

private:
    metadata_store<Meta>& meta(const char* op) const
    {
        if (!d_meta)
            throw pipe_error(errc::invalid_argument,
                             std::string("pipe_writer::") + op +
                                 ": use of a moved-from writer (it holds no pipe)");
        return *d_meta;
    }

    writer_core d_core;
    std::shared_ptr<metadata_store<Meta>> d_meta;
    detail::role_check d_role;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_PIPE_WRITER_H */
