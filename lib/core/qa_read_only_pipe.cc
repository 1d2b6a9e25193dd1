/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * read_only_pipe and its reader (design 3.1; crate acceptance scenarios 16, 19-22).
 */

#include "qa_helpers.h"
#include <roundpipers/read_only_pipe.h>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace rp = roundpipers;
using rp::qa::error_with;

namespace {

using shape_t = std::vector<std::size_t>;

template <class T>
std::vector<T> values_of(rp::const_array_view<T> v)
{
    return std::vector<T>(v.begin(), v.end());
}

} // namespace

BOOST_AUTO_TEST_SUITE(read_only_pipe)

// Scenario 19: the short tail is yielded once as a partial chunk, never an error.
BOOST_AUTO_TEST_CASE(iter_chunks_yields_short_tail_once_then_ends_with_end_of_stream)
{
    const double data[] = { 1, 2, 3, 4, 5 };
    rp::read_only_pipe<double> p(data, 5);
    auto reader = p.get_reader();

    std::vector<std::vector<double>> chunks;
    std::vector<std::size_t> frames;
    auto range = reader.iter_chunks(2, 2);
    for (auto chunk : range) {
        chunks.push_back(values_of(chunk.data()));
        frames.push_back(chunk.frames());
    }

    BOOST_REQUIRE_EQUAL(chunks.size(), 3u);
    BOOST_TEST(chunks[0] == (std::vector<double>{ 1, 2 }),
               boost::test_tools::per_element());
    BOOST_TEST(chunks[1] == (std::vector<double>{ 3, 4 }),
               boost::test_tools::per_element());
    BOOST_TEST(chunks[2] == (std::vector<double>{ 5 }), boost::test_tools::per_element());
    BOOST_TEST(frames == (std::vector<std::size_t>{ 2, 2, 1 }),
               boost::test_tools::per_element());
    BOOST_CHECK(range.status() == rp::read_status::end_of_stream);
    BOOST_CHECK_EQUAL(reader.state().consumed, 5u);
    BOOST_CHECK_EQUAL(reader.state().available, 0u);
}

BOOST_AUTO_TEST_CASE(iter_chunks_with_overlap_walks_sliding_windows)
{
    const int data[] = { 0, 1, 2, 3, 4, 5 };
    rp::read_only_pipe<int> p(data, 6);
    auto reader = p.get_reader();

    std::vector<int> firsts;
    std::vector<std::size_t> sizes;
    for (auto chunk : reader.iter_chunks(4, 2)) {
        firsts.push_back(chunk.data()(0));
        sizes.push_back(chunk.frames());
    }
    // Windows [0..3], [2..5], then the tail [4, 5] once.
    BOOST_TEST(firsts == (std::vector<int>{ 0, 2, 4 }), boost::test_tools::per_element());
    BOOST_TEST(sizes == (std::vector<std::size_t>{ 4, 4, 2 }),
               boost::test_tools::per_element());
}

// Scenario 20, decided differently: the crate drops the trailing element, we refuse it.
BOOST_AUTO_TEST_CASE(trailing_partial_frame_is_a_construction_error)
{
    const float data[10] = {};
    BOOST_CHECK_EXCEPTION(
        (rp::read_only_pipe<float>(data, 10, { 3 })),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument,
                   { "10 elements", "[3]", "3 elements each", "1 trailing" }));
}

BOOST_AUTO_TEST_CASE(whole_frames_give_one_frame_per_shape_product)
{
    float data[9];
    std::iota(std::begin(data), std::end(data), 0.0f);
    rp::read_only_pipe<float> p(data, 9, { 3 });

    BOOST_CHECK_EQUAL(p.capacity(), 3u);
    BOOST_CHECK(p.shape() == (shape_t{ 3 }));

    auto reader = p.get_reader();
    BOOST_CHECK_EQUAL(reader.capacity(), 3u);
    BOOST_CHECK(reader.shape() == (shape_t{ 3 }));
    std::vector<float> seen;
    const auto res = reader.read(3, 3, [&](rp::const_array_view<float> v) {
        BOOST_CHECK(v.shape() == (shape_t{ 3, 3 }));
        seen = values_of(v);
    });
    BOOST_CHECK(res == rp::read_status::ok);
    BOOST_CHECK_EQUAL(res.frames(), 3u);
    BOOST_CHECK_EQUAL_COLLECTIONS(
        seen.begin(), seen.end(), std::begin(data), std::end(data));
}

BOOST_AUTO_TEST_CASE(null_data_is_invalid_unless_empty)
{
    BOOST_CHECK_EXCEPTION(
        (rp::read_only_pipe<int>(nullptr, 4)),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "null", "4 elements" }));

    rp::read_only_pipe<int> empty(nullptr, 0);
    BOOST_CHECK_EQUAL(empty.capacity(), 0u);
}

