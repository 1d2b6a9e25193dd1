/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_BYTE_SINK_H
#define INCLUDED_ROUNDPIPERS_BYTE_SINK_H

#include <roundpipers/core_api.h>
#include <roundpipers/deadline.h>
#include <cstddef>
#include <cstdint>
#include <iosfwd>

namespace roundpipers {

/*!
 * \brief Where a write_only_pipe_stream sends its bytes: an ostream or a file descriptor.
 * \ingroup roundpipers_core
 *
 * \details
 * write() sends every byte or throws: an ostream that fails gives errc::io_error, a
 * failed write(2) gives errc::system_error with errno (EINTR and short writes are
 * retried). The ostream is flushed after each write so bytes reach it at once. The
 * sink owns neither the stream nor the descriptor.
 *
 * Thread safety: one thread at a time.
 */
class ROUNDPIPERS_CORE_API byte_sink
{
public:
    /*! \param out the stream (must outlive the sink) */
    explicit byte_sink(std::ostream& out);
    /*! \param fd an open descriptor (not closed by the sink) */
    explicit byte_sink(int fd);

    /*!
     * \brief Sends \p bytes bytes at \p data.
     * \details A descriptor that would block (O_NONBLOCK) is waited for until \p until;
     * a reader that went away is `system_error` with EPIPE (SIGPIPE is held back, never
     * delivered for it). On every failure bytes_written() tells exactly what went out.
     * \throws pipe_error errc::timeout when \p until passed with bytes left,
     * errc::system_error for a failed write(2), errc::io_error for a failed ostream
     * (also one whose exceptions() are set)
     */
    void write(const void* data, std::size_t bytes, deadline until = wait_forever);
    /*! \brief Bytes sent so far. */
    std::uint64_t bytes_written() const { return d_bytes_written; }

private:
    std::ostream* d_out = nullptr;
    int d_fd = -1;
    std::uint64_t d_bytes_written = 0;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_BYTE_SINK_H */
