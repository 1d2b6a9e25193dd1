/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_READER_H
#define INCLUDED_ROUNDPIPERS_PIPE_READER_H

#include <roundpipers/detail/role_check.h>
#include <roundpipers/metadata_store.h>
#include <roundpipers/reader_api.h>
#include <roundpipers/reader_core.h>
#include <memory>
#include <optional>
#include <string>

namespace roundpipers {

/*!
 * \brief A reader of a pipe<T, Meta> (move-only), blocking or lossy.
 * \ingroup roundpipers_core
 *
 * \details
 * Obtained with pipe::get_reader(options). It starts at the current write position and
 * sees the frames published after it registered. A blocking reader holds the writer
 * back; a lossy one never does and reports read_status::overrun when lapped. After the
 * writer closes, reads drain what is left, then return end_of_stream (or
 * insufficient_data when 0 < left < n_to_read). See reader_api for the member set.
 *
 * Thread safety: one thread at a time (checked in debug builds); any number of readers
 * on any threads.
 */
template <class T, class Meta = no_metadata>
class pipe_reader : public reader_api<pipe_reader<T, Meta>, T>
{
public:
    /*! \brief Registers a reader on \p core (use pipe::get_reader()). */
    pipe_reader(std::shared_ptr<pipe_core> core,
                std::shared_ptr<metadata_store<Meta>> meta,
                const reader_options& options)
        : d_core(std::move(core), options), d_meta(std::move(meta))
    {
    }

    /*!
     * \brief Moves the reader.
     * \throws pipe_error errc::chunk_outstanding while a chunk guard or span of \p other
     * is alive: the guard refers to \p other and would consume through a dead object.
     */
    pipe_reader(pipe_reader&& other)
        : d_core(std::move(movable(other))), d_meta(std::move(other.d_meta))
    {
    }
    /*! \brief Move assignment, with the same rule as the move constructor (for both). */
    pipe_reader& operator=(pipe_reader&& other)
    {
        if (this != &other) {
            movable(*this);
            d_core = std::move(movable(other));
            d_meta = std::move(other.d_meta);
        }
        return *this;
    }

    /*! \brief Waits until \p until for \p n frames (see reader_api::get). */
    read_span<T> get_until(std::size_t n, deadline until)
    {
        detail::role_check::scope role(d_role, "pipe_reader");
        const auto sp = d_core.get(n, until);
        if (sp.status != read_status::ok)
            return read_span<T>(sp.status, const_array_view<T>(), sp.state);
        const auto& pipe = d_core.pipe();
        const auto& shape = pipe.shape();
        return read_span<T>(sp.status,
                            const_array_view<T>(reinterpret_cast<const T*>(sp.data),
                                                extents(n, true, shape.data(), shape.size()),
                                                n * pipe.frame_elements()),
                            sp.state,
                            sp.tags);
    }

    /*!
     * \brief Releases the outstanding frames and advances by \p k.
     * \return ok, or overrun when a lossy reader's outstanding frames were overwritten
     */
    read_status consume(std::size_t k)
    {
        detail::role_check::scope role(d_role, "pipe_reader");
        return d_core.consume(k);
    }

    /*! \brief The pipe-wide metadata, empty until set. */
    std::optional<Meta> get_metadata() const
    {
        if (!d_meta)
            throw pipe_error(errc::invalid_argument,
                             "pipe_reader::get_metadata: use of a moved-from reader (it "
                             "holds no pipe)");
        return d_meta->get();
    }

    /*! \brief Snapshot: written, this reader's position, available, lost. */
    pipe_state state() const { return d_core.state(); }
    /*! \brief Usable capacity in frames. */
    std::size_t capacity() const { return d_core.pipe().capacity(); }
    /*! \brief The frame shape. */
    const frame_shape& shape() const { return d_core.pipe().shape(); }
    /*! \brief The pipe's name. */
    const std::string& name() const { return d_core.pipe().name(); }
    /*! \brief True for a lossy reader. */
    bool is_lossy() const { return d_core.lossy(); }
    /*! \brief The type-erased reader (for bridges such as the GNU Radio blocks). */
    reader_core& core() { return d_core; }

private:
    static reader_core& movable(pipe_reader& r)
    {
        if (r.d_core.valid() && r.d_core.outstanding())
            throw pipe_error(errc::chunk_outstanding,
                             "pipe '" + r.d_core.pipe().name() + "': a reader cannot be moved "
                             "while one of its chunks or spans (" +
                                 std::to_string(r.d_core.outstanding()) +
                                 " frames) is alive; release it first");
        return r.d_core;
    }

    reader_core d_core;
    std::shared_ptr<metadata_store<Meta>> d_meta;
    detail::role_check d_role;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_PIPE_READER_H */
