/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PROCESS_TOKEN_H
#define INCLUDED_ROUNDPIPERS_PROCESS_TOKEN_H

#include <cstdint>

namespace roundpipers {
namespace detail {

/*
 * A process_token names one process for its whole life in one 64-bit word that fits
 * an atomic in shared memory: the pid in the low 32 bits and the low 32 bits of the
 * process's start time (clock ticks since boot, /proc/<pid>/stat field 22) above. A
 * pid reused by a later process gives another token, so a dead peer is never taken
 * for a live one. 0 means "nobody".
 */

/*! \brief The token of the calling process (recomputed after fork). */
std::uint64_t self_token();

/*! \brief The pid part of a token. */
inline std::uint32_t token_pid(std::uint64_t token) { return std::uint32_t(token); }

/*!
 * \brief False when the process a token names is gone: no such pid, a zombie, or a
 * pid now used by a process that started at another time. True for 0 (nobody to lose).
 */
bool token_alive(std::uint64_t token);

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_PROCESS_TOKEN_H */
