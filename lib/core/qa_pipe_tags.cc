/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Design section 9: tags travel with their frames, in frame order, and are never lost
 * by a blocking reader. */

#include "control_region.h"
#include "qa_helpers.h"
#include "tag_area.h"
#include <roundpipers/pipe.h>
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <random>
#include <thread>
#include <vector>

namespace rp = roundpipers;
using namespace std::chrono_literals;

namespace {

rp::reader_options lossy()
{
    rp::reader_options o;
    o.lossy = true;
    return o;
}

rp::pipe_options with_tag_capacity(std::size_t n)
{
    rp::pipe_options o;
    o.tag_capacity = n;
    return o;
}

/*! The tags of the frames [begin, end) of \p all, in frame order then added order. */
rp::tag_list tags_in(const std::multimap<std::uint64_t, rp::tag>& all,
                     std::uint64_t begin,
                     std::uint64_t end)
{
    rp::tag_list out;
    for (auto it = all.lower_bound(begin); it != all.end() && it->first < end; ++it)
        out.push_back(it->second);
    return out;
}

/*! The tag area of \p core, as the library lays it out (docs/design.md 16.1). */
rp::detail::tag_area tag_area_of(const rp::pipe_core& core)
{
    const std::size_t page = rp::memfd_ring::page_size();
    const std::size_t at =
        (rp::detail::control_region_bytes(core.max_readers()) + page - 1) / page * page;
    return rp::detail::tag_area(static_cast<std::uint8_t*>(core.ring().control()) + at,
                                core.tag_capacity(), core.tag_byte_capacity());
}

/*! The first byte of the key and value ring of \p core. */
std::uint8_t* tag_bytes_of(const rp::pipe_core& core)
{
    return reinterpret_cast<std::uint8_t*>(&tag_area_of(core).entry(0)) +
           core.tag_capacity() * sizeof(rp::detail::tag_entry);
}

std::string describe(const rp::tag_list& tags)
{
    std::string s;
    for (const auto& t : tags)
        s += "(" + std::to_string(t.frame) + "," + t.key + ") ";
    return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(pipe_tags)

BOOST_AUTO_TEST_CASE(a_blocking_reader_gets_exactly_the_tags_of_its_windows_with_peeks_and_skips)
{
    auto p = rp::pipe<std::uint32_t>::make("tags_windows", 256);
    auto w = p->get_writer();
    auto r = p->get_reader();
    std::mt19937 rng(12345);
    std::multimap<std::uint64_t, rp::tag> all;
    const std::uint64_t total = 20000;
    std::atomic<bool> failed{ false };
    std::thread writer([&] {
        std::mt19937 wrng(777);
        std::uint64_t next_tag = 0;
        for (std::uint64_t f = 0; f < total;) {
            const std::size_t n = std::min<std::uint64_t>(1 + wrng() % 64, total - f);
            if (!w.reserve(n))
                return;
            // Tags out of order inside the reservation; several on one frame.
            for (int k = 0; k < 3; ++k) {
                if (wrng() % 3 == 0) {
                    const std::uint64_t at = f + wrng() % n;
                    w.add_tag(at, "k" + std::to_string(next_tag), std::string(wrng() % 100, 'v'));
                    ++next_tag;
                }
            }
            w.publish(n);
            f += n;
        }
        w.close();
    });
    // The expected tags: replay the writer's random sequence.
    {
        std::mt19937 wrng(777);
        std::uint64_t next_tag = 0;
        for (std::uint64_t f = 0; f < total;) {
            const std::size_t n = std::min<std::uint64_t>(1 + wrng() % 64, total - f);
            std::vector<rp::tag> added;
            for (int k = 0; k < 3; ++k) {
                if (wrng() % 3 == 0) {
                    const std::uint64_t at = f + wrng() % n;
                    const std::string key = "k" + std::to_string(next_tag);
                    const std::string value(wrng() % 100, 'v');
                    all.emplace(at, rp::tag{ at, key, value });
                    ++next_tag;
                }
            }
            f += n;
        }
    }
    std::uint64_t pos = 0;
    std::size_t windows = 0;
    while (pos < total) {
        const std::size_t n = 1 + rng() % 100;
        const std::size_t kind = rng() % 4;
        const std::size_t k = kind == 0 ? 0 : kind == 1 ? n + rng() % 50 : 1 + rng() % n;
        auto span = r.get_for(n, 10s);
        if (span.status() == rp::read_status::insufficient_data ||
            span.status() == rp::read_status::end_of_stream)
            break;
        BOOST_REQUIRE(span);
        const auto expected = tags_in(all, pos, pos + n);
        if (span.tags() != expected) {
            BOOST_ERROR("window [" << pos << ", " << pos + n << "): got " << describe(span.tags())
                                   << " expected " << describe(expected));
            failed = true;
            r.consume(0);
            break;
        }
        ++windows;
        r.consume(k);
        pos += k;
    }
    writer.join();
    BOOST_CHECK(!failed);
    BOOST_CHECK_GT(windows, 100u);
    BOOST_CHECK_EQUAL(r.state().lost_tags, 0u);
}

BOOST_AUTO_TEST_CASE(the_read_callback_and_chunks_carry_tags_and_the_write_callback_adds_them)
{
    auto p = rp::pipe<float>::make("tags_callbacks", 64, { 2 });
    auto w = p->get_writer();
    auto r = p->get_reader();
    w.write(4, [](rp::array_view<float>, rp::tag_writer& tags) {
        tags.add(3, "rx_freq", "100e6");
        tags.add(1, "rx_time", "t0");
    });
    rp::tag_list seen;
    r.read(4, 2, [&](rp::const_array_view<float>, const rp::pipe_state&, const rp::tag_list& t) {
        seen = t;
    });
    BOOST_REQUIRE_EQUAL(seen.size(), 2u);
    BOOST_CHECK(seen[0] == (rp::tag{ 1, "rx_time", "t0" }));
    BOOST_CHECK(seen[1] == (rp::tag{ 3, "rx_freq", "100e6" }));
    // The overlapping window after consume(2) still carries the tag of frame 3.
    for (auto chunk : r.iter_chunks_for(2, 2, 100ms)) {
        BOOST_REQUIRE_EQUAL(chunk.tags().size(), 1u);
        BOOST_CHECK_EQUAL(chunk.tags()[0].key, "rx_freq");
        break;
    }
    // A write callback that throws publishes neither its frames nor its tags.
    BOOST_CHECK_THROW(w.write(2,
                              [](rp::array_view<float>, rp::tag_writer& tags) {
                                  tags.add(0, "lost", "");
                                  throw std::runtime_error("callback failed");
                              }),
                      std::runtime_error);
    BOOST_CHECK_EQUAL(w.core().pending_tags(), 0u);
    w.write(1, [](rp::array_view<float>) {});
    auto span = r.get_for(1, 1s);
    BOOST_REQUIRE(span);
    BOOST_CHECK(span.tags().empty());
    r.consume(1);
    // A generic callback of two arguments keeps getting the state (it compiles only so).
    std::uint64_t seen_written = 99;
    w.write(1, [&](auto, const auto& state) { seen_written = state.written; });
    BOOST_CHECK_EQUAL(seen_written, 5u);
    BOOST_CHECK_EXCEPTION(
        w.write(1, [](rp::array_view<float>, rp::tag_writer& tags) { tags.add(1, "k", ""); }),
        rp::pipe_error,
        rp::qa::error_with(rp::errc::invalid_argument, { "frame 1", "write of 1 frames" }));
}

BOOST_AUTO_TEST_CASE(bad_tags_are_refused_with_clear_messages)
{
    auto p = rp::pipe<std::uint8_t>::make("tags_bad", 64);
    auto w = p->get_writer();
    BOOST_CHECK_EXCEPTION(w.add_tag(0, "", "v"), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument,
                                             { "tags_bad", "key must be 1 to 255 bytes", "got 0" }));
    BOOST_CHECK_EXCEPTION(w.add_tag(0, std::string(256, 'k'), "v"), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "got 256 bytes" }));
    BOOST_CHECK_EXCEPTION(w.add_tag(0, "big", std::string(65537, 'v')), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument,
                                             { "'big'", "65537 bytes", "65536" }));
    w.add_tag(0, std::string(255, 'k'), std::string(65536, 'v')); // the limits themselves
    w.write(3, [](rp::array_view<std::uint8_t>) {});
    BOOST_CHECK_EXCEPTION(w.add_tag(2, "late", "v"), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument,
                                             { "'late'", "frame 2", "already published",
                                               "at or after 3" }));
    w.close();
    BOOST_CHECK_EXCEPTION(w.add_tag(5, "k", "v"), rp::pipe_error,
                          rp::qa::error_with(rp::errc::closed, { "after close" }));
}

