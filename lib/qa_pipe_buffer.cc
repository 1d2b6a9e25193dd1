/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "qa_gr_helpers.h"
#include "qa_helpers.h"
#include <gnuradio/block_detail.h>
#include <gnuradio/blocks/moving_average.h>
#include <gnuradio/blocks/vector_sink.h>
#include <gnuradio/roundpipers/pipe_sink.h>
#include <gnuradio/roundpipers/pipe_source.h>
#include <gnuradio/top_block.h>
#include <roundpipers/registry.h>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

namespace rp = ::roundpipers;
namespace grp = gr::roundpipers;
using namespace std::chrono_literals;

namespace {

std::vector<std::int32_t> as_int32(const std::vector<std::uint8_t>& bytes)
{
    std::vector<std::int32_t> v(bytes.size() / sizeof(std::int32_t));
    std::memcpy(v.data(), bytes.data(), v.size() * sizeof(std::int32_t));
    return v;
}

} // namespace

BOOST_AUTO_TEST_SUITE(pipe_buffer)

BOOST_AUTO_TEST_CASE(output_naming_pipe_buffer_gets_a_mirrored_memfd_edge)
{
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(3, 5000, true);
    auto probe = gnuradio::make_block_sptr<grp::qa::probe_sink>(3 * sizeof(std::int32_t));
    auto tb = gr::make_top_block("edge");
    tb->connect(src, 0, probe, 0);
    tb->run();
    auto edge = std::dynamic_pointer_cast<grp::pipe_buffer>(src->detail()->output(0));
    BOOST_REQUIRE(edge);
    BOOST_CHECK(!edge->pipe());
    BOOST_CHECK_GE(edge->fd(), 0);
    const std::size_t bytes = std::size_t(edge->bufsize()) * 12;
    BOOST_CHECK_EQUAL(bytes % rp::memfd_ring::page_size(), 0u);
    const char* base = edge->base();
    std::size_t mirror_mismatches = 0;
    for (std::size_t i = 0; i < bytes; ++i)
        mirror_mismatches += base[i] != base[i + bytes];
    BOOST_CHECK_EQUAL(mirror_mismatches, 0u);
    const auto got = as_int32(probe->bytes());
    BOOST_REQUIRE_EQUAL(got.size(), 15000u);
    bool exact = true;
    for (std::size_t i = 0; i < got.size(); ++i)
        exact &= got[i] == std::int32_t(i);
    BOOST_CHECK(exact);
}

BOOST_AUTO_TEST_CASE(history_of_a_downstream_block_works_on_a_pipe_buffer_edge)
{
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(1, 2000, true);
    auto avg = gr::blocks::moving_average_ii::make(4, 1);
    auto sink = gr::blocks::vector_sink_i::make();
    auto tb = gr::make_top_block("history");
    tb->connect(src, 0, avg, 0);
    tb->connect(avg, 0, sink, 0);
    tb->run();
    const auto& got = sink->data();
    BOOST_REQUIRE_GE(got.size(), 1000u);
    // A running sum of 4 over 0, 1, 2, ... with zero history: 0, 1, 3, 6, then 4k - 6.
    BOOST_CHECK_EQUAL(got[0], 0);
    BOOST_CHECK_EQUAL(got[1], 1);
    BOOST_CHECK_EQUAL(got[2], 3);
    bool exact = true;
    for (std::size_t k = 3; k < got.size(); ++k)
        exact &= got[k] == std::int32_t(4 * k - 6);
    BOOST_CHECK(exact);
}

BOOST_AUTO_TEST_CASE(one_pipe_buffer_output_feeds_several_stock_blocks)
{
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(1, 30000, true);
    auto a = gnuradio::make_block_sptr<grp::qa::probe_sink>(sizeof(std::int32_t));
    auto b = gnuradio::make_block_sptr<grp::qa::probe_sink>(sizeof(std::int32_t));
    auto tb = gr::make_top_block("fan_out");
    tb->connect(src, 0, a, 0);
    tb->connect(src, 0, b, 0);
    tb->run();
    BOOST_CHECK(as_int32(a->bytes()) == as_int32(b->bytes()));
    BOOST_CHECK_EQUAL(as_int32(a->bytes()).size(), 30000u);
}

BOOST_AUTO_TEST_CASE(pipe_source_into_pipe_sink_carries_every_frame)
{
    auto src = grp::pipe_source_i::make("qa_buffer_chain_in", { 2 }, 512);
    auto sink = grp::pipe_sink_i::make("qa_buffer_chain_out", { 2 }, 512);
    auto reader = rp::registry::open<std::int32_t>("qa_buffer_chain_out", 512, { 2 })
                      ->get_reader();
    auto tb = gr::make_top_block("chain");
    tb->connect(src, 0, sink, 0);
    std::thread writer([] {
        auto w = rp::registry::open<std::int32_t>("qa_buffer_chain_in", 512, { 2 })
                     ->get_writer();
        for (int k = 0; k < 20000; k += 10)
            w.write(10, [&](rp::array_view<std::int32_t> v) {
                for (std::size_t i = 0; i < v.size(); ++i)
                    v.data()[i] = std::int32_t(2 * k + i);
            });
    });
    std::vector<std::int32_t> got;
    std::thread consumer([&] {
        for (auto chunk : reader.iter_chunks(100, 100))
            got.insert(got.end(), chunk.begin(), chunk.end());
    });
    tb->run();
    writer.join();
    consumer.join();
    BOOST_REQUIRE_EQUAL(got.size(), 40000u);
    bool exact = true;
    for (std::size_t i = 0; i < got.size(); ++i)
        exact &= got[i] == std::int32_t(i);
    BOOST_CHECK(exact);
    BOOST_CHECK(src->zero_copy());
    BOOST_CHECK(!sink->zero_copy()); // the edge is the source's ring: the sink copies
}

BOOST_AUTO_TEST_CASE(start_stop_cycles_leave_no_fd_or_mapping_behind)
{
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(1, 1u << 30, true);
    auto sink = grp::pipe_sink_i::make("qa_buffer_cycles", {}, 1024);
    auto tb = gr::make_top_block("cycles");
    tb->connect(src, 0, sink, 0);
    auto cycle = [&] {
        tb->start();
        std::this_thread::sleep_for(2ms);
        tb->stop();
        tb->wait();
    };
    cycle(); // first start loads and allocates what every start needs
    cycle();
    // Memfd mappings are ours alone; counting all mappings would also count the
    // allocator's (ASan maps memory lazily).
    const int fds = rp::qa::count_open_fds();
    const int rings = rp::qa::count_mappings_named("memfd:roundpipers");
    for (int i = 0; i < 1000; ++i)
        cycle();
    BOOST_CHECK_EQUAL(rp::qa::count_open_fds(), fds);
    BOOST_CHECK_EQUAL(rp::qa::count_mappings_named("memfd:roundpipers"), rings);
    BOOST_CHECK_GT(rings, 0); // the pipe and the edge of the current run are mapped
}

BOOST_AUTO_TEST_SUITE_END()
