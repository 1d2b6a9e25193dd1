/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * GNU Radio measurements: the null_source -> head -> null_sink peer of B2, and B9, the
 * bridge between a flowgraph and code outside it, with 4 KiB vector items:
 *   GR -> outside: null_source -> head -> pipe_sink, a thread reads the pipe
 *   outside -> GR: a thread writes (memset, like null_source) -> pipe_source -> head ->
 *                  null_sink
 * versus the same data over a native GNU Radio edge (null_source -> head -> null_sink)
 * and over GNU Radio's ZMQ push_sink -> pull_source on tcp://127.0.0.1 (one process,
 * two flowgraphs, the pull side ends after N items).
 */

#include "bench.h"
#include <gnuradio/blocks/head.h>
#include <gnuradio/blocks/null_sink.h>
#include <gnuradio/blocks/null_source.h>
#include <gnuradio/logger.h>
#include <gnuradio/roundpipers/pipe_sink.h>
#include <gnuradio/roundpipers/pipe_source.h>
#include <gnuradio/top_block.h>
#include <gnuradio/zeromq/pull_source.h>
#include <gnuradio/zeromq/push_sink.h>
#include <roundpipers/registry.h>
#include <cstring>
#include <thread>

namespace rb = roundpipers_bench;
namespace rp = roundpipers;

