/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_READER_API_H
#define INCLUDED_ROUNDPIPERS_READER_API_H

#include <roundpipers/chunk_range.h>
#include <roundpipers/deadline.h>
#include <roundpipers/pipe_state.h>
#include <roundpipers/read_span.h>
#include <chrono>
#include <type_traits>

namespace roundpipers {

/*!
 * \brief The member set every reader type shares (pipe_reader, read_only_pipe_reader).
 * \ingroup roundpipers_core
 *
 * \details
 * Built on two members of Derived: `get_until(n, deadline)` returning a read_span
 * (frames outstanding on success) and `consume(k)`. The callback of read() takes
 * `(const_array_view<T>, const pipe_state&)` or just the view.
 *
 * - read(n_to_read, n_to_consume, fn): waits for n_to_read frames, calls fn with a view
 *   of shape `{n_to_read, frame_shape...}`, then advances by n_to_consume
 *   (< n_to_read: overlapping windows; 0: peek; > n_to_read: skip).
 * - read_for(..., timeout, fn) / try_read(...): the same with a time limit / no wait.
 * - iter_chunks(n_to_read, n_to_consume): a range of chunk_guard (see chunk_range).
 * - get(n) / get_for / try_get, then consume(k): the span API.
 *
 * If fn throws, nothing is consumed, the frames are released and the exception
 * propagates.
 */
template <class Derived, class T>
class reader_api
{
public:
    using value_type = T;

    /*! \brief Blocking read (see class description). */
    template <class Fn>
    read_result read(std::size_t n_to_read, std::size_t n_to_consume, Fn&& fn)
    {
        return read_until(n_to_read, n_to_consume, wait_forever, std::forward<Fn>(fn));
    }

    /*! \brief Read that gives up with read_status::timeout after \p timeout. */
    template <class Rep, class Period, class Fn>
    read_result read_for(std::size_t n_to_read,
                         std::size_t n_to_consume,
                         std::chrono::duration<Rep, Period> timeout,
                         Fn&& fn)
    {
        return read_until(
            n_to_read, n_to_consume, deadline_after(timeout), std::forward<Fn>(fn));
    }

    /*! \brief Read that never waits (read_status::timeout when not enough frames). */
    template <class Fn>
    read_result try_read(std::size_t n_to_read, std::size_t n_to_consume, Fn&& fn)
    {
        return read_until(n_to_read, n_to_consume, no_wait, std::forward<Fn>(fn));
    }

    /*! \brief Read that gives up at \p until. */
    template <class Fn>
    read_result
    read_until(std::size_t n_to_read, std::size_t n_to_consume, deadline until, Fn&& fn)
    {
        auto span = self().get_until(n_to_read, until);
        if (!span)
            return read_result(span.status(), span.state());
        try {
            if constexpr (std::is_invocable_v<Fn&,
                                              const_array_view<T>,
                                              const pipe_state&,
                                              const tag_list&>)
                fn(span.data(), span.state(), span.tags());
            else if constexpr (std::is_invocable_v<Fn&, const_array_view<T>, const pipe_state&>)
                fn(span.data(), span.state());
            else
                fn(span.data());
        } catch (...) {
            self().consume(0);
            throw;
        }
        const read_status st = self().consume(n_to_consume);
        if (st != read_status::ok)
            return read_result(st, self().state(), span.frames());
        return read_result(st, span.state(), span.frames());
    }

    /*!
     * \brief Range of chunks of n_to_read frames, advancing by n_to_consume.
     * \details The range refers to this reader, which must outlive it: it is not
     * available on a temporary (`pipe->get_reader().iter_chunks(...)` does not compile,
     * since the reader would die at the end of the range's initialisation).
     */
    chunk_range<Derived> iter_chunks(std::size_t n_to_read, std::size_t n_to_consume) &
    {
        return chunk_range<Derived>(
            self(), n_to_read, n_to_consume, std::chrono::nanoseconds(0), false);
    }
    chunk_range<Derived> iter_chunks(std::size_t, std::size_t) && = delete;

    /*! \brief Like iter_chunks, but the range also ends when a wait exceeds \p timeout. */
    template <class Rep, class Period>
    chunk_range<Derived> iter_chunks_for(std::size_t n_to_read,
                                         std::size_t n_to_consume,
                                         std::chrono::duration<Rep, Period> timeout) &
    {
        return chunk_range<Derived>(
            self(),
            n_to_read,
            n_to_consume,
            std::chrono::duration_cast<std::chrono::nanoseconds>(timeout),
            true);
    }
    template <class Rep, class Period>
    chunk_range<Derived>
    iter_chunks_for(std::size_t, std::size_t, std::chrono::duration<Rep, Period>) && = delete;

    /*! \brief Waits for \p n frames; they stay outstanding until consume(). */
    read_span<T> get(std::size_t n) { return self().get_until(n, wait_forever); }

    /*! \brief get() that gives up after \p timeout. */
    template <class Rep, class Period>
    read_span<T> get_for(std::size_t n, std::chrono::duration<Rep, Period> timeout)
    {
        return self().get_until(n, deadline_after(timeout));
    }

    /*! \brief get() that never waits. */
    read_span<T> try_get(std::size_t n) { return self().get_until(n, no_wait); }

private:
    Derived& self() { return static_cast<Derived&>(*this); }
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_READER_API_H */
