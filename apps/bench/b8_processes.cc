/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * B8: frames from a writer process to a reader process. A shared pipe (the reader
 * attaches by name and maps the frames read-only) against a libzmq PUSH/PULL pair
 * over ipc://, both with the reader touching every byte (a 64-bit sum of each frame).
 * Throughput: frames of 4 KiB, 64 KiB and 1 MiB, the writer filling each frame from a
 * source buffer (ZeroMQ sends the same buffer). Latency: one frame in flight, the writer
 * waits for an acknowledgement, pauses 200 us (the reader falls asleep) and sends a
 * frame stamped with CLOCK_MONOTONIC; the reader takes the time as soon as it holds the
 * frame. The same ping-pong between two threads of one process gives the in-process
 * wake for the 1.2x target. The reader is this program again (--b8-child ...).
 */

#include "bench.h"
#include "zmq_peer.h"
#include <roundpipers/roundpipers.h>
#include <unistd.h>
#include <zmq.h>
#include <algorithm>
#include <functional>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace rb = roundpipers_bench;
namespace rp = roundpipers;
using namespace std::chrono_literals;

namespace {

using rb::latency;
using rb::now_ns;
using rb::percentiles;
using rb::source_frame;
using rb::touch;

constexpr std::size_t ring_bytes = 16u << 20;

rp::pipe<std::uint8_t>::sptr shared_pipe(const std::string& name, std::size_t frame_bytes)
{
    rp::pipe_options o;
    o.shared = true;
    return rp::pipe<std::uint8_t>::make(name, std::max<std::size_t>(2, ring_bytes / frame_bytes),
                                        { frame_bytes }, o);
}

std::string unique(const std::string& what)
{
    return "bench_b8_" + what + "_" + std::to_string(::getpid());
}

// ------------------------------------------------------------------ throughput

double roundpipers_gbps(std::size_t frame_bytes, std::uint64_t frames)
{
    const std::string name = unique("tp");
    auto p = shared_pipe(name, frame_bytes);
    auto w = p->get_writer();
    rb::bench_child reader({ "rp-read", name, std::to_string(frames) });
    rb::check(reader.line() == "ready", "B8: reader not ready");
    while (p->reader_count() == 0)
        std::this_thread::sleep_for(1ms);
    const auto src = source_frame(frame_bytes);
    const double t0 = rb::now_s();
    for (std::uint64_t i = 0; i < frames; ++i)
        w.write(1, [&](rp::array_view<std::uint8_t> v) {
            std::memcpy(v.data(), src.data(), frame_bytes);
        });
    w.close();
    const std::string done = reader.line();
    const double t1 = rb::now_s();
    reader.reap();
    rb::check(done == "done " + std::to_string(touch(src.data(), frame_bytes) * frames),
              "B8 roundpipers: the reader's sum is wrong (" + done + ")");
    return double(frames * frame_bytes) / (t1 - t0) / 1e9;
}

// ------------------------------------------------------------------ latency

/*! The reader's side of the ping-pong: one-way latencies in microseconds. */
std::vector<double> pong(rp::pipe_reader<std::uint8_t>& r,
                         rp::pipe_writer<std::int64_t>& ack,
                         std::uint64_t samples)
{
    std::vector<double> us;
    us.reserve(samples);
    std::uint64_t sink = 0;
    for (std::uint64_t i = 0; i < samples; ++i) {
        r.read(1, 1, [&](rp::const_array_view<std::uint8_t> v) {
            std::int64_t stamp;
            std::memcpy(&stamp, v.data(), 8);
            us.push_back(double(now_ns() - stamp) / 1e3);
            sink += touch(v.data(), v.size());
        });
        ack.write(1, [&](rp::array_view<std::int64_t> v) { v(0) = std::int64_t(sink & 1); });
    }
    return us;
}

/*! The writer's side: a stamped frame each time the previous one was acknowledged. */
void ping(rp::pipe_writer<std::uint8_t>& w,
          rp::pipe_reader<std::int64_t>& ack,
          std::size_t frame_bytes,
          std::uint64_t samples)
{
    const auto src = source_frame(frame_bytes);
    for (std::uint64_t i = 0; i < samples; ++i) {
        rb::idle_pause();
        w.write(1, [&](rp::array_view<std::uint8_t> v) {
            std::memcpy(v.data() + 8, src.data() + 8, frame_bytes - 8);
            const std::int64_t stamp = now_ns();
            std::memcpy(v.data(), &stamp, 8);
        });
        rb::check(static_cast<bool>(ack.read_for(1, 1, 10s, [](auto) {})), "B8: ack lost");
    }
}

latency roundpipers_latency(std::size_t frame_bytes, std::uint64_t samples, bool in_process)
{
    const std::string name = unique("lat");
    auto p = shared_pipe(name, frame_bytes);
    rp::pipe_options o;
    o.shared = true;
    auto acks = rp::pipe<std::int64_t>::make(name + ".ack", 64, {}, o);
    auto w = p->get_writer();
    auto ack = acks->get_reader();
    if (in_process) {
        auto r = p->get_reader();
        std::vector<double> us;
        std::thread t([&] {
            auto aw = acks->get_writer();
            us = pong(r, aw, samples);
        });
        ping(w, ack, frame_bytes, samples);
        t.join();
        return percentiles(us);
    }
    rb::bench_child reader({ "rp-pong", name, std::to_string(samples) });
    rb::check(reader.line() == "ready", "B8: reader not ready");
    while (p->reader_count() == 0)
        std::this_thread::sleep_for(1ms);
    ping(w, ack, frame_bytes, samples);
    const std::string result = reader.line();
    reader.reap();
    return rb::parse_latency(result);
}

std::string size_label(std::size_t bytes)
{
    return bytes >= (1u << 20) ? std::to_string(bytes >> 20) + " MiB"
                               : std::to_string(bytes >> 10) + " KiB";
}

void run(const rb::context& ctx)
{
    const std::size_t sizes[] = { 4u << 10, 64u << 10, 1u << 20 };
    const auto gr_zmq = rb::find_peer("gnuradio_zmq_two_processes_gbps");
    std::vector<std::string> series = { "roundpipers", "libzmq ipc" };
    if (gr_zmq)
        series.push_back("GR ZMQ blocks");
    rb::table tp("B8a: frames from a writer process to a reader process that touches every "
                 "byte (shared pipe vs libzmq PUSH/PULL over ipc:// vs GNU Radio's "
                 "push_sink -> pull_source over ipc://)",
                 "GB/s", series);
    for (std::size_t bytes : sizes) {
        const std::uint64_t frames = ctx.count((256u << 20) / bytes, (4u << 20) / bytes);
        std::vector<std::function<double()>> runs = {
            [&] { return roundpipers_gbps(bytes, frames); },
            [&] { return rb::zmq_gbps(rb::local_endpoint("ipc", "bench_b8_tp"), bytes, frames); }
        };
        if (gr_zmq)
            runs.push_back([&] { return gr_zmq(ctx, bytes); });
        tp.row(size_label(bytes), rb::interleave(ctx, runs));
    }
    tp.print();

    const std::uint64_t samples = ctx.count(2000, 50);
    rb::table lat("B8b: one-frame latency, writer process -> sleeping reader process, p50 "
                  "(p99 in the next table)",
                  "us", { "roundpipers", "libzmq ipc", "in-process" });
    rb::table lat99("B8b: one-frame latency p99", "us",
                    { "roundpipers", "libzmq ipc", "in-process" });
    for (std::size_t bytes : sizes) {
        std::vector<double> p50[3], p99[3];
        for (int r = 0; r < (ctx.quick ? 1 : ctx.reps); ++r) {
            const latency l[3] = { roundpipers_latency(bytes, samples, false),
                                   rb::zmq_latency(rb::local_endpoint("ipc", "bench_b8_lat"),
                                                   rb::local_endpoint("ipc", "bench_b8_ack"),
                                                   bytes, samples),
                                   roundpipers_latency(bytes, samples, true) };
            for (int s = 0; s < 3; ++s) {
                p50[s].push_back(l[s].p50_us);
                p99[s].push_back(l[s].p99_us);
            }
        }
        lat.row(size_label(bytes), { rb::summarise(p50[0]), rb::summarise(p50[1]),
                                     rb::summarise(p50[2]) });
        lat99.row(size_label(bytes), { rb::summarise(p99[0]), rb::summarise(p99[1]),
                                       rb::summarise(p99[2]) });
    }
    lat.print();
    lat99.print();
    if (ctx.quick)
        return;
    rb::report_target("B8 64 KiB frames across processes: roundpipers / libzmq ipc >= 10",
                      tp.median("64 KiB", 0) / tp.median("64 KiB", 1), 10, true);
    if (gr_zmq)
        rb::report_target("B8 64 KiB frames across processes: roundpipers / GR ZMQ blocks >= 10",
                          tp.median("64 KiB", 0) / tp.median("64 KiB", 2), 10, true);
    rb::report_target("B8 latency flat in frame size: p50 at 1 MiB / p50 at 4 KiB <= 2",
                      lat.median("1 MiB", 0) / lat.median("4 KiB", 0), 2, false);
    rb::report_target("B8 cross-process wake: p50 across processes / in-process <= 1.2 (4 KiB)",
                      lat.median("4 KiB", 0) / lat.median("4 KiB", 2), 1.2, false);
}

const int registered = rb::register_benchmark(
    { "B8", "frames between two processes: shared pipe vs libzmq ipc (throughput, latency)",
      run });

} // namespace

