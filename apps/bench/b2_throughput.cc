/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * B2 data throughput, touched: the writer fills every sample of every 4 KiB frame, the
 * reader sums every sample and checks the sum. Rings of 64 KiB, 512 KiB and 16 MiB,
 * batches of a quarter ring. Peers: single-core memcpy over the same working set (the
 * ceiling) and GNU Radio's null_source -> head -> null_sink (float items, default
 * buffers) moving the same number of bytes.
 */

#include "bench.h"
#include <roundpipers/roundpipers.h>
#include <boost/lockfree/spsc_queue.hpp>
#include <algorithm>
#include <cstring>
#include <numeric>
#include <thread>
#include <vector>

namespace rb = roundpipers_bench;
namespace rp = roundpipers;

namespace {

constexpr std::size_t frame_samples = 1024; // uint32: 4 KiB frames

double roundpipers_throughput(std::size_t ring_frames, std::uint64_t frames)
{
    const std::size_t batch = ring_frames / 4;
    auto p = rp::pipe<std::uint32_t>::make("bench_b2", ring_frames, { frame_samples });
    auto r = p->get_reader();
    bool sums_ok = true;
    std::uint64_t seen = 0;
    const double t0 = rb::now_s();
    // Per-frame counters in each thread's own locals (see B1's run_pair).
    std::thread writer([frames, batch, w = p->get_writer()]() mutable {
        rb::pin_to_cpu(0);
        for (std::uint64_t f = 0; f < frames; f += batch) {
            auto span = w.reserve(batch);
            std::uint32_t* out = span.data().data();
            for (std::size_t k = 0; k < batch; ++k)
                std::fill_n(out + k * frame_samples, frame_samples, std::uint32_t(f + k));
            w.publish(batch);
        }
    });
    std::thread reader([&r, &sums_ok, &seen, batch] {
        rb::pin_to_cpu(1);
        bool ok = true;
        std::uint64_t n = 0;
        while (auto span = r.get(batch)) {
            const std::uint32_t* in = span.data().data();
            for (std::size_t k = 0; k < batch; ++k) {
                const std::uint32_t sum = std::accumulate(
                    in + k * frame_samples, in + (k + 1) * frame_samples, std::uint32_t(0));
                ok &= sum == std::uint32_t((n + k) * frame_samples);
            }
            n += batch;
            r.consume(batch);
        }
        sums_ok = ok;
        seen = n;
    });
    writer.join();
    reader.join();
    const double seconds = rb::now_s() - t0;
    rb::check(sums_ok && seen == frames, "B2 roundpipers: wrong or missing data");
    return double(frames * frame_samples * sizeof(std::uint32_t)) / seconds / 1e9;
}

// B2b: 16 KiB chunks of uint32 scalars through a 512 KiB ring, the closure API against
// boost's bulk push/pop (which copies each chunk in and out); both sides run the same
// fill and sum loops (vectorised at -O3).
constexpr std::size_t chunk_items = 4096;                 // 16 KiB
constexpr std::size_t ring_items = 131072;                // 512 KiB
using bulk_queue = boost::lockfree::spsc_queue<std::uint32_t, boost::lockfree::capacity<ring_items>>;

// The index runs in 32 bits: with a 64-bit index truncated per item, g++ -O3 packs
// 64-bit lanes and this loop alone tops out at 24 GB/s on one core, which then bounds
// both peers instead of the transport under test.
void fill_chunk(std::uint32_t* out, std::uint64_t first)
{
    const auto base = std::uint32_t(first);
    for (std::uint32_t i = 0; i < chunk_items; ++i)
        out[i] = base + i;
}

std::uint32_t sum_chunk(const std::uint32_t* in)
{
    return std::accumulate(in, in + chunk_items, std::uint32_t(0));
}

std::uint32_t expected_sum(std::uint64_t first)
{
    // sum of first .. first + n - 1, modulo 2^32 (unsigned wrap is defined)
    const std::uint64_t n = chunk_items;
    return std::uint32_t(n * first + n * (n - 1) / 2);
}

double roundpipers_chunk_gbps(std::uint64_t chunks)
{
    auto p = rp::pipe<std::uint32_t>::make("bench_b2b", ring_items);
    auto r = p->get_reader();
    bool sums_ok = true;
    std::uint64_t seen = 0;
    const double t0 = rb::now_s();
    // Per-chunk counters in each thread's own locals (see B1's run_pair).
    std::thread writer([chunks, w = p->get_writer()]() mutable {
        rb::pin_to_cpu(0);
        for (std::uint64_t c = 0; c < chunks; ++c)
            w.write(chunk_items, [&](rp::array_view<std::uint32_t> v) {
                fill_chunk(v.data(), c * chunk_items);
            });
    });
    std::thread reader([&] {
        rb::pin_to_cpu(1);
        bool ok = true;
        std::uint64_t n = 0;
        while (r.read(chunk_items, chunk_items, [&](rp::const_array_view<std::uint32_t> v) {
            ok &= sum_chunk(v.data()) == expected_sum(n * chunk_items);
            ++n;
        })) {
        }
        sums_ok = ok;
        seen = n;
    });
    writer.join();
    reader.join();
    const double seconds = rb::now_s() - t0;
    rb::check(sums_ok && seen == chunks, "B2b roundpipers: wrong or missing data");
    return double(chunks * chunk_items * sizeof(std::uint32_t)) / seconds / 1e9;
}

double boost_bulk_gbps(std::uint64_t chunks)
{
    auto q = std::make_unique<bulk_queue>();
    bool sums_ok = true;
    std::uint64_t seen = 0;
    const double t0 = rb::now_s();
    std::thread writer([&q, chunks] {
        rb::pin_to_cpu(0);
        std::vector<std::uint32_t> chunk(chunk_items);
        for (std::uint64_t c = 0; c < chunks; ++c) {
            fill_chunk(chunk.data(), c * chunk_items);
            for (std::size_t done = 0; done < chunk_items;)
                done += q->push(chunk.data() + done, chunk_items - done);
        }
    });
    std::thread reader([&q, &sums_ok, &seen, chunks] {
        rb::pin_to_cpu(1);
        std::vector<std::uint32_t> chunk(chunk_items);
        bool ok = true;
        std::uint64_t n = 0;
        for (; n < chunks; ++n) {
            for (std::size_t done = 0; done < chunk_items;)
                done += q->pop(chunk.data() + done, chunk_items - done);
            ok &= sum_chunk(chunk.data()) == expected_sum(n * chunk_items);
        }
        sums_ok = ok;
        seen = n;
    });
    writer.join();
    reader.join();
    const double seconds = rb::now_s() - t0;
    rb::check(sums_ok && seen == chunks, "B2b boost bulk: wrong or missing data");
    return double(chunks * chunk_items * sizeof(std::uint32_t)) / seconds / 1e9;
}

/*! One core copying 16 KiB chunks from one half of a 512 KiB buffer to the other. */
double memcpy_chunk_gbps(std::uint64_t chunks)
{
    const std::size_t chunk_bytes = chunk_items * sizeof(std::uint32_t);
    const std::size_t slots = ring_items * sizeof(std::uint32_t) / chunk_bytes / 2;
    std::vector<char> buffer(ring_items * sizeof(std::uint32_t), 1);
    double seconds = 0;
    std::thread copier([&] {
        rb::pin_to_cpu(0);
        const double t0 = rb::now_s();
        for (std::uint64_t c = 0; c < chunks; ++c) {
            const std::size_t from = (c % slots) * chunk_bytes;
            std::memcpy(buffer.data() + slots * chunk_bytes + from, buffer.data() + from,
                        chunk_bytes);
        }
        seconds = rb::now_s() - t0;
    });
    copier.join();
    rb::check(buffer.back() == 1, "B2b memcpy: the copy is wrong");
    return double(chunks * chunk_bytes) / seconds / 1e9;
}

double memcpy_throughput(std::size_t ring_bytes, std::uint64_t total_bytes)
{
    // Copy one half of a ring-sized buffer onto the other, over and over.
    // On its own pinned thread: the main thread's affinity is inherited by GNU Radio's.
    std::vector<char> buffer(ring_bytes, 1);
    const std::size_t half = ring_bytes / 2;
    double seconds = 0;
    std::thread copier([&] {
        rb::pin_to_cpu(0);
        const double t0 = rb::now_s();
        for (std::uint64_t done = 0; done < total_bytes; done += half) {
            std::memcpy(buffer.data() + half, buffer.data(), half);
            std::memcpy(buffer.data(), buffer.data() + half, 1); // keeps the copies alive
        }
        seconds = rb::now_s() - t0;
    });
    copier.join();
    rb::check(buffer[half] == 1, "B2 memcpy: the copy is wrong");
    return double(total_bytes) / seconds / 1e9;
}

void run(const rb::context& ctx)
{
    const std::uint64_t frames = ctx.count(1 << 18, 1 << 10); // 1 GiB or 4 MiB
    const std::uint64_t bytes = frames * frame_samples * sizeof(std::uint32_t);
    const auto gr_chain = rb::find_peer("gnuradio_null_chain_gbps");
    std::vector<std::string> series = { "roundpipers", "memcpy" };
    if (gr_chain)
        series.push_back("GNU Radio");
    rb::table t("B2 data throughput, touched, 1 writer -> 1 reader (pinned), 4 KiB frames, " +
                    std::to_string(bytes >> 20) + " MiB per run",
                "GB/s (higher is better); memcpy: one core, same working set; GNU Radio: "
                "null_source -> head -> null_sink, float items",
                series);
    const std::pair<const char*, std::size_t> rings[] = { { "ring 64 KiB", 16 },
                                                          { "ring 512 KiB", 128 },
                                                          { "ring 16 MiB", 4096 } };
    for (const auto& [label, ring_frames] : rings) {
        const std::size_t ring_bytes = ring_frames * frame_samples * sizeof(std::uint32_t);
        std::vector<std::function<double()>> runs = {
            [&, rf = ring_frames] { return roundpipers_throughput(rf, frames); },
            [&, rb_ = ring_bytes] { return memcpy_throughput(rb_, bytes); }
        };
        if (gr_chain)
            runs.push_back([&] { return gr_chain(ctx, sizeof(float)); });
        t.row(label, rb::interleave(ctx, runs));
    }
    t.print();
    for (const char* label : { "ring 64 KiB", "ring 512 KiB" }) {
        rb::report_target(std::string("B2 ") + label + ": roundpipers / memcpy >= 0.25",
                          t.median(label, 0) / t.median(label, 1),
                          0.25,
                          true);
        if (gr_chain)
            rb::report_target(std::string("B2 ") + label + ": roundpipers / GNU Radio >= 8",
                              t.median(label, 0) / t.median(label, 2),
                              8.0,
                              true);
    }
    if (!gr_chain)
        std::printf("  GNU Radio peer not built (configure with ROUNDPIPERS_ENABLE_GNURADIO=ON)\n");

    const std::uint64_t chunks = ctx.count(1 << 16, 1 << 8); // 1 GiB or 4 MiB
    const std::uint64_t chunk_bytes = chunks * chunk_items * sizeof(std::uint32_t);
    rb::table b("B2b 16 KiB chunks through a 512 KiB ring, touched (writer fills, reader "
                "sums every item), closure API write(n, fn) / read(n, n, fn), " +
                    std::to_string(chunk_bytes >> 20) + " MiB per run",
                "GB/s (higher is better); boost bulk: spsc_queue push/pop of the same chunks "
                "(copied in and out); memcpy: one core, 16 KiB copies in a 512 KiB buffer",
                { "roundpipers", "boost bulk", "memcpy" });
    b.row("16 KiB chunks",
          rb::interleave(ctx, { [&] { return roundpipers_chunk_gbps(chunks); },
                                [&] { return boost_bulk_gbps(chunks); },
                                [&] { return memcpy_chunk_gbps(chunks); } }));
    b.print();
    rb::report_target("B2b 16 KiB chunks: roundpipers / boost bulk >= 1.5",
                      b.median("16 KiB chunks", 0) / b.median("16 KiB chunks", 1), 1.5, true);
    rb::report_target("B2b 16 KiB chunks: roundpipers / memcpy >= 0.25",
                      b.median("16 KiB chunks", 0) / b.median("16 KiB chunks", 2), 0.25, true);
}

const int registered = rb::register_benchmark(
    { "B2", "data throughput, touched, rings 64 KiB/512 KiB/16 MiB; memcpy, GNU Radio", run });

} // namespace
