/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_MEMFD_RING_H
#define INCLUDED_ROUNDPIPERS_MEMFD_RING_H

#include <roundpipers/core_api.h>
#include <cstddef>
#include <cstdint>
#include <string>

namespace roundpipers {

/*!
 * \brief RAII owner of a pipe's shared memory: a control memfd and a ring memfd,
 * mapped as a control region followed by a ring that appears twice in a row.
 * \ingroup roundpipers_core
 *
 * \details
 * Design. The control memfd holds `control_bytes` of shared state, the ring memfd
 * `ring_bytes` of frames. One address range of `control_bytes + 2 * ring_bytes` is
 * reserved with PROT_NONE, then the control region and both copies of the ring are
 * mapped over it with MAP_FIXED, so no other thread can take the hole between the two
 * halves:
 *
 * \code
 *   reserve:  |<- control ->|<------ ring_bytes ------>|<------ ring_bytes ------>|
 *   memfd:    [ control fd  ][ ring fd, offset 0       ][ ring fd, offset 0       ]
 *                            ^ data()                  ^ data() + ring_bytes
 *   invariant: data()[i] == data()[i + ring_bytes] for every i < ring_bytes
 * \endcode
 *
 * A window of up to ring_bytes that starts anywhere in the first half is contiguous,
 * so a reader or writer never sees a wrap. The two memfds are separate so that
 * another process can be given the control region writable and the frames read-only
 * (see adopt() and read_only_ring_fd()). Both are created with
 * MFD_CLOEXEC | MFD_ALLOW_SEALING and sealed against grow, shrink and further seals;
 * pages are prefaulted on request. Every failure names its step and carries errno
 * (pipe_error with errc::system_error), and releases what was already made.
 *
 * Thread safety: construction, destruction and make_ring_writable() by one thread;
 * the memory is shared.
 */
class ROUNDPIPERS_CORE_API memfd_ring
{
public:
    /*!
     * \brief Creates both memfds and maps them.
     * \param label shown as `/memfd:<label>` in /proc/\<pid\>/maps (no NUL byte)
     * \param ring_bytes size of the ring, a non-zero multiple of page_size()
     * \param control_bytes size of the control region, a multiple of page_size() (may be 0)
     * \param prefault touch every page now so first use does not fault
     * \param lazy_control_bytes the last bytes of the control region, left out of the
     * prefault (memory used only by some pipes, such as the tag area)
     */
    memfd_ring(const std::string& label,
               std::size_t ring_bytes,
               std::size_t control_bytes,
               bool prefault,
               std::size_t lazy_control_bytes = 0);

    /*!
     * \brief Maps memfds made by another process (received over a socket).
     * \details Takes ownership of both descriptors (they are closed on failure too).
     * The sizes come from fstat(), never from the peer's word; both memfds must be
     * sealed against grow and shrink, so the mappings can never lose their pages
     * (no SIGBUS). With \p ring_writable false the frames are mapped PROT_READ and the
     * descriptor is expected to be read-only, so mprotect() cannot make them writable.
     * \param who names the pipe in error messages
     * \param control_fd the control memfd (read-write)
     * \param ring_fd the ring memfd
     * \param ring_writable map the frames read-write
     * \throws pipe_error errc::corrupted for descriptors that are not sealed memfds of
     * page-multiple sizes, errc::system_error when a system call fails
     */
    static memfd_ring adopt(const std::string& who, int control_fd, int ring_fd, bool ring_writable);

    ~memfd_ring();

    memfd_ring(memfd_ring&& other) noexcept;
    memfd_ring& operator=(memfd_ring&& other) noexcept;
    memfd_ring(const memfd_ring&) = delete;
    memfd_ring& operator=(const memfd_ring&) = delete;

    /*! \brief The first byte of the ring (the first of the two copies). */
    std::uint8_t* data() const { return d_ring; }
    /*! \brief The control region (nullptr when control_bytes is 0). */
    void* control() const { return d_control_bytes ? d_base : nullptr; }
    /*! \brief Size of one copy of the ring, in bytes. */
    std::size_t ring_bytes() const { return d_ring_bytes; }
    /*! \brief Size of the control region, in bytes. */
    std::size_t control_bytes() const { return d_control_bytes; }
    /*! \brief The ring memfd (owned; closed by the destructor; close-on-exec). */
    int fd() const { return d_ring_fd; }
    /*! \brief The control memfd (-1 when control_bytes is 0). */
    int control_fd() const { return d_control_fd; }
    /*! \brief True when the frames are mapped read-write. */
    bool ring_writable() const { return d_ring_writable; }

    /*!
     * \brief A new read-only descriptor of the ring memfd (the caller owns it).
     * \details Opened through /proc/self/fd, so it is a distinct open file that a
     * receiving process cannot map writable.
     */
    int read_only_ring_fd() const;

    /*!
     * \brief Maps the frames read-write, in place, from a writable descriptor of the
     * same memfd (taken over: closed here on success and on failure).
     * \details Both halves are replaced with MAP_FIXED at the same addresses, so views
     * into the ring stay valid. Throws pipe_error errc::corrupted when \p rw_fd is not
     * the same memfd.
     */
    void make_ring_writable(int rw_fd, const std::string& who);

    /*! \brief The system's page size (sysconf), never assumed. */
    static std::size_t page_size();

    /*!
     * \brief The ring size for at least \p min_bytes holding whole items: the smallest
     * multiple of lcm(page_size(), item_bytes) that is >= min_bytes.
     * \details Throws pipe_error(errc::invalid_argument) on zero sizes or overflow;
     * \p what names the caller in the message.
     */
    static std::size_t ring_bytes_for(std::size_t min_bytes,
                                      std::size_t item_bytes,
                                      const std::string& what);

private:
    memfd_ring() = default;
    /*! Reserves the range and maps the control fd and both halves of the ring fd. */
    void map(const std::string& who, bool prefault, std::size_t lazy_control_bytes);
    void release() noexcept;

    int d_control_fd = -1;
    int d_ring_fd = -1;
    std::uint8_t* d_base = nullptr; // start of the reservation (the control region)
    std::uint8_t* d_ring = nullptr;
    std::size_t d_ring_bytes = 0;
    std::size_t d_control_bytes = 0;
    bool d_ring_writable = true;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_MEMFD_RING_H */