BOOST_AUTO_TEST_CASE(values_up_to_64_kib_arrive_whole_across_the_byte_ring_wrap)
{
    auto p = rp::pipe<std::uint8_t>::make("tags_big", 64);
    auto w = p->get_writer();
    auto r = p->get_reader();
    const std::size_t byte_ring = p->core()->tag_byte_capacity();
    std::mt19937 rng(4);
    // Enough big values to go round the byte ring several times.
    const std::size_t rounds = 3 * byte_ring / rp::max_tag_value_bytes + 2;
    for (std::size_t i = 0; i < rounds; ++i) {
        std::string value(rp::max_tag_value_bytes - (rng() % 1000), '\0');
        for (auto& c : value)
            c = static_cast<char>(rng());
        w.add_tag(w.written_frames(), "blob", value);
        w.write(1, [](rp::array_view<std::uint8_t>) {});
        auto span = r.get_for(1, 1s);
        BOOST_REQUIRE(span);
        BOOST_REQUIRE_EQUAL(span.tags().size(), 1u);
        BOOST_REQUIRE(span.tags()[0].value == value);
        r.consume(1);
    }
}

BOOST_AUTO_TEST_CASE(a_full_tag_area_makes_the_writer_wait_for_a_blocking_reader_and_loses_nothing)
{
    auto p = rp::pipe<std::uint32_t>::make("tags_full", 1024, {}, with_tag_capacity(4));
    BOOST_CHECK_EQUAL(p->core()->tag_capacity(), 4u);
    auto w = p->get_writer();
    auto r = p->get_reader();
    for (int i = 0; i < 4; ++i) {
        w.add_tag(w.written_frames(), "t", std::to_string(i));
        w.write(1, [](rp::array_view<std::uint32_t>) {});
    }
    // Four tags on frames the reader has not finished: no room for a fifth yet.
    BOOST_CHECK(w.try_add_tag(w.written_frames(), "t", "4") == rp::read_status::timeout);
    BOOST_CHECK(w.add_tag_for(w.written_frames(), "t", "4", 20ms) == rp::read_status::timeout);
    const int total = 200;
    std::thread writer([&] {
        for (int i = 4; i < total; ++i) {
            w.add_tag(w.written_frames(), "t", std::to_string(i));
            w.write(1, [](rp::array_view<std::uint32_t>) {});
        }
        w.close();
    });
    std::vector<std::string> got;
    for (;;) {
        auto span = r.get_for(1, 10s);
        if (!span)
            break;
        for (const auto& t : span.tags())
            got.push_back(t.value);
        r.consume(1);
        if (got.size() % 50 == 0)
            std::this_thread::sleep_for(1ms); // a slow reader: the writer waits for it
    }
    writer.join();
    BOOST_REQUIRE_EQUAL(got.size(), std::size_t(total));
    for (int i = 0; i < total; ++i)
        BOOST_CHECK_EQUAL(got[i], std::to_string(i));
}

