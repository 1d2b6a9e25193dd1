/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gnuradio/roundpipers/tag_values.h>
#include <cstdint>
#include <iterator>

namespace gr {
namespace roundpipers {

namespace {

/* The walk of is_serialized_pmt (see tag_values.h), one byte string at a time. */
class pmt_bytes_check
{
public:
    pmt_bytes_check(const char* data, std::size_t size)
        : d_begin(reinterpret_cast<const unsigned char*>(data)), d_at(d_begin), d_end(d_at + size)
    {
    }

    /*! True when the bytes are exactly one well-formed serialised PMT. */
    bool whole() { return one(0) && d_at == d_end; }

    /*! Bytes of the well-formed PMT the bytes start with (0: none). */
    std::size_t first() { return one(0) ? std::size_t(d_at - d_begin) : 0; }

private:
    static constexpr int max_depth = 64;
    // PMT lists (pairs, dicts) are freed recursively, one stack frame per element: a
    // value with a list of 30000 elements crashes a thread with a small stack.
    static constexpr int max_chain = 1024;

    bool take(std::size_t n)
    {
        if (std::size_t(d_end - d_at) < n)
            return false;
        d_at += n;
        return true;
    }
    bool count(std::uint64_t& n, std::size_t bytes)
    {
        if (std::size_t(d_end - d_at) < bytes)
            return false;
        n = 0;
        for (std::size_t i = 0; i < bytes; ++i)
            n = (n << 8) | *d_at++;
        return true;
    }
    bool one(int depth)
    {
        // Pairs (lists) and dicts continue in their second part: a loop, not recursion.
        for (;;) {
            if (depth > max_depth || d_at == d_end)
                return false;
            const unsigned char type = *d_at++;
            std::uint64_t n = 0;
            switch (type) {
            case 0x00: // true
            case 0x01: // false
            case 0x06: // null
                return true;
            case 0x02: // symbol: u16 length, bytes
                return count(n, 2) && take(n);
            case 0x03: // int32
                return take(4);
            case 0x04: // double
            case 0x0b: // uint64
            case 0x0d: // int64
                return take(8);
            case 0x05: // complex
                return take(16);
            case 0x07: // pair: car, cdr
            case 0x09: // dict: an entry, then the rest of the dict
                if (++d_chained > max_chain || !one(depth + 1))
                    return false;
                continue;
            case 0x08: // vector: u32 count, items
            case 0x0c: // tuple
                if (!count(n, 4) || n > std::uint64_t(d_end - d_at))
                    return false; // each item takes at least one byte
                for (std::uint64_t i = 0; i < n; ++i)
                    if (!one(depth + 1))
                        return false;
                return true;
            case 0x0a: { // uniform vector: subtype, u32 count, u8 pad count, pad, items
                static constexpr std::size_t item_bytes[] = { 1, 1, 2, 2, 4, 4, 8, 8, 4, 8, 8, 16 };
                std::uint64_t sub = 0, pad = 0;
                if (!count(sub, 1) || (sub & 0x7f) >= std::size(item_bytes) || !count(n, 4) ||
                    !count(pad, 1) || !take(pad))
                    return false;
                return n <= std::uint64_t(d_end - d_at) / item_bytes[sub & 0x7f] &&
                       take(n * item_bytes[sub & 0x7f]);
            }
            default:
                return false;
            }
        }
    }

    const unsigned char* d_begin;
    const unsigned char* d_at;
    const unsigned char* d_end;
    int d_chained = 0; // pairs and dict entries seen
};

} // namespace

bool is_serialized_pmt(const std::string& bytes)
{
    return pmt_bytes_check(bytes.data(), bytes.size()).whole();
}

std::size_t serialized_pmt_bytes(const char* data, std::size_t size)
{
    return pmt_bytes_check(data, size).first();
}

pmt::pmt_t tag_value_to_pmt(const std::string& bytes)
{
    if (is_serialized_pmt(bytes)) {
        try {
            pmt::pmt_t value = pmt::deserialize_str(bytes);
            // What does not serialise back to the same bytes was not a PMT.
            if (pmt::serialize_str(value) == bytes)
                return value;
        } catch (const std::exception&) {
            // not a PMT after all: a blob below
        }
    }
    return pmt::make_blob(bytes.data(), bytes.size());
}

} // namespace roundpipers
} // namespace gr
