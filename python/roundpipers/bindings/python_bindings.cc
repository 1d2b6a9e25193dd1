/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The extension module gnuradio.roundpipers.roundpipers_python. gr_modtool add and bind
 * list the binding function of each new block between the markers below.
 */

#include <pybind11/pybind11.h>

#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

namespace py = pybind11;

// BINDING_FUNCTION_PROTOTYPES(
void bind_pipe(py::module& m);
void bind_pipe_sink(py::module& m);
void bind_pipe_source(py::module& m);
// ) END BINDING_FUNCTION_PROTOTYPES

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
    py::module::import("gnuradio.gr");

    // BINDING_FUNCTION_CALLS(
    bind_pipe(m);
    bind_pipe_sink(m);
    bind_pipe_source(m);
    // ) END BINDING_FUNCTION_CALLS
}
