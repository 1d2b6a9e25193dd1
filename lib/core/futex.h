/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_FUTEX_H
#define INCLUDED_ROUNDPIPERS_FUTEX_H

#include <roundpipers/core_api.h>
#include <roundpipers/deadline.h>
#include <atomic>
#include <cstdint>

namespace roundpipers {
namespace detail {

/*!
 * \brief Sleeps while *word == expected, until woken or \p until passes.
 * \details Shared (not FUTEX_PRIVATE) futexes: the words live in a MAP_SHARED memfd that
 * another process may map. Returns false only on timeout; a wake, a changed value or
 * a signal return true and the caller re-checks its condition.
 */
bool futex_wait(std::atomic<std::uint32_t>* word, std::uint32_t expected, deadline until);

/*! \brief Wakes up to \p count threads sleeping on \p word. */
void futex_wake(std::atomic<std::uint32_t>* word, int count);

/*!
 * \brief Number of futex system calls made by this process so far (waits and wakes).
 * \details Lets tests check that steady-state publishing makes no system call.
 */
ROUNDPIPERS_CORE_API std::uint64_t futex_syscalls();

/*! \brief Number of FUTEX_WAKE system calls made by this process so far. */
ROUNDPIPERS_CORE_API std::uint64_t futex_wake_syscalls();

/*! \brief A hint to the CPU that this thread spins (PAUSE on x86, YIELD on Arm). */
inline void cpu_relax()
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#else
    std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
}

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_FUTEX_H */
