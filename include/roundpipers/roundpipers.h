/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_ROUNDPIPERS_H
#define INCLUDED_ROUNDPIPERS_ROUNDPIPERS_H

/*!
 * \file roundpipers.h
 * \brief The whole standalone core API of gr-roundpipers (namespace roundpipers).
 * \ingroup roundpipers_core
 */

#include <roundpipers/array_view.h>
#include <roundpipers/attach.h>
#include <roundpipers/byte_sink.h>
#include <roundpipers/chunk_guard.h>
#include <roundpipers/chunk_range.h>
#include <roundpipers/deadline.h>
#include <roundpipers/element_type.h>
#include <roundpipers/frame_shape.h>
#include <roundpipers/memfd_ring.h>
#include <roundpipers/metadata_store.h>
#include <roundpipers/pipe.h>
#include <roundpipers/pipe_core.h>
#include <roundpipers/pipe_error.h>
#include <roundpipers/pipe_reader.h>
#include <roundpipers/pipe_state.h>
#include <roundpipers/pipe_writer.h>
#include <roundpipers/read_only_pipe.h>
#include <roundpipers/read_only_pipe_reader.h>
#include <roundpipers/read_span.h>
#include <roundpipers/reader_api.h>
#include <roundpipers/reader_core.h>
#include <roundpipers/registry.h>
#include <roundpipers/tag.h>
#include <roundpipers/tag_writer.h>
#include <roundpipers/write_only_pipe_buffer.h>
#include <roundpipers/write_only_pipe_stream.h>
#include <roundpipers/write_span.h>
#include <roundpipers/writer_api.h>
#include <roundpipers/writer_core.h>

#endif /* INCLUDED_ROUNDPIPERS_ROUNDPIPERS_H */