namespace {

constexpr std::size_t vector_floats = 1024; // 4 KiB items
constexpr std::size_t item_bytes = vector_floats * sizeof(float);
constexpr std::size_t pipe_frames = 256;

void quiet_gnuradio()
{
    // Each custom-buffer flowgraph logs a debug line; hundreds of runs would bury the tables.
    gr::logging::singleton().set_default_level(gr::log_level::warn);
    gr::logging::singleton().set_debug_level(gr::log_level::warn);
}

/*! GB/s of null_source -> head(items) -> null_sink with \p bytes items. */
double native_chain_gbps(std::uint64_t items, std::size_t bytes)
{
    auto tb = gr::make_top_block("native");
    auto src = gr::blocks::null_source::make(bytes);
    auto head = gr::blocks::head::make(bytes, items);
    auto sink = gr::blocks::null_sink::make(bytes);
    tb->connect(src, 0, head, 0);
    tb->connect(head, 0, sink, 0);
    const double t0 = rb::now_s();
    tb->run();
    const double seconds = rb::now_s() - t0;
    rb::check(head->nitems_written(0) == items, "native chain: items missing");
    return double(items * bytes) / seconds / 1e9;
}

/*! GB/s of N items from a flowgraph through pipe_sink to a thread outside it. */
double pipe_sink_bridge_gbps(std::uint64_t items)
{
    const std::string name = "bench_b9_out";
    auto tb = gr::make_top_block("to_outside");
    auto src = gr::blocks::null_source::make(item_bytes);
    auto head = gr::blocks::head::make(item_bytes, items);
    auto sink = gr::roundpipers::pipe_sink_f::make(name, { vector_floats }, pipe_frames);
    tb->connect(src, 0, head, 0);
    tb->connect(head, 0, sink, 0);
    auto reader = sink->pipe()->get_reader();
    std::uint64_t seen = 0;
    const double t0 = rb::now_s();
    tb->start();
    // A bounded wait: a flowgraph that stops producing fails the check below, not hangs.
    while (auto span = reader.get_for(1, std::chrono::seconds(10))) {
        const std::size_t n = std::size_t(span.state().available);
        seen += n;
        reader.consume(n);
    }
    tb->wait();
    const double seconds = rb::now_s() - t0;
    rb::check(seen == items, "B9 pipe_sink: the outside reader missed frames");
    return double(items * item_bytes) / seconds / 1e9;
}

/*! GB/s of N items from a thread outside a flowgraph through pipe_source. */
double pipe_source_bridge_gbps(std::uint64_t items)
{
    const std::string name = "bench_b9_in";
    auto tb = gr::make_top_block("from_outside");
    auto src = gr::roundpipers::pipe_source_f::make(name, { vector_floats }, pipe_frames);
    // head as in the native chain, so both flowgraphs have the same blocks after the edge.
    auto head = gr::blocks::head::make(item_bytes, items);
    auto sink = gr::blocks::null_sink::make(item_bytes);
    tb->connect(src, 0, head, 0);
    tb->connect(head, 0, sink, 0);
    auto pipe = src->pipe();
    const double t0 = rb::now_s();
    tb->start();
    bool stalled = false;
    {
        auto w = pipe->get_writer();
        const std::size_t batch = pipe_frames / 4;
        for (std::uint64_t done = 0; done < items && !stalled; done += batch) {
            const std::size_t n = std::size_t(std::min<std::uint64_t>(batch, items - done));
            auto span = w.reserve_for(n, std::chrono::seconds(10));
            stalled = !span;
            if (span) {
                std::memset(span.data().data(), 0, n * item_bytes);
                w.publish(n);
            }
        }
    } // end of stream: the flowgraph finishes
    tb->wait();
    const double seconds = rb::now_s() - t0;
    rb::check(!stalled, "B9 pipe_source: the flowgraph took no frame for 10 s");
    rb::check(head->nitems_written(0) == items, "B9 pipe_source: the flowgraph missed frames");
    return double(items * item_bytes) / seconds / 1e9;
}

/*! GB/s of N items pushed over ZMQ on 127.0.0.1 and pulled by a second flowgraph. */
double zmq_bridge_gbps(std::uint64_t items)
{
    auto push_tb = gr::make_top_block("zmq_push");
    auto src = gr::blocks::null_source::make(item_bytes);
    char bind_to[] = "tcp://127.0.0.1:*";
    auto push = gr::zeromq::push_sink::make(item_bytes, 1, bind_to);
    push_tb->connect(src, 0, push, 0);
    std::string endpoint = push->last_endpoint();
    auto pull_tb = gr::make_top_block("zmq_pull");
    auto pull = gr::zeromq::pull_source::make(item_bytes, 1, endpoint.data());
    auto head = gr::blocks::head::make(item_bytes, items);
    auto sink = gr::blocks::null_sink::make(item_bytes);
    pull_tb->connect(pull, 0, head, 0);
    pull_tb->connect(head, 0, sink, 0);
    const double t0 = rb::now_s();
    push_tb->start();
    pull_tb->run();
    const double seconds = rb::now_s() - t0;
    push_tb->stop();
    push_tb->wait();
    rb::check(head->nitems_written(0) == items, "B9 ZMQ: items missing");
    return double(items * item_bytes) / seconds / 1e9;
}

void run(const rb::context& ctx)
{
    quiet_gnuradio();
    const std::uint64_t items = ctx.count(1 << 17, 1 << 9); // 512 MiB or 2 MiB
    rb::table t("B9 GNU Radio bridge, 4 KiB vector items, " +
                    std::to_string(items * item_bytes >> 20) + " MiB per run, pipe of " +
                    std::to_string(pipe_frames) + " frames",
                "GB/s (higher is better); native: null_source -> head -> null_sink; ZMQ: "
                "push_sink -> pull_source on 127.0.0.1",
                { "roundpipers", "native GR edge", "GR ZMQ" });
    t.row("GR -> outside",
          rb::interleave(ctx,
                         { [&] { return pipe_sink_bridge_gbps(items); },
                           [&] { return native_chain_gbps(items, item_bytes); },
                           [&] { return zmq_bridge_gbps(items); } }));
    t.row("outside -> GR",
          rb::interleave(ctx,
                         { [&] { return pipe_source_bridge_gbps(items); },
                           [&] { return native_chain_gbps(items, item_bytes); },
                           [&] { return zmq_bridge_gbps(items); } }));
    t.print();
    for (const char* label : { "GR -> outside", "outside -> GR" }) {
        rb::report_target(std::string("B9 ") + label + ": roundpipers / native GR edge >= 1",
                          t.median(label, 0) / t.median(label, 1),
                          1.0,
                          true);
        rb::report_target(std::string("B9 ") + label + ": roundpipers / GR ZMQ >= 3",
                          t.median(label, 0) / t.median(label, 2),
                          3.0,
                          true);
    }
}

const int registered_b9 = rb::register_benchmark(
    { "B9", "GNU Radio bridge: pipe_sink / pipe_source vs a native edge and ZMQ", run });

const int registered_peer = rb::register_peer(
    "gnuradio_null_chain_gbps", [](const rb::context& ctx, std::uint64_t bytes) {
        quiet_gnuradio();
        const std::uint64_t total_bytes = ctx.count(1ull << 30, 1ull << 22);
        return native_chain_gbps(total_bytes / bytes, std::size_t(bytes));
    });

} // namespace
