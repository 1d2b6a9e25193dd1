/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "qa_gr_helpers.h"
#include <gnuradio/block_detail.h>
#include <gnuradio/blocks/copy.h>
#include <gnuradio/blocks/vector_source.h>
#include <gnuradio/roundpipers/pipe_sink.h>
#include <gnuradio/top_block.h>
#include <roundpipers/registry.h>
#include <boost/test/unit_test.hpp>
#include <atomic>
#include <chrono>
#include <thread>

namespace rp = ::roundpipers;
namespace grp = gr::roundpipers;
using namespace std::chrono_literals;

namespace {

/*! Reads a pipe to its end with windows of 3 frames; returns every value. */
template <class T>
std::vector<T> read_all(rp::pipe_reader<T>& r)
{
    std::vector<T> out;
    for (auto chunk : r.iter_chunks(3, 3))
        out.insert(out.end(), chunk.begin(), chunk.end());
    return out;
}

template <class T>
void check_exact_data_through_sink(const rp::frame_shape& shape, std::size_t frames)
{
    const std::string name =
        "qa_sink_exact_" + std::to_string(sizeof(T)) + "_" + std::to_string(shape.size());
    const std::size_t per = rp::frame_elements(shape, "test");
    std::vector<T> data(frames * per);
    for (std::size_t e = 0; e < data.size(); ++e)
        data[e] = grp::qa::value_at<T>(e);
    auto src = gr::blocks::vector_source<T>::make(data, false, unsigned(per));
    auto sink = grp::pipe_sink<T>::make(name, shape, 64);
    auto reader = rp::registry::open<T>(name, 64, shape)->get_reader();
    auto tb = gr::make_top_block("exact");
    tb->connect(src, 0, sink, 0);
    std::vector<T> got;
    std::thread consumer([&] { got = read_all(reader); });
    tb->run();
    consumer.join();
    BOOST_CHECK_MESSAGE(got == data,
                        name << " shape " << rp::to_string(shape) << ": " << got.size()
                             << " values read, " << data.size() << " written");
    BOOST_CHECK(sink->zero_copy());
}

} // namespace

BOOST_AUTO_TEST_SUITE(pipe_sink)

BOOST_AUTO_TEST_CASE(
    flowgraph_frames_reach_outside_readers_exactly_for_every_type_and_shape)
{
    grp::qa::for_every_type_and_shape(
        [](auto tag, const rp::frame_shape& shape, std::size_t n) {
            check_exact_data_through_sink<typename decltype(tag)::type>(shape, n);
        });
}

BOOST_AUTO_TEST_CASE(outside_readers_see_the_bytes_the_upstream_block_wrote)
{
    const std::string name = "qa_sink_zero_copy";
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(16, 1000);
    auto sink = grp::pipe_sink_i::make(name, { 16 }, 256);
    auto run_pipe = rp::registry::open<std::int32_t>(name, 256, { 16 });
    auto reader = run_pipe->get_reader();
    auto tb = gr::make_top_block("zero_copy");
    tb->connect(src, 0, sink, 0);
    std::vector<const void*> read_at;
    bool values_ok = true;
    std::thread consumer([&] {
        for (auto chunk : reader.iter_chunks(1, 1)) {
            values_ok &= chunk.data()(0, 0) == std::int32_t(read_at.size() * 16);
            read_at.push_back(chunk.data().data());
        }
    });
    tb->run();
    consumer.join();
    BOOST_CHECK(sink->zero_copy());
    BOOST_CHECK(values_ok);
    const auto written_at = src->addresses();
    BOOST_REQUIRE_EQUAL(read_at.size(), written_at.size());
    // The run's pipe: once the run ends, sink->pipe() is the next run's.
    const auto& ring = run_pipe->core()->ring();
    BOOST_CHECK_EQUAL(grp::qa::same_addresses(ring, read_at, written_at), read_at.size());
}

