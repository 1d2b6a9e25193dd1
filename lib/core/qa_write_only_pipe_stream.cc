/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "qa_helpers.h"
#include <roundpipers/write_only_pipe_stream.h>
#include <boost/test/unit_test.hpp>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace rp = roundpipers;
using rp::qa::error_with;

namespace {

using shape_t = std::vector<std::size_t>;

/*! The values of a byte string read back as native-endian T. */
template <class T>
std::vector<T> as_values(const std::string& bytes)
{
    BOOST_REQUIRE_EQUAL(bytes.size() % sizeof(T), 0u);
    std::vector<T> v(bytes.size() / sizeof(T));
    std::memcpy(v.data(), bytes.data(), bytes.size());
    return v;
}

/*! Everything written to \p fd so far, read back from offset 0. */
std::string contents_of(int fd)
{
    struct stat st;
    BOOST_REQUIRE_EQUAL(::fstat(fd, &st), 0);
    std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
    BOOST_REQUIRE_EQUAL(::pread(fd, bytes.data(), bytes.size(), 0), st.st_size);
    return bytes;
}

/*! A file descriptor closed at scope exit. */
struct scoped_fd {
    explicit scoped_fd(int f) : fd(f)
    {
        BOOST_REQUIRE_MESSAGE(fd >= 0, std::strerror(errno));
    }
    ~scoped_fd() { ::close(fd); }
    scoped_fd(const scoped_fd&) = delete;
    scoped_fd& operator=(const scoped_fd&) = delete;
    int fd;
};

} // namespace

BOOST_AUTO_TEST_SUITE(write_only_pipe_stream)

// Scenario 23 of the crate: the 15-frame write exceeds capacity 10 and still succeeds.
BOOST_AUTO_TEST_CASE(round_trip_sends_raw_native_doubles_and_grows_past_capacity)
{
    std::ostringstream sink;
    rp::write_only_pipe_stream<double, std::string> stream(sink, 10);
    stream.set_metadata("Example stream data");

    const auto first = stream.write(5, [](rp::array_view<double> v) {
        for (std::size_t i = 0; i < 5; ++i)
            v(i) = double(i) * 3.14;
    });
    const auto second = stream.write(15, [](rp::array_view<double> v) {
        for (std::size_t i = 0; i < 15; ++i)
            v(i) = double(i) + 100;
    });
    BOOST_CHECK(first == rp::read_status::ok);
    BOOST_CHECK_EQUAL(first.frames(), 5u);
    BOOST_CHECK(second == rp::read_status::ok);
    BOOST_CHECK_EQUAL(second.frames(), 15u);
    BOOST_CHECK_GE(stream.capacity(), 15u);
    BOOST_REQUIRE(stream.get_metadata());
    BOOST_CHECK_EQUAL(*stream.get_metadata(), "Example stream data");

    std::vector<double> expected;
    for (int i = 0; i < 5; ++i)
        expected.push_back(double(i) * 3.14);
    for (int i = 0; i < 15; ++i)
        expected.push_back(double(i) + 100);

    const std::string bytes = sink.str();
    BOOST_REQUIRE_EQUAL(bytes.size(), 160u);
    BOOST_CHECK_EQUAL(std::memcmp(bytes.data(), expected.data(), 160), 0);
    const auto values = as_values<double>(bytes);
    BOOST_CHECK_EQUAL_COLLECTIONS(
        values.begin(), values.end(), expected.begin(), expected.end());
    BOOST_CHECK(bytes.find("Example") == std::string::npos);
    BOOST_CHECK_EQUAL(stream.written_frames(), 20u);
    BOOST_CHECK_EQUAL(stream.bytes_written(), 160u);
}

BOOST_AUTO_TEST_CASE(bytes_reach_the_ostream_on_every_write)
{
    std::ostringstream sink;
    rp::write_only_pipe_stream<std::int32_t> stream(sink, 4);
    auto fill = [](rp::array_view<std::int32_t> v) {
        for (std::size_t i = 0; i < v.extent(0); ++i)
            v(i) = std::int32_t(i);
    };

    BOOST_REQUIRE(stream.write(3, fill));
    BOOST_CHECK_EQUAL(sink.str().size(), 12u);
    BOOST_REQUIRE(stream.write(1, fill));
    BOOST_CHECK_EQUAL(sink.str().size(), 16u);
    BOOST_REQUIRE(stream.write(9, fill));
    BOOST_CHECK_EQUAL(sink.str().size(), 52u);
    BOOST_CHECK_EQUAL(stream.bytes_written(), 52u);
    BOOST_CHECK_EQUAL(stream.written_frames(), 13u);
}

