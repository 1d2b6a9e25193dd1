/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "process_token.h"
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace roundpipers {
namespace detail {

namespace {

struct stat_fields {
    char state = 0;
    std::uint64_t start_ticks = 0;
    bool ok = false;
    bool gone = false; // no such process (ENOENT/ESRCH), as opposed to "cannot tell"
};

/*! State and start time of a process from /proc/<pid>/stat (its name may hold ')'). */
stat_fields read_stat(std::uint32_t pid)
{
    stat_fields out;
    const std::string path = "/proc/" + std::to_string(pid) + "/stat";
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        out.gone = errno == ENOENT || errno == ESRCH;
        return out;
    }
    char buf[1024];
    const ssize_t n = ::read(fd, buf, sizeof(buf) - 1);
    const int err = errno;
    ::close(fd);
    if (n <= 0) {
        out.gone = n < 0 && err == ESRCH; // the process went away after the open
        return out;
    }
    buf[n] = '\0';
    const char* p = std::strrchr(buf, ')');
    if (!p || p[1] != ' ')
        return out;
    p += 2;
    out.state = *p;
    // Fields after the name: state is field 3, starttime field 22.
    for (int field = 3; field < 22 && *p; ++field) {
        p = std::strchr(p, ' ');
        if (!p)
            return out;
        ++p;
    }
    out.start_ticks = std::strtoull(p, nullptr, 10);
    out.ok = true;
    return out;
}

std::uint64_t make_token(std::uint32_t pid, std::uint64_t start_ticks)
{
    return (start_ticks & 0xffffffffULL) << 32 | pid;
}

} // namespace

std::uint64_t self_token()
{
    // relaxed: a cache of a value any thread computes identically; the pid check
    // recomputes it in a forked child.
    static std::atomic<std::uint64_t> cached{ 0 };
    const auto pid = static_cast<std::uint32_t>(::getpid());
    std::uint64_t t = cached.load(std::memory_order_relaxed);
    if (t != 0 && token_pid(t) == pid)
        return t;
    const stat_fields f = read_stat(pid);
    t = make_token(pid, f.ok ? f.start_ticks : 0);
    cached.store(t, std::memory_order_relaxed);
    return t;
}

bool token_alive(std::uint64_t token)
{
    if (token == 0)
        return true;
    const std::uint32_t pid = token_pid(token);
    if (pid == 0 || pid > 0x3fffffffu)
        return false; // no such pid on Linux (pid_max <= 2^22)
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
        return false;
    const stat_fields f = read_stat(pid);
    if (!f.ok)
        return !f.gone; // out of descriptors or no /proc: never declare a live peer dead
    if (f.state == 'Z' || f.state == 'X')
        return false;
    return make_token(pid, f.start_ticks) == token;
}

} // namespace detail
} // namespace roundpipers
