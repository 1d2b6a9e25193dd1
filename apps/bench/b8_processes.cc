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
#include <roundpipers/roundpipers.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zmq.h>
#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace rb = roundpipers_bench;
namespace rp = roundpipers;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t ring_bytes = 16u << 20;
constexpr auto idle_pause = std::chrono::microseconds(200);

std::int64_t now_ns()
{
    return std::chrono::steady_clock::now().time_since_epoch().count();
}

std::uint64_t touch(const std::uint8_t* data, std::size_t bytes)
{
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i + 8 <= bytes; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, data + i, 8);
        sum += w;
    }
    return sum;
}

std::string self_path()
{
    char path[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        throw std::runtime_error("B8: cannot read /proc/self/exe");
    return std::string(path, std::size_t(n));
}

/*! This program as a reader process; its stdout lines are read back. */
class child
{
public:
    explicit child(std::vector<std::string> args)
    {
        int out[2];
        rb::check(::pipe2(out, O_CLOEXEC) == 0, "B8: pipe2");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        const std::string self = self_path();
        args.insert(args.begin(), { self, "--b8-child" });
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = ::posix_spawn(&d_pid, self.c_str(), &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        ::close(out[1]);
        d_out = out[0];
        rb::check(rc == 0, "B8: posix_spawn of the reader process");
    }
    ~child()
    {
        if (d_pid > 0) {
            ::kill(d_pid, SIGKILL);
            ::waitpid(d_pid, nullptr, 0);
        }
        ::close(d_out);
    }
    /*! The next line, waiting at most 60 s. */
    std::string line()
    {
        std::string got;
        const auto end = std::chrono::steady_clock::now() + 60s;
        while (std::chrono::steady_clock::now() < end) {
            pollfd p{ d_out, POLLIN, 0 };
            if (::poll(&p, 1, 100) <= 0)
                continue;
            char c;
            if (::read(d_out, &c, 1) != 1)
                break;
            if (c == '\n')
                return got;
            got += c;
        }
        throw rb::check_failed("B8: the reader process did not answer (" + got + ")");
    }
    void reap()
    {
        int status = 0;
        ::waitpid(d_pid, &status, 0);
        d_pid = -1;
        rb::check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "B8: the reader process failed");
    }

private:
    pid_t d_pid = -1;
    int d_out = -1;
};

std::vector<std::uint8_t> source_frame(std::size_t bytes)
{
    std::vector<std::uint8_t> v(bytes);
    for (std::size_t i = 0; i < bytes; ++i)
        v[i] = std::uint8_t(i * 31 + 7);
    return v;
}

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
    child reader({ "rp-read", name, std::to_string(frames) });
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

double zmq_gbps(std::size_t frame_bytes, std::uint64_t frames)
{
    const std::string endpoint = "ipc:///tmp/" + unique("tp") + ".zmq";
    void* ctx = zmq_ctx_new();
    void* push = zmq_socket(ctx, ZMQ_PUSH);
    rb::check(zmq_bind(push, endpoint.c_str()) == 0, "B8 zmq: bind " + endpoint);
    child reader({ "zmq-read", endpoint, std::to_string(frames), std::to_string(frame_bytes) });
    rb::check(reader.line() == "ready", "B8: reader not ready");
    const auto src = source_frame(frame_bytes);
    const double t0 = rb::now_s();
    for (std::uint64_t i = 0; i < frames; ++i)
        rb::check(zmq_send(push, src.data(), frame_bytes, 0) == int(frame_bytes), "B8 zmq: send");
    const std::string done = reader.line();
    const double t1 = rb::now_s();
    reader.reap();
    zmq_close(push);
    zmq_ctx_term(ctx);
    rb::check(done == "done " + std::to_string(touch(src.data(), frame_bytes) * frames),
              "B8 zmq: the reader's sum is wrong (" + done + ")");
    return double(frames * frame_bytes) / (t1 - t0) / 1e9;
}

// ------------------------------------------------------------------ latency

struct latency {
    double p50_us = 0;
    double p99_us = 0;
};

latency percentiles(std::vector<double> us)
{
    std::sort(us.begin(), us.end());
    latency l;
    l.p50_us = us[us.size() / 2];
    l.p99_us = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    return l;
}

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
        std::this_thread::sleep_for(idle_pause);
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
    child reader({ "rp-pong", name, std::to_string(samples) });
    rb::check(reader.line() == "ready", "B8: reader not ready");
    while (p->reader_count() == 0)
        std::this_thread::sleep_for(1ms);
    ping(w, ack, frame_bytes, samples);
    const std::string result = reader.line();
    reader.reap();
    latency l;
    rb::check(std::sscanf(result.c_str(), "lat %lf %lf", &l.p50_us, &l.p99_us) == 2,
              "B8: bad latency line '" + result + "'");
    return l;
}

