/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Long stress (ctest label "stress"): 1 writer and 4 readers, 2 of them lossy, for
 * ROUNDPIPERS_LONG_STRESS_SECONDS (default 60) on a 2-core machine, with random write
 * sizes, windows, skips and pauses. Blocking readers verify every frame they read by
 * its sequence number and end exactly at the last frame; lossy readers verify that
 * every frame is either delivered intact or counted as lost. Frame values use relaxed
 * atomic builtins: a lossy reader may look at frames being overwritten (detected after
 * the fact), and ThreadSanitizer then checks the pipe's own synchronisation.
 */

#include "qa_helpers.h"
#include <roundpipers/pipe.h>
#include <boost/test/unit_test.hpp>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

namespace rp = roundpipers;

namespace {

std::uint64_t load_frame(const std::uint64_t* p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
void store_frame(std::uint64_t* p, std::uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }

struct reader_result {
    std::uint64_t advanced = 0; // frames passed intact (read or skipped), not lost
    std::uint64_t errors = 0;
    std::uint64_t final_position = 0;
    std::uint64_t lost = 0;
};

/*!
 * Random windows n, advances k (sometimes a skip, k > n) and short pauses. For every
 * ok read all n values must match; for an overrun read, the values past the lost
 * frames must match. Returns at end of stream.
 */
reader_result run_reader(rp::pipe_reader<std::uint64_t>& r, unsigned seed)
{
    std::minstd_rand rng(seed);
    reader_result out;
    for (;;) {
        const std::size_t n = 1 + rng() % 700;
        const std::size_t k = rng() % 10 == 0 ? n + rng() % 50 : 1 + rng() % n;
        if (rng() % 64 == 0)
            std::this_thread::sleep_for(std::chrono::microseconds(rng() % 300));
        const auto before = r.state();
        std::int64_t last_bad = -1;
        auto res = r.read(n, k, [&](rp::const_array_view<std::uint64_t> v) {
            for (std::size_t i = 0; i < n; ++i)
                if (load_frame(&v(i)) != before.consumed + i)
                    last_bad = std::int64_t(i);
        });
        const auto after = r.state();
        const std::uint64_t lost_now = after.lost - before.lost;
        if (res || res.status() == rp::read_status::overrun) {
            out.errors += last_bad >= std::int64_t(lost_now);
            out.advanced += after.consumed - before.consumed - lost_now;
            continue;
        }
        if (res.status() == rp::read_status::insufficient_data) {
            const std::size_t left = res.state().available;
            const std::uint64_t at = r.state().consumed;
            auto tail = r.read(left, left, [&](rp::const_array_view<std::uint64_t> v) {
                for (std::size_t i = 0; i < left; ++i)
                    out.errors += load_frame(&v(i)) != at + i;
            });
            out.errors += !tail;
            out.advanced += left;
            continue;
        }
        out.errors += res.status() != rp::read_status::end_of_stream;
        break;
    }
    out.final_position = r.state().consumed;
    out.lost = r.state().lost;
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(pipe_long_stress)

BOOST_AUTO_TEST_CASE(writer_and_four_readers_two_lossy_lose_nothing_unaccounted)
{
    const auto seconds = rp::qa::env_or("ROUNDPIPERS_LONG_STRESS_SECONDS", 60);
    auto p = rp::pipe<std::uint64_t>::make("long_stress", 2048);
    auto w = p->get_writer();
    std::vector<rp::pipe_reader<std::uint64_t>> readers;
    rp::reader_options lossy;
    lossy.lossy = true;
    readers.push_back(p->get_reader());
    readers.push_back(p->get_reader());
    readers.push_back(p->get_reader(lossy));
    readers.push_back(p->get_reader(lossy));
    std::vector<reader_result> results(readers.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < readers.size(); ++i)
        threads.emplace_back([&, i] { results[i] = run_reader(readers[i], unsigned(7 + i)); });

    std::minstd_rand rng(11);
    std::uint64_t next = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < end) {
        const std::size_t n = 1 + rng() % 1024;
        w.write(n, [&](rp::array_view<std::uint64_t> v) {
            for (std::size_t i = 0; i < n; ++i)
                store_frame(&v(i), next + i);
        });
        next += n;
        if (rng() % 256 == 0)
            std::this_thread::sleep_for(std::chrono::microseconds(rng() % 500));
    }
    w.close();
    for (auto& t : threads)
        t.join();

    BOOST_TEST_MESSAGE("long stress: " << next << " frames in " << seconds << " s");
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        BOOST_CHECK_EQUAL(r.errors, 0u);
        // A reader ends at the last frame (or beyond it, after a skip past the end),
        // and every frame it passed was either passed intact or counted as lost.
        BOOST_CHECK_GE(r.final_position, next);
        BOOST_CHECK_EQUAL(r.advanced + r.lost, r.final_position);
        if (i < 2)
            BOOST_CHECK_EQUAL(r.lost, 0u); // blocking readers never lose a frame
    }
}

BOOST_AUTO_TEST_SUITE_END()
