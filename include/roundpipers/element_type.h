/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_ELEMENT_TYPE_H
#define INCLUDED_ROUNDPIPERS_ELEMENT_TYPE_H

#include <complex>
#include <cstdint>
#include <type_traits>

namespace roundpipers {

/*!
 * \brief The scalar type of a pipe, as recorded in the shared control region.
 * \ingroup roundpipers_core
 *
 * \details
 * Another process that maps a pipe checks this code and the element size before it
 * trusts the data. Types that are not listed are recorded as `other` with their size.
 */
enum class element_type : std::uint32_t {
    other = 0,
    int8,
    uint8,
    int16,
    uint16,
    int32,
    uint32,
    int64,
    uint64,
    float32,
    float64,
    complex64,
    complex128,
};

/*! \brief The element_type code of T. */
template <class T>
constexpr element_type element_type_of()
{
    using U = std::remove_cv_t<T>;
    if constexpr (std::is_same_v<U, std::int8_t>)
        return element_type::int8;
    else if constexpr (std::is_same_v<U, std::uint8_t>)
        return element_type::uint8;
    else if constexpr (std::is_same_v<U, std::int16_t>)
        return element_type::int16;
    else if constexpr (std::is_same_v<U, std::uint16_t>)
        return element_type::uint16;
    else if constexpr (std::is_same_v<U, std::int32_t>)
        return element_type::int32;
    else if constexpr (std::is_same_v<U, std::uint32_t>)
        return element_type::uint32;
    else if constexpr (std::is_same_v<U, std::int64_t>)
        return element_type::int64;
    else if constexpr (std::is_same_v<U, std::uint64_t>)
        return element_type::uint64;
    else if constexpr (std::is_same_v<U, float>)
        return element_type::float32;
    else if constexpr (std::is_same_v<U, double>)
        return element_type::float64;
    else if constexpr (std::is_same_v<U, std::complex<float>>)
        return element_type::complex64;
    else if constexpr (std::is_same_v<U, std::complex<double>>)
        return element_type::complex128;
    else
        return element_type::other;
}

/*! \brief The numpy-style name of a code, e.g. "float32"; "other" for other types. */
constexpr const char* element_type_name(element_type t)
{
    switch (t) {
    case element_type::int8:
        return "int8";
    case element_type::uint8:
        return "uint8";
    case element_type::int16:
        return "int16";
    case element_type::uint16:
        return "uint16";
    case element_type::int32:
        return "int32";
    case element_type::uint32:
        return "uint32";
    case element_type::int64:
        return "int64";
    case element_type::uint64:
        return "uint64";
    case element_type::float32:
        return "float32";
    case element_type::float64:
        return "float64";
    case element_type::complex64:
        return "complex64";
    case element_type::complex128:
        return "complex128";
    case element_type::other:
        break;
    }
    return "other";
}

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_ELEMENT_TYPE_H */
