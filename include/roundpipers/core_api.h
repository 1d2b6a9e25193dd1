/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_CORE_API_H
#define INCLUDED_ROUNDPIPERS_CORE_API_H

/*
 * Visibility of the standalone core library (roundpipers::core). The library is built
 * with hidden visibility; only what carries ROUNDPIPERS_CORE_API is exported. This file
 * is hand-written (not generated) so that a program can use the headers with nothing
 * but `-I include`.
 */
#if defined(roundpipers_core_EXPORTS)
#define ROUNDPIPERS_CORE_API __attribute__((visibility("default")))
#else
#define ROUNDPIPERS_CORE_API
#endif

#endif /* INCLUDED_ROUNDPIPERS_CORE_API_H */
