/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_NUMPY_TYPES_H
#define INCLUDED_ROUNDPIPERS_NUMPY_TYPES_H

#include <pybind11/numpy.h>
#include <roundpipers/element_type.h>
#include <complex>
#include <cstdint>
#include <string>

namespace roundpipers {
namespace python {

namespace py = pybind11;

/*! The numpy dtypes a Python pipe can carry. */
enum class dtype_code { float32, complex64, float64, complex128, int8, uint8, int16, int32 };

template <class T>
struct type_tag {
    using type = T;
};

/*! Calls fn(type_tag<T>{}) for the C++ type of \p code. */
template <class Fn>
decltype(auto) dispatch(dtype_code code, Fn&& fn)
{
    switch (code) {
    case dtype_code::float32:
        return fn(type_tag<float>{});
    case dtype_code::complex64:
        return fn(type_tag<std::complex<float>>{});
    case dtype_code::float64:
        return fn(type_tag<double>{});
    case dtype_code::complex128:
        return fn(type_tag<std::complex<double>>{});
    case dtype_code::int8:
        return fn(type_tag<std::int8_t>{});
    case dtype_code::uint8:
        return fn(type_tag<std::uint8_t>{});
    case dtype_code::int16:
        return fn(type_tag<std::int16_t>{});
    case dtype_code::int32:
        break;
    }
    return fn(type_tag<std::int32_t>{});
}

/*! The code of a numpy dtype (anything numpy.dtype() accepts); TypeError otherwise. */
inline dtype_code code_of(const py::object& dtype_like)
{
    const py::dtype dt = py::dtype::from_args(dtype_like);
    const dtype_code all[] = { dtype_code::float32, dtype_code::complex64,
                               dtype_code::float64, dtype_code::complex128,
                               dtype_code::int8,    dtype_code::uint8,
                               dtype_code::int16,   dtype_code::int32 };
    for (dtype_code c : all) {
        const bool same = dispatch(c, [&](auto tag) {
            return dt.is(py::dtype::of<typename decltype(tag)::type>()) ||
                   dt.equal(py::dtype::of<typename decltype(tag)::type>());
        });
        if (same)
            return c;
    }
    throw py::type_error("roundpipers: unsupported dtype " + py::str(py::handle(dt)).cast<std::string>() +
                         "; use float32, complex64, float64, complex128, int8, uint8, "
                         "int16 or int32");
}

/*! The numpy dtype of a code. */
/*! The dtype of a pipe's element type code; throws for types numpy pipes do not carry. */
inline dtype_code code_of_element(element_type t, const std::string& pipe_name)
{
    switch (t) {
    case element_type::float32:
        return dtype_code::float32;
    case element_type::complex64:
        return dtype_code::complex64;
    case element_type::float64:
        return dtype_code::float64;
    case element_type::complex128:
        return dtype_code::complex128;
    case element_type::int8:
        return dtype_code::int8;
    case element_type::uint8:
        return dtype_code::uint8;
    case element_type::int16:
        return dtype_code::int16;
    case element_type::int32:
        return dtype_code::int32;
    default:
        break;
    }
    throw py::type_error("roundpipers: pipe '" + pipe_name + "' carries " +
                         element_type_name(t) +
                         " elements, which numpy pipes do not carry (float32, complex64, "
                         "float64, complex128, int8, uint8, int16, int32)");
}

inline py::dtype dtype_of(dtype_code code)
{
    return dispatch(code, [](auto tag) { return py::dtype::of<typename decltype(tag)::type>(); });
}

} // namespace python
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_NUMPY_TYPES_H */
