/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * B3 sliding windows: get(1024) then consume(k) for k = 1, 64, 1024. The same thread
 * fills a 64 Ki-frame pipe (256 KiB, so it stays in L2) and then reads it through, pass
 * after pass; only the reading is timed, so the figure is the reader's own cost per
 * commit (with a live writer, large k would time the writer instead). Each window's
 * first and last frames are checked.
 */

#include "bench.h"
#include <roundpipers/roundpipers.h>
#include <numeric>

namespace rb = roundpipers_bench;
namespace rp = roundpipers;

namespace {

constexpr std::size_t window_frames = 1024;

/*! ns per commit (get(1024) + consume(k)), over passes until \p min_commits. */
double ns_per_commit(std::size_t k, std::uint64_t min_commits)
{
    constexpr std::size_t ring_frames = 1 << 16;
    auto p = rp::pipe<std::uint32_t>::make("bench_b3", ring_frames);
    auto r = p->get_reader();
    auto w = p->get_writer();
    std::uint64_t commits = 0;
    std::uint32_t pos = 0;
    bool windows_ok = true;
    double seconds = 0;
    while (commits < min_commits) {
        // Fill what the last pass consumed, then read windows until fewer than 1024 are left.
        const std::size_t room = std::size_t(r.state().consumed + ring_frames - w.state().written);
        w.write(room, [&](rp::array_view<std::uint32_t> v) {
            std::iota(v.data(), v.data() + v.size(), std::uint32_t(w.state().written));
        });
        const double t0 = rb::now_s();
        while (auto span = r.try_get(window_frames)) {
            const std::uint32_t* v = span.data().data();
            windows_ok &= v[0] == pos && v[window_frames - 1] == pos + window_frames - 1;
            r.consume(k);
            pos += std::uint32_t(k);
            ++commits;
        }
        seconds += rb::now_s() - t0;
    }
    rb::check(windows_ok, "B3: a window held the wrong frames");
    return seconds * 1e9 / double(commits);
}

void run(const rb::context& ctx)
{
    const std::uint64_t commits = ctx.count(1 << 20, 1 << 12);
    rb::table t("B3 sliding windows, get(1024) + consume(k), uint32 frames, a 256 KiB "
                "pipe written beforehand, at least " +
                    std::to_string(commits) + " commits",
                "ns per commit (lower is better)",
                { "roundpipers" });
    for (std::size_t k : { 1, 64, 1024 })
        t.row("consume " + std::to_string(k),
              rb::interleave(ctx, { [&] { return ns_per_commit(k, commits); } }));
    t.print();
    double lo = 1e300, hi = 0;
    for (const char* label : { "consume 1", "consume 64", "consume 1024" }) {
        lo = std::min(lo, t.median(label, 0));
        hi = std::max(hi, t.median(label, 0));
    }
    rb::report_target("B3 cost per commit independent of overlap: slowest k / fastest k <= 2",
                      hi / lo,
                      2.0,
                      false);
}

const int registered = rb::register_benchmark(
    { "B3", "sliding windows, get(1024) + consume(1/64/1024), cost per commit", run });

} // namespace
