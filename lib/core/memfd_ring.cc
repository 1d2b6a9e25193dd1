/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fd_guard.h"
#include "system_error.h"
#include <roundpipers/memfd_ring.h>
#include <roundpipers/pipe_error.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <numeric>
#include <utility>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010 // Linux 5.1
#endif

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 // Linux 5.14; older kernels answer EINVAL and we touch pages
#endif

namespace roundpipers {

namespace {

using detail::fd_guard;

/*! Unmaps an address range unless released. */
class mapping_guard
{
public:
    mapping_guard(void* addr, std::size_t bytes) : d_addr(addr), d_bytes(bytes) {}
    ~mapping_guard()
    {
        if (d_addr)
            ::munmap(d_addr, d_bytes);
    }
    mapping_guard(const mapping_guard&) = delete;
    mapping_guard& operator=(const mapping_guard&) = delete;
    void release() { d_addr = nullptr; }

private:
    void* d_addr;
    std::size_t d_bytes;
};

/*! One MAP_SHARED | MAP_FIXED mapping over part of the reservation. */
void map_fixed(const std::string& who,
               std::uint8_t* addr,
               std::size_t bytes,
               int fd,
               int prot,
               const char* step)
{
    void* p = ::mmap(addr, bytes, prot, MAP_SHARED | MAP_FIXED, fd, 0);
    if (p == MAP_FAILED)
        detail::throw_system_error(
            who, std::string("mmap of the ") + step + " (" + std::to_string(bytes) + " bytes)",
            errno);
}

void prefault(const std::string& who, std::uint8_t* addr, std::size_t bytes)
{
    if (bytes == 0)
        return;
    if (::madvise(addr, bytes, MADV_POPULATE_WRITE) == 0)
        return;
    const int err = errno;
    if (err != EINVAL)
        detail::throw_system_error(who, "madvise(MADV_POPULATE_WRITE) to prefault " +
                                            std::to_string(bytes) + " bytes",
                                   err);
    // Older kernel: touch one byte per page; the memfd is zero-filled, so write zero.
    const std::size_t page = memfd_ring::page_size();
    for (std::size_t off = 0; off < bytes; off += page)
        reinterpret_cast<volatile std::uint8_t*>(addr)[off] = 0;
}

} // namespace

std::size_t memfd_ring::page_size()
{
    static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return page;
}

std::size_t memfd_ring::ring_bytes_for(std::size_t min_bytes,
                                       std::size_t item_bytes,
                                       const std::string& what)
{
    if (min_bytes == 0 || item_bytes == 0)
        throw pipe_error(errc::invalid_argument,
                         what + ": a ring needs a non-zero size (asked for " +
                             std::to_string(min_bytes) + " bytes of " +
                             std::to_string(item_bytes) + "-byte items)");
    const std::size_t page = page_size();
    const std::size_t g = std::gcd(page, item_bytes);
    const std::size_t quantum_items = page / g; // lcm = item_bytes * (page / gcd)
    if (item_bytes > SIZE_MAX / quantum_items)
        throw pipe_error(errc::invalid_argument,
                         what + ": items of " + std::to_string(item_bytes) +
                             " bytes cannot be aligned to pages of " +
                             std::to_string(page) + " bytes (size overflow)");
    const std::size_t quantum = item_bytes * quantum_items;
    const std::size_t units = min_bytes / quantum + (min_bytes % quantum ? 1 : 0);
    if (units > SIZE_MAX / quantum / 2)
        throw pipe_error(errc::invalid_argument,
                         what + ": a ring of " + std::to_string(min_bytes) +
                             " bytes is too large for the address space");
    return units * quantum;
}

namespace {

constexpr unsigned required_seals = F_SEAL_GROW | F_SEAL_SHRINK;

/*! A sealed memfd of \p bytes, or a system_error naming the step. */
int make_sealed_memfd(const std::string& who, const std::string& label, std::size_t bytes)
{
    // memfd names are limited to 249 bytes; the name is only a label, so shorten it.
    fd_guard fd(::memfd_create(label.substr(0, 249).c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (fd.get() < 0)
        detail::throw_system_error(who, "memfd_create", errno);
    if (::ftruncate(fd.get(), static_cast<off_t>(bytes)) != 0)
        detail::throw_system_error(who, "ftruncate to " + std::to_string(bytes) + " bytes",
                                   errno);
    if (::fcntl(fd.get(), F_ADD_SEALS, required_seals | F_SEAL_SEAL) != 0)
        detail::throw_system_error(who, "fcntl(F_ADD_SEALS)", errno);
    return fd.release();
}

/*! The size of a received memfd after checking its seals: a peer cannot shrink it. */
std::size_t sealed_size(const std::string& who, int fd, const char* what)
{
    const int seals = ::fcntl(fd, F_GET_SEALS);
    if (seals < 0 || (unsigned(seals) & required_seals) != required_seals)
        throw pipe_error(errc::corrupted,
                         who + ": the " + what +
                             " descriptor is not a memfd sealed against grow and shrink; "
                             "the peer is not a roundpipers pipe");
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        detail::throw_system_error(who, std::string("fstat of the ") + what, errno);
    const std::size_t bytes = static_cast<std::size_t>(st.st_size);
    if (st.st_size <= 0 || bytes % memfd_ring::page_size() != 0)
        throw pipe_error(errc::corrupted,
                         who + ": the " + what + " memfd has " + std::to_string(st.st_size) +
                             " bytes, not a non-zero multiple of the page size");
    return bytes;
}

} // namespace

memfd_ring::memfd_ring(const std::string& label,
                       std::size_t ring_bytes,
                       std::size_t control_bytes,
                       bool prefault_pages,
                       std::size_t lazy_control_bytes)
{
    const std::size_t nul = label.find('\0');
    if (nul != std::string::npos)
        throw pipe_error(errc::invalid_argument,
                         "memfd ring '" + label.substr(0, nul) +
                             "...': the name contains a NUL byte at offset " +
                             std::to_string(nul));
    const std::string who = "memfd ring '" + label + "'";
    const std::size_t page = page_size();
    if (ring_bytes == 0 || ring_bytes % page != 0 || control_bytes % page != 0)
        throw pipe_error(errc::invalid_argument,
                         who + ": ring of " + std::to_string(ring_bytes) +
                             " bytes and control region of " +
                             std::to_string(control_bytes) +
                             " bytes must be multiples of the page size " +
                             std::to_string(page) + " (ring non-zero)");
    if (ring_bytes > (SIZE_MAX - control_bytes) / 2)
        throw pipe_error(errc::invalid_argument,
                         who + ": " + std::to_string(ring_bytes) +
                             " bytes is too large for the address space");

    d_ring_bytes = ring_bytes;
    d_control_bytes = control_bytes;
    try {
        d_ring_fd = make_sealed_memfd(who, label, ring_bytes);
        if (control_bytes)
            d_control_fd = make_sealed_memfd(who, label + ":control", control_bytes);
        map(who, prefault_pages, std::min(lazy_control_bytes, control_bytes));
    } catch (...) {
        release();
        throw;
    }
}

memfd_ring memfd_ring::adopt(const std::string& who, int control_fd, int ring_fd, bool ring_writable)
{
    memfd_ring r;
    r.d_control_fd = control_fd;
    r.d_ring_fd = ring_fd;
    r.d_ring_writable = ring_writable;
    try {
        r.d_control_bytes = sealed_size(who, control_fd, "control region");
        r.d_ring_bytes = sealed_size(who, ring_fd, "ring");
        if (r.d_ring_bytes > (SIZE_MAX - r.d_control_bytes) / 2)
            throw pipe_error(errc::corrupted,
                             who + ": a ring of " + std::to_string(r.d_ring_bytes) +
                                 " bytes does not fit the address space");
        r.map(who, false, 0);
    } catch (...) {
        r.release();
        throw;
    }
    return r;
}

void memfd_ring::map(const std::string& who, bool prefault_pages, std::size_t lazy_control_bytes)
{
    // Reserve the whole range first so that nothing else can be mapped between the
    // halves; the MAP_FIXED mappings below replace parts of this reservation.
    const std::size_t total_bytes = d_control_bytes + 2 * d_ring_bytes;
    void* reserved = ::mmap(nullptr,
                            total_bytes,
                            PROT_NONE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                            -1,
                            0);
    if (reserved == MAP_FAILED)
        detail::throw_system_error(
            who, "mmap to reserve " + std::to_string(total_bytes) + " bytes", errno);
    mapping_guard reservation(reserved, total_bytes);
    auto* base = static_cast<std::uint8_t*>(reserved);

    const int ring_prot = d_ring_writable ? PROT_READ | PROT_WRITE : PROT_READ;
    if (d_control_bytes)
        map_fixed(who, base, d_control_bytes, d_control_fd, PROT_READ | PROT_WRITE,
                  "control region");
    map_fixed(who, base + d_control_bytes, d_ring_bytes, d_ring_fd, ring_prot, "first half");
    map_fixed(who, base + d_control_bytes + d_ring_bytes, d_ring_bytes, d_ring_fd, ring_prot,
              "second half");

    if (prefault_pages) { // both halves: each mapping has its own page-table entries
        const std::size_t eager_control_bytes = d_control_bytes - lazy_control_bytes;
        prefault(who, base, eager_control_bytes / page_size() * page_size());
        prefault(who, base + d_control_bytes, 2 * d_ring_bytes);
    }

    reservation.release();
    d_base = base;
    d_ring = base + d_control_bytes;
}

int memfd_ring::read_only_ring_fd() const
{
    const std::string path = "/proc/self/fd/" + std::to_string(d_ring_fd);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        detail::throw_system_error("memfd ring", "open(" + path + ", O_RDONLY)", errno);
    return fd;
}

void memfd_ring::make_ring_writable(int rw_fd, const std::string& who)
{
    fd_guard fd(rw_fd);
    struct stat mine {}, theirs {};
    if (::fstat(d_ring_fd, &mine) != 0 || ::fstat(fd.get(), &theirs) != 0)
        detail::throw_system_error(who, "fstat of the writable ring descriptor", errno);
    if (mine.st_ino != theirs.st_ino || mine.st_dev != theirs.st_dev)
        throw pipe_error(errc::corrupted,
                         who + ": the writable ring descriptor is not the pipe's memfd");
    const int acc = ::fcntl(fd.get(), F_GETFL) & O_ACCMODE;
    if (acc != O_RDWR)
        throw pipe_error(errc::corrupted,
                         who + ": the writable ring descriptor is not open for writing");
    const int seals = ::fcntl(fd.get(), F_GET_SEALS);
    if (seals < 0 || (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
        throw pipe_error(errc::corrupted,
                         who + ": the writable ring descriptor is sealed against writes");
    // Each half is mapped writable elsewhere first, then moved over the read-only one
    // with mremap(MREMAP_FIXED), which replaces it in one step: a failure leaves the
    // read-only mapping whole (a failed MAP_FIXED could leave a hole), and a concurrent
    // reader of this process sees the same pages before and after.
    for (std::uint8_t* half : { d_ring, d_ring + d_ring_bytes }) {
        void* tmp = ::mmap(nullptr, d_ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
        if (tmp == MAP_FAILED)
            detail::throw_system_error(who, "mmap of the writable ring", errno);
        if (::mremap(tmp, d_ring_bytes, d_ring_bytes, MREMAP_MAYMOVE | MREMAP_FIXED, half) ==
            MAP_FAILED) {
            const int err = errno;
            ::munmap(tmp, d_ring_bytes);
            detail::throw_system_error(who, "mremap of the writable ring over the read-only one",
                                       err);
        }
    }
    ::close(d_ring_fd);
    d_ring_fd = fd.release();
    d_ring_writable = true;
}

memfd_ring::~memfd_ring() { release(); }

memfd_ring::memfd_ring(memfd_ring&& other) noexcept
    : d_control_fd(std::exchange(other.d_control_fd, -1)),
      d_ring_fd(std::exchange(other.d_ring_fd, -1)),
      d_base(std::exchange(other.d_base, nullptr)),
      d_ring(std::exchange(other.d_ring, nullptr)),
      d_ring_bytes(std::exchange(other.d_ring_bytes, 0)),
      d_control_bytes(std::exchange(other.d_control_bytes, 0)),
      d_ring_writable(other.d_ring_writable)
{
}

memfd_ring& memfd_ring::operator=(memfd_ring&& other) noexcept
{
    if (this != &other) {
        release();
        d_control_fd = std::exchange(other.d_control_fd, -1);
        d_ring_fd = std::exchange(other.d_ring_fd, -1);
        d_base = std::exchange(other.d_base, nullptr);
        d_ring = std::exchange(other.d_ring, nullptr);
        d_ring_bytes = std::exchange(other.d_ring_bytes, 0);
        d_control_bytes = std::exchange(other.d_control_bytes, 0);
        d_ring_writable = other.d_ring_writable;
    }
    return *this;
}

void memfd_ring::release() noexcept
{
    if (d_base)
        ::munmap(d_base, d_control_bytes + 2 * d_ring_bytes);
    if (d_ring_fd >= 0)
        ::close(d_ring_fd);
    if (d_control_fd >= 0)
        ::close(d_control_fd);
    d_ring_fd = -1;
    d_control_fd = -1;
    d_base = nullptr;
    d_ring = nullptr;
}

} // namespace roundpipers
