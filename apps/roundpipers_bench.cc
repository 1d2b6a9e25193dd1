/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * roundpipers_bench: the benchmark suite (apps/bench/b*.cc, one benchmark each), with
 * peers measured in the same run. Prints the machine first, then one table per
 * benchmark and its targets, then a summary of the targets.
 *
 * usage: roundpipers_bench [--quick] [--reps N] [--only B1,B5,...] [--list]
 * Exit status 1 only when a measurement's own check fails (frames lost, wrong data);
 * a missed target is reported, not an error.
 */

#include "bench/bench.h"
#include <sys/utsname.h>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace rb = roundpipers_bench;

namespace {

std::string cpu_model()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0)
            return line.substr(line.find(':') + 2);
    return "unknown CPU";
}

void print_machine(const rb::context& ctx)
{
    utsname u{};
    uname(&u);
    char date[32];
    const std::time_t t = std::time(nullptr);
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
    std::printf("roundpipers_bench, %s\n", date);
    std::printf("cpu:      %s, %u CPUs\n", cpu_model().c_str(), std::thread::hardware_concurrency());
    std::printf("kernel:   %s %s %s\n", u.sysname, u.release, u.version);
    std::printf("compiler: g++ %s\n", __VERSION__);
    std::printf("mode:     %s\n",
                ctx.quick ? "--quick (one repetition, small counts: a correctness run; "
                            "figures mean nothing)"
                          : (std::to_string(ctx.reps) + " repetitions per figure").c_str());
}

int usage(const char* error)
{
    if (error)
        std::fprintf(stderr, "roundpipers_bench: %s\n", error);
    std::fprintf(error ? stderr : stdout,
                 "usage: roundpipers_bench [--quick] [--reps N] [--only B1,B5,...] [--list]\n");
    return error ? 2 : 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--b6-worker") == 0)
        return rb::b6_worker(std::strtoull(argv[2], nullptr, 10));
    if (argc >= 2 && std::strcmp(argv[1], "--b8-child") == 0)
        return rb::b8_child(argc, argv);
    rb::context ctx;
    std::set<std::string> only;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--quick") {
            ctx.quick = true;
        } else if (arg == "--reps" && i + 1 < argc) {
            const std::string text = argv[++i];
            char* end = nullptr;
            const long reps = std::strtol(text.c_str(), &end, 10);
            if (*end || reps < 1 || reps > 1000)
                return usage(("--reps: '" + text + "' is not a count from 1 to 1000").c_str());
            ctx.reps = int(reps);
        } else if (arg == "--only" && i + 1 < argc) {
            std::stringstream ids(argv[++i]);
            for (std::string id; std::getline(ids, id, ',');) {
                if (!rb::benchmarks().count(id))
                    return usage(("--only: no benchmark '" + id + "' (see --list)").c_str());
                only.insert(id);
            }
        } else if (arg == "--list") {
            for (const auto& [id, b] : rb::benchmarks())
                std::printf("%-4s %s\n", id.c_str(), b.title.c_str());
            return 0;
        } else if (arg == "--help" || arg == "-h") {
            return usage(nullptr);
        } else {
            return usage(("unknown or incomplete option '" + arg + "'").c_str());
        }
    }

    print_machine(ctx);
    int failures = 0;
    for (const auto& [id, b] : rb::benchmarks()) {
        if (!only.empty() && !only.count(id))
            continue;
        try {
            b.run(ctx);
        } catch (const std::exception& e) {
            std::printf("\n%s FAILED: %s\n", id.c_str(), e.what());
            ++failures;
        }
    }
    rb::print_target_summary();
    if (failures)
        std::printf("%d benchmark(s) failed their own checks\n", failures);
    return failures ? 1 : 0;
}
