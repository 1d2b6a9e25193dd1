/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Design section 9: stream tags cross pipe_sink and pipe_source at the right offsets,
 * on the zero-copy paths and on the copy paths. */

#include "qa_gr_helpers.h"
#include <gnuradio/blocks/keep_one_in_n.h>
#include <gnuradio/blocks/repeat.h>
#include <gnuradio/blocks/vector_sink.h>
#include <gnuradio/blocks/vector_source.h>
#include <gnuradio/roundpipers/pipe_sink.h>
#include <gnuradio/roundpipers/pipe_source.h>
#include <gnuradio/top_block.h>
#include <roundpipers/registry.h>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

namespace rp = ::roundpipers;
namespace grp = gr::roundpipers;
using namespace std::chrono_literals;

namespace {

gr::tag_t make_tag(std::uint64_t offset, const std::string& key, const pmt::pmt_t& value)
{
    gr::tag_t t;
    t.offset = offset;
    t.key = pmt::intern(key);
    t.value = value;
    return t;
}

/*! The tags GNU Radio users meet: a UHD-style rx_time tuple, a frequency, markers. */
std::vector<gr::tag_t> sample_tags()
{
    return { make_tag(0, "rx_time", pmt::make_tuple(pmt::from_uint64(1700000000),
                                                    pmt::from_double(0.25))),
             make_tag(0, "rx_freq", pmt::from_double(100e6)),
             make_tag(7, "burst", pmt::PMT_T),
             make_tag(7, "packet_len", pmt::from_long(42)),
             make_tag(500, "meta", pmt::dict_add(pmt::make_dict(), pmt::intern("gain"),
                                                 pmt::from_double(31.5))),
             make_tag(2999, "tx_eob", pmt::PMT_T) };
}

/*! Every tag an outside reader gets from a pipe, to the end of its stream. */
rp::tag_list read_tags(rp::pipe_reader<std::int32_t>& r)
{
    rp::tag_list out;
    for (auto chunk : r.iter_chunks_for(5, 5, 20s))
        out.insert(out.end(), chunk.tags().begin(), chunk.tags().end());
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(stream_tags)

BOOST_AUTO_TEST_CASE(stream_tags_reach_an_outside_reader_at_their_frames_zero_copy)
{
    const std::string name = "qa_tags_sink";
    std::vector<std::int32_t> data(3000 * 4, 1);
    const auto tags = sample_tags();
    // A tagged vector_source writes its whole vector at once (its output multiple):
    // the pipe must hold twice that.
    auto src = gr::blocks::vector_source_i::make(data, false, 4, tags);
    auto sink = grp::pipe_sink_i::make(name, { 4 }, 8192);
    auto reader = rp::registry::open<std::int32_t>(name, 8192, { 4 })->get_reader();
    auto tb = gr::make_top_block("tags_sink");
    tb->connect(src, 0, sink, 0);
    rp::tag_list got;
    std::thread consumer([&] { got = read_tags(reader); });
    tb->run();
    consumer.join();
    BOOST_CHECK(sink->zero_copy());
    BOOST_REQUIRE_EQUAL(got.size(), tags.size());
    for (std::size_t i = 0; i < tags.size(); ++i) {
        BOOST_CHECK_EQUAL(got[i].frame, tags[i].offset);
        BOOST_CHECK_EQUAL(got[i].key, pmt::symbol_to_string(tags[i].key));
        BOOST_CHECK(got[i].value == pmt::serialize_str(tags[i].value));
    }
}

BOOST_AUTO_TEST_CASE(stream_tags_reach_an_outside_reader_through_the_copy_path)
{
    const std::string name = "qa_tags_sink_copy";
    auto src = gnuradio::make_block_sptr<grp::qa::counting_source>(4, 5000, true, 100);
    auto sink = grp::pipe_sink_i::make(name, { 4 }, 256);
    auto reader = rp::registry::open<std::int32_t>(name, 256, { 4 })->get_reader();
    auto tb = gr::make_top_block("tags_sink_copy");
    tb->connect(src, 0, sink, 0);
    rp::tag_list got;
    std::thread consumer([&] { got = read_tags(reader); });
    tb->run();
    consumer.join();
    BOOST_CHECK(!sink->zero_copy());
    BOOST_REQUIRE_EQUAL(got.size(), 50u);
    for (std::size_t i = 0; i < got.size(); ++i) {
        BOOST_CHECK_EQUAL(got[i].frame, 100 * i);
        BOOST_CHECK_EQUAL(got[i].key, "k");
        BOOST_CHECK(pmt::to_uint64(pmt::deserialize_str(got[i].value)) == 100 * i);
    }
}

BOOST_AUTO_TEST_CASE(pipe_tags_become_stream_tags_after_pipe_source_both_paths)
{
    for (const bool lossy : { false, true }) {
        const std::string name = lossy ? "qa_tags_source_lossy" : "qa_tags_source";
        auto src = grp::pipe_source_i::make(name, { 2 }, 512, lossy);
        auto snk = gr::blocks::vector_sink_i::make(2);
        auto tb = gr::make_top_block("tags_source");
        tb->connect(src, 0, snk, 0);
        auto pipe = rp::registry::open<std::int32_t>(name, 512, { 2 });
        tb->start();
        {
            auto w = pipe->get_writer();
            const std::string rx_time =
                pmt::serialize_str(pmt::make_tuple(pmt::from_uint64(5), pmt::from_double(0.5)));
            for (int round = 0; round < 10; ++round) {
                const std::uint64_t f = w.written_frames();
                w.add_tag(f + 3, "rx_time", rx_time);
                // Not a serialised PMT, and bytes that only pretend to be one (a vector
                // of 2^32 items in five bytes): both become blobs.
                w.add_tag(f + 3, "raw", std::string("\x01\x02not pmt", 9));
                w.add_tag(f + 9, "bomb", std::string("\x08\xff\xff\xff\xff", 5));
                BOOST_REQUIRE(w.write_for(10, 5s, [](rp::array_view<std::int32_t>) {}));
                // The lossy reader must not be lapped: let the flowgraph keep up.
                while (lossy && src->pipe()->core()->state().written > 0 &&
                       snk->data().size() / 2 < w.written_frames())
                    std::this_thread::sleep_for(1ms);
            }
        }
        tb->wait();
        BOOST_CHECK_EQUAL(src->zero_copy(), !lossy);
        const auto got = snk->tags();
        BOOST_REQUIRE_EQUAL(got.size(), 30u);
        for (int round = 0; round < 10; ++round) {
            const auto& t = got[3 * round];
            const auto& raw = got[3 * round + 1];
            const auto& bomb = got[3 * round + 2];
            BOOST_CHECK_EQUAL(t.offset, std::uint64_t(10 * round + 3));
            BOOST_CHECK_EQUAL(pmt::symbol_to_string(t.key), "rx_time");
            BOOST_CHECK(pmt::equal(t.value, pmt::make_tuple(pmt::from_uint64(5),
                                                            pmt::from_double(0.5))));
            BOOST_CHECK_EQUAL(raw.offset, std::uint64_t(10 * round + 3));
            BOOST_REQUIRE(pmt::is_blob(raw.value));
            BOOST_CHECK_EQUAL(pmt::blob_length(raw.value), 9u);
            BOOST_CHECK_EQUAL(bomb.offset, std::uint64_t(10 * round + 9));
            BOOST_REQUIRE(pmt::is_blob(bomb.value));
            BOOST_CHECK_EQUAL(pmt::blob_length(bomb.value), 5u);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_flowgraph_pipe_flowgraph_chain_keeps_gnu_radios_offset_rules)
{
    // Decimate by 2 before the bridge and interpolate by 3 after it: the tags must land
    // where they land when the two blocks are connected directly.
    std::vector<float> data(4000);
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = float(i);
    std::vector<gr::tag_t> tags;
    for (std::uint64_t off : { 0, 1, 2, 3, 100, 101, 777, 3998, 3999 })
        tags.push_back(make_tag(off, "t" + std::to_string(off), pmt::from_uint64(off)));

    auto direct_sink = gr::blocks::vector_sink_f::make();
    {
        auto tb = gr::make_top_block("direct");
        auto src = gr::blocks::vector_source_f::make(data, false, 1, tags);
        auto keep = gr::blocks::keep_one_in_n::make(sizeof(float), 2);
        auto rep = gr::blocks::repeat::make(sizeof(float), 3);
        tb->connect(src, 0, keep, 0);
        tb->connect(keep, 0, rep, 0);
        tb->connect(rep, 0, direct_sink, 0);
        tb->run();
    }
    const std::string name = "qa_tags_chain";
    auto bridged_sink = gr::blocks::vector_sink_f::make();
    auto psrc = grp::pipe_source_f::make(name, {}, 1024);
    auto tb2 = gr::make_top_block("after");
    auto rep = gr::blocks::repeat::make(sizeof(float), 3);
    tb2->connect(psrc, 0, rep, 0);
    tb2->connect(rep, 0, bridged_sink, 0);
    tb2->start();
    {
        auto tb1 = gr::make_top_block("before");
        auto src = gr::blocks::vector_source_f::make(data, false, 1, tags);
        auto keep = gr::blocks::keep_one_in_n::make(sizeof(float), 2);
        auto psink = grp::pipe_sink_f::make(name, {}, 1024);
        tb1->connect(src, 0, keep, 0);
        tb1->connect(keep, 0, psink, 0);
        tb1->run();
    }
    tb2->wait();
    BOOST_CHECK(bridged_sink->data() == direct_sink->data());
    const auto want = direct_sink->tags();
    const auto got = bridged_sink->tags();
    BOOST_REQUIRE_EQUAL(got.size(), want.size());
    BOOST_CHECK_GT(want.size(), 0u);
    for (std::size_t i = 0; i < want.size(); ++i) {
        BOOST_CHECK_EQUAL(got[i].offset, want[i].offset);
        BOOST_CHECK(pmt::eq(got[i].key, want[i].key));
        BOOST_CHECK(pmt::equal(got[i].value, want[i].value));
    }
}

BOOST_AUTO_TEST_CASE(more_tag_bytes_than_the_tag_area_holds_go_through_frame_by_frame)
{
    // 2000 items with a 1000-byte tag each: 2 MB of tags through a 256 KiB tag area. The
    // sink publishes the frames before a tag that has no room, then that tag goes.
    const std::string name = "qa_tags_big";
    std::vector<gr::tag_t> tags;
    for (std::uint64_t i = 0; i < 2000; ++i)
        tags.push_back(make_tag(i, "blob", pmt::make_u8vector(1000, std::uint8_t(i))));
    auto src = gr::blocks::vector_source_f::make(std::vector<float>(2000, 1.0f), false, 1, tags);
    auto sink = grp::pipe_sink_f::make(name, {}, 8192);
    auto reader = rp::registry::open<float>(name, 8192, {})->get_reader();
    auto tb = gr::make_top_block("tags_big");
    tb->connect(src, 0, sink, 0);
    std::size_t got = 0, right = 0;
    std::thread consumer([&] {
        for (auto chunk : reader.iter_chunks_for(10, 10, 20s))
            for (const auto& t : chunk.tags()) {
                ++got;
                right += pmt::u8vector_ref(pmt::deserialize_str(t.value), 0) ==
                         std::uint8_t(t.frame);
            }
    });
    tb->run();
    consumer.join();
    BOOST_CHECK_EQUAL(got, 2000u);
    BOOST_CHECK_EQUAL(right, 2000u);
}

BOOST_AUTO_TEST_SUITE_END()
