/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_WRITER_API_H
#define INCLUDED_ROUNDPIPERS_WRITER_API_H

#include <roundpipers/deadline.h>
#include <roundpipers/pipe_state.h>
#include <roundpipers/tag_writer.h>
#include <roundpipers/write_span.h>
#include <algorithm>
#include <chrono>
#include <string>
#include <type_traits>

namespace roundpipers {

/*!
 * \brief The member set every writer type shares (pipe_writer, write_only_pipe_buffer,
 * write_only_pipe_stream).
 * \ingroup roundpipers_core
 *
 * \details
 * Built on two members of Derived: `reserve_until(n, deadline)` returning a write_span,
 * and `publish(k)`. The callback of write() takes `(array_view<T>, const pipe_state&)`
 * or just the view; it fills all n frames, which are then published. If it throws,
 * nothing is published and the exception propagates. Writers of tagged pipes
 * (pipe_writer) also take `(array_view<T>, tag_writer&)`, and add_tag() (see tag.h).
 */
template <class Derived, class T>
class writer_api
{
public:
    using value_type = T;

    /*! \brief Waits for room for \p n frames, lets \p fn fill them, publishes them. */
    template <class Fn>
    write_result write(std::size_t n, Fn&& fn)
    {
        return write_until(n, wait_forever, std::forward<Fn>(fn));
    }

    /*! \brief write() that gives up with read_status::timeout after \p timeout. */
    template <class Rep, class Period, class Fn>
    write_result write_for(std::size_t n, std::chrono::duration<Rep, Period> timeout, Fn&& fn)
    {
        return write_until(n, deadline_after(timeout), std::forward<Fn>(fn));
    }

    /*! \brief write() that never waits (read_status::timeout when there is no room). */
    template <class Fn>
    write_result try_write(std::size_t n, Fn&& fn)
    {
        return write_until(n, no_wait, std::forward<Fn>(fn));
    }

    /*! \brief write() that gives up at \p until. */
    template <class Fn>
    write_result write_until(std::size_t n, deadline until, Fn&& fn)
    {
        auto span = self().reserve_until(n, until);
        if (!span)
            return write_result(span.status(), span.state());
        // A callback that takes the state keeps taking it (a generic lambda could take
        // either): the tag_writer goes only to one that takes nothing else.
        // std::conjunction: the tag_writer form is not even looked at (a generic lambda's
        // body would be instantiated with it, a hard error) when the state form fits.
        constexpr bool with_state = std::is_invocable_v<Fn&, array_view<T>, const pipe_state&>;
        constexpr bool tagging =
            std::conjunction_v<std::bool_constant<!with_state>,
                               std::is_invocable<Fn&, array_view<T>, tag_writer&>>;
        std::uint64_t first_frame = 0;
        try {
            if constexpr (tagging) {
                tag_writer tags = self().tags_for(span, until);
                first_frame = tags.first_frame();
                fn(span.data(), tags);
            } else if constexpr (with_state) {
                fn(span.data(), span.state());
            } else {
                fn(span.data());
            }
        } catch (...) {
            self().publish(0);
            if constexpr (tagging) // the tags of this write's frames only
                self().drop_pending_tags(first_frame, first_frame + n);
            throw;
        }
        self().publish(n);
        // The reservation's snapshot moved on by the n frames just published: no second
        // look at the readers on the hot path.
        pipe_state after = span.state();
        after.written += n;
        after.available -= std::min<std::uint64_t>(after.available, n);
        return write_result(read_status::ok, after, n);
    }

    /*!
     * \brief Tags frame \p frame (absolute, not yet published): it reaches readers
     * with the frame. Waits while blocking readers hold a full tag area.
     * \throws pipe_error see writer_core::add_tag
     */
    void add_tag(std::uint64_t frame, const std::string& key, const std::string& value)
    {
        self().add_tag_until(frame, key, value, wait_forever);
    }

    /*! \brief add_tag() that gives up with read_status::timeout after \p timeout. */
    template <class Rep, class Period>
    read_status add_tag_for(std::uint64_t frame,
                            const std::string& key,
                            const std::string& value,
                            std::chrono::duration<Rep, Period> timeout)
    {
        return self().add_tag_until(frame, key, value, deadline_after(timeout));
    }

    /*! \brief add_tag() that never waits (read_status::timeout when there is no room). */
    read_status
    try_add_tag(std::uint64_t frame, const std::string& key, const std::string& value)
    {
        return self().add_tag_until(frame, key, value, no_wait);
    }

    /*! \brief Waits for room for \p n frames; fill them, then publish(k). */
    write_span<T> reserve(std::size_t n) { return self().reserve_until(n, wait_forever); }

    /*! \brief reserve() that gives up after \p timeout. */
    template <class Rep, class Period>
    write_span<T> reserve_for(std::size_t n, std::chrono::duration<Rep, Period> timeout)
    {
        return self().reserve_until(n, deadline_after(timeout));
    }

    /*! \brief reserve() that never waits. */
    write_span<T> try_reserve(std::size_t n) { return self().reserve_until(n, no_wait); }

private:
    Derived& self() { return static_cast<Derived&>(*this); }
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_WRITER_API_H */
