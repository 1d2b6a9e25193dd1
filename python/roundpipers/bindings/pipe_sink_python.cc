/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Python bindings of pipe_sink_c/f/i/s/b: one class per element type. */

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <gnuradio/roundpipers/pipe_sink.h>
// Made in the build tree from docstrings/pipe_sink_pydoc_template.h and the header.
#include <pipe_sink_pydoc.h>

namespace py = pybind11;

namespace {

template <class T>
void bind_sink(py::module& m, const char* name)
{
    using block = gr::roundpipers::pipe_sink<T>;
    py::class_<block, gr::block, gr::basic_block, std::shared_ptr<block>>(m, name, D(pipe_sink))
        .def(py::init(&block::make),
             py::arg("pipe_name"),
             py::arg("shape") = std::vector<std::size_t>{},
             py::arg("capacity_frames") = 8192,
             py::arg("shared") = true,
             D(pipe_sink, make))
        .def("pipe_name", &block::pipe_name, D(pipe_sink, pipe_name))
        .def("shape", &block::shape, D(pipe_sink, shape))
        .def("frames_published", &block::frames_published, D(pipe_sink, frames_published))
        .def("zero_copy", &block::zero_copy, D(pipe_sink, zero_copy));
}

} // namespace

void bind_pipe_sink(py::module& m)
{
    bind_sink<gr_complex>(m, "pipe_sink_c");
    bind_sink<float>(m, "pipe_sink_f");
    bind_sink<std::int32_t>(m, "pipe_sink_i");
    bind_sink<std::int16_t>(m, "pipe_sink_s");
    bind_sink<std::uint8_t>(m, "pipe_sink_b");
}
