/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Threaded stress (ctest label "stress"): 1 writer, 3 blocking readers and 1 lossy
 * reader on a 2-core machine (oversubscribed), 10^7 frames by default
 * (ROUNDPIPERS_STRESS_FRAMES overrides), varied chunk sizes and sliding windows.
 * Every frame carries its sequence number: blocking readers prove no loss, no
 * duplicate and the right order; the lossy reader's consumed + lost accounts for every
 * frame. Frame values are accessed with relaxed atomic builtins because a lossy reader
 * may look at frames the writer is overwriting (that race is by design and is detected
 * after the fact); ThreadSanitizer then checks the pipe's own synchronisation only.
 */

#include "qa_helpers.h"
#include <roundpipers/pipe.h>
#include <boost/test/unit_test.hpp>
#include <atomic>
#include <random>
#include <optional>
#include <thread>
#include <vector>

namespace rp = roundpipers;

namespace {

std::uint64_t load_frame(const std::uint64_t* p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
void store_frame(std::uint64_t* p, std::uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }

struct blocking_result {
    std::uint64_t frames_checked = 0;
    std::uint64_t errors = 0;
    std::uint64_t final_position = 0;
};

/*! Reads windows of random size, advancing by a random amount <= the window. */
blocking_result run_blocking_reader(rp::pipe_reader<std::uint64_t>& r, unsigned seed)
{
    std::minstd_rand rng(seed);
    blocking_result out;
    const std::size_t max_window = 512;
    for (;;) {
        const std::size_t n = 1 + rng() % max_window;
        const std::size_t k = 1 + rng() % n;
        const std::uint64_t pos = r.state().consumed;
        auto res = r.read(n, k, [&](rp::const_array_view<std::uint64_t> v) {
            for (std::size_t i = 0; i < n; ++i)
                out.errors += load_frame(&v(i)) != pos + i;
            out.frames_checked += n;
        });
        if (res)
            continue;
        if (res.status() == rp::read_status::insufficient_data) {
            const std::size_t left = res.state().available;
            const std::uint64_t tail_pos = r.state().consumed;
            r.read(left, left, [&](rp::const_array_view<std::uint64_t> v) {
                for (std::size_t i = 0; i < left; ++i)
                    out.errors += load_frame(&v(i)) != tail_pos + i;
            });
            continue;
        }
        // Boost.Test assertions are not thread-safe: count, and check in the main thread.
        out.errors += res.status() != rp::read_status::end_of_stream;
        break;
    }
    out.final_position = r.state().consumed;
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(pipe_stress)

BOOST_AUTO_TEST_CASE(one_writer_three_blocking_readers_one_lossy_reader_lose_nothing)
{
    const std::uint64_t total = rp::qa::env_or("ROUNDPIPERS_STRESS_FRAMES", 10000000);
    auto p = rp::pipe<std::uint64_t>::make("stress", 4096);
    auto w = p->get_writer();
    std::vector<rp::pipe_reader<std::uint64_t>> blocking;
    for (int i = 0; i < 3; ++i)
        blocking.push_back(p->get_reader());
    rp::reader_options lossy_opt;
    lossy_opt.lossy = true;
    auto lossy = p->get_reader(lossy_opt);

    std::vector<blocking_result> results(3);
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; ++i)
        threads.emplace_back([&, i] { results[i] = run_blocking_reader(blocking[i], 17 + i); });

    // The lossy reader counts the frames it got intact: all of an ok read, and the part
    // of an overrun read after the torn frames (which must then hold the right values).
    std::uint64_t lossy_delivered = 0;
    std::uint64_t lossy_errors = 0;
    std::uint64_t lossy_overruns = 0;
    threads.emplace_back([&] {
        std::minstd_rand rng(5);
        for (;;) {
            const std::size_t n = 1 + rng() % 512;
            const auto before = lossy.state();
            std::int64_t last_bad = -1; // highest window index holding a wrong value
            auto res = lossy.read(n, n, [&](rp::const_array_view<std::uint64_t> v) {
                for (std::size_t i = 0; i < n; ++i)
                    if (load_frame(&v(i)) != before.consumed + i)
                        last_bad = std::int64_t(i);
            });
            const auto after = lossy.state();
            const std::uint64_t lost_now = after.lost - before.lost;
            if (res || res.status() == rp::read_status::overrun) {
                // Only frames before the oldest valid one may be wrong.
                lossy_errors += last_bad >= std::int64_t(lost_now);
                lossy_delivered += after.consumed - before.consumed - lost_now;
                lossy_overruns += !res;
            } else if (res.status() == rp::read_status::insufficient_data) {
                const std::size_t left = res.state().available;
                if (lossy.read(left, left, [](auto) {}))
                    lossy_delivered += left;
            } else {
                break;
            }
        }
    });

    std::minstd_rand rng(3);
    std::uint64_t next = 0;
    while (next < total) {
        const std::size_t n = std::min<std::uint64_t>(1 + rng() % 256, total - next);
        w.write(n, [&](rp::array_view<std::uint64_t> v) {
            for (std::size_t i = 0; i < n; ++i)
                store_frame(&v(i), next + i);
        });
        next += n;
    }
    w.close();
    for (auto& t : threads)
        t.join();

    for (const auto& r : results) {
        BOOST_CHECK_EQUAL(r.errors, 0u);
        BOOST_CHECK_EQUAL(r.final_position, total);
        BOOST_CHECK_GE(r.frames_checked, total / 2);
    }
    BOOST_CHECK_EQUAL(lossy_errors, 0u);
    BOOST_CHECK_EQUAL(lossy_delivered + lossy.state().lost, total);
    BOOST_CHECK_EQUAL(lossy.state().consumed, total);
    BOOST_TEST_MESSAGE("lossy reader: " << lossy_delivered << " frames read, "
                                        << lossy.state().lost << " lost in " << lossy_overruns
                                        << " overruns");
}

// Semantic 3 under fire: a reader that registers while the writer publishes as fast as
// it can (no other reader holds it back) still gets every frame from its start intact.
// The registration and the publish are the pair the asymmetric fences must keep ordered.
BOOST_AUTO_TEST_CASE(readers_registering_during_a_fast_stream_see_intact_frames)
{
    auto p = rp::pipe<std::uint64_t>::make("register_race", 64);
    const std::size_t cap = p->capacity();
    std::atomic<bool> stop{ false };
    std::thread writer([&, w = p->get_writer()]() mutable {
        for (std::uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i)
            w.write(1, [&](rp::array_view<std::uint64_t> v) { v(0) = i; });
    });
    const int registrations = rp::qa::under_sanitizer() ? 2000 : 20000;
    int wrong = 0;
    for (int k = 0; k < registrations; ++k) {
        auto r = p->get_reader();
        const std::uint64_t start = r.state().consumed;
        // A frame overwritten before the reader was seen holds start + cap (or later).
        for (std::size_t f = 0; f < cap / 2; ++f) {
            std::uint64_t got = 0;
            if (!r.read_for(1, 1, std::chrono::seconds(5),
                            [&](rp::const_array_view<std::uint64_t> v) { got = v(0); }))
                break;
            wrong += got != start + f;
        }
    }
    stop = true;
    writer.join();
    BOOST_CHECK_EQUAL(wrong, 0);
}

// Readers coming and going in several threads while the writer streams: the high-water
// mark rises and falls under them (a registration's raise against another reader's
// lowering), and every reader still gets every frame from its start intact. When all
// have left, the mark is back at 0.
BOOST_AUTO_TEST_CASE(readers_coming_and_going_in_threads_keep_frames_intact_and_lower_the_mark)
{
    auto p = rp::pipe<std::uint64_t>::make("come_and_go", 64);
    const std::size_t cap = p->capacity();
    std::atomic<bool> stop{ false };
    std::thread writer([&, w = p->get_writer()]() mutable {
        for (std::uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i)
            w.write(1, [&](rp::array_view<std::uint64_t> v) { v(0) = i; });
    });
    const int registrations = rp::qa::under_sanitizer() ? 300 : 3000;
    std::atomic<int> wrong{ 0 };
    std::vector<std::thread> comers;
    for (int t = 0; t < 3; ++t)
        comers.emplace_back([&, t] {
            for (int k = 0; k < registrations; ++k) {
                // A second reader now and then, so that slots above the first come and go.
                auto r = p->get_reader();
                std::optional<rp::pipe_reader<std::uint64_t>> extra;
                if ((k + t) % 3 == 0)
                    extra.emplace(p->get_reader());
                const std::uint64_t start = r.state().consumed;
                for (std::size_t f = 0; f < cap / 8; ++f) {
                    std::uint64_t got = 0;
                    if (!r.read_for(1, 1, std::chrono::seconds(5),
                                    [&](rp::const_array_view<std::uint64_t> v) { got = v(0); }))
                        break;
                    wrong += got != start + f;
                }
            }
        });
    for (auto& c : comers)
        c.join();
    stop = true;
    writer.join();
    BOOST_CHECK_EQUAL(wrong.load(), 0);
    BOOST_CHECK_EQUAL(p->core()->slot_high_water(), 0u);
}

BOOST_AUTO_TEST_SUITE_END()