BOOST_AUTO_TEST_CASE(a_million_frames_reach_concurrent_blocking_and_lossy_readers)
{
    const std::string name = "qa_sink_million";
    const std::uint64_t total = 1000000;
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(1, total);
    auto sink = grp::pipe_sink_i::make(name, {}, 4096);
    auto pipe = rp::registry::open<std::int32_t>(name, 4096);
    std::vector<rp::pipe_reader<std::int32_t>> readers;
    readers.push_back(pipe->get_reader());
    readers.push_back(pipe->get_reader());
    rp::reader_options lossy;
    lossy.lossy = true;
    readers.push_back(pipe->get_reader(lossy));
    std::vector<std::uint64_t> frames(3, 0), errors(3, 0);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < 3; ++i)
        threads.emplace_back([&, i] {
            for (;;) {
                const auto before = readers[i].state();
                const std::size_t n = 1 + (before.consumed * 7 + i) % 500;
                std::uint64_t wrong = 0;
                auto res =
                    readers[i].read(n, n, [&](rp::const_array_view<std::int32_t> v) {
                        for (std::size_t k = 0; k < v.size(); ++k)
                            wrong += __atomic_load_n(&v(k), __ATOMIC_RELAXED) !=
                                     std::int32_t(before.consumed + k);
                    });
                const auto after = readers[i].state();
                if (res || res.status() == rp::read_status::overrun) {
                    // Frames past the lost ones were read intact (design 3.2 item 5).
                    frames[i] +=
                        after.consumed - before.consumed - (after.lost - before.lost);
                    errors[i] += res ? wrong : 0;
                } else if (res.status() == rp::read_status::insufficient_data) {
                    const std::size_t left = res.state().available;
                    if (readers[i].read(left, left, [](auto) {}))
                        frames[i] += left;
                } else {
                    break;
                }
            }
        });
    auto tb = gr::make_top_block("million");
    tb->connect(src, 0, sink, 0);
    tb->run();
    for (auto& t : threads)
        t.join();
    for (std::size_t i = 0; i < 2; ++i) {
        BOOST_CHECK_EQUAL(frames[i], total);
        BOOST_CHECK_EQUAL(errors[i], 0u);
    }
    BOOST_CHECK_EQUAL(frames[2] + readers[2].state().lost, total);
    BOOST_CHECK_EQUAL(errors[2], 0u);
    BOOST_CHECK_EQUAL(sink->frames_published(), total);
}

BOOST_AUTO_TEST_CASE(a_blocking_reader_holds_the_flowgraph_back_a_lossy_one_does_not)
{
    const std::string name = "qa_sink_backpressure";
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(1, 1u << 30);
    auto sink = grp::pipe_sink_i::make(name, {}, 1024);
    auto pipe = rp::registry::open<std::int32_t>(name, 1024);
    rp::reader_options lossy;
    lossy.lossy = true;
    auto monitor = pipe->get_reader(lossy);
    auto stalled = std::make_unique<rp::pipe_reader<std::int32_t>>(pipe->get_reader());
    auto tb = gr::make_top_block("backpressure");
    tb->connect(src, 0, sink, 0);
    tb->start();
    std::this_thread::sleep_for(200ms);
    BOOST_CHECK_LE(pipe->state().written, pipe->capacity());
    stalled.reset(); // only the lossy reader is left: the flowgraph runs free
    std::this_thread::sleep_for(200ms);
    BOOST_CHECK_GT(pipe->state().written, 4 * pipe->capacity());
    BOOST_CHECK(monitor.read(1, 1, [](auto) {}) == rp::read_status::overrun);
    tb->stop();
    tb->wait();
}

BOOST_AUTO_TEST_CASE(stop_returns_promptly_with_a_stalled_reader_and_ends_the_stream)
{
    const std::string name = "qa_sink_stalled";
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(1, 1u << 30);
    auto sink = grp::pipe_sink_i::make(name, {}, 1024);
    auto reader = rp::registry::open<std::int32_t>(name, 1024)->get_reader();
    auto tb = gr::make_top_block("stalled");
    tb->connect(src, 0, sink, 0);
    tb->start();
    std::this_thread::sleep_for(100ms);
    const auto t0 = std::chrono::steady_clock::now();
    tb->stop();
    tb->wait();
    BOOST_CHECK(std::chrono::steady_clock::now() - t0 < 1s);
    // What was published is still there; then the stream ends.
    std::uint64_t drained = 0;
    for (auto chunk : reader.iter_chunks(100, 100))
        drained += chunk.frames();
    BOOST_CHECK_EQUAL(drained, sink->frames_published());
    BOOST_CHECK_GT(drained, 0u);
}

