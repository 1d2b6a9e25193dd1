/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * roundpipers_selftest: can this host run round pipes? Checks, one line each, the
 * kernel features the library stands on (memfd, seals, a double mapping, shared futex
 * waits and wakes with timeouts), then the library itself end to end, and prints a
 * verdict. Exit status 0 when every check passed. Run it first on an unusual kernel.
 */

#include <roundpipers/roundpipers.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

namespace rp = roundpipers;
using namespace std::chrono_literals;

namespace {

int failures = 0;

/*! Runs \p body; it returns "" when the check passed, else what went wrong. */
void check(const char* what, const std::function<std::string()>& body)
{
    std::string problem;
    try {
        problem = body();
    } catch (const std::exception& e) {
        problem = e.what();
    }
    std::printf("%-4s %s%s%s\n", problem.empty() ? "ok" : "FAIL", what,
                problem.empty() ? "" : ": ", problem.c_str());
    failures += !problem.empty();
}

std::string errno_text(const char* call)
{
    return std::string(call) + " failed: " + std::strerror(errno);
}

/*! An fd that closes itself. */
struct owned_fd {
    int fd = -1;
    ~owned_fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

/*! A mapping that unmaps itself. */
struct owned_map {
    void* addr = MAP_FAILED;
    std::size_t bytes = 0;
    ~owned_map()
    {
        if (addr != MAP_FAILED)
            ::munmap(addr, bytes);
    }
};

long futex(std::atomic<std::uint32_t>* word, int op, std::uint32_t value, const timespec* t)
{
    return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), op, value, t,
                     nullptr, FUTEX_BITSET_MATCH_ANY);
}

