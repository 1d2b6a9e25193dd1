/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_TAG_H
#define INCLUDED_ROUNDPIPERS_TAG_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace roundpipers {

/*! \brief Longest tag key, in bytes. */
constexpr std::size_t max_tag_key_bytes = 255;
/*! \brief Longest tag value, in bytes. */
constexpr std::size_t max_tag_value_bytes = 65536;

/*!
 * \brief Positional metadata: a key and a value attached to one frame of a stream.
 * \ingroup roundpipers_core
 *
 * \details
 * `frame` is an absolute frame position of the pipe. The value is an opaque byte
 * string; the GNU Radio blocks store a serialised PMT there (`pmt::serialize_str`).
 */
struct tag {
    std::uint64_t frame = 0; //!< absolute frame position
    std::string key;         //!< 1 to max_tag_key_bytes bytes
    std::string value;       //!< 0 to max_tag_value_bytes bytes

    friend bool operator==(const tag& a, const tag& b)
    {
        return a.frame == b.frame && a.key == b.key && a.value == b.value;
    }
    friend bool operator!=(const tag& a, const tag& b) { return !(a == b); }
};

/*! \brief The tags of a window of frames, in frame order (then in the order added). */
using tag_list = std::vector<tag>;

/*! \brief The empty tag list (what a window without tags, or an empty span, carries). */
inline const tag_list& no_tags()
{
    static const tag_list empty;
    return empty;
}

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_TAG_H */
