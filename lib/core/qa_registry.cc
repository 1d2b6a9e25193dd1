/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The registry is process-wide: every case uses its own names ("qa_registry.<case>")
 * so that cases do not see each other's pipes.
 */

#include "qa_helpers.h"
#include <roundpipers/registry.h>
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace rp = roundpipers;
using rp::qa::error_with;

namespace {

using shape_t = std::vector<std::size_t>;

bool is_listed(const std::string& name)
{
    const auto names = rp::registry::names();
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

BOOST_AUTO_TEST_SUITE(registry)

BOOST_AUTO_TEST_CASE(open_creates_and_registers_a_pipe)
{
    const std::string name = "qa_registry.open_creates";
    BOOST_REQUIRE(!rp::registry::find<float>(name));

    auto p = rp::registry::open<float>(name, 1024);
    BOOST_REQUIRE(p);
    BOOST_CHECK_EQUAL(p->name(), name);
    BOOST_CHECK_GE(p->capacity(), 1024u);
    BOOST_CHECK(p->shape().empty());
    BOOST_CHECK(is_listed(name));
    BOOST_CHECK_EQUAL(rp::registry::find<float>(name).get(), p.get());
}

BOOST_AUTO_TEST_CASE(open_of_a_live_name_returns_the_same_pipe)
{
    const std::string name = "qa_registry.same_pipe";
    auto p = rp::registry::open<float>(name, 1024, { 2 });
    auto again = rp::registry::open<float>(name, 1024, { 2 });
    BOOST_CHECK_EQUAL(again.get(), p.get());

    // A smaller capacity, or exactly what the pipe has, is satisfied by the live pipe.
    BOOST_CHECK_EQUAL(rp::registry::open<float>(name, 1, { 2 }).get(), p.get());
    BOOST_CHECK_EQUAL(rp::registry::open<float>(name, p->capacity(), { 2 }).get(),
                      p.get());

    // Both handles reach one stream: what one writes, the other reads.
    auto reader = again->get_reader();
    auto writer = p->get_writer();
    BOOST_REQUIRE(writer.write(1, [](rp::array_view<float> v) {
        v(0, 0) = 1.5f;
        v(0, 1) = 2.5f;
    }));
    float seen = 0.0f;
    BOOST_REQUIRE(
        reader.try_read(1, 1, [&](rp::const_array_view<float> v) { seen = v(0, 1); }));
    BOOST_CHECK_EQUAL(seen, 2.5f);
}

BOOST_AUTO_TEST_CASE(find_returns_null_for_an_unknown_name)
{
    BOOST_CHECK(!rp::registry::find<float>("qa_registry.never_opened"));
    BOOST_CHECK(!is_listed("qa_registry.never_opened"));
}

BOOST_AUTO_TEST_CASE(open_with_another_element_type_is_invalid_argument_naming_both)
{
    const std::string name = "qa_registry.type_mismatch";
    auto p = rp::registry::open<float>(name, 64, { 4 });

    BOOST_CHECK_EXCEPTION(rp::registry::open<std::int32_t>(name, 64, { 4 }),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument,
                                     { "'" + name + "'", "float32", "[4]", "int32" }));
    BOOST_CHECK_EXCEPTION(
        rp::registry::find<std::int32_t>(name),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "'" + name + "'", "float32", "int32" }));
    BOOST_CHECK_EXCEPTION(
        rp::registry::find<double>(name),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "float32", "float64" }));
    // The failed opens leave the registered pipe in place.
    BOOST_CHECK_EQUAL(rp::registry::find<float>(name).get(), p.get());
}

BOOST_AUTO_TEST_CASE(open_with_another_metadata_type_is_invalid_argument)
{
    const std::string name = "qa_registry.meta_mismatch";
    auto p = rp::registry::open<float>(name, 64);

    BOOST_CHECK_EXCEPTION(
        (rp::registry::open<float, std::string>(name, 64)),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "float32", "with metadata" }));
    BOOST_CHECK_EXCEPTION((rp::registry::find<float, std::string>(name)),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument, { "with metadata" }));
}

BOOST_AUTO_TEST_CASE(open_with_another_frame_shape_is_invalid_argument_naming_both)
{
    const std::string name = "qa_registry.shape_mismatch";
    auto p = rp::registry::open<float>(name, 64, { 4 });

    BOOST_CHECK_EXCEPTION(
        rp::registry::open<float>(name, 64, { 8 }),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "'" + name + "'", "[4]", "[8]" }));
    BOOST_CHECK_EXCEPTION(rp::registry::open<float>(name, 64),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument, { "[4]", "[]" }));
    BOOST_CHECK_EXCEPTION(rp::registry::open<float>(name, 64, { 2, 2 }),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument, { "[4]", "[2, 2]" }));
}

