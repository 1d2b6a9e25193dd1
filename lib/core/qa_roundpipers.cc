/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The "user API" test: the code of design section 3, through the umbrella header,
 * narrated as a user would write it.
 */

#include <roundpipers/roundpipers.h>
#include <boost/test/unit_test.hpp>
#include <complex>
#include <vector>

namespace rp = roundpipers;

BOOST_AUTO_TEST_SUITE(roundpipers_user_api)

BOOST_AUTO_TEST_CASE(design_section_3_example_runs_as_written)
{
    auto pipe = rp::pipe<float>::make("audio", 1 << 20);         // scalar frames, shape {}
    auto frames = rp::pipe<std::complex<float>>::make("fft", 512, { 65536 });
    BOOST_CHECK_GE(pipe->capacity(), std::size_t(1) << 20);
    BOOST_CHECK_GE(frames->capacity(), 512u);
    BOOST_CHECK(frames->shape() == rp::frame_shape{ 65536 });

    auto writer = pipe->get_writer();      // rp::pipe_writer<float>, move-only
    auto reader = pipe->get_reader();      // rp::pipe_reader<float>, move-only
    rp::reader_options lossy;
    lossy.lossy = true;
    auto monitor = pipe->get_reader(lossy); // never holds the writer back

    writer.write(100, [&](rp::array_view<float> chunk, const rp::pipe_state& st) {
        BOOST_CHECK_EQUAL(st.written, 0u);
        for (std::size_t i = 0; i < chunk.shape()[0]; ++i)
            chunk(i) = float(i);
    });
    writer.close(); // end of stream (also done by the destructor)

    std::vector<float> used;
    for (auto chunk : reader.iter_chunks(25, 25)) { // rp::chunk_guard<float>
        for (float v : chunk.data())
            used.push_back(v); // advances by 25 when the guard is destroyed
    }
    BOOST_REQUIRE_EQUAL(used.size(), 100u);
    for (std::size_t i = 0; i < used.size(); ++i)
        BOOST_CHECK_EQUAL(used[i], float(i));

    auto res = monitor.read(50, 10, [&](rp::const_array_view<float> c, const rp::pipe_state&) {
        BOOST_CHECK_EQUAL(c(49), 49.f);
    });
    BOOST_CHECK(res);
    auto tail = reader.read(50, 10, [](rp::const_array_view<float>, const rp::pipe_state&) {});
    BOOST_CHECK(!tail);
    BOOST_CHECK(tail.status() == rp::read_status::end_of_stream);
}

BOOST_AUTO_TEST_SUITE_END()