BOOST_AUTO_TEST_CASE(bad_frame_shape_is_invalid_argument)
{
    const int data[4] = {};
    BOOST_CHECK_EXCEPTION(
        (rp::read_only_pipe<int>(data, 4, { 2, 0 })),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "read-only pipe", "[2, 0]" }));
}

BOOST_AUTO_TEST_CASE(empty_pipe_ends_at_once)
{
    rp::read_only_pipe<int> p(nullptr, 0);
    auto reader = p.get_reader();

    bool called = false;
    BOOST_CHECK(reader.read(1, 1, [&](rp::const_array_view<int>) { called = true; }) ==
                rp::read_status::end_of_stream);
    std::size_t chunks = 0;
    auto range = reader.iter_chunks(4, 4);
    for (auto chunk : range)
        chunks += chunk.frames();
    BOOST_CHECK(!called);
    BOOST_CHECK_EQUAL(chunks, 0u);
    BOOST_CHECK(range.status() == rp::read_status::end_of_stream);
}

// Scenario 21: a short tail gives insufficient_data; a smaller read takes it, then the
// stream ends.
BOOST_AUTO_TEST_CASE(read_past_the_end_gives_insufficient_data_then_end_of_stream)
{
    const double data[] = { 10, 20, 30 };
    rp::read_only_pipe<double> p(data, 3);
    auto reader = p.get_reader();

    std::vector<double> seen;
    auto collect = [&](rp::const_array_view<double> v) {
        seen.insert(seen.end(), v.begin(), v.end());
    };

    const auto first = reader.read(2, 2, collect);
    BOOST_CHECK(first == rp::read_status::ok);
    BOOST_CHECK(static_cast<bool>(first));
    BOOST_CHECK_EQUAL(first.frames(), 2u);

    const auto second = reader.read(2, 2, collect);
    BOOST_CHECK(second == rp::read_status::insufficient_data);
    BOOST_CHECK(!second);
    BOOST_CHECK_EQUAL(second.frames(), 0u);
    BOOST_CHECK_EQUAL(second.state().available, 1u);
    BOOST_CHECK_EQUAL(second.state().consumed, 2u);
    BOOST_CHECK_EQUAL(second.state().written, 3u);
    BOOST_CHECK_EXCEPTION(
        second.throw_if_failed(reader.name()),
        rp::pipe_error,
        error_with(rp::errc::insufficient_data,
                   { "read-only pipe", "only 1 frames left", "position 2" }));
    BOOST_CHECK_EQUAL(seen.size(), 2u);

    const auto third = reader.read(1, 1, collect);
    BOOST_CHECK(third == rp::read_status::ok);
    BOOST_CHECK_EQUAL(third.frames(), 1u);

    BOOST_CHECK(reader.read(1, 1, collect) == rp::read_status::end_of_stream);
    BOOST_CHECK(reader.read(2, 2, collect) == rp::read_status::end_of_stream);
    BOOST_TEST(seen == (std::vector<double>{ 10, 20, 30 }),
               boost::test_tools::per_element());
}

// Scenario 22.
BOOST_AUTO_TEST_CASE(readers_are_independent_and_each_starts_at_frame_zero)
{
    const int data[] = { 1, 2, 3, 4 };
    rp::read_only_pipe<int> p(data, 4);
    auto first = p.get_reader();
    auto second = p.get_reader();

    int seen = 0;
    auto take = [&](rp::const_array_view<int> v) { seen = v(0); };

    BOOST_REQUIRE(first.read(1, 3, take));
    BOOST_CHECK_EQUAL(seen, 1);
    BOOST_CHECK_EQUAL(first.state().consumed, 3u);
    BOOST_CHECK_EQUAL(second.state().consumed, 0u);

    BOOST_REQUIRE(second.read(1, 1, take));
    BOOST_CHECK_EQUAL(seen, 1);
    BOOST_REQUIRE(first.read(1, 1, take));
    BOOST_CHECK_EQUAL(seen, 4);
    BOOST_REQUIRE(second.read(1, 1, take));
    BOOST_CHECK_EQUAL(seen, 2);

    auto late = p.get_reader();
    BOOST_REQUIRE(late.read(1, 1, take));
    BOOST_CHECK_EQUAL(seen, 1);
}

BOOST_AUTO_TEST_CASE(read_larger_than_capacity_is_read_capacity_exceeded)
{
    const int data[] = { 1, 2, 3 };
    rp::read_only_pipe<int> p(data, 3);
    auto reader = p.get_reader();

    BOOST_CHECK_EXCEPTION(
        reader.read(4, 4, [](rp::const_array_view<int>) {}),
        rp::pipe_error,
        error_with(rp::errc::read_capacity_exceeded,
                   { "Buffer capacity exceeded", "4 frames", "holding 3" }));
    BOOST_CHECK_EXCEPTION(reader.get(4),
                          rp::pipe_error,
                          error_with(rp::errc::read_capacity_exceeded, { "4 frames" }));
    BOOST_CHECK_EQUAL(reader.state().consumed, 0u);
}

