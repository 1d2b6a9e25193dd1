/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * B1 handoff cost: 1 writer -> 1 reader on two pinned CPUs, 4-byte frames, in batches.
 * Index-only for roundpipers (the writer stamps the first frame of a batch, the reader
 * checks it). The peers copy items in and out, which is how they work; every item
 * carries its sequence number and the reader checks the first and last of each pop.
 */

#include "bench.h"
#include <roundpipers/roundpipers.h>
#include <boost/lockfree/spsc_queue.hpp>
#include <readerwriterqueue/readerwriterqueue.h>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace rb = roundpipers_bench;
namespace rp = roundpipers;

namespace {

constexpr std::size_t queue_frames = 1 << 16;

/*!
 * Runs \p write on CPU 0 and \p read on CPU 1; returns Mframes/s over \p frames.
 * Each side keeps what it changes per frame in its own locals and copies the counts it
 * reads (the peers below capture them by value): a reader's counter on the caller's
 * stack next to a count the writer loads on every call would put one cache line
 * between the two cores and measure that line instead of the queue.
 */
template <class Write, class Read>
double run_pair(std::uint64_t frames, Write write, Read read)
{
    const double t0 = rb::now_s();
    std::thread writer([&] {
        rb::pin_to_cpu(0);
        write();
    });
    std::thread reader([&] {
        rb::pin_to_cpu(1);
        read();
    });
    writer.join();
    reader.join();
    return double(frames) / (rb::now_s() - t0) / 1e6;
}

double roundpipers_handoff(std::size_t batch, std::uint64_t frames)
{
    auto p = rp::pipe<std::uint32_t>::make("bench_b1", queue_frames);
    auto r = p->get_reader();
    std::uint64_t seen = 0;
    bool in_order = true;
    const double rate = run_pair(
        frames,
        [frames, batch, w = p->get_writer()]() mutable {
            for (std::uint64_t i = 0; i < frames; i += batch) {
                auto span = w.reserve(batch);
                span.data().data()[0] = std::uint32_t(i);
                w.publish(batch);
            }
            w.close(); // end of stream
        },
        [&, batch] {
            std::uint64_t n = 0;
            bool ok = true;
            while (auto span = r.get(batch)) {
                ok &= span.data().data()[0] == std::uint32_t(n);
                n += batch;
                r.consume(batch);
            }
            seen = n;
            in_order = ok;
        });
    rb::check(in_order && seen == frames, "B1 roundpipers: frames lost or out of order");
    return rate;
}

/*! The same handoff through the closure API users call: write(n, fn) / read(n, n, fn). */
double roundpipers_closure_handoff(std::size_t batch, std::uint64_t frames)
{
    auto p = rp::pipe<std::uint32_t>::make("bench_b1_closure", queue_frames);
    auto r = p->get_reader();
    std::uint64_t seen = 0;
    bool in_order = true;
    const double rate = run_pair(
        frames,
        [frames, batch, w = p->get_writer()]() mutable {
            for (std::uint64_t i = 0; i < frames; i += batch)
                w.write(batch, [&](rp::array_view<std::uint32_t> v) {
                    v.data()[0] = std::uint32_t(i);
                });
            w.close();
        },
        [&, batch] {
            std::uint64_t n = 0;
            bool ok = true;
            while (r.read(batch, batch, [&](rp::const_array_view<std::uint32_t> v) {
                ok &= v.data()[0] == std::uint32_t(n);
                n += batch;
            })) {
            }
            seen = n;
            in_order = ok;
        });
    rb::check(in_order && seen == frames, "B1 roundpipers closure: frames lost or out of order");
    return rate;
}

/*!
 * Nanoseconds per write(1, fn) of one thread with \p readers idle lossy readers (which
 * never hold the writer back), or after \p departed readers registered and left.
 */
double write_call_ns(std::size_t readers,
                     std::size_t departed,
                     bool one_asleep,
                     std::uint64_t calls)
{
    rp::pipe_options o;
    o.max_readers = 4096;
    auto p = rp::pipe<std::uint32_t>::make("bench_b1_cost", queue_frames, {}, o);
    {
        std::vector<rp::pipe_reader<std::uint32_t>> gone;
        for (std::size_t i = 0; i < departed; ++i)
            gone.push_back(p->get_reader(rp::reader_options{ true }));
    }
    std::vector<rp::pipe_reader<std::uint32_t>> idle;
    for (std::size_t i = 0; i < readers; ++i)
        idle.push_back(p->get_reader(rp::reader_options{ true }));
    // A lossy reader asleep for a whole ring's worth of frames: every publish sees a
    // sleeper (and wakes it once per ring), with the high-water mark left by the
    // departed readers.
    std::atomic<bool> stop{ false };
    std::thread sleeper;
    if (one_asleep) {
        auto r = std::make_shared<rp::pipe_reader<std::uint32_t>>(
            p->get_reader(rp::reader_options{ true }));
        sleeper = std::thread([r, &stop, cap = p->capacity()] {
            while (!stop.load(std::memory_order_relaxed))
                r->read_for(cap, cap, std::chrono::milliseconds(50), [](auto) {});
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // it falls asleep
    }
    auto w = p->get_writer();
    const double t0 = rb::now_s();
    for (std::uint64_t i = 0; i < calls; ++i)
        w.write(1, [&](rp::array_view<std::uint32_t> v) { v.data()[0] = std::uint32_t(i); });
    const double ns = (rb::now_s() - t0) / double(calls) * 1e9;
    rb::check(w.state().written == calls, "B1 per-call cost: frames missing");
    stop = true;
    if (sleeper.joinable())
        sleeper.join();
    return ns;
}

double boost_handoff(std::size_t batch, std::uint64_t frames)
{
    auto q = std::make_unique<boost::lockfree::spsc_queue<std::uint32_t,
                                                          boost::lockfree::capacity<queue_frames>>>();
    std::uint64_t seen = 0;
    bool in_order = true;
    const double rate = run_pair(
        frames,
        [&q, frames, batch] {
            std::vector<std::uint32_t> items(batch);
            for (std::uint64_t i = 0; i < frames; i += batch) {
                for (std::size_t k = 0; k < batch; ++k)
                    items[k] = std::uint32_t(i + k);
                for (std::size_t done = 0; done < batch;)
                    done += q->push(items.data() + done, batch - done);
            }
        },
        [&, frames, batch] {
            std::vector<std::uint32_t> items(batch);
            std::uint64_t got = 0;
            bool ok = true;
            while (got < frames) {
                const std::size_t n = q->pop(items.data(), batch);
                if (n) {
                    ok &= items[0] == std::uint32_t(got) &&
                          items[n - 1] == std::uint32_t(got + n - 1);
                    got += n;
                }
            }
            seen = got;
            in_order = ok;
        });
    rb::check(in_order && seen == frames, "B1 boost spsc_queue: items lost or out of order");
    return rate;
}

double moodycamel_handoff(std::uint64_t frames)
{
    moodycamel::ReaderWriterQueue<std::uint32_t> q(queue_frames);
    std::uint64_t seen = 0;
    bool in_order = true;
    const double rate = run_pair(
        frames,
        [&q, frames] {
            for (std::uint64_t i = 0; i < frames; ++i)
                while (!q.try_enqueue(std::uint32_t(i)))
                    ;
        },
        [&, frames] {
            std::uint32_t item = 0;
            std::uint64_t got = 0;
            bool ok = true;
            while (got < frames)
                if (q.try_dequeue(item))
                    ok &= item == std::uint32_t(got++);
            seen = got;
            in_order = ok;
        });
    rb::check(in_order && seen == frames, "B1 moodycamel: items lost or out of order");
    return rate;
}

void run(const rb::context& ctx)
{
    const std::uint64_t frames = ctx.count(1 << 24, 1 << 16);
    rb::table t("B1 handoff, 1 writer -> 1 reader (pinned), 4-byte frames, " +
                    std::to_string(frames) + " frames, ring/queue of 65536",
                "Mframes/s (higher is better); moodycamel has no batch API: one item "
                "per call",
                { "roundpipers", "boost spsc_queue", "moodycamel RWQ" });
    for (std::size_t batch : { 1, 16, 256, 4096 }) {
        t.row("batch " + std::to_string(batch),
              rb::interleave(ctx,
                             { [&] { return roundpipers_handoff(batch, frames); },
                               [&] { return boost_handoff(batch, frames); },
                               [&] { return moodycamel_handoff(frames); } }));
    }
    for (std::size_t batch : { 1, 16 }) {
        t.row("batch " + std::to_string(batch) + ", closure API",
              rb::interleave(ctx,
                             { [&] { return roundpipers_closure_handoff(batch, frames); },
                               [&] { return boost_handoff(batch, frames); },
                               [&] { return moodycamel_handoff(frames); } }));
    }
    t.print();
    rb::report_target("B1 batch 1: roundpipers / boost spsc_queue >= 1.5",
                      t.median("batch 1", 0) / t.median("batch 1", 1),
                      1.5,
                      true);
    rb::report_target("B1 batch 1, closure API: roundpipers / boost spsc_queue >= 1.5",
                      t.median("batch 1, closure API", 0) / t.median("batch 1, closure API", 1),
                      1.5,
                      true);

    const std::uint64_t calls = ctx.count(1 << 22, 1 << 12);
    rb::table cost("B1 cost of one write(1, fn) call, one thread, by the readers the pipe has "
                   "(idle lossy readers never hold the writer back)",
                   "ns per call (lower is better)", { "roundpipers" });
    struct cost_case {
        const char* label;
        std::size_t idle;
        std::size_t departed;
        bool asleep;
    };
    const cost_case cases[] = {
        { "0 readers", 0, 0, false },
        { "1 idle reader", 1, 0, false },
        { "63 idle readers", 63, 0, false },
        { "4096 readers left", 0, 4095, false },
        { "4096 left, 1 asleep", 0, 4095, true },
    };
    for (const auto& c : cases)
        cost.row(c.label, rb::interleave(ctx, { [&] {
                                             return write_call_ns(c.idle, c.departed, c.asleep,
                                                                  calls);
                                         } }));
    cost.print();
    for (const char* label :
         { "1 idle reader", "63 idle readers", "4096 readers left", "4096 left, 1 asleep" })
        rb::report_target(std::string("B1 write(1, fn) cost, ") + label + " / 0 readers <= 1.5",
                          cost.median(label, 0) / cost.median("0 readers", 0), 1.5, false);
}

const int registered = rb::register_benchmark(
    { "B1", "handoff cost, 1 writer -> 1 reader, batch 1/16/256/4096; boost, moodycamel", run });

} // namespace
