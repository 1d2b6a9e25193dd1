/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fence.h"
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace roundpipers {
namespace detail {

namespace {

long membarrier(int cmd) { return ::syscall(SYS_membarrier, cmd, 0, 0); }

bool register_once()
{
    // ROUNDPIPERS_SYMMETRIC_FENCES=1 forces the seq_cst protocol (tests, comparisons).
    const char* forced = std::getenv("ROUNDPIPERS_SYMMETRIC_FENCES");
    if (forced && *forced && *forced != '0')
        return false;
    const long supported = membarrier(MEMBARRIER_CMD_QUERY);
    if (supported < 0 || !(supported & MEMBARRIER_CMD_GLOBAL_EXPEDITED) ||
        !(supported & MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED))
        return false;
    return membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) == 0;
}

} // namespace

bool asymmetric_fences_available()
{
    // A function-local static: registered once per process, thread-safe.
    static const bool available = register_once();
    return available;
}

void heavy_fence()
{
    // It cannot fail once registered (EINTR is not among its errors); abort rather than
    // go on without the barrier the protocol relies on.
    if (membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED) != 0) {
        std::fprintf(stderr, "roundpipers: membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED) failed "
                             "after it was registered (errno %d); a wake-up could be lost\n",
                     errno);
        std::abort();
    }
}

} // namespace detail
} // namespace roundpipers
