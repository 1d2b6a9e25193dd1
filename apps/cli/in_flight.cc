/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "in_flight.h"

namespace roundpipers_cli {

zmq::message_t
in_flight::message(const std::uint8_t* data, std::size_t bytes, std::size_t frames)
{
    record& r = d_records.emplace_back(frames, this);
    d_frames += frames;
    // ZeroMQ only reads the frames; its API takes a non-const pointer for both kinds.
    return zmq::message_t(const_cast<std::uint8_t*>(data), bytes, &in_flight::release, &r);
}

std::size_t in_flight::released()
{
    std::size_t n = 0;
    while (!d_records.empty() && d_records.front().done.load(std::memory_order_acquire)) {
        n += d_records.front().frames;
        d_records.pop_front();
    }
    d_frames -= n;
    return n;
}

void in_flight::wait_for_release(std::chrono::microseconds wait)
{
    std::unique_lock<std::mutex> lock(d_mutex);
    d_released.wait_for(lock, wait, [&] {
        return d_records.empty() || d_records.front().done.load(std::memory_order_acquire);
    });
}

void in_flight::release(void*, void* hint)
{
    auto* r = static_cast<record*>(hint);
    in_flight* owner = r->owner;
    {
        // Under the mutex, so that a waiter between its check and its sleep sees it.
        std::lock_guard<std::mutex> lock(owner->d_mutex);
        r->done.store(true, std::memory_order_release);
    }
    owner->d_released.notify_one();
}

} // namespace roundpipers_cli
