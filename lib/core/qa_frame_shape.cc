/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "qa_helpers.h"
#include <roundpipers/frame_shape.h>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <vector>

namespace rp = roundpipers;
using rp::qa::error_with;

BOOST_AUTO_TEST_SUITE(frame_shape)

BOOST_AUTO_TEST_CASE(frame_elements_is_the_product_of_the_extents)
{
    BOOST_CHECK_EQUAL(rp::frame_elements({}, "pipe 'x'"), 1u);
    BOOST_CHECK_EQUAL(rp::frame_elements({ 1024 }, "pipe 'x'"), 1024u);
    BOOST_CHECK_EQUAL(rp::frame_elements({ 3, 1000 }, "pipe 'x'"), 3000u);
    BOOST_CHECK_EQUAL(rp::frame_elements({ 2, 3, 4, 5 }, "pipe 'x'"), 120u);
    BOOST_CHECK_EQUAL(rp::frame_elements({ 1, 1, 1 }, "pipe 'x'"), 1u);
}

BOOST_AUTO_TEST_CASE(zero_extent_is_invalid_argument_naming_shape_and_dimension)
{
    BOOST_CHECK_EXCEPTION(rp::frame_elements({ 3, 0, 2 }, "pipe 'zeros'"),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument,
                                     { "pipe 'zeros'", "[3, 0, 2]", "dimension 1" }));
    BOOST_CHECK_EXCEPTION(
        rp::frame_elements({ 0 }, "pipe 'zero'"),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "pipe 'zero'", "[0]", "dimension 0" }));
}

BOOST_AUTO_TEST_CASE(product_overflowing_size_t_is_invalid_argument)
{
    const std::size_t half = SIZE_MAX / 2 + 1;
    const std::string half_text = std::to_string(half);

    BOOST_CHECK_EXCEPTION(
        rp::frame_elements({ half, 2 }, "pipe 'huge'"),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument,
                   { "pipe 'huge'", "[" + half_text + ", 2]", "size_t" }));
    BOOST_CHECK_EXCEPTION(
        rp::frame_elements({ 1u << 16, 1u << 16, 1u << 16, 1u << 16, 2 }, "pipe 'huge'"),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "[65536, 65536, 65536, 65536, 2]" }));
}

BOOST_AUTO_TEST_CASE(product_equal_to_size_max_does_not_overflow)
{
    BOOST_CHECK_EQUAL(rp::frame_elements({ SIZE_MAX }, "pipe 'max'"), SIZE_MAX);
    BOOST_CHECK_EQUAL(rp::frame_elements({ 1, SIZE_MAX, 1 }, "pipe 'max'"), SIZE_MAX);
}

BOOST_AUTO_TEST_CASE(rank_above_max_frame_rank_is_invalid_argument)
{
    const rp::frame_shape too_deep(rp::max_frame_rank + 1, 1);

    BOOST_CHECK_EXCEPTION(rp::frame_elements(too_deep, "pipe 'deep'"),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument,
                                     { "pipe 'deep'",
                                       "[1, 1, 1",
                                       "rank " + std::to_string(rp::max_frame_rank + 1),
                                       "limit " + std::to_string(rp::max_frame_rank) }));
}

BOOST_AUTO_TEST_CASE(rank_equal_to_max_frame_rank_is_accepted)
{
    BOOST_CHECK_EQUAL(rp::max_frame_rank, 31u);
    rp::frame_shape deepest(rp::max_frame_rank, 1);
    deepest.front() = 2;
    deepest.back() = 3;
    BOOST_CHECK_EQUAL(rp::frame_elements(deepest, "pipe 'deep'"), 6u);
}

BOOST_AUTO_TEST_CASE(to_string_prints_the_extents_in_brackets)
{
    BOOST_CHECK_EQUAL(rp::to_string({}), "[]");
    BOOST_CHECK_EQUAL(rp::to_string({ 1024 }), "[1024]");
    BOOST_CHECK_EQUAL(rp::to_string({ 3, 1000 }), "[3, 1000]");
    BOOST_CHECK_EQUAL(rp::to_string({ 0, 7, 1 }), "[0, 7, 1]");
}

BOOST_AUTO_TEST_CASE(frame_shape_is_a_vector_that_takes_braced_lists)
{
    const rp::frame_shape s = { 3, 1000 };
    BOOST_CHECK_EQUAL(s.size(), 2u);
    BOOST_CHECK_EQUAL(s[1], 1000u);
    BOOST_CHECK(rp::frame_shape{}.empty());
}

BOOST_AUTO_TEST_SUITE_END()