latency zmq_latency(std::size_t frame_bytes, std::uint64_t samples)
{
    const std::string endpoint = "ipc:///tmp/" + unique("lat") + ".zmq";
    const std::string ack_endpoint = "ipc:///tmp/" + unique("lat") + ".ack.zmq";
    void* ctx = zmq_ctx_new();
    void* push = zmq_socket(ctx, ZMQ_PUSH);
    void* pull = zmq_socket(ctx, ZMQ_PULL);
    rb::check(zmq_bind(push, endpoint.c_str()) == 0, "B8 zmq: bind");
    rb::check(zmq_bind(pull, ack_endpoint.c_str()) == 0, "B8 zmq: bind ack");
    child reader({ "zmq-pong", endpoint, ack_endpoint, std::to_string(samples),
                   std::to_string(frame_bytes) });
    rb::check(reader.line() == "ready", "B8: reader not ready");
    auto src = source_frame(frame_bytes);
    for (std::uint64_t i = 0; i < samples; ++i) {
        std::this_thread::sleep_for(idle_pause);
        const std::int64_t stamp = now_ns();
        std::memcpy(src.data(), &stamp, 8);
        rb::check(zmq_send(push, src.data(), frame_bytes, 0) == int(frame_bytes), "B8 zmq: send");
        std::int64_t a;
        rb::check(zmq_recv(pull, &a, sizeof a, 0) == int(sizeof a), "B8 zmq: ack");
    }
    const std::string result = reader.line();
    reader.reap();
    zmq_close(push);
    zmq_close(pull);
    zmq_ctx_term(ctx);
    latency l;
    rb::check(std::sscanf(result.c_str(), "lat %lf %lf", &l.p50_us, &l.p99_us) == 2,
              "B8: bad latency line '" + result + "'");
    return l;
}

std::string size_label(std::size_t bytes)
{
    return bytes >= (1u << 20) ? std::to_string(bytes >> 20) + " MiB"
                               : std::to_string(bytes >> 10) + " KiB";
}

void run(const rb::context& ctx)
{
    const std::size_t sizes[] = { 4u << 10, 64u << 10, 1u << 20 };
    rb::table tp("B8a: frames from a writer process to a reader process that touches every "
                 "byte (shared pipe vs libzmq PUSH/PULL over ipc://)",
                 "GB/s", { "roundpipers", "libzmq ipc" });
    for (std::size_t bytes : sizes) {
        const std::uint64_t frames = ctx.count((256u << 20) / bytes, (4u << 20) / bytes);
        auto cells = rb::interleave(ctx, { [&] { return roundpipers_gbps(bytes, frames); },
                                           [&] { return zmq_gbps(bytes, frames); } });
        tp.row(size_label(bytes), cells);
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
                                   zmq_latency(bytes, samples),
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
        std::vector<std::uint8_t> buf(arg(5));
        std::uint64_t sum = 0;
        for (std::uint64_t i = 0; i < arg(4); ++i) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            zmq_msg_recv(&m, pull, 0);
            sum += touch(static_cast<const std::uint8_t*>(zmq_msg_data(&m)), zmq_msg_size(&m));
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
