/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Python bindings of pipe_sink_* and pipe_source_* (one class per element type). */

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <gnuradio/roundpipers/pipe_sink.h>
#include <gnuradio/roundpipers/pipe_source.h>

namespace py = pybind11;

namespace roundpipers {
namespace python {

namespace {

template <class T>
void bind_sink(py::module_& m, const char* name)
{
    using block = gr::roundpipers::pipe_sink<T>;
    py::class_<block, gr::block, gr::basic_block, std::shared_ptr<block>>(
        m,
        name,
        "Hands the flowgraph's frames to readers of the named pipe. With shared=True "
        "(default) other processes of this user read them with "
        "roundpipers.attach(pipe_name).get_reader() (see "
        "include/gnuradio/roundpipers/pipe_sink.h).")
        .def(py::init(&block::make),
             py::arg("pipe_name"),
             py::arg("shape") = std::vector<std::size_t>{},
             py::arg("capacity") = 8192,
             py::arg("shared") = true)
        .def("pipe_name", &block::pipe_name)
        .def("shape", &block::shape)
        .def("frames_published", &block::frames_published)
        .def("zero_copy", &block::zero_copy);
}

template <class T>
void bind_source(py::module_& m, const char* name)
{
    using block = gr::roundpipers::pipe_source<T>;
    py::class_<block, gr::sync_block, gr::block, gr::basic_block, std::shared_ptr<block>>(
        m,
        name,
        "Brings frames written to the named pipe into the flowgraph. With shared=True "
        "(default) another process of this user feeds it with "
        "roundpipers.attach(pipe_name).get_writer() (see "
        "include/gnuradio/roundpipers/pipe_source.h).")
        .def(py::init(&block::make),
             py::arg("pipe_name"),
             py::arg("shape") = std::vector<std::size_t>{},
             py::arg("capacity") = 8192,
             py::arg("lossy") = false,
             py::arg("shared") = true)
        .def("pipe_name", &block::pipe_name)
        .def("shape", &block::shape)
        .def("lossy", &block::lossy)
        .def("frames_lost", &block::frames_lost)
        .def("zero_copy", &block::zero_copy);
}

} // namespace

void bind_pipe_blocks(py::module_& m)
{
    bind_sink<gr_complex>(m, "pipe_sink_c");
    bind_sink<float>(m, "pipe_sink_f");
    bind_sink<std::int32_t>(m, "pipe_sink_i");
    bind_sink<std::int16_t>(m, "pipe_sink_s");
    bind_sink<std::uint8_t>(m, "pipe_sink_b");
    bind_source<gr_complex>(m, "pipe_source_c");
    bind_source<float>(m, "pipe_source_f");
    bind_source<std::int32_t>(m, "pipe_source_i");
    bind_source<std::int16_t>(m, "pipe_source_s");
    bind_source<std::uint8_t>(m, "pipe_source_b");
}

} // namespace python
} // namespace roundpipers
