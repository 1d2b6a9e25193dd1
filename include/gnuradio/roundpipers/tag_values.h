/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_TAG_VALUES_H
#define INCLUDED_ROUNDPIPERS_TAG_VALUES_H

#include <gnuradio/roundpipers/api.h>
#include <pmt/pmt.h>
#include <cstddef>
#include <string>

namespace gr {
namespace roundpipers {

/*!
 * \brief True when \p bytes are exactly one PMT as pmt::serialize_str writes it.
 * \ingroup roundpipers
 *
 * \details Walks the bytes without building anything, so that bytes from another
 * process that declare a vector of 2^32 items in five bytes are refused instead of
 * allocated; every count must fit in the bytes that are left.
 */
ROUNDPIPERS_API bool is_serialized_pmt(const std::string& bytes);

/*!
 * \brief Bytes of the one serialised PMT that \p data starts with, checked as
 * is_serialized_pmt checks (0 when there is none): for PMTs that follow one another in
 * a message, such as gr-zeromq's tag header.
 * \ingroup roundpipers
 */
ROUNDPIPERS_API std::size_t serialized_pmt_bytes(const char* data, std::size_t size);

/*!
 * \brief The PMT a pipe tag's value carries: the deserialised PMT when the value is a
 * serialised one (is_serialized_pmt, and it serialises back to the same bytes), else a
 * PMT blob of the bytes.
 * \ingroup roundpipers
 */
ROUNDPIPERS_API pmt::pmt_t tag_value_to_pmt(const std::string& bytes);

} // namespace roundpipers
} // namespace gr

#endif /* INCLUDED_ROUNDPIPERS_TAG_VALUES_H */
