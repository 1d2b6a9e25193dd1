/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_WRITE_SPAN_H
#define INCLUDED_ROUNDPIPERS_WRITE_SPAN_H

#include <roundpipers/array_view.h>
#include <roundpipers/pipe_state.h>

namespace roundpipers {

/*!
 * \brief What a writer's reserve() returns: a writable view of the next frames.
 * \ingroup roundpipers_core
 *
 * \details
 * When ok (`explicit operator bool`), fill the frames, then publish(k) the first k of
 * them. Nothing reaches readers before publish.
 */
template <class T>
class write_span
{
public:
    write_span() = default;
    write_span(read_status status, array_view<T> view, const pipe_state& state)
        : d_status(status), d_view(view), d_state(state)
    {
    }

    explicit operator bool() const { return d_status == read_status::ok; }
    /*! \brief ok, or timeout. */
    read_status status() const { return d_status; }
    /*! \brief The frames to fill, shape `{n, frame_shape...}` (empty unless ok). */
    array_view<T> data() const { return d_view; }
    /*! \brief Number of frames (0 unless ok). */
    std::size_t frames() const { return d_view.ndim() ? d_view.extent(0) : 0; }
    /*! \brief Snapshot taken by reserve(). */
    const pipe_state& state() const { return d_state; }

private:
    read_status d_status = read_status::timeout;
    array_view<T> d_view;
    pipe_state d_state;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_WRITE_SPAN_H */
