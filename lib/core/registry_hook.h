/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_REGISTRY_HOOK_H
#define INCLUDED_ROUNDPIPERS_REGISTRY_HOOK_H

#include <roundpipers/pipe_core.h>

namespace roundpipers {
namespace detail {

/*!
 * \brief Erases the registry entry of \p core, if it still names it: called by the
 * destructor of a registered engine, so a name goes when its last holder does.
 */
void registry_forget(const pipe_core* core) noexcept;

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_REGISTRY_HOOK_H */
