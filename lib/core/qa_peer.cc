/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The other process of the cross-process tests (qa_pipe_across_processes, and the
 * Python and command-line tests). Each role prints "ready" on stdout once it holds
 * what the test needs, then does its part; exit status 0 means its checks passed.
 * Pipes are pipe<float> with frames of shape {4}: element j of frame i is i + j / 8.
 *
 *   make NAME CAP FRAMES      make a shared pipe, wait for a reader, write FRAMES, close
 *   make-hold NAME CAP        make a shared pipe and hold it (writer idle) until killed
 *   make-stream NAME CAP      make a shared pipe and write forever (blocking on readers)
 *   read NAME FRAMES          attach, read FRAMES exact frames, expect end of stream
 *   write NAME FRAMES         attach, take the writer role, write FRAMES, close
 *   read-hold NAME            attach, register a blocking reader, never read
 *   write-forever NAME        attach, take the writer role, write until killed
 *   scribble NAME SECONDS     attach, write random bytes over the control region
 *   mprotect NAME             attach a reader; succeed if the frames cannot be written
 *   wake NAME CYCLES          attach; answer CYCLES ping frames one at a time
 */

#include <roundpipers/roundpipers.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <thread>

namespace rp = roundpipers;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t frame_elements = 4;

float value(std::uint64_t frame, std::size_t j) { return float(frame) + float(j) / 8.0f; }

void ready()
{
    std::cout << "ready" << std::endl;
}

rp::pipe<float>::sptr make(const std::string& name, std::size_t cap)
{
    rp::pipe_options o;
    o.shared = true;
    return rp::pipe<float>::make(name, cap, { frame_elements }, o);
}

rp::pipe<float>::sptr attach(const std::string& name)
{
    return rp::attach<float>(name, rp::attach_options{ 10s, rp::frame_shape{ frame_elements } });
}

void write_frames(rp::pipe_writer<float>& w, std::uint64_t first, std::uint64_t n)
{
    for (std::uint64_t i = 0; i < n;) {
        const std::size_t k = std::size_t(std::min<std::uint64_t>(n - i, 16));
        w.write(k, [&](rp::array_view<float> v) {
            for (std::size_t f = 0; f < k; ++f)
                for (std::size_t j = 0; j < frame_elements; ++j)
                    v(f, j) = value(first + i + f, j);
        });
        i += k;
    }
}

int read_exact(rp::pipe_reader<float>& r, std::uint64_t frames)
{
    std::uint64_t seen = 0;
    bool ok = true;
    for (auto chunk : r.iter_chunks(7, 7)) {
        const auto v = chunk.data();
        for (std::size_t f = 0; f < chunk.frames(); ++f)
            for (std::size_t j = 0; j < frame_elements; ++j)
                ok &= v(f, j) == value(seen + f, j);
        seen += chunk.frames();
    }
    if (!ok || seen != frames) {
        std::cerr << "qa_peer read: " << seen << " frames of " << frames
                  << (ok ? " (values exact)" : " (values wrong)") << "\n";
        return 1;
    }
    return 0;
}

void sleep_forever()
{
    for (;;)
        std::this_thread::sleep_for(1h);
}

int run(int argc, char** argv)
{
    if (argc < 3) {
        std::cerr << "usage: qa_peer ROLE NAME [ARGS]\n";
        return 2;
    }
    const std::string role = argv[1];
    const std::string name = argv[2];
    auto arg = [&](int i) { return std::stoull(argv[i]); };

    if (role == "make") {
        auto p = make(name, arg(3));
        auto w = p->get_writer();
        ready();
        while (p->reader_count() == 0)
            std::this_thread::sleep_for(1ms);
        write_frames(w, 0, arg(4));
        w.close();
        // Keep the maker alive until the readers are done, as a flowgraph would.
        while (p->reader_count() != 0)
            std::this_thread::sleep_for(1ms);
        return 0;
    }
    if (role == "make-hold") {
        auto p = make(name, arg(3));
        ready();
        sleep_forever();
    }
    if (role == "make-stream") {
        auto p = make(name, arg(3));
        auto w = p->get_writer();
        ready();
        for (std::uint64_t i = 0;; i += 16)
            write_frames(w, i, 16);
    }
    if (role == "read") {
        auto p = attach(name);
        auto r = p->get_reader();
        ready();
        return read_exact(r, arg(3));
    }
    if (role == "write") {
        auto p = attach(name);
        auto w = p->get_writer();
        ready();
        while (p->reader_count() == 0)
            std::this_thread::sleep_for(1ms);
        write_frames(w, 0, arg(3));
        w.close();
        return 0;
    }
    if (role == "read-hold") {
        auto p = attach(name);
        auto r = p->get_reader();
        ready();
        sleep_forever();
    }
    if (role == "write-forever") {
        auto p = attach(name);
        auto w = p->get_writer();
        ready();
        for (std::uint64_t i = 0;; i += 16)
            write_frames(w, i, 16);
    }
    if (role == "scribble") {
        auto p = attach(name);
        auto* ctl = static_cast<std::uint8_t*>(p->core()->ring().control());
        const std::size_t bytes = p->core()->ring().control_bytes();
        std::mt19937_64 rng(42);
        ready();
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(arg(3));
        while (std::chrono::steady_clock::now() < end) {
            // Atomic byte stores: the garbage is the point, but this process's own
            // service thread reads the region too, and ThreadSanitizer would report the
            // scribbler itself.
            for (int i = 0; i < 64; ++i)
                __atomic_store_n(&ctl[rng() % bytes], std::uint8_t(rng()), __ATOMIC_RELAXED);
            std::this_thread::sleep_for(100us);
        }
        return 0;
    }
    if (role == "mprotect") {
        auto p = attach(name);
        auto r = p->get_reader();
        std::uint8_t* data = p->core()->ring().data();
        const std::size_t bytes = p->core()->ring().ring_bytes();
        ready();
        if (::mprotect(data, bytes, PROT_READ | PROT_WRITE) == 0) {
            std::cerr << "qa_peer mprotect: the attached reader's frames became writable\n";
            return 1;
        }
        std::cout << "mprotect refused: " << std::strerror(errno) << std::endl;
        return 0;
    }
    if (role == "wake") {
        // Ping-pong: the test writes frame i to NAME and waits for frame i on NAME.ack.
        auto ping = attach(name);
        auto r = ping->get_reader();
        auto ack = rp::attach<float>(name + ".ack", rp::attach_options{ 10s });
        auto w = ack->get_writer();
        ready();
        const std::uint64_t cycles = arg(3);
        for (std::uint64_t i = 0; i < cycles; ++i) {
            float got = -1;
            auto res = r.read_for(1, 1, 10s, [&](rp::const_array_view<float> v) { got = v(0, 0); });
            if (!res || got != value(i, 0)) {
                std::cerr << "qa_peer wake: cycle " << i << " got "
                          << rp::read_status_name(res.status()) << "\n";
                return 1;
            }
            w.write(1, [&](rp::array_view<float> v) {
                for (std::size_t j = 0; j < frame_elements; ++j)
                    v(0, j) = value(i, j);
            });
        }
        return 0;
    }
    std::cerr << "qa_peer: unknown role '" << role << "'\n";
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "qa_peer " << (argc > 1 ? argv[1] : "") << ": " << e.what() << "\n";
        return 3;
    }
}
