/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Design 3.2 item 5: lossy readers never hold the writer back and report overruns. */

#include "qa_helpers.h"
#include <roundpipers/pipe.h>
#include <boost/test/unit_test.hpp>
#include <vector>

namespace rp = roundpipers;

namespace {

rp::reader_options lossy()
{
    rp::reader_options o;
    o.lossy = true;
    return o;
}

void write_sequence(rp::pipe_writer<std::uint64_t>& w, std::size_t n)
{
    const std::uint64_t first = w.state().written;
    w.write(n, [&](rp::array_view<std::uint64_t> v) {
        for (std::size_t i = 0; i < n; ++i)
            v(i) = first + i;
    });
}

} // namespace

BOOST_AUTO_TEST_SUITE(pipe_lossy)

BOOST_AUTO_TEST_CASE(lossy_reader_never_holds_the_writer_back)
{
    auto p = rp::pipe<std::uint64_t>::make("lossy_free", 512);
    auto w = p->get_writer();
    auto r = p->get_reader(lossy());
    BOOST_CHECK(r.is_lossy());
    for (int i = 0; i < 10; ++i)
        BOOST_REQUIRE(w.try_write(p->capacity(), [](auto) {}));
    BOOST_CHECK_EQUAL(w.state().available, p->capacity());
}

BOOST_AUTO_TEST_CASE(lapped_reader_reports_overrun_and_resumes_at_oldest_valid_frame)
{
    auto p = rp::pipe<std::uint64_t>::make("lossy_lap", 512);
    const std::size_t cap = p->capacity();
    auto w = p->get_writer();
    auto r = p->get_reader(lossy());
    write_sequence(w, cap);
    write_sequence(w, 100); // laps the reader by 100 frames
    bool called = false;
    auto res = r.read(10, 10, [&](auto) { called = true; });
    BOOST_CHECK(res == rp::read_status::overrun);
    BOOST_CHECK(!called);
    BOOST_CHECK_EQUAL(res.state().lost, 100u);
    BOOST_CHECK_EQUAL(r.state().consumed, 100u);
    std::vector<std::uint64_t> got;
    BOOST_CHECK(r.read(3, 3, [&](rp::const_array_view<std::uint64_t> v) {
        got.assign(v.begin(), v.end());
    }));
    BOOST_CHECK(got == (std::vector<std::uint64_t>{ 100, 101, 102 }));
    BOOST_CHECK_EQUAL(r.state().lost, 100u); // cumulative, never reset
}

BOOST_AUTO_TEST_CASE(data_overwritten_while_read_is_reported_after_the_fact)
{
    auto p = rp::pipe<std::uint64_t>::make("lossy_torn", 512);
    const std::size_t cap = p->capacity();
    auto w = p->get_writer();
    auto r = p->get_reader(lossy());
    write_sequence(w, cap);
    auto res = r.read(10, 10, [&](rp::const_array_view<std::uint64_t> v) {
        BOOST_CHECK_EQUAL(v(0), 0u);
        // The writer laps the frames while the reader looks at them.
        write_sequence(w, 20);
    });
    BOOST_CHECK(res == rp::read_status::overrun);
    BOOST_CHECK_EQUAL(r.state().lost, 20u);
    BOOST_CHECK_EQUAL(r.state().consumed, 20u);
}

BOOST_AUTO_TEST_CASE(torn_read_loses_only_the_overwritten_frames_and_repeats_none)
{
    auto p = rp::pipe<std::uint64_t>::make("lossy_partial_tear", 1024);
    const std::size_t cap = p->capacity();
    auto w = p->get_writer();
    auto r = p->get_reader(lossy());
    write_sequence(w, cap);
    auto res = r.read(512, 512, [&](auto) { write_sequence(w, 1); }); // tears frame 0 only
    BOOST_CHECK(res == rp::read_status::overrun);
    BOOST_CHECK_EQUAL(r.state().lost, 1u);
    BOOST_CHECK_EQUAL(r.state().consumed, 512u); // frames 1..511 were read intact
    std::uint64_t next = 0;
    BOOST_CHECK(r.read(1, 1, [&](rp::const_array_view<std::uint64_t> v) { next = v(0); }));
    BOOST_CHECK_EQUAL(next, 512u);
}

BOOST_AUTO_TEST_CASE(lossy_iter_chunks_carries_on_past_an_overrun)
{
    auto p = rp::pipe<std::uint64_t>::make("lossy_iter", 512);
    const std::size_t cap = p->capacity();
    auto w = p->get_writer();
    auto r = p->get_reader(lossy());
    write_sequence(w, cap);
    write_sequence(w, 64); // frames 0..63 are gone
    w.close();
    std::uint64_t expected = 64;
    std::uint64_t frames = 0;
    std::uint64_t lost = 0;
    for (auto chunk : r.iter_chunks(32, 32)) {
        BOOST_CHECK_EQUAL(*chunk.begin(), expected);
        expected += chunk.frames();
        frames += chunk.frames();
        lost = chunk.state().lost;
    }
    BOOST_CHECK_EQUAL(lost, 64u);
    BOOST_CHECK_EQUAL(frames + lost, cap + 64);
}

BOOST_AUTO_TEST_CASE(blocking_and_lossy_readers_coexist)
{
    auto p = rp::pipe<std::uint64_t>::make("mixed", 512);
    const std::size_t cap = p->capacity();
    auto w = p->get_writer();
    auto blocking = p->get_reader();
    auto monitor = p->get_reader(lossy());
    write_sequence(w, cap);
    BOOST_CHECK(w.try_write(1, [](auto) {}) == rp::read_status::timeout);
    BOOST_CHECK(blocking.read(cap / 2, cap / 2, [](auto) {}));
    BOOST_CHECK(w.try_write(cap / 2, [](auto) {}));
    BOOST_CHECK(monitor.read(1, 1, [](auto) {}) == rp::read_status::overrun);
    BOOST_CHECK_EQUAL(monitor.state().lost, cap / 2);
}

BOOST_AUTO_TEST_SUITE_END()
