/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * B8's and B11's GNU Radio peer: frames of `frame_bytes` from a writer process (a flowgraph
 * `vector_source_b (repeating one frame) -> zeromq.push_sink` on ipc:// or tcp://, run by
 * Debian's Python) to this process (`zeromq.pull_source -> head -> a sink that sums
 * every byte`). The rate is taken between the first and the last frame the sink sees.
 */

#include "bench.h"
#include "zmq_peer.h"
#include <gnuradio/blocks/head.h>
#include <gnuradio/io_signature.h>
#include <gnuradio/sync_block.h>
#include <gnuradio/top_block.h>
#include <gnuradio/zeromq/pull_source.h>
#include <unistd.h>
#include <cstring>

namespace rb = roundpipers_bench;

namespace {

const char* const push_flowgraph = R"(
import sys
from gnuradio import blocks, gr, zeromq
endpoint, frame_bytes = sys.argv[1], int(sys.argv[2])
tb = gr.top_block()
src = blocks.vector_source_b([(7 + 31 * i) % 256 for i in range(frame_bytes)], True, frame_bytes)
push = zeromq.push_sink(gr.sizeof_char, frame_bytes, endpoint, 100, False, -1)
tb.connect(src, push)
tb.start()
print("ready", flush=True)
tb.wait()
)";

/*! Sums every byte of every frame (so the frames are really read), noting the times. */
class summing_sink : public gr::sync_block
{
public:
    explicit summing_sink(std::size_t frame_bytes)
        : gr::sync_block("b8_summing_sink",
                         gr::io_signature::make(1, 1, int(frame_bytes)),
                         gr::io_signature::make(0, 0, 0)),
          d_frame_bytes(frame_bytes)
    {
    }
    int work(int n, gr_vector_const_void_star& in, gr_vector_void_star&) override
    {
        if (d_first_s == 0)
            d_first_s = rb::now_s();
        const auto* p = static_cast<const std::uint8_t*>(in[0]);
        for (std::size_t i = 0; i + 8 <= std::size_t(n) * d_frame_bytes; i += 8) {
            std::uint64_t w;
            std::memcpy(&w, p + i, 8);
            d_sum += w;
        }
        d_frames += std::uint64_t(n);
        d_last_s = rb::now_s();
        return n;
    }
    std::size_t d_frame_bytes;
    double d_first_s = 0;
    double d_last_s = 0;
    std::uint64_t d_sum = 0;
    std::uint64_t d_frames = 0;
};

double gr_zmq_two_processes_gbps(const rb::context& ctx,
                                 std::uint64_t frame_bytes,
                                 const std::string& scheme)
{
    const std::uint64_t frames = ctx.count((256u << 20) / frame_bytes, (4u << 20) / frame_bytes);
    std::string endpoint = rb::local_endpoint(scheme, "bench_gr_zmq");
    rb::child_process writer(
        { "/usr/bin/python3", "-c", push_flowgraph, endpoint, std::to_string(frame_bytes) });
    rb::check(writer.line() == "ready", "B8 GR ZMQ: the writer flowgraph did not start");
    auto tb = gr::make_top_block("b8_pull");
    auto pull = gr::zeromq::pull_source::make(1, unsigned(frame_bytes), endpoint.data(), 100,
                                              false, -1);
    auto head = gr::blocks::head::make(frame_bytes, frames);
    auto sink = std::make_shared<summing_sink>(frame_bytes);
    tb->connect(pull, 0, head, 0);
    tb->connect(head, 0, sink, 0);
    tb->run();
    rb::remove_ipc_file(endpoint); // the killed writer leaves its socket file
    rb::check(sink->d_frames == frames, "B8 GR ZMQ: frames missing");
    rb::check(sink->d_last_s > sink->d_first_s, "B8 GR ZMQ: no time between frames");
    return double((frames - 1) * frame_bytes) / (sink->d_last_s - sink->d_first_s) / 1e9;
}

const int registered_ipc = rb::register_peer(
    "gnuradio_zmq_two_processes_gbps",
    [](const rb::context& ctx, std::uint64_t bytes) {
        return gr_zmq_two_processes_gbps(ctx, bytes, "ipc");
    });
const int registered_tcp = rb::register_peer(
    "gnuradio_zmq_two_processes_tcp_gbps",
    [](const rb::context& ctx, std::uint64_t bytes) {
        return gr_zmq_two_processes_gbps(ctx, bytes, "tcp");
    });

} // namespace