BOOST_AUTO_TEST_CASE(each_run_writes_a_new_stream_into_a_new_pipe)
{
    const std::string name = "qa_sink_restart";
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(1, 100);
    auto sink = grp::pipe_sink_i::make(name, {}, 1024);
    auto tb = gr::make_top_block("restart");
    tb->connect(src, 0, sink, 0);
    auto first = sink->pipe();
    auto r1 = first->get_reader();
    tb->run();
    BOOST_CHECK(first->is_closed());
    std::uint64_t n1 = 0;
    for (auto chunk : r1.iter_chunks(10, 10))
        n1 += chunk.frames();
    BOOST_CHECK_EQUAL(n1, 100u);
    // The next run's pipe is there as soon as the run ends, open, under the name: a
    // reader opened now reads the next run.
    auto second = sink->pipe();
    BOOST_CHECK(second != first);
    BOOST_CHECK(!second->is_closed());
    BOOST_CHECK(rp::registry::find<std::int32_t>(name) == second);
    // The counting source is done for good; a second run still ends its stream.
    tb->run();
    BOOST_CHECK(second->is_closed());
    BOOST_CHECK(sink->pipe() != second);
}

// GNU Radio 3.10.5 cannot share one default output between a stock block and a
// consumer that brings its own buffer: depending on the order it connects them, it
// either fails with a transfer-type error or (caught by pipe_buffer) would orphan the
// stock reader. Either way tb.start() must fail at once, never hang.
BOOST_AUTO_TEST_CASE(direct_fan_out_with_a_stock_block_fails_at_start_instead_of_hanging)
{
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(1, 20000);
    auto sink = grp::pipe_sink_i::make("qa_sink_fan_out_direct", {}, 1024);
    auto probe = gnuradio::make_block_sptr<grp::qa::probe_sink>(sizeof(std::int32_t));
    auto tb = gr::make_top_block("fan_out_direct");
    tb->connect(src, 0, probe, 0);
    tb->connect(src, 0, sink, 0);
    const auto t0 = std::chrono::steady_clock::now();
    BOOST_CHECK_THROW(tb->start(), std::exception);
    BOOST_CHECK(std::chrono::steady_clock::now() - t0 < 2s);
}

BOOST_AUTO_TEST_CASE(lock_and_unlock_end_the_stream_and_go_on_in_a_new_pipe)
{
    const std::string name = "qa_sink_lock";
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(1, 1u << 30);
    auto sink = grp::pipe_sink_i::make(name, {}, 1024);
    auto first = sink->pipe();
    auto r1 = first->get_reader();
    auto tb = gr::make_top_block("lock");
    tb->connect(src, 0, sink, 0);
    tb->start();
    BOOST_CHECK(r1.read_for(100, 100, 2s, [](auto) {}));
    tb->lock();
    tb->unlock();
    // The first stream ends (its tail can still be drained)...
    rp::read_status end = rp::read_status::ok;
    for (int i = 0; i < 5000 && end == rp::read_status::ok; ++i)
        end = r1.read_for(1, 1, 2s, [](auto) {}).status();
    BOOST_CHECK(end == rp::read_status::end_of_stream);
    // ...and the reconfigured flowgraph writes on into a new pipe of the same name.
    auto second = rp::registry::find<std::int32_t>(name);
    BOOST_REQUIRE(second);
    BOOST_CHECK(second != first);
    auto r2 = second->get_reader();
    BOOST_CHECK(r2.read_for(100, 100, 2s, [](auto) {}));
    tb->stop();
    tb->wait();
}

