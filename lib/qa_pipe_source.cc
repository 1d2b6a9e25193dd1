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
#include <gnuradio/blocks/null_sink.h>
#include <gnuradio/blocks/vector_sink.h>
#include <gnuradio/roundpipers/pipe_source.h>
#include <gnuradio/top_block.h>
#include <roundpipers/registry.h>
#include <boost/test/unit_test.hpp>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace rp = ::roundpipers;
namespace grp = gr::roundpipers;
using namespace std::chrono_literals;

namespace {

/*! Writes `frames` frames of `shape` with value_at(element index), then closes. */
template <class T>
void write_frames(const std::string& name,
                  const rp::frame_shape& shape,
                  std::size_t capacity,
                  std::uint64_t frames)
{
    auto p = rp::registry::open<T>(name, capacity, shape);
    auto w = p->get_writer();
    const std::size_t per = p->frame_size();
    std::uint64_t done = 0;
    while (done < frames) {
        const std::size_t n = std::size_t(std::min<std::uint64_t>(frames - done, 7));
        w.write(n, [&](rp::array_view<T> v) {
            for (std::size_t e = 0; e < v.size(); ++e)
                v.data()[e] = grp::qa::value_at<T>(done * per + e);
        });
        done += n;
    }
}

template <class T>
void check_exact_data_through_source(const rp::frame_shape& shape, std::uint64_t frames)
{
    const std::string name = "qa_source_exact_" + std::to_string(sizeof(T)) + "_" +
                             std::to_string(shape.size());
    auto src = grp::pipe_source<T>::make(name, shape, 64);
    const std::size_t per = rp::frame_elements(shape, "test");
    auto sink = gr::blocks::vector_sink<T>::make(int(per));
    auto tb = gr::make_top_block("exact");
    tb->connect(src, 0, sink, 0);
    std::thread writer([&] { write_frames<T>(name, shape, 64, frames); });
    tb->run();
    writer.join();
    const auto& got = sink->data();
    BOOST_REQUIRE_EQUAL(got.size(), frames * per);
    std::size_t wrong = 0;
    for (std::size_t e = 0; e < got.size(); ++e)
        wrong += !(got[e] == grp::qa::value_at<T>(e));
    BOOST_CHECK_MESSAGE(wrong == 0,
                        wrong << " wrong values for " << name << " shape "
                              << rp::to_string(shape));
    BOOST_CHECK(src->zero_copy());
}

} // namespace

BOOST_AUTO_TEST_SUITE(pipe_source)

BOOST_AUTO_TEST_CASE(outside_frames_reach_the_flowgraph_exactly_for_every_type_and_shape)
{
    grp::qa::for_every_type_and_shape(
        [](auto tag, const rp::frame_shape& shape, std::size_t n) {
            check_exact_data_through_source<typename decltype(tag)::type>(shape, n);
        });
}

BOOST_AUTO_TEST_CASE(downstream_reads_the_frames_where_the_writer_wrote_them)
{
    const std::string name = "qa_source_zero_copy";
    auto src = grp::pipe_source_i::make(name, { 16 }, 256);
    auto probe =
        gnuradio::make_block_sptr<grp::qa::probe_sink>(16 * sizeof(std::int32_t));
    auto tb = gr::make_top_block("zero_copy");
    tb->connect(src, 0, probe, 0);
    const auto run_pipe = src->pipe(); // after the closed stream is read, the next one's
    std::vector<const void*> written_at;
    std::thread writer([&] {
        auto w = rp::registry::open<std::int32_t>(name, 256, { 16 })->get_writer();
        for (int k = 0; k < 1000; ++k) {
            auto span = w.reserve(1);
            written_at.push_back(span.data().data());
            span.data()(0, 0) = k;
            w.publish(1);
        }
    });
    tb->run();
    writer.join();
    const auto read_at = probe->addresses();
    BOOST_REQUIRE_EQUAL(read_at.size(), written_at.size());
    const auto& ring = run_pipe->core()->ring();
    BOOST_CHECK_EQUAL(grp::qa::same_addresses(ring, read_at, written_at), written_at.size());
    auto edge = std::dynamic_pointer_cast<grp::pipe_buffer>(src->detail()->output(0));
    BOOST_REQUIRE(edge);
    BOOST_CHECK(edge->pipe() == run_pipe->core());
    BOOST_CHECK(src->pipe() != run_pipe); // the name takes a new writer for the next run
}

