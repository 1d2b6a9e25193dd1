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
#include <utility>

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
    metadata_store() = default;
    /*! \brief Takes the value of \p other (which is left empty); the mutex is not moved. */
    metadata_store(metadata_store&& other) : d_value(other.take()) {}
    metadata_store& operator=(metadata_store&& other)
    {
        if (this != &other) {
            auto v = other.take();
            std::lock_guard<std::mutex> lock(d_mutex);
            d_value = std::move(v);
        }
        return *this;
    }

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
    std::optional<Meta> take()
    {
        std::lock_guard<std::mutex> lock(d_mutex);
        return std::exchange(d_value, std::nullopt);
    }

    mutable std::mutex d_mutex;
    std::optional<Meta> d_value;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_METADATA_STORE_H */
