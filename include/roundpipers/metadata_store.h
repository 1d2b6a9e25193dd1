/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_METADATA_STORE_H
#define INCLUDED_ROUNDPIPERS_METADATA_STORE_H

#include <mutex>
#include <optional>

namespace roundpipers {

/*!
 * \brief One pipe-wide metadata value: empty until set, last write wins.
 * \ingroup roundpipers_core
 *
 * \details
 * Metadata lives in the process (not in the memfd) and is not tied to a stream
 * position: a reader sees the latest value whatever frames it reads.
 *
 * Thread safety: set() and get() may be called from any thread.
 */
template <class Meta>
class metadata_store
{
public:
    /*! \brief Replaces the value. */
    void set(const Meta& value)
    {
        std::lock_guard<std::mutex> lock(d_mutex);
        d_value = value;
    }
    /*! \brief A copy of the value, or empty when never set. */
    std::optional<Meta> get() const
    {
        std::lock_guard<std::mutex> lock(d_mutex);
        return d_value;
    }

private:
    mutable std::mutex d_mutex;
    std::optional<Meta> d_value;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_METADATA_STORE_H */
