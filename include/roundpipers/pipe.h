/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_H
#define INCLUDED_ROUNDPIPERS_PIPE_H

#include <roundpipers/element_type.h>
#include <roundpipers/frame_shape.h>
#include <roundpipers/metadata_store.h>
#include <roundpipers/pipe_core.h>
#include <roundpipers/pipe_error.h>
#include <roundpipers/pipe_reader.h>
#include <roundpipers/pipe_writer.h>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace roundpipers {

class registry;

/*!
 * \brief A circular pipe of frames of T: one writer, many readers, zero copies.
 * \ingroup roundpipers_core
 *
 * \details
 * The frames live in a memfd mapped twice in a row (see memfd_ring), so every window
 * of up to capacity() frames is contiguous. A frame is `prod(shape)` values of T in C
 * order. Capacity is in frames and is rounded up so that the ring is a multiple of
 * lcm(page size, frame bytes); every slot is usable.
 *
 * \code
 *   auto p = roundpipers::pipe<float>::make("audio", 1 << 20);
 *   auto w = p->get_writer();
 *   auto r = p->get_reader();
 *   w.write(100, [](roundpipers::array_view<float> v, const roundpipers::pipe_state&) {
 *       for (std::size_t i = 0; i < v.extent(0); ++i) v(i) = float(i);
 *   });
 * \endcode
 *
 * Meta is a pipe-wide metadata value kept in the process (set on writers, read on
 * readers). make() registers nothing: the name is a label (see registry for named pipes).
 *
 * Thread safety: a pipe is shared by shared_ptr and may be used from any thread;
 * each writer or reader is used by one thread at a time.
 */
template <class T, class Meta = no_metadata>
class pipe
{
    static_assert(std::is_trivially_copyable_v<T>, "pipe<T>: T must be trivially copyable");
    static_assert(std::is_copy_constructible_v<Meta>, "pipe<T, Meta>: Meta must be copyable");

public:
    using sptr = std::shared_ptr<pipe>;
    using value_type = T;
    using metadata_type = Meta;

    /*!
     * \brief Creates a pipe.
     * \param name a label (shown in /proc/\<pid\>/maps and in error messages; no NUL)
     * \param capacity_frames requested capacity, in frames (>= 1)
     * \param shape the per-frame shape (`{}`: one T per frame)
     * \param options reader slots and prefaulting
     * \throws pipe_error errc::invalid_argument for bad arguments, errc::system_error
     * when the memfd ring cannot be made
     */
    static sptr make(const std::string& name,
                     std::size_t capacity_frames,
                     const frame_shape& shape = {},
                     const pipe_options& options = {})
    {
        return sptr(new pipe(pipe_core::create(
            name, capacity_frames, shape, element_type_of<T>(), sizeof(T), options)));
    }

    /*!
     * \brief Maps the shared pipe \p name (made with pipe_options::shared, in this or
     * another process of this user).
     * \details Waits up to `options.timeout` for the name to appear. The result has the
     * whole pipe API; its readers map the frames read-only, and get_writer() works
     * while the maker lives and no other writer does. Metadata is per process: an
     * attached pipe starts with none.
     * \throws pipe_error errc::not_found after the timeout, errc::invalid_argument when
     * the pipe's element type is not T or its shape is not `options.shape`,
     * errc::corrupted for a control region no pipe has (see pipe_core::attach)
     */
    static sptr attach(const std::string& name, const attach_options& options = {})
    {
        auto core = pipe_core::attach(name, options);
        if (core->type() != element_type_of<T>() || core->element_bytes() != sizeof(T))
            throw pipe_error(errc::invalid_argument,
                             "shared pipe '" + name + "' carries " +
                                 element_type_name(core->type()) + " elements of " +
                                 std::to_string(core->element_bytes()) +
                                 " bytes, not the " + element_type_name(element_type_of<T>()) +
                                 " elements of " + std::to_string(sizeof(T)) +
                                 " bytes asked for; attach it with its own element type");
        return sptr(new pipe(std::move(core)));
    }

    /*!
     * \brief The single writer.
     * \throws pipe_error errc::writer_exists while another writer is alive, errc::closed
     * once the stream was closed
     */
    pipe_writer<T, Meta> get_writer() { return pipe_writer<T, Meta>(d_core, d_meta); }

    /*!
     * \brief A new reader at the current write position.
     * \param options blocking (default) or lossy (`reader_options{true}`)
     * \throws pipe_error errc::too_many_readers when every reader slot is taken
     */
    pipe_reader<T, Meta> get_reader(const reader_options& options = {})
    {
        return pipe_reader<T, Meta>(d_core, d_meta, options);
    }

    /*! \brief The pipe's name. */
    const std::string& name() const { return d_core->name(); }
    /*! \brief Usable capacity in frames (>= requested). */
    std::size_t capacity() const { return d_core->capacity(); }
    /*! \brief The frame shape. */
    const frame_shape& shape() const { return d_core->shape(); }
    /*! \brief Values of T per frame. */
    std::size_t frame_size() const { return d_core->frame_elements(); }
    /*! \brief Snapshot: written, slowest blocking reader, frames writable now. */
    pipe_state state() const { return d_core->state(); }
    /*! \brief True once the writer closed. */
    bool is_closed() const { return d_core->is_closed(); }
    /*! \brief Readers registered now. */
    std::size_t reader_count() const { return d_core->reader_count(); }
    /*! \brief True for a pipe made with pipe_options::shared. */
    bool is_shared() const { return d_core->is_shared(); }
    /*! \brief True for a pipe mapped with attach(). */
    bool is_attached() const { return d_core->is_attached(); }
    /*!
     * \brief True once the writer's process died without closing the stream (its
     * readers drain what was published, then see end of stream).
     */
    bool writer_lost() const { return d_core->writer_lost(); }
    /*! \brief The pipe-wide metadata, empty until a writer sets it. */
    std::optional<Meta> get_metadata() const { return d_meta->get(); }
    /*! \brief The type-erased engine (ring, control region). */
    const std::shared_ptr<pipe_core>& core() const { return d_core; }

private:
    friend class registry; // re-wraps a live engine whose pipe object is gone

    explicit pipe(std::shared_ptr<pipe_core> core)
        : d_core(std::move(core)), d_meta(std::make_shared<metadata_store<Meta>>())
    {
    }
    pipe(std::shared_ptr<pipe_core> core, std::shared_ptr<metadata_store<Meta>> meta)
        : d_core(std::move(core)), d_meta(std::move(meta))
    {
    }

    std::shared_ptr<pipe_core> d_core;
    std::shared_ptr<metadata_store<Meta>> d_meta;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_PIPE_H */
