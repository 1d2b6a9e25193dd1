/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "qa_helpers.h"
#include <roundpipers/pipe_error.h>
#include <roundpipers/pipe_state.h>
#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace rp = roundpipers;
using rp::qa::error_with;

namespace {

const std::vector<std::pair<rp::errc, std::string>> all_errc = {
    { rp::errc::ok, "ok" },
    { rp::errc::invalid_argument, "invalid_argument" },
    { rp::errc::writer_exists, "writer_exists" },
    { rp::errc::closed, "closed" },
    { rp::errc::read_capacity_exceeded, "read_capacity_exceeded" },
    { rp::errc::write_capacity_exceeded, "write_capacity_exceeded" },
    { rp::errc::chunk_outstanding, "chunk_outstanding" },
    { rp::errc::buffer_full, "buffer_full" },
    { rp::errc::end_of_stream, "end_of_stream" },
    { rp::errc::insufficient_data, "insufficient_data" },
    { rp::errc::timeout, "timeout" },
    { rp::errc::overrun, "overrun" },
    { rp::errc::too_many_readers, "too_many_readers" },
    { rp::errc::system_error, "system_error" },
    { rp::errc::io_error, "io_error" },
};

const std::vector<std::pair<rp::read_status, std::string>> all_status = {
    { rp::read_status::ok, "ok" },
    { rp::read_status::end_of_stream, "end_of_stream" },
    { rp::read_status::insufficient_data, "insufficient_data" },
    { rp::read_status::timeout, "timeout" },
    { rp::read_status::overrun, "overrun" },
};

/*! A snapshot a reader could report: at frame 40 of 47 written, 7 left, 12 lost. */
rp::pipe_state some_state()
{
    rp::pipe_state s;
    s.written = 47;
    s.consumed = 40;
    s.available = 7;
    s.capacity = 64;
    s.lost = 12;
    return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(pipe_error)

BOOST_AUTO_TEST_CASE(pipe_error_carries_code_and_message_and_is_a_runtime_error)
{
    static_assert(std::is_base_of_v<std::runtime_error, rp::pipe_error>);

    try {
        throw rp::pipe_error(rp::errc::writer_exists,
                             "Writer already acquired for pipe 'p'");
    } catch (const std::runtime_error& e) {
        const auto* pe = dynamic_cast<const rp::pipe_error*>(&e);
        BOOST_REQUIRE(pe != nullptr);
        BOOST_CHECK(pe->code() == rp::errc::writer_exists);
        BOOST_CHECK_EQUAL(std::string(e.what()), "Writer already acquired for pipe 'p'");
        BOOST_CHECK_EQUAL(pe->sys_errno(), 0);
        BOOST_CHECK(!pe->system_code());
    }
}

BOOST_AUTO_TEST_CASE(predicates_are_true_only_for_their_own_code)
{
    for (const auto& [code, name] : all_errc) {
        BOOST_TEST_CONTEXT("errc::" << name)
        {
            const rp::pipe_error e(code, "message");
            BOOST_CHECK_EQUAL(e.is_end_of_stream(), code == rp::errc::end_of_stream);
            BOOST_CHECK_EQUAL(e.is_insufficient_data(),
                              code == rp::errc::insufficient_data);
        }
    }
}

BOOST_AUTO_TEST_CASE(system_errors_carry_errno_as_a_system_category_error_code)
{
    const rp::pipe_error e(rp::errc::system_error, "memfd_create failed", ENOSPC);

    BOOST_CHECK(e.code() == rp::errc::system_error);
    BOOST_CHECK_EQUAL(e.sys_errno(), ENOSPC);
    BOOST_CHECK_EQUAL(e.system_code().value(), ENOSPC);
    BOOST_CHECK(e.system_code().category() == std::system_category());
    BOOST_CHECK(e.system_code() == std::errc::no_space_on_device);
    BOOST_CHECK_EQUAL(e.system_code().message(), std::string(std::strerror(ENOSPC)));
}

BOOST_AUTO_TEST_CASE(errc_name_names_every_code)
{
    for (const auto& [code, name] : all_errc)
        BOOST_CHECK_EQUAL(std::string(rp::errc_name(code)), name);
    BOOST_CHECK_EQUAL(std::string(rp::errc_name(static_cast<rp::errc>(999))), "unknown");
}

BOOST_AUTO_TEST_CASE(read_status_name_names_every_status)
{
    for (const auto& [status, name] : all_status)
        BOOST_CHECK_EQUAL(std::string(rp::read_status_name(status)), name);
    BOOST_CHECK_EQUAL(
        std::string(rp::read_status_name(static_cast<rp::read_status>(999))), "unknown");
}

BOOST_AUTO_TEST_CASE(throw_if_failed_does_nothing_for_ok)
{
    BOOST_CHECK_NO_THROW(
        rp::read_result(rp::read_status::ok, some_state(), 3).throw_if_failed("audio"));
    BOOST_CHECK_NO_THROW(rp::read_result().throw_if_failed("audio"));
}

BOOST_AUTO_TEST_CASE(throw_if_failed_maps_each_failure_status_to_its_errc)
{
    const rp::pipe_state s = some_state();

    BOOST_CHECK_EXCEPTION(
        rp::read_result(rp::read_status::end_of_stream, s).throw_if_failed("audio"),
        rp::pipe_error,
        error_with(rp::errc::end_of_stream,
                   { "pipe 'audio'", "end of stream", "position 40", "written 47" }));
    BOOST_CHECK_EXCEPTION(
        rp::read_result(rp::read_status::insufficient_data, s).throw_if_failed("audio"),
        rp::pipe_error,
        error_with(
            rp::errc::insufficient_data,
            { "pipe 'audio'", "only 7 frames left", "position 40", "written 47" }));
    BOOST_CHECK_EXCEPTION(
        rp::read_result(rp::read_status::timeout, s).throw_if_failed("audio"),
        rp::pipe_error,
        error_with(rp::errc::timeout, { "pipe 'audio'", "timed out", "position 40" }));
    BOOST_CHECK_EXCEPTION(
        rp::read_result(rp::read_status::overrun, s).throw_if_failed("audio"),
        rp::pipe_error,
        error_with(rp::errc::overrun,
                   { "pipe 'audio'", "12 frames lost", "position 40" }));
}

BOOST_AUTO_TEST_CASE(throw_if_failed_errors_answer_the_stream_end_predicates)
{
    try {
        rp::read_result(rp::read_status::end_of_stream, some_state())
            .throw_if_failed("p");
        BOOST_FAIL("end_of_stream did not throw");
    } catch (const rp::pipe_error& e) {
        BOOST_CHECK(e.is_end_of_stream());
        BOOST_CHECK(!e.is_insufficient_data());
    }
    try {
        rp::read_result(rp::read_status::insufficient_data, some_state())
            .throw_if_failed("p");
        BOOST_FAIL("insufficient_data did not throw");
    } catch (const rp::pipe_error& e) {
        BOOST_CHECK(e.is_insufficient_data());
        BOOST_CHECK(!e.is_end_of_stream());
    }
}

BOOST_AUTO_TEST_CASE(read_result_compares_equal_to_its_status_both_ways)
{
    for (const auto& [status, name] : all_status) {
        BOOST_TEST_CONTEXT("read_status::" << name)
        {
            const rp::read_result r(status, some_state());
            BOOST_CHECK(r == status);
            BOOST_CHECK(status == r);
            BOOST_CHECK(!(r != status));
            BOOST_CHECK(!(status != r));
            for (const auto& [other, other_name] : all_status) {
                if (other == status)
                    continue;
                BOOST_CHECK(r != other);
                BOOST_CHECK(other != r);
                BOOST_CHECK(!(r == other));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(read_result_is_true_only_when_ok_and_only_explicitly)
{
    static_assert(!std::is_convertible_v<rp::read_result, bool>);
    static_assert(std::is_constructible_v<bool, rp::read_result>);
    static_assert(std::is_same_v<rp::write_result, rp::read_result>);

    for (const auto& [status, name] : all_status) {
        BOOST_TEST_CONTEXT("read_status::" << name)
        {
            const rp::read_result r(status, some_state());
            BOOST_CHECK_EQUAL(static_cast<bool>(r), status == rp::read_status::ok);
        }
    }
}

BOOST_AUTO_TEST_CASE(read_result_keeps_state_and_frames)
{
    const rp::read_result r(rp::read_status::ok, some_state(), 5);
    BOOST_CHECK(r.status() == rp::read_status::ok);
    BOOST_CHECK_EQUAL(r.frames(), 5u);
    BOOST_CHECK_EQUAL(r.state().written, 47u);
    BOOST_CHECK_EQUAL(r.state().consumed, 40u);
    BOOST_CHECK_EQUAL(r.state().available, 7u);
    BOOST_CHECK_EQUAL(r.state().capacity, 64u);
    BOOST_CHECK_EQUAL(r.state().lost, 12u);

    const rp::read_result failed(rp::read_status::timeout, some_state());
    BOOST_CHECK_EQUAL(failed.frames(), 0u);

    const rp::read_result defaulted;
    BOOST_CHECK(defaulted == rp::read_status::ok);
    BOOST_CHECK_EQUAL(defaulted.frames(), 0u);
    BOOST_CHECK_EQUAL(defaulted.state().written, 0u);
}

BOOST_AUTO_TEST_SUITE_END()
