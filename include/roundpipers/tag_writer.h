/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_TAG_WRITER_H
#define INCLUDED_ROUNDPIPERS_TAG_WRITER_H

#include <roundpipers/core_api.h>
#include <roundpipers/deadline.h>
#include <roundpipers/writer_core.h>
#include <string>

namespace roundpipers {

/*!
 * \brief Tags the frames of one write, from inside its callback.
 * \ingroup roundpipers_core
 *
 * \details
 * A write callback that takes `(array_view<T>, tag_writer&)` gets one:
 * `tags.add(i, key, value)` tags frame i of the write (0 is its first frame). The tags
 * are published with the frames; a callback that throws publishes neither. add() is
 * out of line: a write callback that may tag stays small enough to be inlined.
 */
class ROUNDPIPERS_CORE_API tag_writer
{
public:
    /*! \brief Tags for the \p frames frames from \p first_frame, waiting up to \p until. */
    tag_writer(writer_core& core, std::uint64_t first_frame, std::size_t frames, deadline until)
        : d_core(core), d_first_frame(first_frame), d_frames(frames), d_until(until)
    {
    }

    /*!
     * \brief Tags frame \p i of the write.
     * \throws pipe_error errc::invalid_argument for i outside the write (and for the
     * bad keys and values writer_core::add_tag refuses), errc::timeout when the tag
     * area has no room before the write's deadline
     */
    void add(std::size_t i, const std::string& key, const std::string& value);

    /*! \brief Frames of the write. */
    std::size_t frames() const { return d_frames; }
    /*! \brief Absolute position of the write's first frame. */
    std::uint64_t first_frame() const { return d_first_frame; }

private:
    writer_core& d_core;
    std::uint64_t d_first_frame;
    std::size_t d_frames;
    deadline d_until;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_TAG_WRITER_H */
