/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "qa_helpers.h"
#include <roundpipers/write_only_pipe_buffer.h>
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rp = roundpipers;
using rp::qa::error_with;

namespace {

using shape_t = std::vector<std::size_t>;

/*! A write callback that sets frame i of the view to first + i. */
auto count_from(double first)
{
    return [first](rp::array_view<double> v) {
        for (std::size_t i = 0; i < v.extent(0); ++i)
            v(i) = first + double(i);
    };
}

} // namespace

BOOST_AUTO_TEST_SUITE(write_only_pipe_buffer)

BOOST_AUTO_TEST_CASE(writes_fill_the_callers_memory_until_full)
{
    double data[6] = {};
    rp::write_only_pipe_buffer<double> buf(data, 6);
    BOOST_CHECK_EQUAL(buf.capacity(), 6u);
    BOOST_CHECK_EQUAL(buf.written_frames(), 0u);

    const auto first = buf.write(2, count_from(0));
    BOOST_CHECK(first == rp::read_status::ok);
    BOOST_CHECK_EQUAL(first.frames(), 2u);
    BOOST_CHECK_EQUAL(buf.written_frames(), 2u);
    BOOST_CHECK_EQUAL(first.state().written, 2u);
    BOOST_CHECK_EQUAL(first.state().available, 4u);

    BOOST_REQUIRE(buf.write(4, count_from(10)));
    BOOST_CHECK_EQUAL(buf.written_frames(), 6u);
    BOOST_CHECK_EQUAL(buf.state().available, 0u);
    BOOST_CHECK_EQUAL(buf.state().capacity, 6u);

    const double expected[] = { 0, 1, 10, 11, 12, 13 };
    BOOST_CHECK_EQUAL_COLLECTIONS(
        std::begin(data), std::end(data), std::begin(expected), std::end(expected));
}

BOOST_AUTO_TEST_CASE(write_that_does_not_fit_fails_with_buffer_full_and_writes_nothing)
{
    double data[5];
    std::fill(std::begin(data), std::end(data), -1.0);
    rp::write_only_pipe_buffer<double> buf(data, 5);
    BOOST_REQUIRE(buf.write(3, count_from(0)));

    bool called = false;
    auto spy = [&](rp::array_view<double> v) {
        called = true;
        std::fill(v.begin(), v.end(), 99.0);
    };
    BOOST_CHECK_EXCEPTION(
        buf.write(3, spy),
        rp::pipe_error,
        error_with(rp::errc::buffer_full, { "full", "3 frames", "2 of 5 frames left" }));
    BOOST_CHECK(!called);
    BOOST_CHECK_EQUAL(buf.written_frames(), 3u);
    const double unchanged[] = { 0, 1, 2, -1, -1 };
    BOOST_CHECK_EQUAL_COLLECTIONS(
        std::begin(data), std::end(data), std::begin(unchanged), std::end(unchanged));

    BOOST_CHECK_EXCEPTION(
        buf.try_reserve(3), rp::pipe_error, error_with(rp::errc::buffer_full, {}));
    BOOST_CHECK_EQUAL(buf.written_frames(), 3u);

    // The failure leaves the buffer usable: what fits still goes in.
    BOOST_REQUIRE(buf.write(2, count_from(7)));
    BOOST_CHECK_EQUAL(buf.written_frames(), 5u);
    BOOST_CHECK_EQUAL(data[3], 7.0);
    BOOST_CHECK_EQUAL(data[4], 8.0);
    BOOST_CHECK_EXCEPTION(buf.write(1, spy),
                          rp::pipe_error,
                          error_with(rp::errc::buffer_full, { "0 of 5 frames left" }));
    BOOST_CHECK(!called);
}

BOOST_AUTO_TEST_CASE(write_larger_than_the_buffer_is_write_capacity_exceeded)
{
    double data[5] = {};
    rp::write_only_pipe_buffer<double> buf(data, 5);

    BOOST_CHECK_EXCEPTION(
        buf.write(6, count_from(0)),
        rp::pipe_error,
        error_with(rp::errc::write_capacity_exceeded,
                   { "Buffer capacity exceeded", "6 frames", "holding 5" }));
    BOOST_CHECK_EQUAL(buf.written_frames(), 0u);
    BOOST_CHECK_EQUAL(data[0], 0.0);
}

