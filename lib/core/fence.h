/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_FENCE_H
#define INCLUDED_ROUNDPIPERS_FENCE_H

namespace roundpipers {
namespace detail {

/*
 * Asymmetric fences (docs/design.md, "Wait protocol"). The hot path of a pipe, a
 * writer's publish and a reader's cursor store, pairs with a sleeper that arms its wait
 * and then looks again. With asymmetric fences the hot side does a release store and a
 * compiler barrier only, and the sleeper pays: after arming, heavy_fence() makes every
 * CPU running a registered process (every process of the pipe registers) execute a full
 * memory barrier, so either the hot side's store is visible to the sleeper's second look
 * or the hot side's later load sees the armed wait. membarrier(2) with
 * MEMBARRIER_CMD_GLOBAL_EXPEDITED (Linux 4.16) does it.
 */

/*!
 * \brief True when this process can take part in asymmetric fences: the kernel offers
 * the expedited global membarrier and this process registered for it (done once, on
 * the first call).
 */
bool asymmetric_fences_available();

/*!
 * \brief A full memory barrier on every CPU running a registered process (the sleeper's
 * side). Call only when asymmetric_fences_available().
 */
void heavy_fence();

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_FENCE_H */
