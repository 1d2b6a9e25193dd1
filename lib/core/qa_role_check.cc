/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Design 3.2 item 10: debug builds check that a reader or writer is used by one thread
 * at a time. This file is built with ROUNDPIPERS_CHECK_ROLES=1 whatever the build type.
 */

#include "qa_helpers.h"
#include <roundpipers/pipe.h>
#include <boost/test/unit_test.hpp>
#include <atomic>
#include <thread>

namespace rp = roundpipers;

BOOST_AUTO_TEST_SUITE(role_check)

namespace {

/*!
 * Runs `busy` (a long wait on a role) over and over in another thread while this thread
 * calls `use` on the same role, until `use` throws the role error or 3 s pass. Either
 * side may win the role for a moment; only the error proves the check fires.
 */
template <class Busy, class Use>
bool role_check_fires(Busy busy, Use use)
{
    std::atomic<bool> fired{ false };
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    std::thread other([&] {
        while (!fired && std::chrono::steady_clock::now() < until) {
            try {
                busy();
            } catch (const rp::pipe_error&) {
                // this thread lost the race for the role this time
            }
        }
    });
    while (!fired && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        try {
            use();
        } catch (const rp::pipe_error& e) {
            fired = e.code() == rp::errc::invalid_argument &&
                    std::string(e.what()).find("two threads") != std::string::npos;
        }
    }
    other.join();
    return fired;
}

} // namespace

BOOST_AUTO_TEST_CASE(reader_used_by_two_threads_at_once_fires_the_role_check)
{
    auto p = rp::pipe<int>::make("roles", 64);
    auto w = p->get_writer();
    auto r = p->get_reader();
    // The other thread sleeps inside get() (no data) while this one uses the reader.
    BOOST_CHECK(role_check_fires([&] { r.get_for(1, std::chrono::milliseconds(200)); },
                                 [&] { r.try_get(1); }));
}

BOOST_AUTO_TEST_CASE(writer_used_by_two_threads_at_once_fires_the_role_check)
{
    auto p = rp::pipe<int>::make("writer_roles", 64);
    auto w = p->get_writer();
    auto r = p->get_reader();
    w.write(p->capacity(), [](auto) {});
    BOOST_CHECK(role_check_fires([&] { w.reserve_for(1, std::chrono::milliseconds(200)); },
                                 [&] { w.try_reserve(1); }));
}

BOOST_AUTO_TEST_CASE(sequential_use_from_different_threads_is_allowed)
{
    auto p = rp::pipe<int>::make("handover", 64);
    auto w = p->get_writer();
    auto r = p->get_reader();
    std::thread([&] { w.write(1, [](rp::array_view<int> v) { v(0) = 5; }); }).join();
    int got = 0;
    std::thread([&] { r.read(1, 1, [&](rp::const_array_view<int> v) { got = v(0); }); }).join();
    BOOST_CHECK_EQUAL(got, 5);
}

BOOST_AUTO_TEST_SUITE_END()
