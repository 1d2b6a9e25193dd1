/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <pybind11/pybind11.h>

#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

namespace py = pybind11;

namespace roundpipers {
namespace python {
void bind_pipe(py::module_& m);
void bind_pipe_blocks(py::module_& m);
} // namespace python
} // namespace roundpipers

// numpy's C API must be imported once per extension module.
static void* init_numpy()
{
    import_array();
    return nullptr;
}

PYBIND11_MODULE(roundpipers_python, m)
{
    init_numpy();
    // The block classes derive from gnuradio.gr's bound base classes.
    py::module_::import("gnuradio.gr");
    roundpipers::python::bind_pipe(m);
    roundpipers::python::bind_pipe_blocks(m);
}