BOOST_AUTO_TEST_CASE(write_of_zero_frames_is_invalid_argument)
{
    double data[2] = {};
    rp::write_only_pipe_buffer<double> buf(data, 2);

    BOOST_CHECK_EXCEPTION(
        buf.write(0, count_from(0)),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "at least 1", "got 0" }));
}

BOOST_AUTO_TEST_CASE(trailing_partial_frame_is_a_construction_error)
{
    float data[7] = {};
    BOOST_CHECK_EXCEPTION((rp::write_only_pipe_buffer<float>(data, 7, { 3 })),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument,
                                     { "7 elements", "[3]", "3 elements each" }));
}

BOOST_AUTO_TEST_CASE(null_data_and_bad_shapes_are_construction_errors)
{
    BOOST_CHECK_EXCEPTION(
        (rp::write_only_pipe_buffer<float>(nullptr, 3)),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "null", "3 elements" }));
    float data[4] = {};
    BOOST_CHECK_EXCEPTION(
        (rp::write_only_pipe_buffer<float>(data, 4, { 0 })),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "write-only pipe buffer", "[0]" }));

    rp::write_only_pipe_buffer<float> empty(nullptr, 0);
    BOOST_CHECK_EQUAL(empty.capacity(), 0u);
    BOOST_CHECK_EXCEPTION(empty.write(1, [](rp::array_view<float>) {}),
                          rp::pipe_error,
                          error_with(rp::errc::write_capacity_exceeded, { "holding 0" }));
}

BOOST_AUTO_TEST_CASE(reserve_hands_out_the_callers_memory_and_publish_keeps_a_prefix)
{
    int data[6] = {};
    rp::write_only_pipe_buffer<int> buf(data, 6);

    auto span = buf.reserve(4);
    BOOST_REQUIRE(span);
    BOOST_CHECK_EQUAL(span.frames(), 4u);
    BOOST_CHECK_EQUAL(span.data().data(), data);
    BOOST_CHECK(span.data().shape() == (shape_t{ 4 }));
    for (std::size_t i = 0; i < 4; ++i)
        span.data()(i) = int(i) + 1;
    buf.publish(2);
    BOOST_CHECK_EQUAL(buf.written_frames(), 2u);

    // The next reservation starts right after the published prefix.
    auto next = buf.try_reserve(3);
    BOOST_REQUIRE(next);
    BOOST_CHECK_EQUAL(next.data().data(), data + 2);
    BOOST_CHECK_EQUAL(next.state().written, 2u);
    BOOST_CHECK_EXCEPTION(
        buf.publish(4),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "publish(4)", "3 frames" }));
    buf.publish(0);
    BOOST_CHECK_EQUAL(buf.written_frames(), 2u);

    BOOST_CHECK_EXCEPTION(
        buf.publish(1),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "publish(1)", "0 frames" }));
    BOOST_CHECK_EQUAL(buf.written_frames(), 2u);
}

BOOST_AUTO_TEST_CASE(callback_that_throws_publishes_nothing)
{
    int data[4] = {};
    rp::write_only_pipe_buffer<int> buf(data, 4);

    auto failing = [](rp::array_view<int>) { throw std::logic_error("callback failed"); };
    BOOST_CHECK_THROW(buf.write(2, failing), std::logic_error);
    BOOST_CHECK_EQUAL(buf.written_frames(), 0u);

    BOOST_REQUIRE(
        buf.write(4, [](rp::array_view<int> v) { std::fill(v.begin(), v.end(), 5); }));
    BOOST_CHECK_EQUAL(buf.written_frames(), 4u);
}

BOOST_AUTO_TEST_CASE(write_after_close_is_closed)
{
    double data[4] = {};
    rp::write_only_pipe_buffer<double> buf(data, 4);
    BOOST_REQUIRE(buf.write(1, count_from(3)));
    BOOST_CHECK(!buf.is_closed());

    buf.close();
    buf.close();
    BOOST_CHECK(buf.is_closed());
    BOOST_CHECK_EXCEPTION(buf.write(1, count_from(0)),
                          rp::pipe_error,
                          error_with(rp::errc::closed, { "close()" }));
    BOOST_CHECK_EXCEPTION(
        buf.reserve(1), rp::pipe_error, error_with(rp::errc::closed, {}));
    BOOST_CHECK_EQUAL(buf.written_frames(), 1u);
    BOOST_CHECK_EQUAL(data[0], 3.0);
    BOOST_CHECK_EQUAL(data[1], 0.0);
}

