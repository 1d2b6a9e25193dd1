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
 * Placeholders of the Python docstrings of pipe_sink: the build fills them with the Doxygen
 * comments of include/gnuradio/roundpipers/pipe_sink.h (make_pydoc.py) into pipe_sink_pydoc.h.
 */
static const char* __doc_gr_roundpipers_pipe_sink = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_sink_make = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_sink_pipe_name = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_sink_shape = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_sink_pipe = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_sink_frames_published = R"doc()doc";
static const char* __doc_gr_roundpipers_pipe_sink_zero_copy = R"doc()doc";
