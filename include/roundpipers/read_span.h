/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_READ_SPAN_H
#define INCLUDED_ROUNDPIPERS_READ_SPAN_H

#include <roundpipers/array_view.h>
#include <roundpipers/pipe_state.h>
#include <roundpipers/tag.h>

namespace roundpipers {

/*!
 * \brief What a reader's get() returns: a read-only view of the frames, or why not.
 * \ingroup roundpipers_core
 *
 * \details
 * When ok (`explicit operator bool`), the frames stay outstanding until the reader's
 * consume(k); a reader holds at most one outstanding span or chunk.
 */
template <class T>
class read_span
{
public:
    read_span() = default;
    read_span(read_status status,
              const_array_view<T> view,
              const pipe_state& state,
              const tag_list* tags = nullptr)
        : d_status(status), d_view(view), d_state(state), d_tags(tags)
    {
    }

    explicit operator bool() const { return d_status == read_status::ok; }
    /*! \brief ok, or why nothing was handed out. */
    read_status status() const { return d_status; }
    /*! \brief The frames, shape `{n, frame_shape...}` (empty unless ok). */
    const_array_view<T> data() const { return d_view; }
    /*! \brief Number of frames (0 unless ok). */
    std::size_t frames() const { return d_view.ndim() ? d_view.extent(0) : 0; }
    /*! \brief Snapshot taken by get(). */
    const pipe_state& state() const { return d_state; }
    /*!
     * \brief The tags of these frames, in frame order (see tag.h). Valid until the
     * reader's next get or read.
     */
    const tag_list& tags() const { return d_tags ? *d_tags : no_tags(); }

private:
    read_status d_status = read_status::timeout;
    const_array_view<T> d_view;
    pipe_state d_state;
    const tag_list* d_tags = nullptr;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_READ_SPAN_H */