BOOST_AUTO_TEST_CASE(read_of_zero_frames_is_invalid_argument)
{
    const int data[] = { 1, 2, 3 };
    rp::read_only_pipe<int> p(data, 3);
    auto reader = p.get_reader();

    BOOST_CHECK_EXCEPTION(
        reader.read(0, 0, [](rp::const_array_view<int>) {}),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "at least 1", "got 0" }));
    BOOST_CHECK_EXCEPTION(reader.try_get(0),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument, { "got 0" }));
}

BOOST_AUTO_TEST_CASE(second_get_without_consume_is_chunk_outstanding)
{
    const int data[] = { 7, 8, 9 };
    rp::read_only_pipe<int> p(data, 3);
    auto reader = p.get_reader();

    auto span = reader.get(2);
    BOOST_REQUIRE(span);
    BOOST_CHECK_EXCEPTION(
        reader.get(1),
        rp::pipe_error,
        error_with(rp::errc::chunk_outstanding, { "2 frames", "position 0" }));
    BOOST_CHECK_EXCEPTION(reader.read(1, 1, [](rp::const_array_view<int>) {}),
                          rp::pipe_error,
                          error_with(rp::errc::chunk_outstanding, {}));

    BOOST_CHECK(reader.consume(2) == rp::read_status::ok);
    auto next = reader.get(1);
    BOOST_REQUIRE(next);
    BOOST_CHECK_EQUAL(next.data()(0), 9);
    reader.consume(1);
}

BOOST_AUTO_TEST_CASE(asking_for_a_chunk_while_a_guard_lives_is_chunk_outstanding)
{
    const int data[] = { 1, 2, 3, 4 };
    rp::read_only_pipe<int> p(data, 4);
    auto reader = p.get_reader();

    std::size_t chunks = 0;
    for (auto chunk : reader.iter_chunks(2, 2)) {
        ++chunks;
        BOOST_CHECK_EXCEPTION(
            reader.get(1), rp::pipe_error, error_with(rp::errc::chunk_outstanding, {}));
        BOOST_CHECK_EQUAL(reader.state().consumed, 2 * (chunks - 1));
    }
    // The failed requests consumed nothing: both chunks were still handed out in full.
    BOOST_CHECK_EQUAL(chunks, 2u);
    BOOST_CHECK_EQUAL(reader.state().consumed, 4u);
}

BOOST_AUTO_TEST_CASE(consume_zero_peeks_and_consume_past_the_end_ends_the_stream)
{
    const int data[] = { 5, 6, 7 };
    rp::read_only_pipe<int> p(data, 3);
    auto reader = p.get_reader();

    int seen = 0;
    auto take = [&](rp::const_array_view<int> v) { seen = v(0); };
    BOOST_REQUIRE(reader.read(1, 0, take));
    BOOST_REQUIRE(reader.read(1, 0, take));
    BOOST_CHECK_EQUAL(seen, 5);
    BOOST_CHECK_EQUAL(reader.state().consumed, 0u);

    BOOST_REQUIRE(reader.read(1, 10, take));
    BOOST_CHECK_EQUAL(reader.state().consumed, 3u);
    BOOST_CHECK(reader.read(1, 1, take) == rp::read_status::end_of_stream);
}

BOOST_AUTO_TEST_CASE(callback_that_throws_consumes_nothing)
{
    const int data[] = { 5, 6, 7 };
    rp::read_only_pipe<int> p(data, 3);
    auto reader = p.get_reader();

    auto failing = [](rp::const_array_view<int>) {
        throw std::logic_error("callback failed");
    };
    BOOST_CHECK_THROW(reader.read(2, 2, failing), std::logic_error);
    BOOST_CHECK_EQUAL(reader.state().consumed, 0u);

    int seen = 0;
    BOOST_REQUIRE(reader.read(1, 1, [&](rp::const_array_view<int> v) { seen = v(0); }));
    BOOST_CHECK_EQUAL(seen, 5);
}

