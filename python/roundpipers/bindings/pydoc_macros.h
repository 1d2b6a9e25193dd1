/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PYDOC_MACROS_H
#define INCLUDED_ROUNDPIPERS_PYDOC_MACROS_H

/*
 * DOC(gr, roundpipers, pipe_sink, make) names the docstring that <block>_pydoc.h
 * defines for it, __doc_gr_roundpipers_pipe_sink_make: the names bindtool-generated
 * bindings (gr_modtool bind) use through their D(...) macro. Two to seven parts.
 */
#define RP_PYDOC_EXPAND(x) x
#define RP_PYDOC_NTH(_1, _2, _3, _4, _5, _6, _7, n, ...) n
#define RP_PYDOC_COUNT(...) RP_PYDOC_EXPAND(RP_PYDOC_NTH(__VA_ARGS__, 7, 6, 5, 4, 3, 2, 1, 0))
#define RP_PYDOC_PASTE(a, b) a##b
#define RP_PYDOC_JOIN(a, b) RP_PYDOC_PASTE(a, b)
#define RP_PYDOC_2(a, b) __doc_##a##_##b
#define RP_PYDOC_3(a, b, c) __doc_##a##_##b##_##c
#define RP_PYDOC_4(a, b, c, d) __doc_##a##_##b##_##c##_##d
#define RP_PYDOC_5(a, b, c, d, e) __doc_##a##_##b##_##c##_##d##_##e
#define RP_PYDOC_6(a, b, c, d, e, f) __doc_##a##_##b##_##c##_##d##_##e##_##f
#define RP_PYDOC_7(a, b, c, d, e, f, g) __doc_##a##_##b##_##c##_##d##_##e##_##f##_##g
#define DOC(...) \
    RP_PYDOC_EXPAND(RP_PYDOC_JOIN(RP_PYDOC_, RP_PYDOC_COUNT(__VA_ARGS__))(__VA_ARGS__))

#endif /* INCLUDED_ROUNDPIPERS_PYDOC_MACROS_H */
