/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "qa_helpers.h"
#include <roundpipers/pipe.h>
#include <boost/test/unit_test.hpp>
#include <vector>

namespace rp = roundpipers;

namespace {

std::shared_ptr<rp::pipe<double>> make_pipe(const std::string& name)
{
    return rp::pipe<double>::make(name, 1024);
}

void write_values(rp::pipe_writer<double>& w, std::size_t n)
{
    w.write(n, [&](rp::array_view<double> v) {
        for (std::size_t i = 0; i < n; ++i)
            v(i) = double(i);
    });
}

} // namespace

BOOST_AUTO_TEST_SUITE(chunk_guard)

// Crate scenario 4 (with the writer closed so that the loop ends).
BOOST_AUTO_TEST_CASE(iter_chunks_yields_windows_in_order_then_ends)
{
    auto p = make_pipe("quick_start");
    auto w = p->get_writer();
    auto r = p->get_reader();
    write_values(w, 100);
    w.close();
    std::vector<std::vector<double>> chunks;
    auto range = r.iter_chunks(25, 25);
    for (auto chunk : range)
        chunks.emplace_back(chunk.begin(), chunk.end());
    BOOST_REQUIRE_EQUAL(chunks.size(), 4u);
    for (std::size_t c = 0; c < 4; ++c)
        for (std::size_t i = 0; i < 25; ++i)
            BOOST_CHECK_EQUAL(chunks[c][i], double(c * 25 + i));
    BOOST_CHECK(range.status() == rp::read_status::end_of_stream);
}

// Crate scenario 17.
BOOST_AUTO_TEST_CASE(guard_consumes_when_destroyed_not_before)
{
    auto p = make_pipe("guard_advance");
    auto w = p->get_writer();
    auto r = p->get_reader();
    write_values(w, 100);
    auto range = r.iter_chunks(25, 25);
    auto it = range.begin();
    {
        auto chunk = *it;
        BOOST_CHECK_EQUAL(chunk.frames(), 25u);
        BOOST_CHECK_EQUAL(r.state().consumed, 0u);
        BOOST_CHECK_EQUAL(chunk.state().consumed, 0u);
    }
    BOOST_CHECK_EQUAL(r.state().consumed, 25u);
}

// Crate scenario 18: never a double consume.
BOOST_AUTO_TEST_CASE(second_live_chunk_fails_with_chunk_outstanding)
{
    auto p = make_pipe("two_guards");
    auto w = p->get_writer();
    auto r = p->get_reader();
    write_values(w, 100);
    auto range = r.iter_chunks(10, 10);
    auto it = range.begin();
    auto first = *it;
    BOOST_CHECK_EXCEPTION(++it, rp::pipe_error,
                          rp::qa::error_with(rp::errc::chunk_outstanding, { "two_guards", "10" }));
    BOOST_CHECK_THROW(r.get(5), rp::pipe_error);
    BOOST_CHECK_THROW(r.read(5, 5, [](auto) {}), rp::pipe_error);
    first.release();
    BOOST_CHECK_EQUAL(r.state().consumed, 10u);
    BOOST_CHECK(r.get(5));
}

BOOST_AUTO_TEST_CASE(final_partial_chunk_is_yielded_once)
{
    auto p = make_pipe("partial_tail");
    auto w = p->get_writer();
    auto r = p->get_reader();
    write_values(w, 10);
    w.close();
    std::vector<std::size_t> sizes;
    std::vector<double> last;
    for (auto chunk : r.iter_chunks(4, 4)) {
        sizes.push_back(chunk.frames());
        last.assign(chunk.begin(), chunk.end());
    }
    BOOST_CHECK(sizes == (std::vector<std::size_t>{ 4, 4, 2 }));
    BOOST_CHECK(last == (std::vector<double>{ 8, 9 }));
    BOOST_CHECK(r.read(1, 1, [](auto) {}) == rp::read_status::end_of_stream);
}

BOOST_AUTO_TEST_CASE(sliding_chunks_overlap)
{
    auto p = make_pipe("sliding_chunks");
    auto w = p->get_writer();
    auto r = p->get_reader();
    write_values(w, 10);
    w.close();
    std::vector<double> firsts;
    for (auto chunk : r.iter_chunks(4, 2))
        firsts.push_back(*chunk.begin());
    // windows start at 0, 2, 4, 6; then the tail [8, 9] comes once
    BOOST_CHECK(firsts == (std::vector<double>{ 0, 2, 4, 6, 8 }));
}

BOOST_AUTO_TEST_CASE(timed_iteration_ends_with_timeout_while_the_writer_is_silent)
{
    auto p = make_pipe("timed_chunks");
    auto w = p->get_writer();
    auto r = p->get_reader();
    write_values(w, 10);
    std::size_t n = 0;
    auto range = r.iter_chunks_for(5, 5, std::chrono::milliseconds(20));
    for (auto chunk : range)
        n += chunk.frames();
    BOOST_CHECK_EQUAL(n, 10u);
    BOOST_CHECK(range.status() == rp::read_status::timeout);
}

BOOST_AUTO_TEST_CASE(span_api_get_then_consume)
{
    auto p = make_pipe("span_api");
    auto w = p->get_writer();
    auto r = p->get_reader();
    auto ws = w.reserve(6);
    BOOST_REQUIRE(ws);
    for (std::size_t i = 0; i < 6; ++i)
        ws.data()(i) = double(10 + i);
    BOOST_CHECK(!r.try_get(1)); // nothing published yet
    w.publish(4);
    auto s = r.get(4);
    BOOST_REQUIRE(s);
    BOOST_CHECK_EQUAL(s.data()(3), 13.0);
    BOOST_CHECK(r.consume(3) == rp::read_status::ok);
    BOOST_CHECK_EQUAL(r.state().consumed, 3u);
    BOOST_CHECK(!r.try_get(2));
    BOOST_CHECK(r.try_get(1).status() == rp::read_status::ok);
}

BOOST_AUTO_TEST_SUITE_END()
