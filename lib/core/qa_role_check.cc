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

BOOST_AUTO_TEST_CASE(reader_used_by_two_threads_at_once_fires_the_role_check)
{
    auto p = rp::pipe<int>::make("roles", 64);
    auto w = p->get_writer();
    auto r = p->get_reader();
    std::atomic<bool> second_thread_failed{ false };
    // Thread A sleeps inside get() (no data); thread B uses the same reader meanwhile.
    std::thread a([&] { r.get_for(1, std::chrono::milliseconds(300)); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
        r.try_get(1);
    } catch (const rp::pipe_error& e) {
        second_thread_failed = e.code() == rp::errc::invalid_argument &&
                               std::string(e.what()).find("two threads") != std::string::npos;
    }
    a.join();
    BOOST_CHECK(second_thread_failed.load());
}

BOOST_AUTO_TEST_CASE(writer_used_by_two_threads_at_once_fires_the_role_check)
{
    auto p = rp::pipe<int>::make("writer_roles", 64);
    auto w = p->get_writer();
    auto r = p->get_reader();
    w.write(p->capacity(), [](auto) {});
    std::thread a([&] { w.reserve_for(1, std::chrono::milliseconds(300)); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    BOOST_CHECK_EXCEPTION(w.try_reserve(1), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "two threads" }));
    a.join();
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
