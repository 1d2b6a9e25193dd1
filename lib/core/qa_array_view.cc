/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "qa_helpers.h"
#include <roundpipers/array_view.h>
#include <boost/test/unit_test.hpp>
#include <iterator>
#include <numeric>
#include <type_traits>
#include <vector>

namespace rp = roundpipers;
using rp::qa::error_with;

namespace {

using shape_t = std::vector<std::size_t>;

/*! 2 frames of shape {3, 4} over the values 0..23, as a pipe would hand them out. */
struct two_frames_of_3x4 {
    two_frames_of_3x4() { std::iota(std::begin(data), std::end(data), 0.0f); }

    rp::array_view<float> view() { return { data, rp::extents(2, true, rest, 2), 24 }; }

    float data[24];
    std::size_t rest[2] = { 3, 4 };
};

} // namespace

BOOST_AUTO_TEST_SUITE(array_view)

BOOST_AUTO_TEST_CASE(shape_is_frame_count_followed_by_frame_shape)
{
    two_frames_of_3x4 f;
    const auto v = f.view();

    BOOST_CHECK(v.shape() == (shape_t{ 2, 3, 4 }));
    BOOST_TEST(v.shape().to_vector() == (shape_t{ 2, 3, 4 }),
               boost::test_tools::per_element());
    BOOST_CHECK_EQUAL(v.ndim(), 3u);
    BOOST_CHECK_EQUAL(v.size(), 24u);
    BOOST_CHECK(!v.empty());
    BOOST_CHECK_EQUAL(v.extent(0), 2u);
    BOOST_CHECK_EQUAL(v.extent(1), 3u);
    BOOST_CHECK_EQUAL(v.extent(2), 4u);
    BOOST_CHECK_EQUAL(v.data(), f.data);
}

BOOST_AUTO_TEST_CASE(strides_count_elements_and_stride_bytes_counts_bytes)
{
    two_frames_of_3x4 f;
    const auto v = f.view();

    BOOST_CHECK_EQUAL(v.stride(0), 12u);
    BOOST_CHECK_EQUAL(v.stride(1), 4u);
    BOOST_CHECK_EQUAL(v.stride(2), 1u);
    BOOST_CHECK_EQUAL(v.stride_bytes(0), 12u * sizeof(float));
    BOOST_CHECK_EQUAL(v.stride_bytes(1), 4u * sizeof(float));
    BOOST_CHECK_EQUAL(v.stride_bytes(2), sizeof(float));

    double wide[6] = {};
    const std::size_t rest[] = { 3 };
    const rp::array_view<double> d(wide, rp::extents(2, true, rest, 1), 6);
    BOOST_CHECK_EQUAL(d.stride(0), 3u);
    BOOST_CHECK_EQUAL(d.stride_bytes(0), 3u * sizeof(double));
    BOOST_CHECK_EQUAL(d.stride_bytes(1), sizeof(double));
}

BOOST_AUTO_TEST_CASE(call_operator_indexes_in_c_order)
{
    two_frames_of_3x4 f;
    const auto v = f.view();

    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            for (std::size_t k = 0; k < 4; ++k)
                BOOST_CHECK_EQUAL(v(i, j, k), f.data[i * 12 + j * 4 + k]);
    BOOST_CHECK_EQUAL(&v(1, 2, 3), &f.data[23]);

    v(1, 0, 2) = -7.0f;
    BOOST_CHECK_EQUAL(f.data[14], -7.0f);
}

BOOST_AUTO_TEST_CASE(at_returns_the_element_when_in_bounds)
{
    two_frames_of_3x4 f;
    const auto v = f.view();

    BOOST_CHECK_EQUAL(&v.at(0, 0, 0), &f.data[0]);
    BOOST_CHECK_EQUAL(&v.at(1, 2, 3), &f.data[23]);
    BOOST_CHECK_EQUAL(v.at(1, 1, 1), 17.0f);
}

BOOST_AUTO_TEST_CASE(at_rejects_an_index_out_of_range_naming_index_extent_and_dimension)
{
    two_frames_of_3x4 f;
    const auto v = f.view();

    BOOST_CHECK_EXCEPTION(
        v.at(2, 0, 0),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "index 2", "extent 2", "dimension 0" }));
    BOOST_CHECK_EXCEPTION(
        v.at(0, 3, 0),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "index 3", "extent 3", "dimension 1" }));
    BOOST_CHECK_EXCEPTION(
        v.at(0, 0, 4),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "index 4", "extent 4", "dimension 2" }));
}

BOOST_AUTO_TEST_CASE(at_rejects_a_wrong_number_of_indices)
{
    two_frames_of_3x4 f;
    const auto v = f.view();

    BOOST_CHECK_EXCEPTION(
        v.at(0, 0),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "2 indices", "rank 3" }));
    BOOST_CHECK_EXCEPTION(
        v.at(0, 0, 0, 0),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "4 indices", "rank 3" }));
}

BOOST_AUTO_TEST_CASE(frame_is_a_view_of_one_frame_without_the_leading_extent)
{
    two_frames_of_3x4 f;
    const auto v = f.view();

    const auto second = v.frame(1);
    BOOST_CHECK(second.shape() == (shape_t{ 3, 4 }));
    BOOST_CHECK_EQUAL(second.ndim(), 2u);
    BOOST_CHECK_EQUAL(second.size(), 12u);
    BOOST_CHECK_EQUAL(second.data(), f.data + 12);
    BOOST_CHECK_EQUAL(second.stride(0), 4u);
    BOOST_CHECK_EQUAL(&second(2, 3), &f.data[23]);
    BOOST_CHECK_EQUAL(second(0, 1), 13.0f);

    // A frame's own first extent can be split again: row 2 of frame 1.
    const auto row = second.frame(2);
    BOOST_CHECK(row.shape() == (shape_t{ 4 }));
    BOOST_CHECK_EQUAL(row.size(), 4u);
    BOOST_CHECK_EQUAL(row.data(), f.data + 20);
}

