/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "child_process.h"
#include "bench.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <climits>

extern char** environ;

namespace roundpipers_bench {

std::string self_path()
{
    char path[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        throw std::runtime_error("cannot read /proc/self/exe");
    return std::string(path, std::size_t(n));
}

child_process::child_process(std::vector<std::string> args, bool merge_stderr)
{
    int out[2];
    check(::pipe2(out, O_CLOEXEC) == 0, "pipe2 for a child process");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    if (merge_stderr)
        posix_spawn_file_actions_adddup2(&fa, out[1], 2);
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&d_pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(out[1]);
    d_out = out[0];
    check(rc == 0, "posix_spawn of " + args[0]);
}

child_process::~child_process()
{
    if (d_pid > 0) {
        ::kill(d_pid, SIGKILL);
        ::waitpid(d_pid, nullptr, 0);
    }
    ::close(d_out);
}

std::string child_process::line()
{
    std::string got;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < end) {
        pollfd p{ d_out, POLLIN, 0 };
        if (::poll(&p, 1, 100) <= 0)
            continue;
        char c;
        if (::read(d_out, &c, 1) != 1)
            break;
        if (c == '\n')
            return got;
        got += c;
    }
    throw check_failed("the child process did not answer (got '" + got + "')");
}

void child_process::signal(int sig)
{
    if (d_pid > 0)
        ::kill(d_pid, sig);
}

void child_process::reap()
{
    // Bounded like line(): a child that does not end is killed by the destructor.
    int status = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (::waitpid(d_pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > end)
            throw check_failed("the child process did not exit");
        ::usleep(1000);
    }
    d_pid = -1;
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child process failed");
}

} // namespace roundpipers_bench
