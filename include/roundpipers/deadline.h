/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_DEADLINE_H
#define INCLUDED_ROUNDPIPERS_DEADLINE_H

#include <chrono>

namespace roundpipers {

/*!
 * \brief When a wait gives up: a steady_clock time point.
 * \ingroup roundpipers_core
 *
 * \details `no_wait` means check once and never wait (the try_ calls); `wait_forever`
 * means wait until the condition holds (the plain blocking calls).
 */
using deadline = std::chrono::steady_clock::time_point;

/*! \brief Check once, never wait. */
constexpr deadline no_wait = deadline::min();
/*! \brief Wait without a time limit. */
constexpr deadline wait_forever = deadline::max();

/*! \brief The deadline \p timeout from now (saturating; negative means no_wait). */
template <class Rep, class Period>
deadline deadline_after(std::chrono::duration<Rep, Period> timeout)
{
    if (timeout <= timeout.zero())
        return no_wait;
    const auto now = std::chrono::steady_clock::now();
    const auto left = std::chrono::duration_cast<std::chrono::duration<double>>(deadline::max() - now);
    if (std::chrono::duration_cast<std::chrono::duration<double>>(timeout) >= left)
        return wait_forever;
    return now + std::chrono::duration_cast<deadline::duration>(timeout);
}

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_DEADLINE_H */