// An ofstream buffers: the file grows at each write only if the sink flushes.
BOOST_AUTO_TEST_CASE(bytes_reach_a_file_stream_without_waiting_for_close)
{
    char path[] = "/tmp/qa_write_only_pipe_stream_XXXXXX";
    const int tmp = ::mkstemp(path);
    BOOST_REQUIRE(tmp >= 0);
    ::close(tmp);

    std::uintmax_t sizes[2] = {};
    {
        std::ofstream file(path, std::ios::binary);
        rp::write_only_pipe_stream<double> stream(file, 8);
        auto zeros = [](rp::array_view<double> v) { std::fill(v.begin(), v.end(), 0.0); };
        struct stat st;

        BOOST_REQUIRE(stream.write(2, zeros));
        BOOST_REQUIRE_EQUAL(::stat(path, &st), 0);
        sizes[0] = std::uintmax_t(st.st_size);
        BOOST_REQUIRE(stream.write(3, zeros));
        BOOST_REQUIRE_EQUAL(::stat(path, &st), 0);
        sizes[1] = std::uintmax_t(st.st_size);
    }
    ::unlink(path);
    BOOST_CHECK_EQUAL(sizes[0], 16u);
    BOOST_CHECK_EQUAL(sizes[1], 40u);
}

BOOST_AUTO_TEST_CASE(fd_variant_writes_raw_bytes_to_a_pipe)
{
    int fds[2];
    BOOST_REQUIRE_EQUAL(::pipe2(fds, O_CLOEXEC), 0);
    scoped_fd read_end(fds[0]);
    scoped_fd write_end(fds[1]);

    rp::write_only_pipe_stream<std::int32_t> stream(write_end.fd, 2);
    BOOST_REQUIRE(stream.write(4, [](rp::array_view<std::int32_t> v) {
        for (std::size_t i = 0; i < 4; ++i)
            v(i) = std::int32_t(i) * -7;
    }));
    BOOST_CHECK_EQUAL(stream.bytes_written(), 16u);

    std::int32_t back[4] = {};
    BOOST_REQUIRE_EQUAL(::read(read_end.fd, back, sizeof back), ssize_t(sizeof back));
    const std::int32_t expected[] = { 0, -7, -14, -21 };
    BOOST_CHECK_EQUAL_COLLECTIONS(
        std::begin(back), std::end(back), std::begin(expected), std::end(expected));
}

BOOST_AUTO_TEST_CASE(fd_variant_appends_every_write_to_a_memfd)
{
    scoped_fd mem(::memfd_create("qa_write_only_pipe_stream", MFD_CLOEXEC));
    rp::write_only_pipe_stream<float> stream(mem.fd, 3);

    float next = 0.0f;
    auto count = [&](rp::array_view<float> v) {
        for (float& x : v)
            x = next++;
    };
    BOOST_REQUIRE(stream.write(2, count));
    BOOST_CHECK_EQUAL(contents_of(mem.fd).size(), 8u);
    BOOST_REQUIRE(stream.write(5, count));
    const auto values = as_values<float>(contents_of(mem.fd));
    BOOST_REQUIRE_EQUAL(values.size(), 7u);
    for (std::size_t i = 0; i < values.size(); ++i)
        BOOST_CHECK_EQUAL(values[i], float(i));
}

BOOST_AUTO_TEST_CASE(failing_ostream_is_io_error_and_nothing_is_counted)
{
    std::ostringstream sink;
    sink.setstate(std::ios::badbit);
    rp::write_only_pipe_stream<double> stream(sink, 4);

    BOOST_CHECK_EXCEPTION(
        stream.write(1, [](rp::array_view<double> v) { v(0) = 1.0; }),
        rp::pipe_error,
        error_with(rp::errc::io_error, { "8 bytes", "ostream", "after 0 bytes" }));
    BOOST_CHECK_EQUAL(stream.written_frames(), 0u);
    BOOST_CHECK_EQUAL(stream.bytes_written(), 0u);
    BOOST_CHECK(sink.str().empty());
}

