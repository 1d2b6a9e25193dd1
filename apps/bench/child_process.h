/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_BENCH_CHILD_PROCESS_H
#define INCLUDED_ROUNDPIPERS_BENCH_CHILD_PROCESS_H

#include <sys/types.h>
#include <string>
#include <vector>

namespace roundpipers_bench {

/*! \brief The path of this program (/proc/self/exe). */
std::string self_path();

/*!
 * \brief The other process of a cross-process benchmark: \p argv[0] run with its stdout
 * on a pipe; killed (-9) and reaped when destroyed unless reap() was called.
 */
class child_process
{
public:
    /*! \param merge_stderr true: its stderr goes to the same pipe (line() reads both) */
    explicit child_process(std::vector<std::string> argv, bool merge_stderr = false);
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    /*! \brief The next line of its stdout, waiting at most 60 s (check_failed after). */
    std::string line();
    /*! \brief Waits for its exit (60 s at most); check_failed unless it exited with 0. */
    void reap();
    /*! \brief Sends it \p sig (e.g. SIGINT: a relay ends its stream). */
    void signal(int sig);

private:
    pid_t d_pid = -1;
    int d_out = -1;
};

} // namespace roundpipers_bench

#endif /* INCLUDED_ROUNDPIPERS_BENCH_CHILD_PROCESS_H */