BOOST_AUTO_TEST_CASE(a_writer_whose_tags_wait_for_a_reader_waiting_for_frames_fails_fast)
{
    auto p = rp::pipe<std::uint32_t>::make("tags_mutual", 1024, {}, with_tag_capacity(4));
    auto w = p->get_writer();
    auto r = p->get_reader();
    std::atomic<int> status{ -1 };
    std::thread reader([&] {
        auto span = r.get_for(10, 20s); // waits for frames the writer cannot publish
        status = static_cast<int>(span.status());
        if (span)
            r.consume(10);
    });
    for (int i = 0; i < 4; ++i) {
        w.add_tag(w.written_frames(), "t", "");
        w.write(1, [](rp::array_view<std::uint32_t>) {});
    }
    // Let the reader fall asleep on its window, then ask for a fifth tag.
    while (p->core()->state().written != 4)
        std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(50ms);
    const auto t0 = std::chrono::steady_clock::now();
    BOOST_CHECK_EXCEPTION(w.add_tag_for(w.written_frames(), "t", "", 15s), rp::pipe_error,
                          rp::qa::error_with(rp::errc::mutual_wait,
                                             { "tags_mutual", "tag area is full", "4 tags",
                                               "tag_capacity" }));
    BOOST_CHECK(std::chrono::steady_clock::now() - t0 < 10s);
    w.close();
    reader.join();
    BOOST_CHECK_EQUAL(status.load(), static_cast<int>(rp::read_status::insufficient_data));
}

