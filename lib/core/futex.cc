/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "futex.h"
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cerrno>
#include <ctime>

namespace roundpipers {
namespace detail {

namespace {
// relaxed: statistics, ordered with nothing else.
std::atomic<std::uint64_t> s_futex_waits{ 0 };
std::atomic<std::uint64_t> s_futex_wakes{ 0 };
} // namespace

std::uint64_t futex_syscalls()
{
    return s_futex_waits.load(std::memory_order_relaxed) +
           s_futex_wakes.load(std::memory_order_relaxed);
}

std::uint64_t futex_wake_syscalls() { return s_futex_wakes.load(std::memory_order_relaxed); }

bool futex_wait(std::atomic<std::uint32_t>* word, std::uint32_t expected, deadline until)
{
    // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time, which is what
    // steady_clock counts on Linux, so a wait interrupted by a signal keeps its deadline.
    timespec ts{};
    timespec* tsp = nullptr;
    if (until != wait_forever) {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            until.time_since_epoch())
                            .count();
        if (ns <= 0)
            return false;
        ts.tv_sec = static_cast<time_t>(ns / 1000000000);
        ts.tv_nsec = static_cast<long>(ns % 1000000000);
        tsp = &ts;
    }
    s_futex_waits.fetch_add(1, std::memory_order_relaxed);
    const long rc = ::syscall(SYS_futex,
                              reinterpret_cast<std::uint32_t*>(word),
                              FUTEX_WAIT_BITSET,
                              expected,
                              tsp,
                              nullptr,
                              FUTEX_BITSET_MATCH_ANY);
    return !(rc != 0 && errno == ETIMEDOUT);
}

void futex_wake(std::atomic<std::uint32_t>* word, int count)
{
    s_futex_wakes.fetch_add(1, std::memory_order_relaxed);
    ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), FUTEX_WAKE, count,
              nullptr, nullptr, 0);
}

} // namespace detail
} // namespace roundpipers
