/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The `roundpipers` command: the shared pipes of this user from a shell.
 *
 *   roundpipers list                  one line per shared pipe
 *   roundpipers stat NAME             live rates and each reader's lag, until Ctrl-C
 *   roundpipers cat NAME              raw frames to stdout (numpy.fromfile, sox, ...)
 *
 * It attaches like any other process (read-only frames) and is type-erased: it reads
 * the element type and shape from the pipe. Exit status: 0 done, 1 runtime error,
 * 2 bad use.
 */

#include "cli/cli_options.h"
#include "cli/relay.h"
#include <roundpipers/roundpipers.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace rp = roundpipers;
using namespace std::chrono_literals;
using namespace roundpipers_cli;

namespace {

extern "C" void on_sigint(int) { g_stop.store(true, std::memory_order_relaxed); }

std::string shape_text(const rp::frame_shape& s) { return rp::to_string(s); }

const char* const usage_text =
    "usage: roundpipers list\n"
    "       roundpipers stat NAME [--interval SECONDS] [--count N]\n"
    "       roundpipers cat NAME [--frames N] [--lossy] [--timeout SECONDS]\n"
    "%s"
    "\n"
    "The shared pipes of this user (made with shared=True, e.g. by a flowgraph's Pipe\n"
    "Sink or Pipe Source):\n"
    "  list   name, dtype, frame shape, capacity, writer pid, readers, frames written, state\n"
    "  stat   frames/s, MB/s and each reader's lag and losses, refreshed every\n"
    "         --interval seconds (default 1) until Ctrl-C, or --count times\n"
    "  cat    raw frames (native-endian, C order, no header) to stdout until the end of\n"
    "         the stream, or --frames N; --lossy never holds the writer back; --timeout\n"
    "         is how long to wait for the name to appear (default 10)\n"
    "  relay  send: the frames of shared pipe NAME on a ZeroMQ PUSH (default, holds the\n"
    "         writer back) or PUB socket, bound at ENDPOINT (tcp://HOST:PORT, ipc://PATH)\n"
    "         unless --connect; --lossy drops at the high-water mark (--hwm messages) and\n"
    "         counts it. recv: from PULL (default) or SUB, connected unless --bind, into a\n"
    "         new shared pipe NAME of --dtype and --shape; Ctrl-C ends its stream.\n"
    "         The wire format is gr-zeromq's: raw items, one frame an item of itemsize *\n"
    "         vlen bytes; --tags adds its tag header (pass_tags=True on the stock blocks).\n"
    "         --stats prints rates once a second. A PUB socket drops what it sends\n"
    "         while no subscriber is connected; at the end a send relay waits up to 5 s\n"
    "         for what is queued. A recv relay that fails ends its stream as lost\n"
    "         (writer_lost) so readers can tell it from a normal end.\n"
    "Endpoints live in $ROUNDPIPERS_RUNTIME_DIR, else $XDG_RUNTIME_DIR/roundpipers, else\n"
    "/tmp/roundpipers-<uid>.\n";

int cmd_list(int argc, char** argv)
{
    parse(argc, argv, 2, {}, {});
    const auto names = rp::shared_pipes();
    std::printf("%-24s %-10s %-12s %9s %8s %7s %14s %s\n", "NAME", "DTYPE", "SHAPE", "CAPACITY",
                "WRITER", "READERS", "WRITTEN", "STATE");
    for (const auto& name : names) {
        std::shared_ptr<rp::pipe_core> p;
        try {
            p = rp::pipe_core::attach(name);
        } catch (const rp::pipe_error&) {
            continue; // gone since it was listed
        }
        const std::string writer = p->has_writer() ? std::to_string(p->writer_pid()) : "-";
        const char* state = p->writer_lost() ? "writer lost"
                            : p->is_closed() ? "closed"
                                             : "open";
        std::printf("%-24s %-10s %-12s %9zu %8s %7zu %14llu %s\n", name.c_str(),
                    rp::element_type_name(p->type()), shape_text(p->shape()).c_str(),
                    p->capacity(), writer.c_str(), p->reader_count(),
                    static_cast<unsigned long long>(p->written()), state);
    }
    if (names.empty())
        std::fprintf(stderr, "no shared pipes (folder: %s)\n",
                     rp::shared_pipes_folder().empty() ? "not made yet"
                                                       : rp::shared_pipes_folder().c_str());
    return 0;
}

int cmd_stat(int argc, char** argv)
{
    if (argc < 3)
        throw usage_error("stat needs a NAME");
    const auto o = parse(argc, argv, 3, { "--interval", "--count" }, {});
    const double interval_s = number_arg("--interval", value_of(o, "--interval", "1"), 0.05, 3600);
    const double count = double(count_arg("--count", value_of(o, "--count", "0"), 0, 1e9));
    auto p = attach(argv[2], 0ms);
    if (!p)
        return 0;
    const bool tty = ::isatty(1);
    std::uint64_t last = p->written();
    auto t_last = std::chrono::steady_clock::now();
    for (std::uint64_t n = 0; !g_stop.load(std::memory_order_relaxed) && (count == 0 || n < count);
         ++n) {
        const auto until = t_last + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                        std::chrono::duration<double>(interval_s));
        while (!g_stop.load(std::memory_order_relaxed) && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(10ms);
        const auto now = std::chrono::steady_clock::now();
        const std::uint64_t w = p->written();
        const double dt = std::chrono::duration<double>(now - t_last).count();
        const double fps = double(w - last) / dt;
        std::ostringstream line;
        line.setf(std::ios::fixed);
        line.precision(2);
        line << argv[2] << ": " << fps << " frames/s, " << fps * double(p->frame_bytes()) / 1e6
             << " MB/s, written " << w << ", readers " << p->reader_count();
        for (const auto& r : p->readers())
            line << " [pid " << r.pid << (r.lossy ? " lossy" : "") << " lag "
                 << (w > r.position ? w - r.position : 0) << " lost " << r.lost << "]";
        if (p->is_closed())
            line << (p->writer_lost() ? " (writer lost)" : " (closed)");
        if (tty)
            std::printf("\r\033[K%s", line.str().c_str());
        else
            std::printf("%s\n", line.str().c_str());
        std::fflush(stdout);
        last = w;
        t_last = now;
    }
    if (tty)
        std::printf("\n");
    return 0;
}

bool write_all(const std::uint8_t* data, std::size_t bytes)
{
    while (bytes) {
        const ssize_t n = ::write(1, data, bytes);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        bytes -= std::size_t(n);
    }
    return true;
}

int cmd_cat(int argc, char** argv)
{
    if (argc < 3)
        throw usage_error("cat needs a NAME");
    const auto o = parse(argc, argv, 3, { "--frames", "--timeout" }, { "--lossy" });
    const double frames_d = double(count_arg("--frames", value_of(o, "--frames", "0"), 0, 1e18));
    const double timeout_s = number_arg("--timeout", value_of(o, "--timeout", "10"), 0, 1e6);
    const auto limit = static_cast<std::uint64_t>(frames_d);
    auto p = attach(argv[2], std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000)));
    if (!p)
        return 0; // Ctrl-C while waiting for the name
    rp::reader_options ro;
    ro.lossy = has_flag(o, "--lossy");
    rp::reader_core r(p, ro);
    const std::size_t max_chunk = std::max<std::size_t>(1, std::min<std::size_t>(p->capacity() / 2, 4096));
    std::uint64_t done = 0;
    while (!g_stop.load(std::memory_order_relaxed) && (limit == 0 || done < limit)) {
        std::size_t n = std::size_t(std::max<std::uint64_t>(1, r.state().available));
        n = std::min(n, max_chunk);
        if (limit)
            n = std::size_t(std::min<std::uint64_t>(n, limit - done));
        auto span = r.get(n, rp::deadline_after(200ms));
        if (span.status == rp::read_status::timeout || span.status == rp::read_status::overrun)
            continue;
        if (span.status == rp::read_status::insufficient_data)
            continue; // the tail of a closed stream: the next get asks for what is left
        if (span.status == rp::read_status::end_of_stream)
            break;
        const bool ok = write_all(span.data, span.frames * p->frame_bytes());
        r.consume(span.frames);
        if (!ok)
            return errno == EPIPE ? 0 : 1; // the consumer went away: not our error
        done += span.frames;
    }
    if (ro.lossy && r.state().lost)
        std::fprintf(stderr, "roundpipers cat: %llu frames lost to overruns\n",
                     static_cast<unsigned long long>(r.state().lost));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGINT, on_sigint);
    std::signal(SIGTERM, on_sigint);
    try {
        if (argc < 2)
            throw usage_error("no command");
        const std::string cmd = argv[1];
        if (cmd == "--help" || cmd == "-h" || cmd == "help") {
            std::printf(usage_text, relay_usage_text);
            return 0;
        }
        if (cmd == "list")
            return cmd_list(argc, argv);
        if (cmd == "stat")
            return cmd_stat(argc, argv);
        if (cmd == "cat")
            return cmd_cat(argc, argv);
        if (cmd == "relay")
            return cmd_relay(argc, argv);
        throw usage_error("unknown command '" + cmd + "'");
    } catch (const usage_error& e) {
        std::fprintf(stderr, "roundpipers: %s\n\n", e.what());
        std::fprintf(stderr, usage_text, relay_usage_text);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "roundpipers: %s\n", e.what());
        return 1;
    }
}
