/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "qa_helpers.h"
#include <roundpipers/memfd_ring.h>
#include <boost/test/unit_test.hpp>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cstring>
#include <vector>

namespace rp = roundpipers;

BOOST_AUTO_TEST_SUITE(memfd_ring)

BOOST_AUTO_TEST_CASE(mirror_aliases_first_half_for_every_byte)
{
    const std::size_t page = rp::memfd_ring::page_size();
    rp::memfd_ring ring("mirror", 4 * page, page, true);
    std::uint8_t* base = ring.data();
    for (std::size_t i = 0; i < ring.ring_bytes(); ++i)
        base[i] = static_cast<std::uint8_t>(i * 7 + 3);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < ring.ring_bytes(); ++i)
        mismatches += base[i] != base[i + ring.ring_bytes()];
    BOOST_CHECK_EQUAL(mismatches, 0u);
    // Writes through the second half show in the first.
    base[ring.ring_bytes() + 5] = 0xAB;
    BOOST_CHECK_EQUAL(base[5], 0xAB);
}

BOOST_AUTO_TEST_CASE(control_region_is_separate_from_the_ring)
{
    const std::size_t page = rp::memfd_ring::page_size();
    rp::memfd_ring ring("control", page, 2 * page, true);
    BOOST_REQUIRE(ring.control() != nullptr);
    std::memset(ring.control(), 0x5A, 2 * page);
    BOOST_CHECK_EQUAL(ring.data()[0], 0u);
    BOOST_CHECK_EQUAL(static_cast<std::uint8_t*>(ring.control()) + 2 * page, ring.data());
    rp::memfd_ring bare("bare", page, 0, false);
    BOOST_CHECK(bare.control() == nullptr);
}

BOOST_AUTO_TEST_CASE(ring_size_rounds_to_lcm_of_page_and_item_size)
{
    const std::size_t page = rp::memfd_ring::page_size();
    BOOST_CHECK_EQUAL(rp::memfd_ring::ring_bytes_for(1, 1, "t"), page);
    BOOST_CHECK_EQUAL(rp::memfd_ring::ring_bytes_for(page, 1, "t"), page);
    BOOST_CHECK_EQUAL(rp::memfd_ring::ring_bytes_for(page + 1, 1, "t"), 2 * page);
    BOOST_CHECK_EQUAL(rp::memfd_ring::ring_bytes_for(12000, 12000, "t"),
                      std::size_t(1536000) * page / 4096);
    BOOST_CHECK_EQUAL(rp::memfd_ring::ring_bytes_for(24, 24, "t") % 24, 0u);
    BOOST_CHECK_EQUAL(rp::memfd_ring::ring_bytes_for(24, 24, "t") % page, 0u);
    BOOST_CHECK_EXCEPTION(rp::memfd_ring::ring_bytes_for(0, 4, "ring t"), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "ring t" }));
    BOOST_CHECK_EXCEPTION(rp::memfd_ring::ring_bytes_for(SIZE_MAX / 2, 3, "huge"),
                          rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "huge" }));
}

BOOST_AUTO_TEST_CASE(memfd_is_close_on_exec_and_sealed)
{
    const std::size_t page = rp::memfd_ring::page_size();
    rp::memfd_ring ring("sealed", page, 0, false);
    BOOST_CHECK(::fcntl(ring.fd(), F_GETFD) & FD_CLOEXEC);
    const int seals = ::fcntl(ring.fd(), F_GET_SEALS);
    BOOST_CHECK(seals & F_SEAL_GROW);
    BOOST_CHECK(seals & F_SEAL_SHRINK);
    BOOST_CHECK(seals & F_SEAL_SEAL);
    BOOST_CHECK_NE(::ftruncate(ring.fd(), 2 * page), 0);
    BOOST_CHECK_NE(::ftruncate(ring.fd(), 0), 0);
    BOOST_CHECK_EQUAL(rp::qa::count_mappings_named("memfd:sealed"), 2);
}

BOOST_AUTO_TEST_CASE(prefault_makes_every_page_resident)
{
    const std::size_t page = rp::memfd_ring::page_size();
    rp::memfd_ring ring("prefault", 64 * page, page, true);
    std::vector<unsigned char> resident(64);
    BOOST_REQUIRE_EQUAL(::mincore(ring.data(), 64 * page, resident.data()), 0);
    std::size_t missing = 0;
    for (auto r : resident)
        missing += !(r & 1);
    BOOST_CHECK_EQUAL(missing, 0u);
}

BOOST_AUTO_TEST_CASE(moving_transfers_ownership)
{
    const std::size_t page = rp::memfd_ring::page_size();
    const int fds = rp::qa::count_open_fds();
    {
        rp::memfd_ring a("moved", page, 0, false);
        std::uint8_t* data = a.data();
        rp::memfd_ring b(std::move(a));
        BOOST_CHECK(a.data() == nullptr);
        BOOST_CHECK_EQUAL(a.fd(), -1);
        BOOST_CHECK(b.data() == data);
        rp::memfd_ring c("other", page, 0, false);
        c = std::move(b);
        BOOST_CHECK(c.data() == data);
        BOOST_CHECK_EQUAL(rp::qa::count_open_fds(), fds + 1);
    }
    BOOST_CHECK_EQUAL(rp::qa::count_open_fds(), fds);
}

BOOST_AUTO_TEST_CASE(bad_sizes_and_names_are_invalid_argument)
{
    const std::size_t page = rp::memfd_ring::page_size();
    BOOST_CHECK_EXCEPTION(rp::memfd_ring("odd", page + 1, 0, false), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "odd" }));
    BOOST_CHECK_EXCEPTION(rp::memfd_ring("empty", 0, 0, false), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "empty" }));
    BOOST_CHECK_EXCEPTION(rp::memfd_ring(std::string("n\0l", 3), page, 0, false),
                          rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "NUL" }));
}

BOOST_AUTO_TEST_SUITE_END()
