/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * B4 fan-out: 1 writer + R blocking readers, R = 1..4, threads not pinned (R >= 2
 * oversubscribes a 2-CPU machine). int32 samples in batches of 1024; every reader sums
 * every window and checks the sum. Then the idle cost: R readers waiting on a writer
 * that publishes nothing, process CPU time over half a second.
 */

#include "bench.h"
#include <roundpipers/roundpipers.h>
#include <numeric>
#include <thread>
#include <vector>

namespace rb = roundpipers_bench;
namespace rp = roundpipers;

namespace {

constexpr std::size_t batch = 1024;

/*! Per-reader G samples/s with \p readers readers over \p samples samples. */
double per_reader_gsamples(int readers, std::uint64_t samples)
{
    auto p = rp::pipe<std::int32_t>::make("bench_b4", 1 << 16);
    std::vector<rp::pipe_reader<std::int32_t>> rs;
    for (int i = 0; i < readers; ++i)
        rs.push_back(p->get_reader());
    std::vector<char> ok(readers, 1);
    const double t0 = rb::now_s();
    std::vector<std::thread> threads;
    threads.emplace_back([&, w = p->get_writer()]() mutable {
        for (std::uint64_t s = 0; s < samples; s += batch)
            w.write(batch, [&](rp::array_view<std::int32_t> v) {
                std::iota(v.data(), v.data() + batch, std::int32_t(s));
            });
    });
    for (int i = 0; i < readers; ++i)
        threads.emplace_back([&, i] {
            std::uint64_t pos = 0;
            while (rs[i].read(batch, batch, [&](rp::const_array_view<std::int32_t> v) {
                const std::uint32_t sum =
                    std::accumulate(v.data(), v.data() + batch, std::uint32_t(0));
                ok[i] &= sum == std::uint32_t(pos * batch + batch * (batch - 1) / 2);
                pos += batch;
            }))
                ;
            ok[i] &= pos == samples;
        });
    for (auto& t : threads)
        t.join();
    const double seconds = rb::now_s() - t0;
    for (char good : ok)
        rb::check(good, "B4: a reader saw wrong or missing samples");
    return double(samples) / seconds / 1e9;
}

/*! CPU use, % of one CPU, of \p readers readers waiting on a silent writer. */
double idle_cpu_percent(int readers, double seconds)
{
    auto p = rp::pipe<std::int32_t>::make("bench_b4_idle", 1 << 16);
    std::vector<std::thread> threads;
    std::vector<rp::pipe_reader<std::int32_t>> rs;
    for (int i = 0; i < readers; ++i)
        rs.push_back(p->get_reader());
    auto w = p->get_writer();
    for (int i = 0; i < readers; ++i)
        threads.emplace_back([&, i] { rs[i].get_for(1, std::chrono::seconds(10)); });
    // Let the readers pass their spin and yield phases and fall asleep.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const double cpu0 = rb::process_cpu_s();
    const double t0 = rb::now_s();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double percent = (rb::process_cpu_s() - cpu0) / (rb::now_s() - t0) * 100.0;
    w.close(); // wakes them: end of stream
    for (auto& t : threads)
        t.join();
    return percent;
}

void run(const rb::context& ctx)
{
    const std::uint64_t samples = ctx.count(1 << 28, 1 << 16);
    rb::table t("B4 fan-out, 1 writer + R readers (not pinned, 2 CPUs), int32 samples, "
                "batches of 1024, " +
                    std::to_string(samples) + " samples",
                "G samples/s per reader (higher is better)",
                { "roundpipers" });
    rb::table idle("B4 idle: R readers waiting on a writer that publishes nothing",
                   "% of one CPU for the whole process (lower is better)",
                   { "roundpipers" });
    for (int readers = 1; readers <= 4; ++readers) {
        const std::string label = "R = " + std::to_string(readers);
        t.row(label,
              rb::interleave(ctx, { [&] { return per_reader_gsamples(readers, samples); } }));
        idle.row(label,
                 rb::interleave(
                     ctx, { [&] { return idle_cpu_percent(readers, ctx.quick ? 0.1 : 0.5); } }));
    }
    t.print();
    idle.print();
    rb::report_target("B4 R = 2: G samples/s per reader >= 1", t.median("R = 2", 0), 1.0, true);
    double worst = 0;
    for (const char* label : { "R = 1", "R = 2", "R = 3", "R = 4" })
        worst = std::max(worst, idle.median(label, 0));
    rb::report_target("B4 idle CPU %, worst R", worst, 1.0, false);
}

const int registered = rb::register_benchmark(
    { "B4", "fan-out, 1 writer + 1..4 readers on 2 CPUs, idle CPU", run });

} // namespace
