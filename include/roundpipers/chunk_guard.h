/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_CHUNK_GUARD_H
#define INCLUDED_ROUNDPIPERS_CHUNK_GUARD_H

#include <roundpipers/array_view.h>
#include <roundpipers/pipe_state.h>
#include <roundpipers/tag.h>
#include <utility>

namespace roundpipers {

/*!
 * \brief RAII hold on frames a reader handed out: consumes `n_to_consume` frames when
 * destroyed.
 * \ingroup roundpipers_core
 *
 * \details
 * Yielded by iter_chunks(). While a guard lives, its reader has an outstanding chunk:
 * asking the reader for another one throws errc::chunk_outstanding (never a double
 * consume). The guard must not outlive its reader. For a lossy reader, frames that the
 * writer overwrote while the guard was held are detected when it is destroyed and
 * counted in the reader's state().lost.
 *
 * Thread safety: used by the reader's thread.
 */
template <class T>
class chunk_guard
{
public:
    /*! \brief Function the guard calls to consume: (reader, n_to_consume). */
    using consume_fn = read_status (*)(void*, std::size_t);

    chunk_guard(const_array_view<T> view,
                const pipe_state& state,
                std::size_t n_to_consume,
                void* reader,
                consume_fn consume,
                const tag_list* tags = nullptr)
        : d_view(view),
          d_state(state),
          d_n_to_consume(n_to_consume),
          d_reader(reader),
          d_consume(consume),
          d_tags(tags)
    {
    }
    ~chunk_guard() { release(); }

    chunk_guard(chunk_guard&& other) noexcept
        : d_view(other.d_view),
          d_state(other.d_state),
          d_n_to_consume(other.d_n_to_consume),
          d_reader(std::exchange(other.d_reader, nullptr)),
          d_consume(other.d_consume),
          d_tags(other.d_tags)
    {
    }
    chunk_guard& operator=(chunk_guard&& other) noexcept
    {
        if (this != &other) {
            release();
            d_view = other.d_view;
            d_state = other.d_state;
            d_n_to_consume = other.d_n_to_consume;
            d_reader = std::exchange(other.d_reader, nullptr);
            d_consume = other.d_consume;
            d_tags = other.d_tags;
        }
        return *this;
    }
    chunk_guard(const chunk_guard&) = delete;
    chunk_guard& operator=(const chunk_guard&) = delete;

    /*! \brief The frames, shape `{n, frame_shape...}`. */
    const_array_view<T> data() const { return d_view; }
    /*! \brief The snapshot taken when the chunk was handed out. */
    const pipe_state& state() const { return d_state; }
    /*! \brief The tags of the chunk's frames, in frame order (see tag.h). */
    const tag_list& tags() const { return d_tags ? *d_tags : no_tags(); }
    /*! \brief Number of frames in the chunk (fewer than asked for the final one). */
    std::size_t frames() const { return d_view.ndim() ? d_view.extent(0) : 0; }
    /*! \brief Iteration over every element of the chunk. */
    const T* begin() const { return d_view.begin(); }
    const T* end() const { return d_view.end(); }

    /*!
     * \brief Consumes now instead of at destruction (idempotent).
     * \return ok, or overrun when a lossy reader's frames were overwritten meanwhile
     */
    read_status release() noexcept
    {
        if (!d_reader)
            return read_status::ok;
        void* reader = std::exchange(d_reader, nullptr);
        try {
            return d_consume(reader, d_n_to_consume);
        } catch (...) {
            // consume only throws for a moved-from reader; a destructor must not throw.
            return read_status::ok;
        }
    }

private:
    const_array_view<T> d_view;
    pipe_state d_state;
    std::size_t d_n_to_consume;
    void* d_reader;
    consume_fn d_consume;
    const tag_list* d_tags;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_CHUNK_GUARD_H */
