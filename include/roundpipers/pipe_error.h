/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_ERROR_H
#define INCLUDED_ROUNDPIPERS_PIPE_ERROR_H

#include <roundpipers/core_api.h>
#include <stdexcept>
#include <string>
#include <system_error>

namespace roundpipers {

/*!
 * \brief What went wrong in a pipe operation.
 * \ingroup roundpipers_core
 */
enum class errc : int {
    ok = 0,                  //!< not an error (never thrown)
    invalid_argument,        //!< bad argument or misuse (zero capacity, moved-from object, ...)
    writer_exists,           //!< a second writer was requested while one is alive
    closed,                  //!< the stream was closed: no writer can be had, nothing can be written
    read_capacity_exceeded,  //!< n_to_read is larger than the pipe's capacity
    write_capacity_exceeded, //!< a write is larger than the pipe's capacity
    chunk_outstanding,       //!< a second chunk was requested while the first is alive
    buffer_full,             //!< a write-only buffer has no room for the write
    end_of_stream,           //!< the writer closed and every frame was read
    insufficient_data,       //!< the writer closed and fewer frames than asked are left
    timeout,                 //!< a timed wait ran out
    overrun,                 //!< a lossy reader was lapped by the writer
    too_many_readers,        //!< every reader slot of the pipe is taken
    system_error,            //!< a system call failed; sys_errno() tells why
    io_error,                //!< a write to an ostream failed
    not_found,               //!< no shared pipe of that name appeared before the timeout
    name_in_use,             //!< another live process (or pipe) shares that name
    corrupted,               //!< shared memory holds values no honest peer writes
    mutual_wait,             //!< a blocking reader and the writer would wait for each other
};

/*!
 * \brief The name of an error code, e.g. "writer_exists".
 */
ROUNDPIPERS_CORE_API const char* errc_name(errc code) noexcept;

/*!
 * \brief The exception every pipe operation throws.
 * \ingroup roundpipers_core
 *
 * \details
 * what() names the pipe and the numbers involved. code() tells the kind of error.
 * Errors from system calls name the failing step and carry errno (sys_errno(),
 * system_code()), as std::system_error does.
 *
 * Thread safety: an immutable value.
 */
class ROUNDPIPERS_CORE_API pipe_error : public std::runtime_error
{
public:
    /*!
     * \param code what went wrong
     * \param message the full message (names the pipe and the numbers)
     * \param sys_errno errno of a failed system call, 0 otherwise
     */
    pipe_error(errc code, const std::string& message, int sys_errno = 0)
        : std::runtime_error(message), d_code(code), d_errno(sys_errno)
    {
    }

    /*! \brief The kind of error. */
    errc code() const noexcept { return d_code; }
    /*! \brief errno of the failed system call, or 0. */
    int sys_errno() const noexcept { return d_errno; }
    /*! \brief errno as a std::error_code in the system category. */
    std::error_code system_code() const noexcept
    {
        return std::error_code(d_errno, std::system_category());
    }
    /*! \brief True when the stream ended and nothing is left to read. */
    bool is_end_of_stream() const noexcept { return d_code == errc::end_of_stream; }
    /*! \brief True when the stream ended with fewer frames left than asked. */
    bool is_insufficient_data() const noexcept
    {
        return d_code == errc::insufficient_data;
    }

private:
    errc d_code;
    int d_errno;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_PIPE_ERROR_H */