std::string memfd_and_seals()
{
    owned_fd f;
    f.fd = ::memfd_create("roundpipers_selftest", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (f.fd < 0)
        return errno_text("memfd_create(MFD_CLOEXEC | MFD_ALLOW_SEALING)");
    if (::ftruncate(f.fd, 1 << 16) != 0)
        return errno_text("ftruncate");
    if (::fcntl(f.fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0)
        return errno_text("fcntl(F_ADD_SEALS)");
    if (::ftruncate(f.fd, 1 << 12) == 0)
        return "a sealed memfd could still be shrunk";
    return "";
}

std::string double_mapping()
{
    const std::size_t bytes = std::size_t(::sysconf(_SC_PAGESIZE)) * 4;
    owned_fd f;
    f.fd = ::memfd_create("roundpipers_selftest", MFD_CLOEXEC);
    if (f.fd < 0)
        return errno_text("memfd_create");
    if (::ftruncate(f.fd, off_t(bytes)) != 0)
        return errno_text("ftruncate");
    owned_map m;
    m.bytes = 2 * bytes;
    m.addr = ::mmap(nullptr, m.bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m.addr == MAP_FAILED)
        return errno_text("mmap(PROT_NONE reservation)");
    char* base = static_cast<char*>(m.addr);
    for (char* half : { base, base + bytes })
        if (::mmap(half, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, f.fd, 0) !=
            half)
            return errno_text("mmap(MAP_FIXED over the reservation)");
    for (std::size_t i = 0; i < bytes; ++i)
        base[i] = char(i * 7 + 1);
    for (std::size_t i = 0; i < bytes; ++i)
        if (base[bytes + i] != char(i * 7 + 1))
            return "the second mapping does not show the first one's bytes at offset " +
                   std::to_string(i);
    return "";
}

std::string futex_timeout()
{
    // In a MAP_SHARED memfd page, as the pipes keep their futex words.
    owned_fd f;
    f.fd = ::memfd_create("roundpipers_selftest", MFD_CLOEXEC);
    if (f.fd < 0 || ::ftruncate(f.fd, 4096) != 0)
        return errno_text("memfd_create/ftruncate");
    owned_map m;
    m.bytes = 4096;
    m.addr = ::mmap(nullptr, m.bytes, PROT_READ | PROT_WRITE, MAP_SHARED, f.fd, 0);
    if (m.addr == MAP_FAILED)
        return errno_text("mmap");
    auto* word = new (m.addr) std::atomic<std::uint32_t>(0);
    timespec until{};
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += 20'000'000;
    if (until.tv_nsec >= 1'000'000'000) {
        until.tv_nsec -= 1'000'000'000;
        ++until.tv_sec;
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (futex(word, FUTEX_WAIT_BITSET, 0, &until) == 0 || errno != ETIMEDOUT)
        return errno_text("FUTEX_WAIT_BITSET with a 20 ms deadline did not time out;");
    const auto waited = std::chrono::steady_clock::now() - t0;
    if (waited < 15ms || waited > 2s)
        return "a 20 ms futex deadline took " +
               std::to_string(std::chrono::duration<double, std::milli>(waited).count()) +
               " ms";

    std::atomic<bool> woken{ false };
    std::thread sleeper([&] {
        // Each wait ends by 2 s at the latest: a broken wake gives FAIL, not a hang.
        timespec limit{};
        clock_gettime(CLOCK_MONOTONIC, &limit);
        limit.tv_sec += 2;
        while (word->load() == 0)
            if (futex(word, FUTEX_WAIT_BITSET, 0, &limit) != 0 && errno == ETIMEDOUT)
                return;
        woken = true;
    });
    std::this_thread::sleep_for(20ms);
    word->store(1);
    futex(word, FUTEX_WAKE, 1, nullptr);
    sleeper.join();
    return woken ? "" : "FUTEX_WAKE did not wake the sleeper";
}

std::string pipe_end_to_end()
{
    constexpr std::uint64_t frames = 200000;
    auto p = rp::pipe<std::uint64_t>::make("selftest", 4096, { 4 });
    auto blocking = p->get_reader();
    auto lossy = p->get_reader(rp::reader_options{ true });
    // Every wait here is bounded (5 s), and the writer thread is joined on every path.
    std::thread writer([w = p->get_writer()]() mutable {
        for (std::uint64_t f = 0; f < frames; f += 100)
            if (!w.write_for(100, 5s, [&](rp::array_view<std::uint64_t> v) {
                    for (std::size_t k = 0; k < 100; ++k)
                        for (std::size_t e = 0; e < 4; ++e)
                            v(k, e) = f + k;
                }))
                return; // the reader is gone or stuck: end the stream
    });
    struct joiner {
        std::thread& t;
        ~joiner() { t.join(); }
    } join_writer{ writer };
    std::uint64_t next = 0;
    bool in_order = true;
    auto chunks = blocking.iter_chunks_for(64, 64, 5s);
    for (auto chunk : chunks)
        for (std::size_t k = 0; k < chunk.frames(); ++k)
            in_order &= chunk.data()(k, 0) == next && chunk.data()(k, 3) == next++;
    if (chunks.status() == rp::read_status::timeout)
        return "the blocking reader waited more than 5 s for frames";
    if (!in_order || next != frames)
        return "the blocking reader got " + std::to_string(next) + " of " +
               std::to_string(frames) + " frames" + (in_order ? "" : ", out of order");
    // The lossy reader never held the writer back: it finds the newest frames, and what
    // it reads plus what it lost adds up to everything written.
    std::uint64_t read = 0;
    for (;;) {
        auto span = lossy.try_get(1);
        if (span.status() == rp::read_status::overrun)
            continue; // resumed at the oldest frame still in the ring
        if (!span)
            break;
        in_order &= span.data()(0, 0) == span.state().consumed;
        ++read;
        lossy.consume(1);
    }
    const auto st = lossy.state();
    if (!in_order || st.consumed != frames || read + st.lost != frames)
        return "the lossy reader read " + std::to_string(read) + " and lost " +
               std::to_string(st.lost) + " of " + std::to_string(frames) + " frames";
    auto timed = p->get_reader();
    auto span = timed.get_for(1, 10ms);
    if (span.status() != rp::read_status::end_of_stream)
        return "a reader after end of stream did not see end of stream";
    return "";
}

} // namespace

int main()
{
    utsname u{};
    ::uname(&u);
    rlimit files{};
    ::getrlimit(RLIMIT_NOFILE, &files);
    std::printf("roundpipers_selftest on %s %s (%s), page %ld bytes, %u CPUs, open files "
                "limit %llu\n",
                u.sysname, u.release, u.machine, ::sysconf(_SC_PAGESIZE),
                std::thread::hardware_concurrency(),
                static_cast<unsigned long long>(files.rlim_cur));
    check("memfd_create, ftruncate and seals (shrink/grow refused once sealed)",
          memfd_and_seals);
    check("double mapping: a memfd mapped twice, back to back, shows the same bytes",
          double_mapping);
    check("shared futex in a memfd page: a deadline times out, a wake wakes", futex_timeout);
    check("a pipe end to end: 200,000 frames to a blocking and a lossy reader, end of "
          "stream",
          pipe_end_to_end);
    if (failures) {
        std::printf("verdict: FAIL, %d check(s) failed: this host cannot run round pipes "
                    "as they are (see docs/user-guide.md, section 8, \"Requirements\")\n",
                    failures);
        return 1;
    }
    std::printf("verdict: PASS, this host can run round pipes\n");
    return 0;
}
