/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "bench.h"
#include <pthread.h>
#include <sched.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

namespace roundpipers_bench {

void check(bool ok, const std::string& what)
{
    if (!ok)
        throw check_failed(what);
}

stats summarise(std::vector<double> samples)
{
    std::sort(samples.begin(), samples.end());
    stats s;
    s.min = samples.front();
    s.max = samples.back();
    const std::size_t n = samples.size();
    s.median = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
    return s;
}

std::vector<stats> interleave(const context& ctx,
                              const std::vector<std::function<double()>>& series)
{
    const int reps = ctx.quick ? 1 : std::max(ctx.reps, 1);
    std::vector<std::vector<double>> samples(series.size());
    for (int r = 0; r < reps; ++r)
        for (std::size_t s = 0; s < series.size(); ++s)
            samples[s].push_back(series[s]());
    std::vector<stats> out;
    for (auto& v : samples)
        out.push_back(summarise(std::move(v)));
    return out;
}

table::table(std::string title, std::string unit, std::vector<std::string> series)
    : d_title(std::move(title)), d_unit(std::move(unit)), d_series(std::move(series))
{
}

void table::row(const std::string& label, const std::vector<stats>& cells)
{
    d_rows.emplace_back(label, cells);
}

double table::median(const std::string& label, std::size_t s) const
{
    for (const auto& [name, cells] : d_rows)
        if (name == label && s < cells.size())
            return cells[s].median;
    return 0;
}

namespace {

std::string cell_text(const stats& s)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g [%.3g, %.3g]", s.median, s.min, s.max);
    return buf;
}

} // namespace

void table::print() const
{
    std::printf("\n%s\n  unit: %s; cells: median [min, max]", d_title.c_str(), d_unit.c_str());
    if (d_series.size() > 1)
        std::printf("; ratio = %s / peer (medians)", d_series[0].c_str());
    std::printf("\n  %-22s", "case");
    for (const auto& s : d_series)
        std::printf(" %-26s", s.c_str());
    for (std::size_t s = 1; s < d_series.size(); ++s)
        std::printf(" %-10s", ("/" + d_series[s]).substr(0, 10).c_str());
    std::printf("\n");
    for (const auto& [label, cells] : d_rows) {
        std::printf("  %-22s", label.c_str());
        for (std::size_t s = 0; s < d_series.size(); ++s)
            std::printf(" %-26s", s < cells.size() ? cell_text(cells[s]).c_str() : "-");
        for (std::size_t s = 1; s < d_series.size(); ++s) {
            if (s < cells.size() && cells[s].median > 0 && !cells.empty())
                std::printf(" %-10.2f", cells[0].median / cells[s].median);
            else
                std::printf(" %-10s", "-");
        }
        std::printf("\n");
    }
    std::fflush(stdout);
}

namespace {

std::vector<std::pair<std::string, bool>>& target_log()
{
    static std::vector<std::pair<std::string, bool>> log;
    return log;
}

} // namespace

bool report_target(const std::string& text, double value, double bound, bool at_least)
{
    const bool met = at_least ? value >= bound : value <= bound;
    target_log().emplace_back(text, met);
    std::printf("  target %s: %.3g (%s %.3g) %s\n",
                text.c_str(),
                value,
                at_least ? ">=" : "<=",
                bound,
                met ? "MET" : "MISSED");
    std::fflush(stdout);
    return met;
}

void print_target_summary()
{
    std::size_t met = 0;
    for (const auto& t : target_log())
        met += t.second;
    std::printf("\ntargets: %zu met, %zu missed\n", met, target_log().size() - met);
    for (const auto& t : target_log())
        if (!t.second)
            std::printf("  MISSED: %s\n", t.first.c_str());
}

void pin_to_cpu(int cpu)
{
    if (cpu >= int(std::thread::hardware_concurrency()))
        return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

double process_cpu_s()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double now_s()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

namespace {

std::map<std::string, benchmark>& suite()
{
    static std::map<std::string, benchmark> s;
    return s;
}

std::map<std::string, peer_fn>& peers()
{
    static std::map<std::string, peer_fn> p;
    return p;
}

} // namespace

int register_benchmark(benchmark b)
{
    suite()[b.id] = std::move(b);
    return 0;
}

const std::map<std::string, benchmark>& benchmarks() { return suite(); }

int register_peer(const std::string& name, peer_fn fn)
{
    peers()[name] = std::move(fn);
    return 0;
}

peer_fn find_peer(const std::string& name)
{
    auto it = peers().find(name);
    return it == peers().end() ? peer_fn() : it->second;
}

} // namespace roundpipers_bench
