/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cli_options.h"
#include <cmath>
#include <roundpipers/pipe_error.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace roundpipers_cli {

namespace rp = roundpipers;

std::atomic<bool> g_stop{ false };

std::uint64_t count_arg(const std::string& opt, const std::string& v, double lo, double hi)
{
    const double d = number_arg(opt, v, lo, hi);
    if (d != std::floor(d)) {
        std::ostringstream m;
        m << opt << ": '" << v << "' is not a whole number from " << lo << " to " << hi;
        throw usage_error(m.str());
    }
    return static_cast<std::uint64_t>(d);
}

double number_arg(const std::string& opt, const std::string& v, double lo, double hi)
{
    char* end = nullptr;
    errno = 0;
    const double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end || errno || !(d >= lo && d <= hi)) {
        std::ostringstream m;
        m << opt << ": '" << v << "' is not a number from " << lo << " to " << hi;
        throw usage_error(m.str());
    }
    return d;
}

options parse(int argc, char** argv, int first, const std::vector<std::string>& with_value,
              const std::vector<std::string>& flags)
{
    options o;
    for (int i = first; i < argc; ++i) {
        const std::string a = argv[i];
        if (std::find(with_value.begin(), with_value.end(), a) != with_value.end()) {
            if (i + 1 >= argc)
                throw usage_error(a + " needs a value");
            o.values.emplace_back(a, argv[++i]);
        } else if (std::find(flags.begin(), flags.end(), a) != flags.end()) {
            o.flags.push_back(a);
        } else {
            throw usage_error("unknown option '" + a + "'");
        }
    }
    return o;
}

std::string value_of(const options& o, const std::string& key, const std::string& fallback)
{
    for (const auto& kv : o.values)
        if (kv.first == key)
            return kv.second;
    return fallback;
}

bool has_flag(const options& o, const std::string& f)
{
    return std::find(o.flags.begin(), o.flags.end(), f) != o.flags.end();
}

std::shared_ptr<rp::pipe_core> attach(const std::string& name, std::chrono::milliseconds wait)
{
    // In slices of 100 ms, so that Ctrl-C ends the wait for the name.
    const auto end = std::chrono::steady_clock::now() + wait;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            end - std::chrono::steady_clock::now());
        try {
            return rp::pipe_core::attach(
                name, rp::attach_options{ std::clamp(left, std::chrono::milliseconds(0),
                                                     std::chrono::milliseconds(100)) });
        } catch (const rp::pipe_error& e) {
            if (e.code() == rp::errc::invalid_argument &&
                std::string(e.what()).find("shared pipe name") == 0)
                throw usage_error(e.what()); // a bad name is bad use
            if (e.code() != rp::errc::not_found || left <= std::chrono::milliseconds(0))
                throw;
        }
        if (g_stop.load(std::memory_order_relaxed))
            return nullptr;
    }
}

} // namespace roundpipers_cli
