/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_TAG_AREA_H
#define INCLUDED_ROUNDPIPERS_TAG_AREA_H

#include "control_region.h"
#include <cstddef>
#include <cstdint>
#include <string>

namespace roundpipers {
namespace detail {

/*!
 * The tag area of a control region: a ring of tag_entry indexed by absolute entry
 * number, and a ring of key and value bytes indexed by absolute byte position. Both
 * wrap by modulo, so any index or position read from shared memory stays in bounds.
 */
class tag_area
{
public:
    tag_area() = default;
    /*! \brief The area at \p base (entries first, then bytes). */
    tag_area(void* base, std::size_t capacity, std::size_t byte_capacity)
        : d_entries(static_cast<tag_entry*>(base)),
          d_bytes(static_cast<std::uint8_t*>(base) + capacity * sizeof(tag_entry)),
          d_capacity(capacity),
          d_byte_capacity(byte_capacity)
    {
    }

    /*! \brief Entries the area holds. */
    std::size_t capacity() const { return d_capacity; }
    /*! \brief Key and value bytes the area holds. */
    std::size_t byte_capacity() const { return d_byte_capacity; }

    /*! \brief The slot of absolute entry \p index. */
    tag_entry& entry(std::uint64_t index) const { return d_entries[index % d_capacity]; }

    /*! \brief Copies \p s to absolute byte position \p at (wrapping). */
    void write_bytes(std::uint64_t at, const std::string& s) const;
    /*! \brief Copies \p n bytes from absolute position \p at (wrapping) into \p out. */
    void read_bytes(std::uint64_t at, std::size_t n, std::string& out) const;

    /*! \brief The default entry count for a pipe of \p capacity_frames (pipe_options). */
    static std::size_t default_capacity(std::size_t capacity_frames);
    /*! \brief Key and value bytes for \p capacity entries. */
    static std::size_t byte_capacity_for(std::size_t capacity);
    /*! \brief Most entries a pipe may have (pipe_options::tag_capacity). */
    static constexpr std::size_t max_capacity = std::size_t(1) << 24;

private:
    tag_entry* d_entries = nullptr;
    std::uint8_t* d_bytes = nullptr;
    std::size_t d_capacity = 0;
    std::size_t d_byte_capacity = 0;
};

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_TAG_AREA_H */
