/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * B10 stream tags: the same stream of 64-byte frames through the closure API
 * (write(n, fn) / read(n, n, fn)), untagged, with one tag per 1000 frames and with one
 * tag per frame (a 7-byte key and a 29-byte value: an rx_time tuple's size). The writer
 * fills every word of every frame, the reader sums them and checks every tag. Prints frames/s and what one tag costs (written and
 * read), from the difference to the untagged stream of the same run.
 */

#include "bench.h"
#include <roundpipers/roundpipers.h>
#include <cstdio>
#include <string>
#include <thread>

namespace rb = roundpipers_bench;
namespace rp = roundpipers;

namespace {

constexpr std::size_t frame_words = 8; // uint64: 64-byte frames

void fill(rp::array_view<std::uint64_t> v, std::uint64_t first)
{
    std::uint64_t* out = v.data();
    for (std::size_t k = 0; k < v.extent(0); ++k)
        for (std::size_t j = 0; j < frame_words; ++j)
            out[k * frame_words + j] = first + k;
}

/*! True when frame k of \p v holds first + k in every word. */
bool holds(rp::const_array_view<std::uint64_t> v, std::uint64_t first)
{
    const std::uint64_t* in = v.data();
    bool ok = true;
    for (std::size_t k = 0; k < v.extent(0); ++k) {
        std::uint64_t sum = 0;
        for (std::size_t j = 0; j < frame_words; ++j)
            sum += in[k * frame_words + j];
        ok &= sum == (first + k) * frame_words;
    }
    return ok;
}
constexpr std::size_t ring_frames = 4096;

/*! Mframes/s of \p frames frames in batches of \p batch, a tag every \p period (0: none). */
double tagged_mframes(std::uint64_t frames, std::size_t batch, std::uint64_t period)
{
    auto p = rp::pipe<std::uint64_t>::make("bench_b10", ring_frames, { frame_words });
    auto r = p->get_reader();
    const std::string key = "rx_time";
    const std::string value(29, 'v');
    bool ok = true;
    std::uint64_t seen = 0;
    std::uint64_t tags_seen = 0;
    const double t0 = rb::now_s();
    // What each side changes per frame stays in its own locals, and the writer copies
    // the counts it reads: a shared line between the two threads would be measured
    // instead of the tags (see B1's run_pair).
    std::thread writer([frames, batch, period, &key, &value,
                        w = p->get_writer()]() mutable {
        rb::pin_to_cpu(0);
        std::uint64_t next_tag = 0; // a running mark: no division per write
        for (std::uint64_t f = 0; f < frames; f += batch) {
            if (period == 0) {
                w.write(batch, [&](rp::array_view<std::uint64_t> v) { fill(v, f); });
                continue;
            }
            w.write(batch, [&](rp::array_view<std::uint64_t> v, rp::tag_writer& tags) {
                fill(v, f);
                for (; next_tag < f + batch; next_tag += period)
                    tags.add(std::size_t(next_tag - f), key, value);
            });
        }
    });
    std::thread reader([&, batch, period] {
        rb::pin_to_cpu(1);
        bool all_ok = true;
        std::uint64_t n = 0;
        std::uint64_t n_tags = 0;
        while (r.read(batch, batch,
                      [&](rp::const_array_view<std::uint64_t> v, const rp::pipe_state&,
                          const rp::tag_list& tags) {
                          all_ok &= holds(v, n);
                          for (const auto& t : tags)
                              all_ok &= period && t.frame % period == 0 &&
                                        t.value.size() == 29;
                          n_tags += tags.size();
                          n += batch;
                      })) {
        }
        ok = all_ok;
        seen = n;
        tags_seen = n_tags;
    });
    writer.join();
    reader.join();
    const double seconds = rb::now_s() - t0;
    const std::uint64_t want_tags = period ? (frames + period - 1) / period : 0;
    rb::check(ok && seen == frames && tags_seen == want_tags,
              "B10: wrong frames or tags (" + std::to_string(tags_seen) + " tags of " +
                  std::to_string(want_tags) + ")");
    return double(frames) / seconds / 1e6;
}

void run(const rb::context& ctx)
{
    const std::uint64_t frames = ctx.count(1 << 22, 1 << 12);
    rb::table t("B10 stream tags, 1 writer -> 1 reader (pinned), 64-byte frames touched, "
                "closure API, " +
                    std::to_string(frames) + " frames per run, ring of " +
                    std::to_string(ring_frames),
                "Mframes/s (higher is better); a tag: 7-byte key, 29-byte value",
                { "untagged", "1 tag / 1000 frames", "1 tag / frame" });
    const std::size_t batches[] = { 1, 64 };
    for (std::size_t batch : batches)
        t.row("batch " + std::to_string(batch),
              rb::interleave(ctx, { [&] { return tagged_mframes(frames, batch, 0); },
                                    [&] { return tagged_mframes(frames, batch, 1000); },
                                    [&] { return tagged_mframes(frames, batch, 1); } }));
    t.print();
    for (std::size_t batch : batches) {
        const std::string row = "batch " + std::to_string(batch);
        // ns per frame tagged minus untagged, per tag (one per frame): write plus read.
        const double per_tag_ns = 1e3 / t.median(row, 2) - 1e3 / t.median(row, 0);
        std::printf("  B10 %s: one tag costs %.0f ns (written and read)\n", row.c_str(),
                    per_tag_ns);
        rb::report_target("B10 " + row + ": 1 tag / 1000 frames / untagged >= 0.95",
                          t.median(row, 1) / t.median(row, 0), 0.95, true);
    }
}

const int registered = rb::register_benchmark(
    { "B10", "stream tags: untagged, 1 per 1000 frames, 1 per frame; ns per tag", run });

} // namespace
