/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * A short micro-benchmark of the wait protocol (the full benchmark suite with peers is
 * a separate program): 1 writer -> 1 blocking reader handoff cost at several batch
 * sizes, with the futex system calls it took, and the wake-up latency of a sleeping
 * reader. Usage: roundpipers_handoff_bench [--quick]
 */

#include "futex.h" // the core's futex statistics (lib/core, private)
#include <roundpipers/roundpipers.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

namespace rp = roundpipers;
using steady = std::chrono::steady_clock;

namespace {

/*! Frames through a 64 Ki-frame pipe in batches of \p batch; returns ns per frame. */
double handoff_ns_per_frame(std::size_t batch, std::uint64_t frames, std::uint64_t* syscalls)
{
    auto p = rp::pipe<std::uint64_t>::make("bench_handoff", 1 << 16);
    auto r = p->get_reader();
    const auto calls_before = rp::detail::futex_syscalls();
    const auto t0 = steady::now();
    std::thread writer([&, w = p->get_writer()]() mutable {
        for (std::uint64_t done = 0; done < frames; done += batch)
            w.write(batch, [&](rp::array_view<std::uint64_t> v) { v(0) = done; });
    });
    std::uint64_t seen = 0;
    while (r.read(batch, batch, [&](rp::const_array_view<std::uint64_t> v) {
        seen += v(0) == seen ? batch : 0;
    }))
        ;
    writer.join();
    const double ns = std::chrono::duration<double, std::nano>(steady::now() - t0).count();
    *syscalls = rp::detail::futex_syscalls() - calls_before;
    return seen == frames ? ns / double(frames) : -1.0;
}

/*! Wake-up latency of a reader asleep on its futex, in microseconds (sorted). */
std::vector<double> wake_latency_us(int samples)
{
    auto p = rp::pipe<std::int64_t>::make("bench_wake", 1024);
    auto w = p->get_writer();
    auto r = p->get_reader();
    std::vector<double> out;
    std::atomic<bool> asleep{ false };
    std::thread reader([&] {
        for (int i = 0; i < samples; ++i) {
            asleep = true;
            r.read(1, 1, [&](rp::const_array_view<std::int64_t> v) {
                const auto now = steady::now().time_since_epoch().count();
                out.push_back(double(now - v(0)) / 1000.0);
            });
        }
    });
    for (int i = 0; i < samples; ++i) {
        while (!asleep.exchange(false))
            std::this_thread::yield();
        // Long enough for the reader to pass its spin and yield phases and sleep.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        w.write(1, [](rp::array_view<std::int64_t> v) {
            v(0) = steady::now().time_since_epoch().count();
        });
    }
    reader.join();
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const std::uint64_t frames = quick ? (1 << 16) : (1 << 24);
    std::printf("handoff, 1 writer -> 1 blocking reader, %llu uint64 frames\n",
                static_cast<unsigned long long>(frames));
    std::printf("%8s %12s %14s %16s\n", "batch", "ns/frame", "Mframes/s", "futex calls");
    bool ok = true;
    for (std::size_t batch : { 1, 16, 256, 4096 }) {
        std::uint64_t calls = 0;
        const double ns = handoff_ns_per_frame(batch, frames, &calls);
        ok &= ns > 0;
        std::printf("%8zu %12.2f %14.1f %16llu\n", batch, ns, 1e3 / ns,
                    static_cast<unsigned long long>(calls));
    }
    const auto lat = wake_latency_us(quick ? 20 : 500);
    std::printf("wake-up of a sleeping reader (%zu samples): p50 %.1f us, p99 %.1f us, "
                "max %.1f us\n",
                lat.size(), lat[lat.size() / 2], lat[lat.size() * 99 / 100], lat.back());
    return ok ? 0 : 1;
}
