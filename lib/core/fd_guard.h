/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_FD_GUARD_H
#define INCLUDED_ROUNDPIPERS_FD_GUARD_H

#include <unistd.h>
#include <utility>

namespace roundpipers {
namespace detail {

/*! Closes a file descriptor unless released: no failure path leaks one. */
class fd_guard
{
public:
    explicit fd_guard(int fd = -1) : d_fd(fd) {}
    ~fd_guard()
    {
        if (d_fd >= 0)
            ::close(d_fd);
    }
    fd_guard(const fd_guard&) = delete;
    fd_guard& operator=(const fd_guard&) = delete;
    int get() const { return d_fd; }
    int release() { return std::exchange(d_fd, -1); }
    /*! Closes the descriptor held (if any) and holds \p fd. */
    void reset(int fd)
    {
        if (d_fd >= 0)
            ::close(d_fd);
        d_fd = fd;
    }

private:
    int d_fd;
};

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_FD_GUARD_H */