BOOST_AUTO_TEST_CASE(more_unpublished_tags_than_the_area_holds_are_refused)
{
    auto p = rp::pipe<std::uint32_t>::make("tags_pending", 64, {}, with_tag_capacity(3));
    auto w = p->get_writer();
    for (int i = 0; i < 3; ++i)
        w.add_tag(10 + i, "t", "");
    BOOST_CHECK_EXCEPTION(w.add_tag(20, "t", ""), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument,
                                             { "4 tags", "not yet published", "tag_capacity" }));
    BOOST_CHECK_EQUAL(w.core().pending_tags(), 3u);
    auto r = p->get_reader();
    w.write(20, [](rp::array_view<std::uint32_t>) {});
    auto span = r.get_for(20, 1s);
    BOOST_REQUIRE(span);
    BOOST_CHECK_EQUAL(span.tags().size(), 3u);
    BOOST_CHECK_EQUAL(w.core().pending_tags(), 0u);
}

BOOST_AUTO_TEST_CASE(tags_of_frames_never_published_are_dropped_at_close)
{
    auto p = rp::pipe<std::uint32_t>::make("tags_close", 64);
    auto w = p->get_writer();
    auto r = p->get_reader();
    w.add_tag(0, "kept", "");
    w.add_tag(5, "dropped", "");
    w.write(2, [](rp::array_view<std::uint32_t>) {});
    w.close();
    auto span = r.get_for(2, 1s);
    BOOST_REQUIRE(span);
    BOOST_REQUIRE_EQUAL(span.tags().size(), 1u);
    BOOST_CHECK_EQUAL(span.tags()[0].key, "kept");
    r.consume(2);
    BOOST_CHECK(r.get_for(1, 100ms).status() == rp::read_status::end_of_stream);
}

BOOST_AUTO_TEST_CASE(a_lapped_lossy_reader_gets_no_tag_of_a_lost_frame_and_counts_what_it_lost)
{
    for (const std::size_t tag_capacity : { std::size_t(0), std::size_t(16) }) {
        auto p = rp::pipe<std::uint64_t>::make("tags_lossy", 256, {},
                                               with_tag_capacity(tag_capacity));
        const std::size_t cap = p->capacity();
        auto w = p->get_writer();
        auto r = p->get_reader(lossy());
        std::uint64_t tags_written = 0;
        auto write_tagged = [&](std::size_t n) {
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint64_t f = w.written_frames();
                w.add_tag(f, "f", std::to_string(f));
                ++tags_written;
                w.write(1, [&](rp::array_view<std::uint64_t> v) { v(0) = f; });
            }
        };
        std::uint64_t tags_seen = 0;
        std::uint64_t frames_seen = 0;
        for (int round = 0; round < 6; ++round) {
            write_tagged(cap + 37 * (round + 1)); // laps the reader
            for (;;) {
                auto span = r.try_get(8);
                if (span.status() == rp::read_status::overrun)
                    continue;
                if (!span)
                    break;
                const auto& v = span.data();
                for (const auto& t : span.tags()) {
                    // Only tags of frames in this window, matching the frame's value.
                    BOOST_REQUIRE_GE(t.frame, v(0));
                    BOOST_REQUIRE_LT(t.frame, v(0) + 8);
                    BOOST_REQUIRE_EQUAL(t.value, std::to_string(t.frame));
                    ++tags_seen;
                }
                frames_seen += 8;
                r.consume(8);
            }
        }
        const auto st = r.state();
        BOOST_TEST_MESSAGE("tag capacity " << p->core()->tag_capacity() << ": seen "
                                           << tags_seen << " lost " << st.lost_tags);
        BOOST_CHECK_GT(st.lost, 0u);
        BOOST_CHECK_GT(st.lost_tags, 0u);
        BOOST_CHECK_GT(tags_seen, 0u);
        // Every tag written was either received or counted lost, except those of frames
        // still waiting in the ring (fewer than one window).
        BOOST_CHECK_LE(tags_seen + st.lost_tags, tags_written);
        BOOST_CHECK_GE(tags_seen + st.lost_tags + 8, tags_written);
        if (tag_capacity == 0) // room for a tag per frame: tags go only with their frames
            BOOST_CHECK_EQUAL(st.lost_tags, st.lost);
    }
}