BOOST_AUTO_TEST_CASE(frame_out_of_range_is_invalid_argument)
{
    two_frames_of_3x4 f;
    const auto v = f.view();

    BOOST_CHECK_EXCEPTION(
        v.frame(2),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "frame 2", "2 frames" }));
    BOOST_CHECK_EXCEPTION(
        v.frame(1).frame(3),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "frame 3", "3 frames" }));

    const rp::array_view<float> empty;
    BOOST_CHECK_EXCEPTION(
        empty.frame(0),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "frame 0", "0 frames" }));
}

BOOST_AUTO_TEST_CASE(scalar_frames_give_a_rank_one_view_whose_frames_are_single_elements)
{
    double data[5] = { 10, 11, 12, 13, 14 };
    const rp::array_view<double> v(data, rp::extents(5, true, nullptr, 0), 5);

    BOOST_CHECK(v.shape() == (shape_t{ 5 }));
    BOOST_CHECK_EQUAL(v.ndim(), 1u);
    BOOST_CHECK_EQUAL(v.stride(0), 1u);
    BOOST_CHECK_EQUAL(v(3), 13.0);
    BOOST_CHECK_EQUAL(v.at(4), 14.0);
    BOOST_CHECK_EXCEPTION(
        v.at(5),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "index 5", "extent 5" }));

    const auto third = v.frame(2);
    BOOST_CHECK_EQUAL(third.ndim(), 0u);
    BOOST_CHECK_EQUAL(third.size(), 1u);
    BOOST_CHECK_EQUAL(third.data(), data + 2);
    BOOST_CHECK_EQUAL(*third.begin(), 12.0);
    BOOST_CHECK_EQUAL(std::distance(third.begin(), third.end()), 1);
}

BOOST_AUTO_TEST_CASE(begin_end_iterate_over_every_element_in_c_order)
{
    two_frames_of_3x4 f;
    const auto v = f.view();

    BOOST_CHECK_EQUAL(v.begin(), f.data);
    BOOST_CHECK_EQUAL(v.end(), f.data + 24);
    std::vector<float> seen;
    for (float x : v)
        seen.push_back(x);
    BOOST_CHECK_EQUAL_COLLECTIONS(
        seen.begin(), seen.end(), std::begin(f.data), std::end(f.data));

    for (float& x : v.frame(0))
        x = 1.0f;
    BOOST_CHECK_EQUAL(std::accumulate(v.begin(), v.end(), 0.0f),
                      12.0f + (12.0f + 23.0f) * 12.0f / 2.0f);
}

BOOST_AUTO_TEST_CASE(default_view_is_empty)
{
    const rp::array_view<int> v;

    BOOST_CHECK(v.empty());
    BOOST_CHECK_EQUAL(v.size(), 0u);
    BOOST_CHECK_EQUAL(v.ndim(), 0u);
    BOOST_CHECK(v.begin() == v.end());
    BOOST_CHECK(v.shape() == shape_t{});
}

BOOST_AUTO_TEST_CASE(mutable_view_converts_to_const_view_of_the_same_memory)
{
    two_frames_of_3x4 f;
    const auto v = f.view();

    const rp::const_array_view<float> c = v;
    BOOST_CHECK_EQUAL(c.data(), v.data());
    BOOST_CHECK(c.shape() == (shape_t{ 2, 3, 4 }));
    BOOST_CHECK_EQUAL(c.size(), v.size());
    BOOST_CHECK_EQUAL(c(1, 2, 3), 23.0f);

    static_assert(
        std::is_convertible_v<rp::array_view<float>, rp::const_array_view<float>>);
    static_assert(
        !std::is_convertible_v<rp::const_array_view<float>, rp::array_view<float>>);
    static_assert(
        !std::is_convertible_v<rp::array_view<int>, rp::const_array_view<float>>);
    static_assert(std::is_same_v<decltype(c(0, 0, 0)), const float&>);
    static_assert(std::is_same_v<rp::const_array_view<float>::value_type, float>);
}

BOOST_AUTO_TEST_CASE(extents_compare_equal_to_a_vector_with_the_same_values)
{
    const std::size_t rest[] = { 3, 4 };
    const rp::extents with_lead(2, true, rest, 2);
    const rp::extents without_lead(0, false, rest, 2);

    BOOST_CHECK(with_lead == (shape_t{ 2, 3, 4 }));
    BOOST_CHECK((shape_t{ 2, 3, 4 }) == with_lead);
    BOOST_CHECK(with_lead != (shape_t{ 2, 3, 5 }));
    BOOST_CHECK(with_lead != (shape_t{ 2, 3 }));
    BOOST_CHECK(with_lead != (shape_t{ 2, 3, 4, 1 }));
    BOOST_CHECK(without_lead == (shape_t{ 3, 4 }));
    BOOST_CHECK_EQUAL(with_lead.size(), 3u);
    BOOST_CHECK_EQUAL(with_lead[0], 2u);
    BOOST_CHECK_EQUAL(with_lead[2], 4u);

    const shape_t as_vector = with_lead;
    BOOST_TEST(as_vector == (shape_t{ 2, 3, 4 }), boost::test_tools::per_element());
    BOOST_CHECK(with_lead.drop_first() == (shape_t{ 3, 4 }));
    BOOST_CHECK(without_lead.drop_first() == (shape_t{ 4 }));
    BOOST_CHECK(rp::extents() == shape_t{});
}

BOOST_AUTO_TEST_SUITE_END()