int rb::b8_child(int argc, char** argv)
{
    // argv: prog --b8-child ROLE ARGS...
    const std::string role = argc > 2 ? argv[2] : "";
    auto arg = [&](int i) { return std::stoull(argv[i]); };
    if (role == "rp-read" && argc == 5) {
        auto p = rp::attach<std::uint8_t>(argv[3], rp::attach_options{ 10s });
        auto r = p->get_reader();
        std::printf("ready\n");
        std::fflush(stdout);
        std::uint64_t sum = 0, n = 0;
        for (;;) {
            auto span = r.get(1);
            if (!span)
                break;
            sum += touch(span.data().data(), span.data().size());
            r.consume(1);
            ++n;
        }
        std::printf("done %llu\n", static_cast<unsigned long long>(n == arg(4) ? sum : 0));
        return 0;
    }
    if (role == "rp-pong" && argc == 5) {
        auto p = rp::attach<std::uint8_t>(argv[3], rp::attach_options{ 10s });
        auto acks = rp::attach<std::int64_t>(std::string(argv[3]) + ".ack", rp::attach_options{ 10s });
        auto r = p->get_reader();
        auto w = acks->get_writer();
        std::printf("ready\n");
        std::fflush(stdout);
        const auto l = percentiles(pong(r, w, arg(4)));
        std::printf("lat %.3f %.3f\n", l.p50_us, l.p99_us);
        return 0;
    }
    if (role == "zmq-read" && argc == 6) {
        void* ctx = zmq_ctx_new();
        void* pull = zmq_socket(ctx, ZMQ_PULL);
        zmq_connect(pull, argv[3]);
        std::printf("ready\n");
        std::fflush(stdout);
        // FRAMES frames of FRAME_BYTES, in messages of one frame or of many (a relay).
        std::uint64_t sum = 0;
        for (std::uint64_t bytes = 0; bytes < arg(4) * arg(5);) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            zmq_msg_recv(&m, pull, 0);
            sum += touch(static_cast<const std::uint8_t*>(zmq_msg_data(&m)), zmq_msg_size(&m));
            bytes += zmq_msg_size(&m);
            zmq_msg_close(&m);
        }
        std::printf("done %llu\n", static_cast<unsigned long long>(sum));
        zmq_close(pull);
        zmq_ctx_term(ctx);
        return 0;
    }
    if (role == "zmq-pong" && argc == 7) {
        void* ctx = zmq_ctx_new();
        void* pull = zmq_socket(ctx, ZMQ_PULL);
        void* push = zmq_socket(ctx, ZMQ_PUSH);
        zmq_connect(pull, argv[3]);
        zmq_connect(push, argv[4]);
        std::printf("ready\n");
        std::fflush(stdout);
        std::vector<double> us;
        std::uint64_t sink = 0;
        for (std::uint64_t i = 0; i < arg(5); ++i) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            zmq_msg_recv(&m, pull, 0);
            std::int64_t stamp;
            std::memcpy(&stamp, zmq_msg_data(&m), 8);
            us.push_back(double(now_ns() - stamp) / 1e3);
            sink += touch(static_cast<const std::uint8_t*>(zmq_msg_data(&m)), zmq_msg_size(&m));
            zmq_msg_close(&m);
            const std::int64_t a = std::int64_t(sink & 1);
            zmq_send(push, &a, sizeof a, 0);
        }
        const auto l = percentiles(us);
        std::printf("lat %.3f %.3f\n", l.p50_us, l.p99_us);
        zmq_close(pull);
        zmq_close(push);
        zmq_ctx_term(ctx);
        return 0;
    }
    std::fprintf(stderr, "roundpipers_bench --b8-child: bad role or arguments\n");
    return 2;
}