BOOST_AUTO_TEST_CASE(an_untagged_reader_of_a_tagged_pipe_starts_after_the_tags_before_it)
{
    auto p = rp::pipe<std::uint32_t>::make("tags_late_reader", 64);
    auto w = p->get_writer();
    w.add_tag(0, "before", "");
    w.write(4, [](rp::array_view<std::uint32_t>) {});
    auto r = p->get_reader();
    w.add_tag(4, "after", "");
    w.write(1, [](rp::array_view<std::uint32_t>) {});
    auto span = r.get_for(1, 1s);
    BOOST_REQUIRE(span);
    BOOST_REQUIRE_EQUAL(span.tags().size(), 1u);
    BOOST_CHECK_EQUAL(span.tags()[0].key, "after");
    BOOST_CHECK_EQUAL(span.tags()[0].frame, 4u);
}

BOOST_AUTO_TEST_CASE(tag_capacity_beyond_the_limit_is_refused)
{
    BOOST_CHECK_EXCEPTION(rp::pipe<float>::make("tags_huge", 64, {}, with_tag_capacity(1u << 25)),
                          rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument,
                                             { "tags_huge", "tag_capacity", "16777216" }));
}

BOOST_AUTO_TEST_CASE(a_blocking_reader_that_skips_past_its_windows_gets_every_tag_it_reads)
{
    // The writer frees the entries of the frames the reader skips while the reader
    // looks at them: the tags of the frames it does read must all arrive.
    auto p = rp::pipe<std::uint32_t>::make("tags_skips", 4096, {}, with_tag_capacity(1024));
    auto r = p->get_reader();
    const std::uint64_t total = 200000;
    std::thread writer([&, w = p->get_writer()]() mutable {
        for (std::uint64_t f = 0; f < total; ++f) {
            w.add_tag(f, "f", "");
            w.write(1, [](rp::array_view<std::uint32_t>) {});
        }
    });
    std::uint64_t windows = 0, wrong = 0;
    for (;;) {
        auto span = r.get_for(1, 10s);
        if (!span)
            break;
        ++windows;
        wrong += span.tags().size() != 1 || span.tags()[0].frame != span.state().consumed;
        r.consume(500);
    }
    writer.join();
    BOOST_CHECK_GT(windows, 100u);
    BOOST_CHECK_EQUAL(wrong, 0u);
    BOOST_CHECK_EQUAL(r.state().lost_tags, 0u);
}

BOOST_AUTO_TEST_CASE(a_reader_registering_while_a_publish_shows_its_tags_gets_them)
{
    // The interleaving where a publish has stored the tag count but not yet `written`
    // when a reader registers, replayed step by step on the shared counters.
    auto p = rp::pipe<std::uint32_t>::make("tags_register", 64);
    auto core = p->core();
    auto& ctl = *static_cast<rp::detail::control_region*>(core->ring().control());
    {
        rp::writer_core w(core);
        std::uint8_t* at = nullptr;
        BOOST_REQUIRE(w.reserve(10, rp::no_wait, &at) == rp::read_status::ok);
        w.publish(10);
        w.add_tag(10, "k", "v", rp::no_wait);
        // publish(1) up to its tag count store, by hand:
        auto area = tag_area_of(*core);
        area.entry(0).frame.store(10);
        area.entry(0).bytes_at.store(0);
        area.entry(0).key_bytes.store(1);
        area.entry(0).value_bytes.store(1);
        std::memcpy(tag_bytes_of(*core), "kv", 2);
        ctl.written.tags.store(1, std::memory_order_release);
        rp::reader_core r(core, rp::reader_options{});      // registers now
        ctl.written.value.store(11, std::memory_order_seq_cst); // then `written` moves
        const auto span = r.get(1, rp::no_wait);
        BOOST_REQUIRE(span.status == rp::read_status::ok);
        BOOST_CHECK_EQUAL(span.state.consumed, 10u);
        BOOST_REQUIRE_EQUAL(span.tags->size(), 1u);
        BOOST_CHECK((*span.tags)[0] == (rp::tag{ 10, "k", "v" }));
        r.consume(1);
        w.drop_pending_tags();
    }
}

