/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * B11: `roundpipers relay` against the ZeroMQ it rides on, on tcp://127.0.0.1 and ipc://,
 * for frames of 4 KiB and 64 KiB, every message one frame (the same messages on every
 * side: `relay send --message-frames 1`; a sender of raw ZeroMQ sends a frame per message).
 *  - relay send: a writer here fills a shared pipe -> the relay (the real command, its own
 *    process) -> a PULL reader process that touches every byte; by default the relay
 *    copies each frame into its message, with --zero-copy ZeroMQ reads it in the ring.
 *  - relay recv: a PUSH here -> the relay -> its pipe -> a reader here that touches every
 *    byte.
 *  - libzmq: PUSH here -> PULL reader process (B8's peer), the floor the relay rides on.
 *  - GR ZMQ blocks: zeromq.push_sink flowgraph process -> pull_source flowgraph here.
 * Latency: one stamped frame in flight, a pause before each (the peers fall asleep); the
 * time from the writer's stamp to the moment the far end holds the frame.
 */

#include "bench.h"
#include "zmq_peer.h"
#include <roundpipers/roundpipers.h>
#include <signal.h>
#include <unistd.h>
#include <zmq.h>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

namespace rb = roundpipers_bench;
namespace rp = roundpipers;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t ring_bytes = 16u << 20;

std::string relay_command()
{
    const std::string self = rb::self_path();
    return self.substr(0, self.rfind('/') + 1) + "roundpipers";
}

std::string unique(const std::string& what)
{
    return "bench_b11_" + what + "_" + std::to_string(::getpid());
}

std::size_t capacity_for(std::size_t frame_bytes)
{
    return std::max<std::size_t>(2, ring_bytes / frame_bytes);
}

/*! The relay, its stderr (the summary line) read through line(). */
struct relay_process : rb::child_process {
    explicit relay_process(std::vector<std::string> args)
        : rb::child_process(
              [&] {
                  args.insert(args.begin(), { relay_command(), "relay" });
                  return args;
              }(),
              true)
    {
    }
    /*! Its summary line holds "<n> frames <what>" (check_failed otherwise). */
    void expect_summary(std::uint64_t frames, const std::string& what)
    {
        const std::string summary = line();
        rb::check(summary.find(": " + std::to_string(frames) + " frames " + what) !=
                      std::string::npos,
                  "B11: the relay's summary is '" + summary + "'");
        reap();
    }
};

/*! A shared pipe of \p frame_bytes frames the relay send attaches to; bounded wait. */
struct send_side {
    rp::pipe<std::uint8_t>::sptr pipe;
    rp::pipe_writer<std::uint8_t> writer;
    relay_process relay;

    send_side(const std::string& name,
              const std::string& endpoint,
              std::size_t frame_bytes,
              bool zero_copy = false)
        : pipe([&] {
              rp::pipe_options o;
              o.shared = true;
              return rp::pipe<std::uint8_t>::make(name, capacity_for(frame_bytes),
                                                  { frame_bytes }, o);
          }()),
          writer(pipe->get_writer()),
          relay([&] {
              std::vector<std::string> args = { "send", name, endpoint, "--message-frames", "1" };
              if (zero_copy)
                  args.push_back("--zero-copy");
              return args;
          }())
    {
        const auto end = std::chrono::steady_clock::now() + 10s;
        while (pipe->reader_count() == 0) {
            rb::check(std::chrono::steady_clock::now() < end, "B11: the relay did not attach");
            std::this_thread::sleep_for(1ms);
        }
    }
};

/*! A PUSH socket bound here and the relay recv that connects to it and makes the pipe. */
struct recv_side {
    rb::zmq_socket_here push;
    relay_process relay;
    rp::pipe<std::uint8_t>::sptr pipe;

    recv_side(const std::string& name, const std::string& endpoint, std::size_t frame_bytes)
        : push(ZMQ_PUSH, endpoint, true),
          relay({ "recv", endpoint, name, "--dtype", "uint8", "--shape",
                  std::to_string(frame_bytes), "--capacity",
                  std::to_string(capacity_for(frame_bytes)) }),
          pipe(rp::attach<std::uint8_t>(name, rp::attach_options{ 10s }))
    {
    }
    /*! Ends the relay (Ctrl-C: end of its stream) and checks it received \p frames. */
    void finish(std::uint64_t frames)
    {
        relay.signal(SIGINT);
        relay.expect_summary(frames, "received");
    }
};

// ------------------------------------------------------------------ throughput

double relay_send_gbps(const std::string& scheme,
                       std::size_t frame_bytes,
                       std::uint64_t frames,
                       bool zero_copy)
{
    const std::string endpoint = rb::local_endpoint(scheme, unique("send"));
    send_side side(unique("send"), endpoint, frame_bytes, zero_copy);
    rb::bench_child reader(
        { "zmq-read", endpoint, std::to_string(frames), std::to_string(frame_bytes) });
    rb::check(reader.line() == "ready", "B11: reader not ready");
    const auto src = rb::source_frame(frame_bytes);
    const double t0 = rb::now_s();
    for (std::uint64_t i = 0; i < frames; ++i)
        side.writer.write(1, [&](rp::array_view<std::uint8_t> v) {
            std::memcpy(v.data(), src.data(), frame_bytes);
        });
    side.writer.close();
    const std::string done = reader.line();
    const double t1 = rb::now_s();
    reader.reap();
    side.relay.expect_summary(frames, "sent");
    rb::remove_ipc_file(endpoint);
    rb::check(done == "done " + std::to_string(rb::touch(src.data(), frame_bytes) * frames),
              "B11 relay send: the reader's sum is wrong (" + done + ")");
    return double(frames * frame_bytes) / (t1 - t0) / 1e9;
}

double relay_recv_gbps(const std::string& scheme, std::size_t frame_bytes, std::uint64_t frames)
{
    recv_side side(unique("recv"), rb::local_endpoint(scheme, unique("recv")), frame_bytes);
    auto r = side.pipe->get_reader();
    const auto src = rb::source_frame(frame_bytes);
    const double t0 = rb::now_s();
    std::thread sender([&] {
        for (std::uint64_t i = 0; i < frames; ++i)
            if (zmq_send(side.push.get(), src.data(), frame_bytes, 0) != int(frame_bytes))
                return; // 10 s without room: the reader below reports the missing frames
    });
    std::uint64_t sum = 0, got = 0;
    while (got < frames) {
        const auto span = r.get_for(1, 10s);
        if (!span)
            break;
        sum += rb::touch(span.data().data(), span.data().size());
        r.consume(1);
        ++got;
    }
    const double t1 = rb::now_s();
    sender.join();
    rb::check(got == frames, "B11 relay recv: " + std::to_string(got) + " of " +
                                 std::to_string(frames) + " frames came");
    rb::check(sum == rb::touch(src.data(), frame_bytes) * frames,
              "B11 relay recv: the reader's sum is wrong");
    side.finish(frames);
    return double(frames * frame_bytes) / (t1 - t0) / 1e9;
}

// ------------------------------------------------------------------ latency

rb::latency relay_send_latency(const std::string& scheme,
                               std::size_t frame_bytes,
                               std::uint64_t samples)
{
    const std::string endpoint = rb::local_endpoint(scheme, unique("send_lat"));
    send_side side(unique("send_lat"), endpoint, frame_bytes);
    rb::zmq_socket_here pull(ZMQ_PULL, endpoint, false);
    const auto src = rb::source_frame(frame_bytes);
    std::vector<std::uint8_t> in(frame_bytes);
    std::vector<double> us;
    for (std::uint64_t i = 0; i <= samples; ++i) {
        rb::idle_pause();
        side.writer.write(1, [&](rp::array_view<std::uint8_t> v) {
            std::memcpy(v.data() + 8, src.data() + 8, frame_bytes - 8);
            const std::int64_t stamp = rb::now_ns();
            std::memcpy(v.data(), &stamp, 8);
        });
        const int n = zmq_recv(pull.get(), in.data(), in.size(), 0);
        const std::int64_t now = rb::now_ns();
        rb::check(n == int(frame_bytes), "B11 relay send: a frame did not come");
        std::int64_t stamp;
        std::memcpy(&stamp, in.data(), 8);
        if (i > 0)
            us.push_back(double(now - stamp) / 1e3);
    }
    side.writer.close();
    side.relay.expect_summary(samples + 1, "sent");
    rb::remove_ipc_file(endpoint);
    return rb::percentiles(us);
}

rb::latency relay_recv_latency(const std::string& scheme,
                               std::size_t frame_bytes,
                               std::uint64_t samples)
{
    recv_side side(unique("recv_lat"), rb::local_endpoint(scheme, unique("recv_lat")),
                   frame_bytes);
    auto r = side.pipe->get_reader();
    auto src = rb::source_frame(frame_bytes);
    std::vector<double> us;
    for (std::uint64_t i = 0; i <= samples; ++i) {
        rb::idle_pause();
        const std::int64_t stamp = rb::now_ns();
        std::memcpy(src.data(), &stamp, 8);
        rb::check(zmq_send(side.push.get(), src.data(), frame_bytes, 0) == int(frame_bytes),
                  "B11: send");
        const auto got = r.read_for(1, 1, 10s, [&](rp::const_array_view<std::uint8_t> v) {
            const std::int64_t now = rb::now_ns();
            std::int64_t s;
            std::memcpy(&s, v.data(), 8);
            if (i > 0)
                us.push_back(double(now - s) / 1e3);
        });
        rb::check(static_cast<bool>(got), "B11 relay recv: a frame did not come");
    }
    side.finish(samples + 1);
    return rb::percentiles(us);
}

std::string row_label(const std::string& scheme, std::size_t bytes)
{
    return scheme + " " + std::to_string(bytes >> 10) + " KiB";
}

void run(const rb::context& ctx)
{
    const std::string schemes[] = { "tcp", "ipc" };
    const std::size_t sizes[] = { 4u << 10, 64u << 10 };
    const rb::peer_fn gr_zmq[] = { rb::find_peer("gnuradio_zmq_two_processes_tcp_gbps"),
                                   rb::find_peer("gnuradio_zmq_two_processes_gbps") };
    const std::string peers = "the same one-frame messages over raw libzmq PUSH/PULL and "
                              "GNU Radio's push_sink -> pull_source; every byte touched at "
                              "the far end";
    rb::table send("B11a: a writer -> `roundpipers relay send` (its own process) -> a PULL "
                   "reader process, vs " + peers,
                   "GB/s", { "relay send", "libzmq", "GR ZMQ blocks" });
    rb::table zero("B11a: the same with `relay send --zero-copy` (ZeroMQ reads the frames in "
                   "the ring), vs " + peers,
                   "GB/s", { "relay --zero-copy", "libzmq", "GR ZMQ blocks" });
    rb::table recv("B11a: a PUSH -> `roundpipers relay recv` (its own process) -> its pipe "
                   "-> a reader, vs " + peers,
                   "GB/s", { "relay recv", "libzmq", "GR ZMQ blocks" });
    for (int k = 0; k < 2; ++k)
        for (std::size_t bytes : sizes) {
            const std::string& scheme = schemes[k];
            const std::uint64_t frames = ctx.count((128u << 20) / bytes, (2u << 20) / bytes);
            std::vector<std::function<double()>> runs = {
                [&] { return relay_send_gbps(scheme, bytes, frames, false); },
                [&] { return relay_send_gbps(scheme, bytes, frames, true); },
                [&] { return relay_recv_gbps(scheme, bytes, frames); },
                [&] {
                    return rb::zmq_gbps(rb::local_endpoint(scheme, unique("raw")), bytes, frames);
                },
            };
            if (gr_zmq[k])
                runs.push_back([&] { return gr_zmq[k](ctx, bytes); });
            const auto cells = rb::interleave(ctx, runs);
            std::vector<rb::stats> sent = { cells[0], cells[3] }, zc = { cells[1], cells[3] },
                                   received = { cells[2], cells[3] };
            if (cells.size() > 4) { // the GNU Radio peer
                for (auto* row : { &sent, &zc, &received })
                    row->push_back(cells[4]);
            }
            send.row(row_label(scheme, bytes), sent);
            zero.row(row_label(scheme, bytes), zc);
            recv.row(row_label(scheme, bytes), received);
        }
    send.print();
    zero.print();
    recv.print();

    // The first sample of each run is left out: it waits for ZeroMQ's connection.
    const std::uint64_t samples = ctx.count(1000, 20);
    rb::table send_lat("B11b: one-frame latency, writer -> relay send -> the far end (a relay "
                       "adds a pipe hop to ZeroMQ's)",
                       "us", { "relay send", "libzmq" });
    rb::table recv_lat("B11b: one-frame latency, PUSH -> relay recv -> a reader of its pipe",
                       "us", { "relay recv", "libzmq" });
    for (const std::string& scheme : schemes)
        for (std::size_t bytes : sizes) {
            std::vector<double> p50[3], p99[3];
            for (int r = 0; r < (ctx.quick ? 1 : ctx.reps); ++r) {
                const rb::latency l[3] = {
                    relay_send_latency(scheme, bytes, samples),
                    relay_recv_latency(scheme, bytes, samples),
                    rb::zmq_latency(rb::local_endpoint(scheme, unique("raw_lat")),
                                    rb::local_endpoint(scheme, unique("raw_ack")), bytes,
                                    samples)
                };
                for (int s = 0; s < 3; ++s) {
                    p50[s].push_back(l[s].p50_us);
                    p99[s].push_back(l[s].p99_us);
                }
            }
            const std::string row = row_label(scheme, bytes);
            send_lat.row(row + " p50", { rb::summarise(p50[0]), rb::summarise(p50[2]) });
            send_lat.row(row + " p99", { rb::summarise(p99[0]), rb::summarise(p99[2]) });
            recv_lat.row(row + " p50", { rb::summarise(p50[1]), rb::summarise(p50[2]) });
            recv_lat.row(row + " p99", { rb::summarise(p99[1]), rb::summarise(p99[2]) });
        }
    send_lat.print();
    recv_lat.print();
    if (ctx.quick)
        return;
    for (const std::string& scheme : schemes)
        for (std::size_t bytes : sizes) {
            const std::string row = row_label(scheme, bytes);
            rb::report_target("B11 " + row + ": relay send / libzmq >= 0.8",
                              send.median(row, 0) / send.median(row, 1), 0.8, true);
            rb::report_target("B11 " + row + ": relay send --zero-copy / libzmq >= 0.8",
                              zero.median(row, 0) / zero.median(row, 1), 0.8, true);
            rb::report_target("B11 " + row + ": relay recv / libzmq >= 0.8",
                              recv.median(row, 0) / recv.median(row, 1), 0.8, true);
        }
}

const int registered = rb::register_benchmark(
    { "B11", "roundpipers relay vs raw libzmq and GR ZMQ blocks (tcp, ipc; throughput, latency)",
      run });

} // namespace