BOOST_AUTO_TEST_CASE(end_of_stream_ends_the_flowgraph)
{
    const std::string name = "qa_source_eos";
    auto src = grp::pipe_source_f::make(name, {}, 1024);
    auto sink = gr::blocks::vector_sink_f::make();
    auto tb = gr::make_top_block("eos");
    tb->connect(src, 0, sink, 0);
    tb->start();
    write_frames<float>(name, {}, 1024, 100);
    auto done = std::async(std::launch::async, [&] { tb->wait(); });
    BOOST_CHECK(done.wait_for(2s) == std::future_status::ready);
    BOOST_CHECK_EQUAL(sink->data().size(), 100u);
}

BOOST_AUTO_TEST_CASE(stop_returns_promptly_while_the_writer_is_silent)
{
    const std::string name = "qa_source_silent";
    auto src = grp::pipe_source_f::make(name, {}, 1024);
    auto writer = rp::registry::open<float>(name, 1024)->get_writer();
    auto sink = gr::blocks::vector_sink_f::make();
    auto tb = gr::make_top_block("silent");
    tb->connect(src, 0, sink, 0);
    tb->start();
    std::this_thread::sleep_for(100ms);
    const auto t0 = std::chrono::steady_clock::now();
    tb->stop();
    tb->wait();
    BOOST_CHECK(std::chrono::steady_clock::now() - t0 < 1s);
    // A stopped flowgraph keeps its place: the writer fills the ring, then waits.
    BOOST_CHECK(writer.try_write(writer.capacity(), [](auto) {}));
    BOOST_CHECK(writer.try_write(1, [](auto) {}) == rp::read_status::timeout);
}

BOOST_AUTO_TEST_CASE(a_writer_waiting_for_room_keeps_a_small_pipe_flowing)
{
    // The writer waits for room that only pipe_source hands back: if it did so only at
    // the start of work(), the two would wait for each other until GNU Radio polled the
    // block again (up to 250 ms each time). 2^17 frames must not take minutes.
    const std::string name = "qa_source_small_ring";
    auto src = grp::pipe_source_f::make(name, { 1024 }, 64);
    auto sink = gr::blocks::null_sink::make(1024 * sizeof(float));
    auto tb = gr::make_top_block("small_ring");
    tb->connect(src, 0, sink, 0);
    constexpr std::uint64_t frames = 1 << 17;
    tb->start();
    auto done = std::async(std::launch::async, [&, pipe = src->pipe()] {
        auto w = pipe->get_writer();
        for (std::uint64_t f = 0; f < frames; f += 16)
            if (!w.write_for(16, 5s, [](rp::array_view<float> v) { v.data()[0] = 1.0f; }))
                break; // stalled for good: end the stream so that the test ends
        w.close();
        tb->wait();
    });
    const bool finished = done.wait_for(60s) == std::future_status::ready;
    if (!finished)
        tb->stop();
    BOOST_CHECK_MESSAGE(finished, "2^17 frames through a 64-frame pipe took over 60 s");
    done.wait();
    BOOST_CHECK_EQUAL(sink->nitems_read(0), frames);
}

BOOST_AUTO_TEST_CASE(lossy_source_skips_overrun_frames_and_counts_them)
{
    const std::string name = "qa_source_lossy";
    auto src = grp::pipe_source_i::make(name, {}, 1024, true);
    BOOST_CHECK(src->lossy());
    auto sink = gr::blocks::vector_sink_i::make();
    auto tb = gr::make_top_block("lossy");
    tb->connect(src, 0, sink, 0);
    {
        // Written before the flowgraph runs: the lossy reader is lapped many times over.
        auto w = rp::registry::open<std::int32_t>(name, 1024)->get_writer();
        for (int k = 0; k < 100000; k += 100)
            w.write(100, [&](rp::array_view<std::int32_t> v) {
                for (int i = 0; i < 100; ++i)
                    v(std::size_t(i)) = k + i;
            });
    }
    tb->run();
    const auto& got = sink->data();
    BOOST_CHECK_GT(src->frames_lost(), 0u);
    BOOST_CHECK_EQUAL(got.size() + src->frames_lost(), 100000u);
    bool increasing = !got.empty() && got.back() == 99999;
    for (std::size_t i = 1; i < got.size(); ++i)
        increasing &= got[i] > got[i - 1];
    BOOST_CHECK(increasing);
    BOOST_CHECK(!src->zero_copy());
}

