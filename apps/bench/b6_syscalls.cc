/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * B6 system calls per publish in steady state. The program runs itself under
 * `strace -f` in worker mode: 2 blocking readers that spend about a microsecond on each
 * frame, so they are always behind and never wait, and a writer that publishes single
 * frames as fast as it can into a pipe large enough that it never waits either. The
 * writer brackets its publishes with getppid() calls; every system call its thread
 * makes between the two is counted.
 */

#include "bench.h"
#include "child_process.h"
#include <roundpipers/roundpipers.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <atomic>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace rb = roundpipers_bench;
namespace rp = roundpipers;

namespace {

// A backlog the readers cannot finish before the count ends: their work per frame is
// 0.1-0.3 us on the development VM, so 400,000 frames keep them busy for 40 ms or more,
// and the 200,000 counted publishes take about a millisecond.
constexpr std::uint64_t warm_up_frames = 400000;

/*!
 * System calls of the writer between its two getppid() markers, from an strace -f log;
 * their lines go to \p lines.
 */
std::uint64_t writer_syscalls(const std::string& log_path, std::vector<std::string>& lines)
{
    std::ifstream log(log_path);
    std::string line, writer;
    std::uint64_t count = 0;
    bool inside = false;
    while (std::getline(log, line)) {
        std::istringstream fields(line);
        std::string tid, call;
        fields >> tid >> call;
        if (call.rfind("getppid(", 0) == 0) {
            if (!inside && writer.empty()) {
                writer = tid;
                inside = true;
                continue;
            }
            if (inside && tid == writer)
                return count;
        }
        // A call that blocked shows twice ("<unfinished ...>", then "<... resumed>").
        if (inside && tid == writer && call != "<...") {
            ++count;
            lines.push_back(line);
        }
    }
    throw std::runtime_error("B6: the strace log has no pair of writer markers");
}

void run(const rb::context& ctx)
{
    const std::uint64_t publishes = ctx.count(200000, 20000);
    if (std::system("command -v strace > /dev/null 2>&1") != 0) {
        std::printf("\nB6 not measured: strace is not installed (apt-get install strace)\n");
        return;
    }
    if (std::system("strace -f -qq -o /dev/null true > /dev/null 2>&1") != 0) {
        std::printf("\nB6 not measured: strace cannot trace here (ptrace is not allowed)\n");
        return;
    }
    char log_path[] = "/tmp/roundpipers_b6_XXXXXX";
    const int fd = ::mkstemp(log_path);
    if (fd < 0)
        throw std::runtime_error("B6: cannot create a temporary file for the strace log");
    ::close(fd);
    const std::string command = "strace -f -qq -o " + std::string(log_path) + " " +
                                rb::self_path() + " --b6-worker " + std::to_string(publishes);
    const int status = std::system(command.c_str());
    std::uint64_t calls = 0;
    std::vector<std::string> lines;
    try {
        rb::check(status == 0, "B6: the traced worker failed (" + command + ")");
        calls = writer_syscalls(log_path, lines);
    } catch (...) {
        ::unlink(log_path);
        throw;
    }
    ::unlink(log_path);
    rb::table t("B6 system calls of the writer per publish, steady state, 2 busy readers, "
                    "1-frame publishes (strace -f)",
                "system calls per publish (lower is better)",
                { "roundpipers" });
    const double per_publish = double(calls) / double(publishes);
    t.row(std::to_string(publishes) + " publishes", { { per_publish, per_publish, per_publish } });
    t.print();
    std::printf("  %llu system calls in %llu publishes\n",
                static_cast<unsigned long long>(calls),
                static_cast<unsigned long long>(publishes));
    for (std::size_t i = 0; i < lines.size() && i < 5; ++i)
        std::printf("    %s\n", lines[i].c_str());
    rb::report_target("B6 system calls per publish", per_publish, 0.0, false);
}

const int registered = rb::register_benchmark(
    { "B6", "system calls per publish in steady state with busy readers (strace)", run });

} // namespace

namespace roundpipers_bench {

int b6_worker(std::uint64_t publishes)
{
    const std::uint64_t total = warm_up_frames + publishes;
    auto p = rp::pipe<std::uint64_t>::make("bench_b6", std::size_t(total));
    std::vector<rp::pipe_reader<std::uint64_t>> readers;
    for (int i = 0; i < 2; ++i)
        readers.push_back(p->get_reader());
    auto w = p->get_writer();
    // A backlog first, so the readers are busy from their first read on.
    for (std::uint64_t i = 0; i < warm_up_frames; ++i)
        w.write(1, [&](rp::array_view<std::uint64_t> v) { v(0) = i; });
    std::vector<char> ok(readers.size(), 1);
    std::vector<std::thread> threads;
    // The counted calls start once every reader has read its first frame: under strace
    // the threads can take longer to start than the backlog takes to read, and a reader
    // that waited before the count began would be woken inside it.
    std::atomic<std::size_t> started{ 0 };
    for (std::size_t r = 0; r < readers.size(); ++r)
        threads.emplace_back([&, r] {
            std::uint64_t expected = 0;
            while (readers[r].read(1, 1, [&](rp::const_array_view<std::uint64_t> v) {
                if (expected == 0)
                    started.fetch_add(1, std::memory_order_relaxed);
                ok[r] &= v(0) == expected++;
                // Some work per frame (0.1-0.3 us here): the readers stay behind.
                volatile std::uint64_t spin = 0;
                for (int k = 0; k < 300; ++k)
                    spin = spin + std::uint64_t(k);
            }))
                ;
            ok[r] &= expected == total;
        });
    while (started.load(std::memory_order_relaxed) < readers.size())
        std::this_thread::yield();
    ::syscall(SYS_getppid); // marker: the writer's counted calls start here
    for (std::uint64_t i = warm_up_frames; i < total; ++i)
        w.write(1, [&](rp::array_view<std::uint64_t> v) { v(0) = i; });
    ::syscall(SYS_getppid); // marker: and end here
    w.close();
    for (auto& t : threads)
        t.join();
    for (char good : ok)
        if (!good)
            return 1;
    return 0;
}

} // namespace roundpipers_bench
