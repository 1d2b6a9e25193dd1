/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <roundpipers/frame_shape.h>
#include <roundpipers/pipe_error.h>
#include <cstdint>

namespace roundpipers {

std::size_t frame_elements(const frame_shape& shape, const std::string& what)
{
    if (shape.size() > max_frame_rank)
        throw pipe_error(errc::invalid_argument,
                         what + ": frame shape " + to_string(shape) + " has rank " +
                             std::to_string(shape.size()) + ", more than the limit " +
                             std::to_string(max_frame_rank));
    std::size_t n = 1;
    for (std::size_t r = 0; r < shape.size(); ++r) {
        if (shape[r] == 0)
            throw pipe_error(errc::invalid_argument,
                             what + ": frame shape " + to_string(shape) +
                                 " has a zero extent in dimension " + std::to_string(r));
        if (n > SIZE_MAX / shape[r])
            throw pipe_error(errc::invalid_argument,
                             what + ": frame shape " + to_string(shape) +
                                 " has more elements than size_t can count");
        n *= shape[r];
    }
    return n;
}

std::string to_string(const frame_shape& shape)
{
    std::string s = "[";
    for (std::size_t r = 0; r < shape.size(); ++r) {
        if (r)
            s += ", ";
        s += std::to_string(shape[r]);
    }
    return s + "]";
}

} // namespace roundpipers