BOOST_AUTO_TEST_CASE(restart_goes_on_reading_the_pipe)
{
    const std::string name = "qa_source_restart";
    auto src = grp::pipe_source_i::make(name, {}, 1024);
    auto sink = gr::blocks::vector_sink_i::make();
    auto tb = gr::make_top_block("restart");
    tb->connect(src, 0, sink, 0);
    auto w = rp::registry::open<std::int32_t>(name, 1024)->get_writer();
    auto write_some = [&](int first) {
        w.write(10, [&](rp::array_view<std::int32_t> v) {
            for (int i = 0; i < 10; ++i)
                v(std::size_t(i)) = first + i;
        });
    };
    for (int run = 0; run < 3; ++run) {
        tb->start();
        write_some(run * 10);
        for (int i = 0; i < 200 && sink->data().size() < std::size_t(10 * (run + 1)); ++i)
            std::this_thread::sleep_for(5ms);
        tb->stop();
        tb->wait();
        BOOST_CHECK_EQUAL(sink->data().size(), std::size_t(10 * (run + 1)));
    }
    const auto& got = sink->data();
    for (std::size_t i = 0; i < got.size(); ++i)
        BOOST_CHECK_EQUAL(got[i], int(i));
}

// GNU Radio drops the items in flight on its edges at lock()/unlock(); the source may
// lose those (at most a ring's worth) but never repeats a frame or breaks the order.
BOOST_AUTO_TEST_CASE(lock_and_unlock_repeat_no_frame_and_keep_the_order)
{
    const std::string name = "qa_source_lock";
    auto src = grp::pipe_source_i::make(name, {}, 1024);
    auto sink = gr::blocks::vector_sink_i::make();
    auto tb = gr::make_top_block("lock");
    tb->connect(src, 0, sink, 0);
    auto w = rp::registry::open<std::int32_t>(name, 1024)->get_writer();
    std::atomic<bool> reconfigured{ false };
    std::thread writer([&] {
        for (int k = 0; k < 20000; k += 100)
            w.write(100, [&](rp::array_view<std::int32_t> v) {
                for (int i = 0; i < 100; ++i)
                    v(std::size_t(i)) = k + i;
            });
        while (!reconfigured)
            std::this_thread::sleep_for(1ms);
        w.close();
    });
    tb->start();
    std::this_thread::sleep_for(20ms);
    tb->lock();
    tb->unlock();
    reconfigured = true;
    tb->wait();
    writer.join();
    const auto& got = sink->data();
    BOOST_CHECK_LE(got.size(), 20000u);
    BOOST_CHECK_GE(got.size() + src->pipe()->capacity(), 20000u);
    bool increasing = !got.empty() && got.front() == 0 && got.back() == 19999;
    for (std::size_t i = 1; i < got.size(); ++i)
        increasing &= got[i] > got[i - 1];
    BOOST_CHECK(increasing);
}

BOOST_AUTO_TEST_CASE(a_pipe_too_small_for_the_downstream_output_multiple_fails_at_start)
{
    // GNU Radio shows a reader at most capacity - 1 items; a block that works on 32 at a
    // time could never run on a 16-frame pipe (GNU Radio would end it empty).
    auto src = grp::pipe_source_f::make("qa_source_small", { 1024 }, 16);
    BOOST_REQUIRE_EQUAL(src->pipe()->capacity(), 16u);
    auto copy = gr::blocks::copy::make(1024 * sizeof(float));
    copy->set_output_multiple(32);
    auto sink = gr::blocks::vector_sink_f::make(1024);
    auto tb = gr::make_top_block("small");
    tb->connect(src, 0, copy, 0);
    tb->connect(copy, 0, sink, 0);
    BOOST_CHECK_EXCEPTION(tb->start(), std::invalid_argument, [](const auto& e) {
        const std::string what = e.what();
        return what.find("pipe 'qa_source_small' holds 16 frames") != std::string::npos &&
               what.find("capacity of at least 33 frames") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_clear_errors)
{
    BOOST_CHECK_THROW(grp::pipe_source_f::make("", {}, 64), rp::pipe_error);
    BOOST_CHECK_THROW(grp::pipe_source_f::make("qa_source_bad", { 4, 0 }, 64),
                      rp::pipe_error);
    BOOST_CHECK_THROW(grp::pipe_source_f::make("qa_source_bad", {}, 0), rp::pipe_error);
    auto existing = rp::registry::open<float>("qa_source_mismatch", 64, { 8 });
    BOOST_CHECK_THROW(grp::pipe_source_i::make("qa_source_mismatch", { 8 }, 64),
                      rp::pipe_error);
    BOOST_CHECK_THROW(grp::pipe_source_f::make("qa_source_mismatch", { 4 }, 64),
                      rp::pipe_error);
}

BOOST_AUTO_TEST_SUITE_END()
