/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * B5 wake latency: a reader is asleep (the writer waits 1 ms after the reader asks,
 * longer than its spin and yield phases), the writer publishes one frame holding the
 * time of publication, the reader notes when its read returns. Peer: a raw futex
 * wait/wake on a shared futex word in the same program (FUTEX_WAKE as the pipe uses it).
 * The two alternate, one repetition each in turn.
 */

#include "bench.h"
#include <roundpipers/roundpipers.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace rb = roundpipers_bench;
namespace rp = roundpipers;

namespace {

std::int64_t now_ns()
{
    return std::chrono::steady_clock::now().time_since_epoch().count();
}

/*!
 * Waits until the other side says it is about to wait, then gives it time to sleep.
 * acq_rel exchange: pairs with the waiter's release store of the flag and re-arms it.
 */
void let_it_fall_asleep(std::atomic<bool>& waiting)
{
    while (!waiting.exchange(false, std::memory_order_acq_rel))
        std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

/*! Latencies in microseconds of \p samples wake-ups of a sleeping pipe reader. */
std::vector<double> roundpipers_wakes(int samples)
{
    auto p = rp::pipe<std::int64_t>::make("bench_b5", 1024);
    auto w = p->get_writer();
    auto r = p->get_reader();
    std::vector<double> out;
    std::atomic<bool> waiting{ false };
    std::thread reader([&] {
        for (int i = 0; i < samples; ++i) {
            waiting.store(true, std::memory_order_release);
            r.read(1, 1, [&](rp::const_array_view<std::int64_t> v) {
                out.push_back(double(now_ns() - v(0)) / 1e3);
            });
        }
    });
    for (int i = 0; i < samples; ++i) {
        let_it_fall_asleep(waiting);
        w.write(1, [](rp::array_view<std::int64_t> v) { v(0) = now_ns(); });
    }
    reader.join();
    rb::check(out.size() == std::size_t(samples), "B5 roundpipers: a wake-up was lost");
    return out;
}

/*! The same with a bare futex word: FUTEX_WAIT on 0, then store 1 and FUTEX_WAKE. */
std::vector<double> raw_futex_wakes(int samples)
{
    // `stamp` is relaxed: the release store of `word` after it, and the waiter's acquire
    // load of `word` before reading it, order the pair.
    alignas(64) std::atomic<std::uint32_t> word{ 0 };
    std::atomic<std::int64_t> stamp{ 0 };
    std::vector<double> out;
    std::atomic<bool> waiting{ false };
    std::thread waiter([&] {
        for (int i = 0; i < samples; ++i) {
            waiting.store(true, std::memory_order_release);
            while (word.load(std::memory_order_acquire) == 0)
                ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT, 0,
                          nullptr, nullptr, 0);
            out.push_back(double(now_ns() - stamp.load(std::memory_order_relaxed)) / 1e3);
            word.store(0, std::memory_order_relaxed);
        }
    });
    for (int i = 0; i < samples; ++i) {
        let_it_fall_asleep(waiting);
        stamp.store(now_ns(), std::memory_order_relaxed);
        word.store(1, std::memory_order_release);
        ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE, 1, nullptr,
                  nullptr, 0);
    }
    waiter.join();
    return out;
}

double percentile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(q * double(v.size())))];
}

void run(const rb::context& ctx)
{
    const int samples = int(ctx.count(1000, 20));
    const int reps = ctx.quick ? 1 : ctx.reps;
    const double qs[] = { 0.5, 0.99, 0.999 };
    std::vector<double> ours[3], raw[3];
    for (int rep = 0; rep < reps; ++rep) {
        const auto a = roundpipers_wakes(samples);
        const auto b = raw_futex_wakes(samples);
        for (int q = 0; q < 3; ++q) {
            ours[q].push_back(percentile(a, qs[q]));
            raw[q].push_back(percentile(b, qs[q]));
        }
    }
    rb::table t("B5 wake latency of a sleeping reader, " + std::to_string(samples) +
                    " wake-ups per repetition",
                "us from publish to the reader's return (lower is better); cells: the "
                "percentile over repetitions",
                { "roundpipers", "raw futex" });
    const char* labels[] = { "p50", "p99", "p99.9" };
    for (int q = 0; q < 3; ++q)
        t.row(labels[q], { rb::summarise(ours[q]), rb::summarise(raw[q]) });
    t.print();
    rb::report_target("B5 p50: roundpipers / raw futex <= 1.2",
                      t.median("p50", 0) / t.median("p50", 1),
                      1.2,
                      false);
}

const int registered = rb::register_benchmark(
    { "B5", "wake latency of a sleeping reader, p50/p99/p99.9; raw futex", run });

} // namespace