// Scenario 16 on a read-only pipe.
BOOST_AUTO_TEST_CASE(metadata_set_on_the_pipe_is_seen_by_every_reader)
{
    const int data[] = { 1, 2 };
    rp::read_only_pipe<int, std::string> p(data, 2);
    auto before = p.get_reader();

    BOOST_CHECK(!p.get_metadata());
    BOOST_CHECK(!before.get_metadata());

    p.set_metadata("a");
    p.set_metadata("b");
    auto after = p.get_reader();
    BOOST_CHECK_EQUAL(p.get_metadata().value_or(""), "b");
    BOOST_CHECK_EQUAL(before.get_metadata().value_or(""), "b");
    BOOST_CHECK_EQUAL(after.get_metadata().value_or(""), "b");

    // Not tied to the stream position: a reader at the end still sees it.
    BOOST_REQUIRE(before.read(2, 2, [](rp::const_array_view<int>) {}));
    BOOST_CHECK_EQUAL(before.get_metadata().value_or(""), "b");
}

BOOST_AUTO_TEST_CASE(multi_dimensional_frames_give_views_of_shape_n_then_frame_shape)
{
    std::int16_t data[2 * 3 * 4];
    std::iota(std::begin(data), std::end(data), std::int16_t(0));
    rp::read_only_pipe<std::int16_t> p(data, 24, { 3, 4 });
    BOOST_CHECK_EQUAL(p.capacity(), 2u);
    auto reader = p.get_reader();

    const auto res = reader.read(2, 1, [&](rp::const_array_view<std::int16_t> v) {
        BOOST_CHECK(v.shape() == (shape_t{ 2, 3, 4 }));
        BOOST_CHECK_EQUAL(v.size(), 24u);
        BOOST_CHECK_EQUAL(v(1, 2, 3), 23);
        BOOST_CHECK_EQUAL(v(0, 1, 2), 6);
        const auto second = v.frame(1);
        BOOST_CHECK(second.shape() == (shape_t{ 3, 4 }));
        BOOST_CHECK_EQUAL(second(0, 0), 12);
    });
    BOOST_REQUIRE(res);

    std::size_t chunks = 0;
    for (auto chunk : reader.iter_chunks(1, 1)) {
        ++chunks;
        BOOST_CHECK(chunk.data().shape() == (shape_t{ 1, 3, 4 }));
        BOOST_CHECK_EQUAL(chunk.data()(0, 0, 0), 12);
    }
    BOOST_CHECK_EQUAL(chunks, 1u);
}

BOOST_AUTO_TEST_CASE(views_point_into_the_callers_array)
{
    const float data[12] = {};
    rp::read_only_pipe<float> p(data, 12, { 4 });
    auto reader = p.get_reader();

    auto span = reader.get(2);
    BOOST_REQUIRE(span);
    BOOST_CHECK_EQUAL(span.data().data(), data);
    BOOST_CHECK_EQUAL(span.frames(), 2u);
    reader.consume(2);

    auto last = reader.get(1);
    BOOST_REQUIRE(last);
    BOOST_CHECK_EQUAL(last.data().data(), data + 8);
    BOOST_CHECK_EQUAL(last.data().end(), data + 12);
    reader.consume(1);

    const auto res = p.get_reader().read(
        3, 3, [&](rp::const_array_view<float> v) { BOOST_CHECK_EQUAL(v.data(), data); });
    BOOST_CHECK(res);
}

BOOST_AUTO_TEST_CASE(reader_reports_state_name_and_never_loses_data)
{
    const int data[] = { 1, 2, 3, 4, 5 };
    rp::read_only_pipe<int> p(data, 5);
    auto reader = p.get_reader();

    BOOST_REQUIRE(reader.read(2, 2, [](rp::const_array_view<int>) {}));
    const rp::pipe_state s = reader.state();
    BOOST_CHECK_EQUAL(s.written, 5u);
    BOOST_CHECK_EQUAL(s.consumed, 2u);
    BOOST_CHECK_EQUAL(s.available, 3u);
    BOOST_CHECK_EQUAL(s.capacity, 5u);
    BOOST_CHECK_EQUAL(s.lost, 0u);
    BOOST_CHECK_EQUAL(reader.name(), "read-only pipe");
    BOOST_CHECK(!reader.is_lossy());

    // try_read never waits either; on a finished stream it behaves as read does.
    BOOST_CHECK(reader.try_read(3, 3, [](rp::const_array_view<int>) {}) ==
                rp::read_status::ok);
    BOOST_CHECK(reader.try_read(1, 1, [](rp::const_array_view<int>) {}) ==
                rp::read_status::end_of_stream);
}

BOOST_AUTO_TEST_CASE(moved_from_reader_is_invalid_argument)
{
    const int data[] = { 1, 2 };
    rp::read_only_pipe<int> p(data, 2);
    auto reader = p.get_reader();
    auto moved = std::move(reader);

    BOOST_CHECK_EXCEPTION(reader.get(1),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument, { "moved-from" }));
    BOOST_CHECK_EXCEPTION(reader.state(),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument, { "moved-from" }));
    BOOST_REQUIRE(moved.get(2));
    moved.consume(2);
}

BOOST_AUTO_TEST_SUITE_END()