BOOST_AUTO_TEST_CASE(a_peer_that_writes_a_future_frame_into_a_kept_entry_is_caught)
{
    auto p = rp::pipe<std::uint32_t>::make("tags_hostile", 1024, {}, with_tag_capacity(2));
    auto core = p->core();
    auto w = p->get_writer();
    auto r = p->get_reader(); // holds the tags: the writer must look at the oldest
    for (int i = 0; i < 2; ++i) {
        w.add_tag(w.written_frames(), "t", "");
        w.write(1, [](rp::array_view<std::uint32_t>) {});
    }
    tag_area_of(*core).entry(0).frame.store(UINT64_MAX); // what a hostile peer may write
    BOOST_CHECK_EXCEPTION(w.try_add_tag(w.written_frames(), "t", ""), rp::pipe_error,
                          rp::qa::error_with(rp::errc::corrupted,
                                             { "tags_hostile", "never published" }));
}

BOOST_AUTO_TEST_CASE(a_writer_refused_for_corrupt_tag_counters_gives_its_role_back)
{
    auto p = rp::pipe<std::uint32_t>::make("tags_corrupt_counters", 64, {}, with_tag_capacity(2));
    auto core = p->core();
    auto& ctl = *static_cast<rp::detail::control_region*>(core->ring().control());
    ctl.written.tags.store(5); // 5 entries kept in an area of 2: what a hostile peer may write
    for (int attempt = 0; attempt < 2; ++attempt) // the second sees the same, not writer_exists
        BOOST_CHECK_EXCEPTION(p->get_writer(), rp::pipe_error,
                              rp::qa::error_with(rp::errc::corrupted,
                                                 { "tags_corrupt_counters", "more than its 2" }));
    BOOST_CHECK(!p->core()->has_writer());
    ctl.written.tags.store(0);
    auto w = p->get_writer();
    BOOST_CHECK(w.write(1, [](rp::array_view<std::uint32_t>) {}));
}

BOOST_AUTO_TEST_CASE(a_failed_tagged_write_keeps_the_tags_of_later_frames_and_publish_0_keeps_all)
{
    auto p = rp::pipe<std::uint32_t>::make("tags_discard", 64);
    auto w = p->get_writer();
    auto r = p->get_reader();
    w.add_tag(10, "future", "");
    BOOST_CHECK_THROW(w.write(4,
                              [](rp::array_view<std::uint32_t>, rp::tag_writer& tags) {
                                  tags.add(1, "failed", "");
                                  throw std::runtime_error("no");
                              }),
                      std::runtime_error);
    BOOST_CHECK_EQUAL(w.core().pending_tags(), 1u); // 'future' stays
    // A tag belongs to an absolute frame, not to a reservation: discarding one keeps it.
    BOOST_REQUIRE(w.reserve(4));
    w.add_tag(2, "kept", "");
    w.publish(0);
    w.write(12, [](rp::array_view<std::uint32_t>) {});
    auto got = r.get_for(12, 1s);
    BOOST_REQUIRE(got);
    BOOST_REQUIRE_EQUAL(got.tags().size(), 2u);
    BOOST_CHECK_EQUAL(got.tags()[0].key, "kept");
    BOOST_CHECK_EQUAL(got.tags()[1].key, "future");
}

BOOST_AUTO_TEST_SUITE_END()
