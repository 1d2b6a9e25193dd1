/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_READ_ONLY_PIPE_H
#define INCLUDED_ROUNDPIPERS_READ_ONLY_PIPE_H

#include <roundpipers/read_only_pipe_reader.h>
#include <memory>
#include <optional>
#include <type_traits>

namespace roundpipers {

/*!
 * \brief Zero-copy pipe over a caller's contiguous data, with the readers' API.
 * \ingroup roundpipers_core
 *
 * \details
 * The data is read in place; it must outlive the pipe and its readers and must not
 * change meanwhile. The pipe behaves as a stream whose writer has already closed.
 * A trailing partial frame is an error at construction, never silently dropped.
 *
 * Thread safety: any thread may make readers; each reader is used by one thread at a
 * time.
 */
template <class T, class Meta = no_metadata>
class read_only_pipe
{
    static_assert(std::is_trivially_copyable_v<T>,
                  "read_only_pipe<T>: T must be trivially copyable");

public:
    /*!
     * \param data the first element (may be null only when n_elements is 0)
     * \param n_elements number of T at \p data (a multiple of the frame size)
     * \param shape the per-frame shape
     * \throws pipe_error errc::invalid_argument for a null pointer, a bad shape or a
     * trailing partial frame
     */
    read_only_pipe(const T* data, std::size_t n_elements, const frame_shape& shape = {})
    {
        const std::size_t per_frame = frame_elements(shape, "read-only pipe");
        if (!data && n_elements)
            throw pipe_error(errc::invalid_argument,
                             "read-only pipe: null data pointer with " +
                                 std::to_string(n_elements) + " elements");
        if (n_elements % per_frame != 0)
            throw pipe_error(errc::invalid_argument,
                             "read-only pipe: " + std::to_string(n_elements) +
                                 " elements are not a whole number of frames of shape " +
                                 to_string(shape) + " (" + std::to_string(per_frame) +
                                 " elements each): " + std::to_string(n_elements % per_frame) +
                                 " trailing elements");
        d_src = std::make_shared<detail::read_only_source<T, Meta>>();
        d_src->data = data;
        d_src->frames = n_elements / per_frame;
        d_src->shape = shape;
        d_src->frame_elements = per_frame;
    }

    /*! \brief A new reader at frame 0 (readers are independent). */
    read_only_pipe_reader<T, Meta> get_reader(const reader_options& = {}) const
    {
        return read_only_pipe_reader<T, Meta>(d_src);
    }

    /*! \brief Total frames. */
    std::size_t capacity() const { return d_src->frames; }
    /*! \brief The frame shape. */
    const frame_shape& shape() const { return d_src->shape; }
    /*! \brief Sets the metadata its readers see. */
    void set_metadata(const Meta& value) { d_src->meta.set(value); }
    /*! \brief The metadata, empty until set. */
    std::optional<Meta> get_metadata() const { return d_src->meta.get(); }

private:
    std::shared_ptr<detail::read_only_source<T, Meta>> d_src;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_READ_ONLY_PIPE_H */
