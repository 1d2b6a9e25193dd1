/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_API_H
#define INCLUDED_ROUNDPIPERS_API_H

#include <gnuradio/attributes.h>

/* Exports of the GNU Radio layer (libgnuradio-roundpipers), as gr_modtool lays it out. */
#ifdef gnuradio_roundpipers_EXPORTS
#define ROUNDPIPERS_API __GR_ATTR_EXPORT
#else
#define ROUNDPIPERS_API __GR_ATTR_IMPORT
#endif

#endif /* INCLUDED_ROUNDPIPERS_API_H */