BOOST_AUTO_TEST_CASE(open_asking_more_capacity_than_the_live_pipe_has_is_invalid_argument)
{
    const std::string name = "qa_registry.capacity";
    auto p = rp::registry::open<double>(name, 100);
    const std::size_t have = p->capacity();
    const std::size_t want = have + 1;

    BOOST_CHECK_EXCEPTION(rp::registry::open<double>(name, want),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument,
                                     { "'" + name + "'",
                                       "capacity " + std::to_string(have),
                                       std::to_string(want) + " frames" }));
    BOOST_CHECK_EQUAL(rp::registry::find<double>(name)->capacity(), have);
}

BOOST_AUTO_TEST_CASE(entry_expires_when_the_last_handle_is_released)
{
    const std::string name = "qa_registry.expires";
    auto p = rp::registry::open<float>(name, 64, { 4 });
    auto second = rp::registry::find<float>(name);
    std::weak_ptr<rp::pipe<float>> watch = p;

    p.reset();
    BOOST_CHECK(rp::registry::find<float>(name));
    BOOST_CHECK(is_listed(name));

    second.reset();
    BOOST_CHECK(watch.expired());
    BOOST_CHECK(!rp::registry::find<float>(name));
    BOOST_CHECK(!is_listed(name));

    // The name is free again, even for another type and shape: open creates a new pipe.
    auto fresh = rp::registry::open<std::int32_t>(name, 64, { 8 });
    BOOST_REQUIRE(fresh);
    BOOST_CHECK(fresh->shape() == (shape_t{ 8 }));
    BOOST_CHECK(is_listed(name));
}

BOOST_AUTO_TEST_CASE(a_name_lives_while_a_reader_or_writer_of_its_pipe_does)
{
    const std::string name = "qa_registry.held_by_handles";
    // No one keeps the pipe objects, only a writer and a reader: both must be on the same
    // stream, and find() must still see it.
    auto writer = rp::registry::open<float>(name, 64, { 2 })->get_writer();
    auto reader = rp::registry::open<float>(name, 64, { 2 })->get_reader();
    BOOST_CHECK(is_listed(name));
    writer.write(1, [](rp::array_view<float> v) { v(0, 1) = 7.0f; });
    float got = 0;
    BOOST_CHECK(reader.try_read(1, 1, [&](rp::const_array_view<float> v) { got = v(0, 1); }));
    BOOST_CHECK_EQUAL(got, 7.0f);
    auto found = rp::registry::find<float>(name);
    BOOST_REQUIRE(found);
    BOOST_CHECK_EQUAL(found->state().written, 1u);
    BOOST_CHECK_THROW(rp::registry::open<std::int32_t>(name, 64, { 2 }), rp::pipe_error);
    found.reset();

    { auto gone = std::move(writer); }
    { auto gone = std::move(reader); }
    BOOST_CHECK(!rp::registry::find<float>(name));
    BOOST_CHECK(!is_listed(name));
}

BOOST_AUTO_TEST_CASE(open_after_expiry_without_a_lookup_creates_a_new_pipe)
{
    const std::string name = "qa_registry.expires_then_open";
    rp::registry::open<float>(name, 64, { 4 }).reset();

    auto fresh = rp::registry::open<float>(name, 64, { 2 });
    BOOST_REQUIRE(fresh);
    BOOST_CHECK(fresh->shape() == (shape_t{ 2 }));
    BOOST_CHECK_EQUAL(rp::registry::find<float>(name).get(), fresh.get());
}

BOOST_AUTO_TEST_CASE(empty_name_is_invalid_argument)
{
    BOOST_CHECK_EXCEPTION(rp::registry::open<float>("", 64),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument, { "empty" }));
    BOOST_CHECK_EXCEPTION(rp::registry::find<float>(""),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument, { "empty" }));
}

BOOST_AUTO_TEST_CASE(name_with_a_nul_byte_is_invalid_argument)
{
    const std::string name("qa_\0registry", 12);
    BOOST_CHECK_EXCEPTION(rp::registry::open<float>(name, 64),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument, { "NUL", "offset 3" }));
    BOOST_CHECK_EXCEPTION(rp::registry::find<float>(name),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument, { "NUL" }));
    BOOST_CHECK(!is_listed(name));
}