BOOST_AUTO_TEST_CASE(ostream_failing_after_a_good_write_is_io_error_naming_bytes_sent)
{
    std::ostringstream sink;
    rp::write_only_pipe_stream<double> stream(sink, 4);
    auto ones = [](rp::array_view<double> v) { std::fill(v.begin(), v.end(), 1.0); };

    BOOST_REQUIRE(stream.write(2, ones));
    sink.setstate(std::ios::badbit);
    BOOST_CHECK_EXCEPTION(
        stream.write(3, ones),
        rp::pipe_error,
        error_with(rp::errc::io_error, { "24 bytes", "after 16 bytes" }));
    BOOST_CHECK_EQUAL(stream.written_frames(), 2u);
    BOOST_CHECK_EQUAL(stream.bytes_written(), 16u);
}

BOOST_AUTO_TEST_CASE(write_to_dev_full_is_system_error_with_enospc)
{
    scoped_fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    rp::write_only_pipe_stream<double> stream(full.fd, 4);

    const auto names_the_write = error_with(rp::errc::system_error,
                                            { "write(2)",
                                              "16 bytes",
                                              "fd " + std::to_string(full.fd),
                                              "errno " + std::to_string(ENOSPC) });
    auto enospc = [&](const rp::pipe_error& e) {
        return names_the_write(e) && e.sys_errno() == ENOSPC &&
               e.system_code() == std::errc::no_space_on_device;
    };
    BOOST_CHECK_EXCEPTION(
        stream.write(2, [](rp::array_view<double>) {}), rp::pipe_error, enospc);
    BOOST_CHECK_EQUAL(stream.written_frames(), 0u);
    BOOST_CHECK_EQUAL(stream.bytes_written(), 0u);
}

BOOST_AUTO_TEST_CASE(negative_fd_is_invalid_argument_at_construction)
{
    BOOST_CHECK_EXCEPTION(
        (rp::write_only_pipe_stream<double>(-1, 4)),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "file descriptor -1" }));
}

BOOST_AUTO_TEST_CASE(zero_capacity_and_bad_shapes_are_invalid_argument)
{
    std::ostringstream sink;
    BOOST_CHECK_EXCEPTION(
        (rp::write_only_pipe_stream<double>(sink, 0)),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "at least 1", "got 0" }));
    BOOST_CHECK_EXCEPTION(
        (rp::write_only_pipe_stream<double>(sink, 4, { 3, 0 })),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "write-only pipe stream", "[3, 0]" }));
}

BOOST_AUTO_TEST_CASE(write_of_zero_frames_is_invalid_argument)
{
    std::ostringstream sink;
    rp::write_only_pipe_stream<double> stream(sink, 4);
    BOOST_CHECK_EXCEPTION(stream.write(0, [](rp::array_view<double>) {}),
                          rp::pipe_error,
                          error_with(rp::errc::invalid_argument, { "got 0" }));
    BOOST_CHECK(sink.str().empty());
}

BOOST_AUTO_TEST_CASE(multi_dimensional_frames_are_sent_in_c_order)
{
    std::ostringstream sink;
    rp::write_only_pipe_stream<std::int16_t> stream(sink, 1, { 2, 3 });
    BOOST_CHECK(stream.shape() == (shape_t{ 2, 3 }));
    BOOST_CHECK_EQUAL(stream.capacity(), 1u);

    const auto res = stream.write(2, [](rp::array_view<std::int16_t> v) {
        BOOST_CHECK(v.shape() == (shape_t{ 2, 2, 3 }));
        for (std::size_t i = 0; i < 2; ++i)
            for (std::size_t j = 0; j < 2; ++j)
                for (std::size_t k = 0; k < 3; ++k)
                    v(i, j, k) = std::int16_t(i * 100 + j * 10 + k);
    });
    BOOST_REQUIRE(res);
    BOOST_CHECK_EQUAL(stream.capacity(), 2u);

    const auto values = as_values<std::int16_t>(sink.str());
    const std::int16_t expected[] = { 0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112 };
    BOOST_CHECK_EQUAL_COLLECTIONS(
        values.begin(), values.end(), std::begin(expected), std::end(expected));
}

