/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pydoc_macros.h"
#define D(...) DOC(gr, roundpipers, __VA_ARGS__)
/*
 * Placeholders of the Python docstrings of pipe_source: the build fills them with the Doxygen
 * comments of include/gnuradio/roundpipers/pipe_source.h (make_pydoc.py) into pipe_source_pydoc.h.
 */
static const char* __doc_gr_roundpipers_pipe_source = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_source_make = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_source_pipe_name = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_source_shape = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_source_lossy = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_source_pipe = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_source_frames_lost = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_source_zero_copy = R"doc()doc";
