/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Design 3.1 "Unified interface": one test body runs over every reader type and one
 * over every writer type. Each fixture builds its object over the same data.
 */

#include "qa_helpers.h"
#include <roundpipers/roundpipers.h>
#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace rp = roundpipers;

namespace {

constexpr std::size_t frames_total = 100;
const rp::frame_shape frame_of_two = { 2 };

/*! A pipe whose writer already wrote frames 0..99 (shape {2}: values 2f, 2f+1) and closed. */
struct pipe_reader_fixture {
    std::shared_ptr<rp::pipe<int, std::string>> pipe =
        rp::pipe<int, std::string>::make("unified_reader", 1024, frame_of_two);
    rp::pipe_reader<int, std::string> reader = pipe->get_reader();
    pipe_reader_fixture()
    {
        auto w = pipe->get_writer();
        w.set_metadata("meta");
        w.write(frames_total, [](rp::array_view<int> v) {
            std::iota(v.begin(), v.end(), 0);
        });
    }
};

/*! A read-only pipe over the same values. */
struct read_only_reader_fixture {
    std::vector<int> data = [] {
        std::vector<int> d(frames_total * 2);
        std::iota(d.begin(), d.end(), 0);
        return d;
    }();
    rp::read_only_pipe<int, std::string> pipe{ data.data(), data.size(), frame_of_two };
    rp::read_only_pipe_reader<int, std::string> reader = [this] {
        pipe.set_metadata("meta");
        return pipe.get_reader();
    }();
};

using reader_fixtures = boost::mpl::list<pipe_reader_fixture, read_only_reader_fixture>;

/*! A pipe writer; collected() drains a reader that was registered before any write. */
struct pipe_writer_fixture {
    std::shared_ptr<rp::pipe<int, std::string>> pipe =
        rp::pipe<int, std::string>::make("unified_writer", 1024, frame_of_two);
    rp::pipe_reader<int, std::string> reader = pipe->get_reader();
    rp::pipe_writer<int, std::string> writer = pipe->get_writer();
    std::vector<int> collected()
    {
        std::vector<int> out;
        while (reader.try_read(1, 1, [&](rp::const_array_view<int> v) {
            out.insert(out.end(), v.begin(), v.end());
        }))
            ;
        return out;
    }
};

struct write_only_buffer_fixture {
    std::vector<int> memory = std::vector<int>(frames_total * 2, -1);
    rp::write_only_pipe_buffer<int, std::string> writer{ memory.data(), memory.size(),
                                                         frame_of_two };
    std::vector<int> collected()
    {
        return std::vector<int>(memory.begin(),
                                memory.begin() + 2 * writer.written_frames());
    }
};

struct write_only_stream_fixture {
    std::ostringstream sink;
    rp::write_only_pipe_stream<int, std::string> writer{ sink, 4, frame_of_two };
    std::vector<int> collected()
    {
        const std::string bytes = sink.str();
        std::vector<int> out(bytes.size() / sizeof(int));
        std::memcpy(out.data(), bytes.data(), out.size() * sizeof(int));
        return out;
    }
};

using writer_fixtures =
    boost::mpl::list<pipe_writer_fixture, write_only_buffer_fixture, write_only_stream_fixture>;

} // namespace

BOOST_AUTO_TEST_SUITE(unified_api)

BOOST_AUTO_TEST_CASE_TEMPLATE(every_reader_type_reads_windows_chunks_and_spans,
                              Fixture,
                              reader_fixtures)
{
    Fixture f;
    auto& r = f.reader;
    BOOST_CHECK_EQUAL(*r.get_metadata(), "meta");
    BOOST_CHECK(r.shape() == frame_of_two);
    BOOST_CHECK(!r.is_lossy());
    BOOST_CHECK_GE(r.capacity(), frames_total);

    // read with a sliding window: frames 0..3, then 2..5
    std::vector<int> seen;
    BOOST_CHECK(r.read(4, 2, [&](rp::const_array_view<int> v, const rp::pipe_state& st) {
        BOOST_CHECK(v.shape() == (std::vector<std::size_t>{ 4, 2 }));
        BOOST_CHECK_EQUAL(st.consumed, 0u);
        seen.assign(v.begin(), v.end());
    }));
    BOOST_CHECK(seen == (std::vector<int>{ 0, 1, 2, 3, 4, 5, 6, 7 }));
    BOOST_CHECK(r.read_for(2, 2, std::chrono::milliseconds(1),
                           [&](rp::const_array_view<int> v) { BOOST_CHECK_EQUAL(v(0, 0), 4); }));
    BOOST_CHECK(r.try_read(1, 6, [&](rp::const_array_view<int> v) {
        BOOST_CHECK_EQUAL(v(0, 1), 9);
    }));
    BOOST_CHECK_EQUAL(r.state().consumed, 10u);

    // span API with the one-live-chunk rule
    auto s = r.get(5);
    BOOST_REQUIRE(s);
    BOOST_CHECK_EQUAL(s.data()(4, 0), 28);
    BOOST_CHECK_THROW(r.try_get(1), rp::pipe_error);
    BOOST_CHECK(r.consume(5) == rp::read_status::ok);
    BOOST_CHECK(r.get_for(1, std::chrono::milliseconds(1)));
    r.consume(0);

    // chunks to the end, with the final partial chunk
    std::size_t frames = 0;
    std::size_t chunks = 0;
    for (auto chunk : r.iter_chunks(40, 40)) {
        BOOST_CHECK_EQUAL(chunk.data()(0, 0), int(2 * (15 + frames)));
        frames += chunk.frames();
        ++chunks;
    }
    BOOST_CHECK_EQUAL(frames, frames_total - 15);
    BOOST_CHECK_EQUAL(chunks, 3u);
    BOOST_CHECK(r.read(1, 1, [](auto) {}) == rp::read_status::end_of_stream);
    BOOST_CHECK_EQUAL(r.state().available, 0u);
    BOOST_CHECK_EXCEPTION(r.read(0, 1, [](auto) {}), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "0" }));
    // A window above the capacity is an error for every reader type, also at the end.
    BOOST_CHECK_EXCEPTION(r.read(r.capacity() + 1, 1, [](auto) {}), rp::pipe_error,
                          rp::qa::error_with(rp::errc::read_capacity_exceeded,
                                             { std::to_string(r.capacity() + 1) }));
}