BOOST_AUTO_TEST_CASE(metadata_is_empty_until_set_and_the_last_value_wins)
{
    double data[1] = {};
    rp::write_only_pipe_buffer<double, std::string> buf(data, 1);

    BOOST_CHECK(!buf.get_metadata());
    buf.set_metadata("a");
    buf.set_metadata("b");
    BOOST_REQUIRE(buf.get_metadata());
    BOOST_CHECK_EQUAL(*buf.get_metadata(), "b");
    // Metadata lives in the object, never in the caller's memory.
    BOOST_CHECK_EQUAL(data[0], 0.0);
}

BOOST_AUTO_TEST_CASE(multi_dimensional_frames_are_written_in_c_order)
{
    std::int32_t data[2 * 2 * 3] = {};
    rp::write_only_pipe_buffer<std::int32_t> buf(data, 12, { 2, 3 });
    BOOST_CHECK_EQUAL(buf.capacity(), 2u);
    BOOST_CHECK(buf.shape() == (shape_t{ 2, 3 }));

    const auto res =
        buf.write(2, [](rp::array_view<std::int32_t> v, const rp::pipe_state& st) {
            BOOST_CHECK(v.shape() == (shape_t{ 2, 2, 3 }));
            BOOST_CHECK_EQUAL(st.written, 0u);
            BOOST_CHECK_EQUAL(st.available, 2u);
            for (std::size_t i = 0; i < 2; ++i)
                for (std::size_t j = 0; j < 2; ++j)
                    for (std::size_t k = 0; k < 3; ++k)
                        v(i, j, k) = std::int32_t(i * 100 + j * 10 + k);
        });
    BOOST_REQUIRE(res);
    BOOST_CHECK_EQUAL(res.frames(), 2u);

    const std::int32_t expected[] = { 0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112 };
    BOOST_CHECK_EQUAL_COLLECTIONS(
        std::begin(data), std::end(data), std::begin(expected), std::end(expected));
    BOOST_CHECK_EXCEPTION(buf.write(1, [](rp::array_view<std::int32_t>) {}),
                          rp::pipe_error,
                          error_with(rp::errc::buffer_full, { "0 of 2 frames left" }));
}

BOOST_AUTO_TEST_CASE(name_and_state_describe_the_buffer)
{
    double data[3] = {};
    rp::write_only_pipe_buffer<double> buf(data, 3);
    BOOST_REQUIRE(buf.write(1, count_from(0)));

    BOOST_CHECK_EQUAL(buf.name(), "write-only pipe buffer");
    const rp::pipe_state s = buf.state();
    BOOST_CHECK_EQUAL(s.written, 1u);
    BOOST_CHECK_EQUAL(s.available, 2u);
    BOOST_CHECK_EQUAL(s.capacity, 3u);
    BOOST_CHECK_EQUAL(s.lost, 0u);
}

BOOST_AUTO_TEST_CASE(publish_after_close_is_closed_and_keeps_nothing)
{
    std::vector<int> data(8, -1);
    rp::write_only_pipe_buffer<int> buffer(data.data(), data.size());
    auto span = buffer.reserve(2);
    BOOST_REQUIRE(span);
    span.data()(0) = 5;
    buffer.close();
    BOOST_CHECK_EXCEPTION(buffer.publish(2), rp::pipe_error,
                          rp::qa::error_with(rp::errc::closed, { "after close" }));
    BOOST_CHECK_EQUAL(buffer.written_frames(), 0u);
}

BOOST_AUTO_TEST_CASE(a_buffer_moves_and_its_moved_from_object_says_so)
{
    std::vector<int> data(8, 0);
    rp::write_only_pipe_buffer<int, std::string> a(data.data(), data.size());
    a.set_metadata("m");
    a.write(1, [](auto v) { v(0) = 1; });
    auto b = std::move(a);
    b.write(1, [](auto v) { v(0) = 2; });
    BOOST_CHECK_EQUAL(b.written_frames(), 2u);
    BOOST_CHECK_EQUAL(data[1], 2);
    BOOST_CHECK(b.get_metadata() == std::optional<std::string>("m"));
    BOOST_CHECK_EXCEPTION(a.write(1, [](auto) {}), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "moved-from" }));
    std::vector<rp::write_only_pipe_buffer<int>> many;
    for (int i = 0; i < 10; ++i)
        many.emplace_back(data.data(), data.size()); // vector growth moves them
    BOOST_CHECK_EQUAL(many.back().capacity(), 8u);
}

BOOST_AUTO_TEST_SUITE_END()
