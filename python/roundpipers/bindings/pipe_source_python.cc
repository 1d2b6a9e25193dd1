/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Python bindings of pipe_source_c/f/i/s/b: one class per element type. */

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <gnuradio/roundpipers/pipe_source.h>
// Made in the build tree from docstrings/pipe_source_pydoc_template.h and the header.
#include <pipe_source_pydoc.h>

namespace py = pybind11;

namespace {

template <class T>
void bind_source(py::module& m, const char* name)
{
    using block = gr::roundpipers::pipe_source<T>;
    py::class_<block, gr::sync_block, gr::block, gr::basic_block, std::shared_ptr<block>>(
        m, name, D(pipe_source))
        .def(py::init(&block::make),
             py::arg("pipe_name"),
             py::arg("shape") = std::vector<std::size_t>{},
             py::arg("capacity_frames") = 8192,
             py::arg("lossy") = false,
             py::arg("shared") = true,
             D(pipe_source, make))
        .def("pipe_name", &block::pipe_name, D(pipe_source, pipe_name))
        .def("shape", &block::shape, D(pipe_source, shape))
        .def("lossy", &block::lossy, D(pipe_source, lossy))
        .def("frames_lost", &block::frames_lost, D(pipe_source, frames_lost))
        .def("zero_copy", &block::zero_copy, D(pipe_source, zero_copy));
}

} // namespace

void bind_pipe_source(py::module& m)
{
    bind_source<gr_complex>(m, "pipe_source_c");
    bind_source<float>(m, "pipe_source_f");
    bind_source<std::int32_t>(m, "pipe_source_i");
    bind_source<std::int16_t>(m, "pipe_source_s");
    bind_source<std::uint8_t>(m, "pipe_source_b");
}
