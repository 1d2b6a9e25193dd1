/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "zmq_peer.h"
#include "bench.h"
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zmq.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

namespace roundpipers_bench {

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

std::vector<std::uint8_t> source_frame(std::size_t bytes)
{
    std::vector<std::uint8_t> v(bytes);
    for (std::size_t i = 0; i < bytes; ++i)
        v[i] = std::uint8_t(i * 31 + 7);
    return v;
}

latency percentiles(std::vector<double> us)
{
    std::sort(us.begin(), us.end());
    latency l;
    l.p50_us = us[us.size() / 2];
    l.p99_us = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    return l;
}

latency parse_latency(const std::string& line)
{
    latency l;
    check(std::sscanf(line.c_str(), "lat %lf %lf", &l.p50_us, &l.p99_us) == 2,
          "bad latency line '" + line + "'");
    return l;
}

bench_child::bench_child(std::vector<std::string> args)
    : child_process([&] {
          args.insert(args.begin(), { self_path(), "--b8-child" });
          return args;
      }())
{
}

std::string local_endpoint(const std::string& scheme, const std::string& what)
{
    if (scheme == "ipc")
        return "ipc:///tmp/" + what + "_" + std::to_string(::getpid()) + ".zmq";
    // A port the kernel has just handed out and taken back: free for the next bind.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    if (fd >= 0)
        ::close(fd);
    check(ok, "no free TCP port on 127.0.0.1");
    return "tcp://127.0.0.1:" + std::to_string(ntohs(a.sin_port));
}

void remove_ipc_file(const std::string& endpoint)
{
    if (endpoint.rfind("ipc://", 0) == 0)
        ::unlink(endpoint.substr(6).c_str());
}

zmq_socket_here::zmq_socket_here(int type, const std::string& endpoint, bool bind)
    : d_ctx(zmq_ctx_new()), d_socket(zmq_socket(d_ctx, type)), d_endpoint(endpoint), d_bound(bind)
{
    const int timeout_ms = 10000;
    zmq_setsockopt(d_socket, ZMQ_SNDTIMEO, &timeout_ms, sizeof timeout_ms);
    zmq_setsockopt(d_socket, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms);
    const int rc = bind ? zmq_bind(d_socket, endpoint.c_str())
                        : zmq_connect(d_socket, endpoint.c_str());
    if (rc != 0) {
        const std::string why = zmq_strerror(zmq_errno());
        zmq_close(d_socket);
        zmq_ctx_term(d_ctx);
        throw check_failed(std::string(bind ? "libzmq: bind " : "libzmq: connect ") + endpoint +
                           ": " + why);
    }
}

zmq_socket_here::~zmq_socket_here()
{
    const int linger_ms = 0;
    zmq_setsockopt(d_socket, ZMQ_LINGER, &linger_ms, sizeof linger_ms);
    zmq_close(d_socket);
    zmq_ctx_term(d_ctx);
    if (d_bound)
        remove_ipc_file(d_endpoint);
}

void idle_pause() { std::this_thread::sleep_for(std::chrono::microseconds(200)); }

double zmq_gbps(const std::string& endpoint, std::size_t frame_bytes, std::uint64_t frames)
{
    zmq_socket_here push(ZMQ_PUSH, endpoint, true);
    bench_child reader(
        { "zmq-read", endpoint, std::to_string(frames), std::to_string(frame_bytes) });
    check(reader.line() == "ready", "libzmq: reader not ready");
    const auto src = source_frame(frame_bytes);
    const double t0 = now_s();
    for (std::uint64_t i = 0; i < frames; ++i)
        check(zmq_send(push.get(), src.data(), frame_bytes, 0) == int(frame_bytes),
              "libzmq: send");
    const std::string done = reader.line();
    const double t1 = now_s();
    reader.reap();
    check(done == "done " + std::to_string(touch(src.data(), frame_bytes) * frames),
          "libzmq: the reader's sum is wrong (" + done + ")");
    return double(frames * frame_bytes) / (t1 - t0) / 1e9;
}

latency zmq_latency(const std::string& endpoint,
                    const std::string& ack_endpoint,
                    std::size_t frame_bytes,
                    std::uint64_t samples)
{
    zmq_socket_here push(ZMQ_PUSH, endpoint, true);
    zmq_socket_here pull(ZMQ_PULL, ack_endpoint, true);
    bench_child reader({ "zmq-pong", endpoint, ack_endpoint, std::to_string(samples),
                         std::to_string(frame_bytes) });
    check(reader.line() == "ready", "libzmq: reader not ready");
    auto src = source_frame(frame_bytes);
    for (std::uint64_t i = 0; i < samples; ++i) {
        idle_pause();
        const std::int64_t stamp = now_ns();
        std::memcpy(src.data(), &stamp, 8);
        check(zmq_send(push.get(), src.data(), frame_bytes, 0) == int(frame_bytes),
              "libzmq: send");
        std::int64_t a;
        check(zmq_recv(pull.get(), &a, sizeof a, 0) == int(sizeof a), "libzmq: ack");
    }
    const latency l = parse_latency(reader.line());
    reader.reap();
    return l;
}

} // namespace roundpipers_bench