namespace {

/*! True when iter_chunks can be called on an rvalue of R. */
template <class R, class = void>
struct chunks_of_temporary : std::false_type {
};
template <class R>
struct chunks_of_temporary<R, std::void_t<decltype(std::declval<R&&>().iter_chunks(1, 1))>>
    : std::true_type {
};
template <class R, class = void>
struct chunks_of_lvalue : std::false_type {
};
template <class R>
struct chunks_of_lvalue<R, std::void_t<decltype(std::declval<R&>().iter_chunks(1, 1))>>
    : std::true_type {
};

// Compile-time behaviour: `pipe->get_reader().iter_chunks(...)` must not compile (the
// range would outlive the reader, ending at the range's initialisation), while a named
// reader iterates.
static_assert(!chunks_of_temporary<rp::pipe_reader<int>>::value,
              "iter_chunks of a temporary pipe_reader would dangle");
static_assert(!chunks_of_temporary<rp::read_only_pipe_reader<int>>::value,
              "iter_chunks of a temporary read_only_pipe_reader would dangle");
static_assert(chunks_of_lvalue<rp::pipe_reader<int>>::value, "a named reader iterates");
static_assert(chunks_of_lvalue<rp::read_only_pipe_reader<int>>::value,
              "a named reader iterates");

} // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(moving_a_reader_while_its_chunk_lives_is_refused, F, reader_fixtures)
{
    F f;
    auto& r = f.reader;
    {
        auto span = r.get(2);
        BOOST_REQUIRE(span);
        BOOST_CHECK_EXCEPTION(auto moved = std::move(r), rp::pipe_error,
                              rp::qa::error_with(rp::errc::chunk_outstanding,
                                                 { "cannot be moved", "2 frames" }));
        r.consume(2); // the reader was left whole: it goes on
    }
    auto moved = std::move(r); // no live chunk: moves
    BOOST_CHECK(moved.read(1, 1, [](rp::const_array_view<int> v) { BOOST_CHECK_EQUAL(v(0, 0), 4); }));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(every_writer_type_writes_reserves_and_closes,
                              Fixture,
                              writer_fixtures)
{
    Fixture f;
    auto& w = f.writer;
    BOOST_CHECK(!w.get_metadata().has_value());
    w.set_metadata("meta");
    BOOST_CHECK_EQUAL(*w.get_metadata(), "meta");
    BOOST_CHECK(w.shape() == frame_of_two);

    auto res = w.write(3, [](rp::array_view<int> v, const rp::pipe_state& st) {
        BOOST_CHECK(v.shape() == (std::vector<std::size_t>{ 3, 2 }));
        BOOST_CHECK_EQUAL(st.written, 0u);
        std::iota(v.begin(), v.end(), 0);
    });
    BOOST_CHECK(res);
    BOOST_CHECK_EQUAL(res.state().written, 3u);
    BOOST_CHECK(w.try_write(1, [](rp::array_view<int> v) { v(0, 0) = 6, v(0, 1) = 7; }));
    BOOST_CHECK(w.write_for(1, std::chrono::milliseconds(1),
                            [](rp::array_view<int> v) { v(0, 0) = 8, v(0, 1) = 9; }));

    auto span = w.reserve(3);
    BOOST_REQUIRE(span);
    std::iota(span.data().begin(), span.data().end(), 10);
    w.publish(2); // frame 2 of the span is dropped
    auto t = w.try_reserve(1);
    BOOST_REQUIRE(t);
    t.data()(0, 0) = 14;
    t.data()(0, 1) = 15;
    w.publish(1);
    BOOST_CHECK(w.reserve_for(1, std::chrono::milliseconds(1)));
    w.publish(0);
    BOOST_CHECK_EQUAL(w.state().written, 8u);

    BOOST_CHECK_THROW(w.write(1, [](auto) { throw std::runtime_error("user"); }),
                      std::runtime_error);
    BOOST_CHECK_EQUAL(w.state().written, 8u);

    std::vector<int> want(16);
    std::iota(want.begin(), want.end(), 0);
    BOOST_CHECK(f.collected() == want);

    BOOST_CHECK(!w.is_closed());
    w.close();
    BOOST_CHECK(w.is_closed());
    BOOST_CHECK_EXCEPTION(w.write(1, [](auto) {}), rp::pipe_error,
                          rp::qa::error_with(rp::errc::closed, {}));
    BOOST_CHECK_EXCEPTION(w.reserve(0), rp::pipe_error,
                          rp::qa::error_with(rp::errc::closed, {}));
}

BOOST_AUTO_TEST_SUITE_END()
