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
 * \brief RAII owner of one memfd mapped as a control region followed by a ring
 * that appears twice in a row in virtual memory.
 * \ingroup roundpipers_core
 *
 * \details
 * Design. The memfd holds `control_bytes` of shared state, then `ring_bytes` of data.
 * One address range of `control_bytes + 2 * ring_bytes` is reserved with PROT_NONE,
 * then the control region and both copies of the ring are mapped over it with
 * MAP_FIXED, so no other thread can take the hole between the two halves:
 *
 * \code
 *   reserve:  |<- control ->|<------ ring_bytes ------>|<------ ring_bytes ------>|
 *   memfd:    [ offset 0    ][ offset control_bytes   ][ offset control_bytes    ]
 *                            ^ data()                  ^ data() + ring_bytes
 *   invariant: data()[i] == data()[i + ring_bytes] for every i < ring_bytes
 * \endcode
 *
 * A window of up to ring_bytes that starts anywhere in the first half is contiguous,
 * so a reader or writer never sees a wrap. The memfd is created with
 * MFD_CLOEXEC | MFD_ALLOW_SEALING and sealed against grow, shrink and further seals;
 * pages are prefaulted on request. Every failure names its step and carries errno
 * (pipe_error with errc::system_error), and releases what was already made.
 *
 * Thread safety: construction and destruction by one thread; the memory is shared.
 */
class ROUNDPIPERS_CORE_API memfd_ring
{
public:
    /*!
     * \param label shown as `/memfd:<label>` in /proc/\<pid\>/maps (no NUL byte)
     * \param ring_bytes size of the ring, a non-zero multiple of page_size()
     * \param control_bytes size of the control region, a multiple of page_size() (may be 0)
     * \param prefault touch every page now so first use does not fault
     */
    memfd_ring(const std::string& label,
               std::size_t ring_bytes,
               std::size_t control_bytes,
               bool prefault);
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
    /*! \brief The memfd (owned; closed by the destructor; close-on-exec). */
    int fd() const { return d_fd; }

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
    void release() noexcept;

    int d_fd = -1;
    std::uint8_t* d_base = nullptr; // start of the reservation (the control region)
    std::uint8_t* d_ring = nullptr;
    std::size_t d_ring_bytes = 0;
    std::size_t d_control_bytes = 0;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_MEMFD_RING_H */