BOOST_AUTO_TEST_CASE(publish_sends_only_the_published_prefix)
{
    std::ostringstream sink;
    rp::write_only_pipe_stream<std::int32_t> stream(sink, 4);

    auto span = stream.reserve(4);
    BOOST_REQUIRE(span);
    BOOST_CHECK_EQUAL(span.frames(), 4u);
    for (std::size_t i = 0; i < 4; ++i)
        span.data()(i) = std::int32_t(i) + 1;
    stream.publish(3);
    BOOST_CHECK_EQUAL(stream.written_frames(), 3u);
    BOOST_CHECK_EXCEPTION(
        stream.publish(1),
        rp::pipe_error,
        error_with(rp::errc::invalid_argument, { "publish(1)", "0 frames" }));

    const auto values = as_values<std::int32_t>(sink.str());
    BOOST_TEST(values == (std::vector<std::int32_t>{ 1, 2, 3 }),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(callback_that_throws_sends_nothing)
{
    std::ostringstream sink;
    rp::write_only_pipe_stream<double> stream(sink, 4);
    auto failing = [](rp::array_view<double>) {
        throw std::logic_error("callback failed");
    };

    BOOST_CHECK_THROW(stream.write(2, failing), std::logic_error);
    BOOST_CHECK(sink.str().empty());
    BOOST_CHECK_EQUAL(stream.written_frames(), 0u);
}

BOOST_AUTO_TEST_CASE(write_after_close_is_closed)
{
    std::ostringstream sink;
    rp::write_only_pipe_stream<double> stream(sink, 4);
    BOOST_REQUIRE(stream.write(1, [](rp::array_view<double> v) { v(0) = 2.0; }));
    stream.close();
    stream.close();

    BOOST_CHECK(stream.is_closed());
    BOOST_CHECK_EXCEPTION(stream.write(1, [](rp::array_view<double>) {}),
                          rp::pipe_error,
                          error_with(rp::errc::closed, { "close()" }));
    BOOST_CHECK_EQUAL(sink.str().size(), 8u);
}

BOOST_AUTO_TEST_CASE(metadata_stays_in_the_object)
{
    std::ostringstream sink;
    rp::write_only_pipe_stream<double, std::string> stream(sink, 2);

    BOOST_CHECK(!stream.get_metadata());
    stream.set_metadata("a");
    stream.set_metadata("b");
    BOOST_CHECK_EQUAL(stream.get_metadata().value_or(""), "b");
    BOOST_CHECK(sink.str().empty());
    BOOST_CHECK_EQUAL(stream.name(), "write-only pipe stream");
}

BOOST_AUTO_TEST_CASE(publish_after_close_is_closed_and_sends_nothing)
{
    std::ostringstream sink;
    rp::write_only_pipe_stream<int> stream(sink, 8);
    auto span = stream.reserve(2);
    BOOST_REQUIRE(span);
    stream.close();
    BOOST_CHECK_EXCEPTION(stream.publish(2), rp::pipe_error,
                          rp::qa::error_with(rp::errc::closed, { "after close" }));
    BOOST_CHECK_EQUAL(sink.str().size(), 0u);
    BOOST_CHECK_EQUAL(stream.written_frames(), 0u);
}

BOOST_AUTO_TEST_CASE(a_pipe_whose_reader_is_gone_is_epipe_not_sigpipe)
{
    int fds[2];
    BOOST_REQUIRE_EQUAL(::pipe(fds), 0);
    scoped_fd write_end(fds[1]);
    ::close(fds[0]); // the reader is gone: write(2) raises SIGPIPE, which kills by default
    rp::write_only_pipe_stream<int> stream(write_end.fd, 8);
    BOOST_CHECK_EXCEPTION(stream.write(1, [](auto v) { v(0) = 1; }), rp::pipe_error,
                          [](const rp::pipe_error& e) {
                              return e.code() == rp::errc::system_error && e.sys_errno() == EPIPE;
                          });
    sigset_t pending;
    sigpending(&pending);
    BOOST_CHECK(!sigismember(&pending, SIGPIPE)); // nothing left to kill us later
    BOOST_CHECK_EQUAL(stream.written_frames(), 0u);
}

BOOST_AUTO_TEST_CASE(an_ostream_that_throws_is_io_error)
{
    std::ofstream closed_file; // never opened: every write fails
    closed_file.exceptions(std::ios::badbit | std::ios::failbit);
    rp::write_only_pipe_stream<int> stream(closed_file, 8);
    BOOST_CHECK_EXCEPTION(stream.write(1, [](auto v) { v(0) = 1; }), rp::pipe_error,
                          rp::qa::error_with(rp::errc::io_error, { "ostream" }));
}

BOOST_AUTO_TEST_CASE(a_full_non_blocking_fd_waits_within_the_deadline_and_reports_what_went_out)
{
    int fds[2];
    BOOST_REQUIRE_EQUAL(::pipe2(fds, O_NONBLOCK), 0);
    scoped_fd read_end(fds[0]);
    scoped_fd write_end(fds[1]);
    const int pipe_bytes = ::fcntl(write_end.fd, F_GETPIPE_SZ);
    BOOST_REQUIRE_GT(pipe_bytes, 0);
    // Frames of 1000 bytes: the pipe's size is not a multiple, so the write stops mid-frame.
    rp::write_only_pipe_stream<char> stream(write_end.fd, 1, { 1000 });
    const std::size_t frames = std::size_t(pipe_bytes) / 1000 + 2;
    const auto t0 = std::chrono::steady_clock::now();
    BOOST_CHECK_EXCEPTION(stream.write_for(frames, std::chrono::milliseconds(200), [](auto) {}),
                          rp::pipe_error,
                          rp::qa::error_with(rp::errc::timeout, { "went out" }));
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    BOOST_CHECK_GE(waited, 0.19);
    BOOST_CHECK_LT(waited, 3.0);
    BOOST_CHECK_EQUAL(stream.bytes_written(), std::uint64_t(pipe_bytes));
    BOOST_CHECK_EQUAL(stream.written_frames(), std::uint64_t(pipe_bytes) / 1000);
    // A reader that drains the pipe lets a blocking write through.
    std::thread drain([&] {
        char buf[4096];
        std::uint64_t got = 0;
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (got < std::uint64_t(pipe_bytes) + 1000 && std::chrono::steady_clock::now() < end) {
            const ssize_t n = ::read(read_end.fd, buf, sizeof buf);
            if (n > 0)
                got += std::uint64_t(n);
            else
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    BOOST_CHECK(stream.write_for(1, std::chrono::seconds(5), [](auto) {}));
    drain.join();
}

BOOST_AUTO_TEST_CASE(a_reservation_too_large_to_allocate_is_a_pipe_error)
{
    if (rp::qa::under_sanitizer()) {
        std::cout << "skipped a_reservation_too_large_to_allocate_is_a_pipe_error: the "
                     "sanitizers' allocators abort on a 4 TiB request instead of failing it\n";
        return;
    }
    std::ostringstream sink;
    rp::write_only_pipe_stream<int> stream(sink, 8);
    BOOST_CHECK_EXCEPTION(stream.reserve(std::size_t(1) << 40), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "out of memory" }));
    BOOST_CHECK(stream.write(1, [](auto v) { v(0) = 7; })); // still usable
}

BOOST_AUTO_TEST_CASE(a_stream_moves_and_its_moved_from_object_says_so)
{
    std::ostringstream sink;
    rp::write_only_pipe_stream<int> a(sink, 8);
    a.write(1, [](auto v) { v(0) = 1; });
    rp::write_only_pipe_stream<int> b(std::move(a));
    b.write(1, [](auto v) { v(0) = 2; });
    BOOST_CHECK_EQUAL(b.written_frames(), 2u);
    BOOST_CHECK_EXCEPTION(a.write(1, [](auto) {}), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "moved-from" }));
    BOOST_CHECK_EQUAL(sink.str().size(), 2 * sizeof(int));
}

BOOST_AUTO_TEST_SUITE_END()
