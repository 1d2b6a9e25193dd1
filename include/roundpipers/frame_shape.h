/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_FRAME_SHAPE_H
#define INCLUDED_ROUNDPIPERS_FRAME_SHAPE_H

#include <roundpipers/core_api.h>
#include <cstddef>
#include <string>
#include <vector>

namespace roundpipers {

/*!
 * \brief The per-frame shape of a pipe, in C order; `{}` means one scalar per frame.
 * \ingroup roundpipers_core
 *
 * \details
 * A view over n frames has the shape `{n, frame_shape...}` (the mdspan word: extents).
 */
using frame_shape = std::vector<std::size_t>;

/*! \brief The largest frame rank a pipe accepts (numpy's limit minus the frame axis). */
constexpr std::size_t max_frame_rank = 31;

/*!
 * \brief Number of scalars in one frame (the product of the extents; 1 for `{}`).
 * \details Throws pipe_error(errc::invalid_argument) for a zero extent, a rank above
 * max_frame_rank or a product that overflows size_t; \p what names the pipe in the message.
 * \param shape the frame shape
 * \param what who asks, e.g. "pipe 'audio'"
 */
ROUNDPIPERS_CORE_API std::size_t frame_elements(const frame_shape& shape,
                                                const std::string& what);

/*! \brief The shape as text, e.g. "[3, 1000]" or "[]". */
ROUNDPIPERS_CORE_API std::string to_string(const frame_shape& shape);

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_FRAME_SHAPE_H */