BOOST_AUTO_TEST_CASE(names_lists_the_live_pipes_sorted)
{
    const std::string b = "qa_registry.names.b";
    const std::string a = "qa_registry.names.a";
    auto pb = rp::registry::open<float>(b, 64);
    auto pa = rp::registry::open<std::uint8_t>(a, 64);

    auto names = rp::registry::names();
    BOOST_CHECK(std::is_sorted(names.begin(), names.end()));
    const auto ia = std::find(names.begin(), names.end(), a);
    const auto ib = std::find(names.begin(), names.end(), b);
    BOOST_REQUIRE(ia != names.end());
    BOOST_REQUIRE(ib != names.end());
    BOOST_CHECK(ia < ib);

    pb.reset();
    names = rp::registry::names();
    BOOST_CHECK(std::find(names.begin(), names.end(), b) == names.end());
    BOOST_CHECK(std::find(names.begin(), names.end(), a) != names.end());
}

BOOST_AUTO_TEST_CASE(pipe_make_registers_nothing)
{
    const std::string name = "qa_registry.made_directly";
    auto made = rp::pipe<float>::make(name, 64);
    BOOST_CHECK_EQUAL(made->name(), name);

    BOOST_CHECK(!rp::registry::find<float>(name));
    BOOST_CHECK(!is_listed(name));

    // The registry's pipe of that name is a different one.
    auto opened = rp::registry::open<float>(name, 64);
    BOOST_CHECK(opened.get() != made.get());
}

BOOST_AUTO_TEST_CASE(concurrent_opens_of_one_name_return_one_pipe)
{
    const std::string name = "qa_registry.concurrent";
    constexpr int n_threads = 4;
    std::vector<std::shared_ptr<rp::pipe<float>>> got(n_threads);
    std::vector<std::thread> threads;
    for (int t = 0; t < n_threads; ++t)
        threads.emplace_back([&, t] { got[t] = rp::registry::open<float>(name, 256); });
    for (auto& th : threads)
        th.join();

    for (int t = 0; t < n_threads; ++t) {
        BOOST_REQUIRE(got[t]);
        BOOST_CHECK_EQUAL(got[t].get(), got[0].get());
    }
}

BOOST_AUTO_TEST_CASE(open_for_writing_replaces_a_closed_pipe_and_open_does_not)
{
    const std::string name = "qa_registry.rewrite";
    auto first = rp::registry::open_for_writing<float>(name, 64);
    BOOST_CHECK_EQUAL(rp::registry::open_for_writing<float>(name, 64).get(), first.get());
    first->get_writer().close();

    // A reader still draining the closed stream finds it with open() and find().
    BOOST_CHECK_EQUAL(rp::registry::open<float>(name, 64).get(), first.get());
    BOOST_CHECK_EQUAL(rp::registry::find<float>(name).get(), first.get());

    // A new writer gets a fresh pipe under the same name; the old one lives on.
    auto second = rp::registry::open_for_writing<float>(name, 64);
    BOOST_CHECK(second.get() != first.get());
    BOOST_CHECK(!second->is_closed());
    BOOST_CHECK(first->is_closed());
    BOOST_CHECK_EQUAL(rp::registry::find<float>(name).get(), second.get());
    BOOST_CHECK_THROW(rp::registry::open_for_writing<int>(name, 64), rp::pipe_error);
}

BOOST_AUTO_TEST_CASE(a_lookup_of_another_name_does_not_wait_for_a_pipe_being_made)
{
    // 1 GiB, prefaulted: making it takes a while, outside the registry's lock.
    auto small = rp::registry::open<float>("reg_quick", 16);
    double made_s = 0, slowest_find_s = 0;
    std::atomic<bool> making{ true };
    std::thread maker([&] {
        const auto t0 = std::chrono::steady_clock::now();
        auto big = rp::registry::open<std::uint8_t>("reg_big", std::size_t(1) << 30);
        made_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        making = false;
    });
    while (making) {
        const auto t0 = std::chrono::steady_clock::now();
        BOOST_CHECK(rp::registry::find<float>("reg_quick") == small);
        slowest_find_s = std::max(
            slowest_find_s,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    maker.join();
    BOOST_TEST_MESSAGE("made in " << made_s << " s, slowest find " << slowest_find_s << " s");
    BOOST_CHECK_LT(slowest_find_s, std::max(0.05, made_s / 4));
}

BOOST_AUTO_TEST_CASE(a_name_is_erased_when_its_last_holder_goes)
{
    for (int i = 0; i < 1000; ++i) {
        auto p = rp::registry::open<float>("reg_short_" + std::to_string(i), 16);
        p->get_writer().write(1, [](auto) {});
    }
    const auto names = rp::registry::names();
    BOOST_CHECK(std::none_of(names.begin(), names.end(), [](const std::string& n) {
        return n.rfind("reg_short_", 0) == 0;
    }));
    BOOST_CHECK(rp::registry::find<float>("reg_short_999") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