// The kept edge was the old pipe's ring: the new run (whose counter starts at 0 again)
// must not write over the old stream's tail that a reader still drains.
BOOST_AUTO_TEST_CASE(lock_and_unlock_leave_the_old_streams_frames_intact)
{
    const std::string name = "qa_sink_lock_intact";
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(1, 1u << 30);
    auto sink = grp::pipe_sink_i::make(name, {}, 1024);
    auto r1 = sink->pipe()->get_reader();
    auto tb = gr::make_top_block("lock_intact");
    tb->connect(src, 0, sink, 0);
    tb->start();
    std::int32_t next = 0;
    auto expect_next = [&](rp::const_array_view<std::int32_t> v) {
        for (std::int32_t x : v)
            BOOST_REQUIRE_EQUAL(x, next++);
    };
    BOOST_REQUIRE(r1.read_for(100, 100, 2s, expect_next));
    // Let the sink fill the ring ahead of the reader before the reconfiguration.
    std::this_thread::sleep_for(200ms);
    tb->lock();
    tb->unlock();
    // Give the new run time to write over the old ring if it still could.
    std::this_thread::sleep_for(200ms);
    rp::read_status end = rp::read_status::ok;
    while (end == rp::read_status::ok)
        end = r1.read_for(1, 1, 2s, expect_next).status();
    BOOST_CHECK(end == rp::read_status::end_of_stream);
    BOOST_CHECK_GT(next, 200); // the old stream's tail was there to drain
    tb->stop();
    tb->wait();
}

BOOST_AUTO_TEST_CASE(fan_out_through_a_copy_block_gives_both_branches_every_frame)
{
    const std::string name = "qa_sink_fan_out";
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(1, 20000);
    auto copy = gr::blocks::copy::make(sizeof(std::int32_t));
    auto sink = grp::pipe_sink_i::make(name, {}, 1024);
    auto probe = gnuradio::make_block_sptr<grp::qa::probe_sink>(sizeof(std::int32_t));
    auto reader = rp::registry::open<std::int32_t>(name, 1024)->get_reader();
    auto tb = gr::make_top_block("fan_out");
    tb->connect(src, 0, probe, 0);
    tb->connect(src, 0, copy, 0);
    tb->connect(copy, 0, sink, 0);
    std::uint64_t got = 0;
    std::thread consumer([&] {
        for (auto chunk : reader.iter_chunks(64, 64))
            got += chunk.frames();
    });
    tb->run();
    consumer.join();
    BOOST_CHECK_EQUAL(got, 20000u);
    BOOST_CHECK_EQUAL(probe->bytes().size(), 20000u * sizeof(std::int32_t));
    BOOST_CHECK(sink->zero_copy());
}

BOOST_AUTO_TEST_CASE(upstream_with_a_custom_buffer_is_copied_once)
{
    const std::string name = "qa_sink_copy";
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(4, 3000, true);
    auto sink = grp::pipe_sink_i::make(name, { 4 }, 256);
    auto reader = rp::registry::open<std::int32_t>(name, 256, { 4 })->get_reader();
    auto tb = gr::make_top_block("copy");
    tb->connect(src, 0, sink, 0);
    std::vector<std::int32_t> got;
    std::thread consumer([&] { got = read_all(reader); });
    tb->run();
    consumer.join();
    BOOST_CHECK(!sink->zero_copy());
    BOOST_REQUIRE_EQUAL(got.size(), 12000u);
    bool exact = true;
    for (std::size_t i = 0; i < got.size(); ++i)
        exact &= got[i] == std::int32_t(i);
    BOOST_CHECK(exact);
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_clear_errors)
{
    BOOST_CHECK_THROW(grp::pipe_sink_f::make("", {}, 64), rp::pipe_error);
    BOOST_CHECK_THROW(grp::pipe_sink_f::make("qa_sink_bad", { 0 }, 64), rp::pipe_error);
    BOOST_CHECK_THROW(grp::pipe_sink_f::make("qa_sink_bad", {}, 0), rp::pipe_error);
    auto existing = rp::registry::open<float>("qa_sink_mismatch", 64, { 8 });
    BOOST_CHECK_THROW(grp::pipe_sink_c::make("qa_sink_mismatch", { 8 }, 64),
                      rp::pipe_error);
    BOOST_CHECK_THROW(grp::pipe_sink_f::make("qa_sink_mismatch", { 2, 4 }, 64),
                      rp::pipe_error);
}

BOOST_AUTO_TEST_SUITE_END()
