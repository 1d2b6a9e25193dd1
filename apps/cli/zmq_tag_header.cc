/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "zmq_tag_header.h"
#include <gnuradio/roundpipers/tag_values.h>
#include <pmt/pmt.h>
#include <cstring>
#include <stdexcept>

namespace roundpipers_cli {

namespace {

constexpr std::uint16_t header_magic = 0x5FF0;
constexpr std::uint8_t header_version = 1;

template <class T>
void put(std::string& out, T v)
{
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <class T>
T take(const char* data, std::size_t size, std::size_t& at, const char* what)
{
    if (size - at < sizeof(T))
        throw std::runtime_error(std::string("gr-zeromq tag header cut short in its ") + what +
                                 " (" + std::to_string(size) + "-byte message)");
    T v;
    std::memcpy(&v, data + at, sizeof v);
    at += sizeof v;
    return v;
}

/*! The serialised PMT at data + at, checked before anything is built from it. */
std::string take_pmt(const char* data, std::size_t size, std::size_t& at, const char* what)
{
    const std::size_t n = gr::roundpipers::serialized_pmt_bytes(data + at, size - at);
    if (n == 0)
        throw std::runtime_error(std::string("gr-zeromq tag header: the tag ") + what +
                                 " at byte " + std::to_string(at) + " is not a serialised PMT");
    std::string bytes(data + at, n);
    at += n;
    return bytes;
}

} // namespace

std::string encode_tag_header(std::uint64_t offset, const roundpipers::tag_list& tags)
{
    std::string out;
    put(out, header_magic);
    put(out, header_version);
    put(out, offset);
    put(out, std::uint64_t(tags.size()));
    static const std::string srcid = pmt::serialize_str(pmt::PMT_F);
    for (const auto& t : tags) {
        put(out, t.frame);
        out += pmt::serialize_str(pmt::string_to_symbol(t.key));
        out += gr::roundpipers::is_serialized_pmt(t.value)
                   ? t.value
                   : pmt::serialize_str(gr::roundpipers::tag_value_to_pmt(t.value));
        out += srcid;
    }
    return out;
}

std::size_t decode_tag_header(const char* data, std::size_t size, zmq_tag_header& out)
{
    std::size_t at = 0;
    const auto magic = take<std::uint16_t>(data, size, at, "magic number");
    const auto version = take<std::uint8_t>(data, size, at, "version");
    if (magic != header_magic || version != header_version)
        throw std::runtime_error(
            "a message without gr-zeromq's tag header (version 1): give --tags on both "
            "sides (pass_tags on a gr-zeromq block), or on neither");
    out.offset = take<std::uint64_t>(data, size, at, "offset");
    const auto count = take<std::uint64_t>(data, size, at, "tag count");
    // A tag takes at least 8 + 3 bytes: a count beyond that is no honest header.
    if (count > (size - at) / 11)
        throw std::runtime_error("gr-zeromq tag header claims " + std::to_string(count) +
                                 " tags in a " + std::to_string(size) + "-byte message");
    out.tags.clear();
    for (std::uint64_t i = 0; i < count; ++i) {
        roundpipers::tag t;
        t.frame = take<std::uint64_t>(data, size, at, "tag offset");
        const std::string key = take_pmt(data, size, at, "key");
        const pmt::pmt_t k = pmt::deserialize_str(key);
        t.key = pmt::is_symbol(k) ? pmt::symbol_to_string(k) : pmt::write_string(k);
        t.value = take_pmt(data, size, at, "value");
        take_pmt(data, size, at, "srcid");
        out.tags.push_back(std::move(t));
    }
    return at;
}

} // namespace roundpipers_cli
