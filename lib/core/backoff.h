/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_BACKOFF_H
#define INCLUDED_ROUNDPIPERS_BACKOFF_H

#include "futex.h"
#include <roundpipers/deadline.h>
#include <sched.h>

namespace roundpipers {
namespace detail {

/*
 * Spin rounds and yields before a waiter sleeps on its futex. A handoff between two
 * busy threads usually completes within the spin; on an oversubscribed machine the
 * yields give the other thread the core; after that the waiter sleeps, so an idle
 * pipe costs no CPU. What these numbers give on the development machine is recorded in
 * docs/design.md, section 6.1.
 */
constexpr int spin_rounds = 100;
constexpr int yield_rounds = 4;

/*!
 * \brief Waits until ready() holds or \p until passes: spin, then yield, then sleep.
 * \param ready the condition (cheap, called often)
 * \param sleep arms the waiter's wake-up, re-checks the condition and sleeps on the
 * futex; returns true when the condition held at the re-check
 * \return true when the condition holds, false on timeout
 */
template <class Ready, class Sleep>
bool backoff_wait(Ready&& ready, Sleep&& sleep, deadline until)
{
    if (ready())
        return true;
    if (until == no_wait)
        return false;
    for (int i = 0; i < spin_rounds; ++i) {
        cpu_relax();
        if (ready())
            return true;
    }
    for (int i = 0; i < yield_rounds; ++i) {
        ::sched_yield();
        if (ready())
            return true;
    }
    for (;;) {
        if (until != wait_forever && std::chrono::steady_clock::now() >= until)
            return ready();
        if (sleep(until))
            return true;
        if (ready())
            return true;
    }
}

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_BACKOFF_H */
