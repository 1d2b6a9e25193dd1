/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Shared pipes between processes: attach by name in both start orders, exact data both
 * ways, bad names and folders, name ownership and takeover, kill -9 of each role, a
 * read-only reader mapping, a hostile peer, and the lost-wake-up hunt across processes.
 * The other process is qa_peer (see its roles); every wait here is bounded.
 */

#include "control_region.h"
#include "qa_helpers.h"
#include <roundpipers/roundpipers.h>
#include <boost/test/unit_test.hpp>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace rp = roundpipers;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::size_t elems = 4;

float value(std::uint64_t frame, std::size_t j) { return float(frame) + float(j) / 8.0f; }

/*! A private endpoint folder for this test program, removed at the end. */
struct runtime_folder {
    std::string path;
    runtime_folder()
    {
        char tmpl[] = "/tmp/rp-qa-xproc-XXXXXX";
        path = ::mkdtemp(tmpl); // mode 0700
        ::setenv("ROUNDPIPERS_RUNTIME_DIR", path.c_str(), 1);
    }
    ~runtime_folder()
    {
        for (const auto& f : files())
            ::unlink((path + "/" + f).c_str());
        ::rmdir(path.c_str());
    }
    std::vector<std::string> files() const
    {
        std::vector<std::string> out;
        if (DIR* d = ::opendir(path.c_str())) {
            while (const dirent* e = ::readdir(d))
                if (e->d_name[0] != '.')
                    out.push_back(e->d_name);
            ::closedir(d);
        }
        return out;
    }
};

runtime_folder& folder()
{
    static runtime_folder f;
    return f;
}

struct folder_fixture {
    folder_fixture() { folder(); }
};
BOOST_TEST_GLOBAL_FIXTURE(folder_fixture);

/*! A qa_peer process with its stdout on a pipe; killed (-9) if still running at the end. */
class peer
{
public:
    explicit peer(std::vector<std::string> args)
    {
        int out[2];
        BOOST_REQUIRE_EQUAL(::pipe2(out, O_CLOEXEC), 0);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        args.insert(args.begin(), QA_PEER_PATH);
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = ::posix_spawn(&d_pid, QA_PEER_PATH, &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        ::close(out[1]);
        d_out = out[0];
        BOOST_REQUIRE_EQUAL(rc, 0);
    }
    ~peer()
    {
        if (d_pid > 0) {
            ::kill(d_pid, SIGKILL);
            ::waitpid(d_pid, nullptr, 0);
        }
        ::close(d_out);
    }
    peer(const peer&) = delete;
    peer& operator=(const peer&) = delete;

    /*! Waits (bounded) for the line "ready". */
    bool wait_ready(std::chrono::milliseconds limit = 15s)
    {
        const auto end = steady::now() + limit;
        std::string got;
        while (steady::now() < end) {
            pollfd p{ d_out, POLLIN, 0 };
            if (::poll(&p, 1, 50) <= 0)
                continue;
            char c;
            if (::read(d_out, &c, 1) != 1)
                return false;
            got += c;
            if (got.find("ready\n") != std::string::npos)
                return true;
        }
        return false;
    }
    /*! Exit status, or -1 if it did not end within \p limit. */
    int wait_exit(std::chrono::milliseconds limit = 30s)
    {
        const auto end = steady::now() + limit;
        while (steady::now() < end) {
            int status = 0;
            const pid_t r = ::waitpid(d_pid, &status, WNOHANG);
            if (r == d_pid) {
                d_pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(2ms);
        }
        return -1;
    }
    /*! kill -9 and reap. */
    void kill9()
    {
        ::kill(d_pid, SIGKILL);
        ::waitpid(d_pid, nullptr, 0);
        d_pid = -1;
    }
    pid_t pid() const { return d_pid; }

private:
    pid_t d_pid = -1;
    int d_out = -1;
};

rp::pipe<float>::sptr make_shared_pipe(const std::string& name, std::size_t cap)
{
    rp::pipe_options o;
    o.shared = true;
    return rp::pipe<float>::make(name, cap, { elems }, o);
}

template <class Pred>
bool wait_until(Pred&& pred, std::chrono::milliseconds limit)
{
    const auto end = steady::now() + limit;
    while (!pred()) {
        if (steady::now() >= end)
            return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

void write_frames(rp::pipe_writer<float>& w, std::uint64_t first, std::uint64_t n)
{
    for (std::uint64_t i = 0; i < n; ++i) {
        auto r = w.write_for(1, 10s, [&](rp::array_view<float> v) {
            for (std::size_t j = 0; j < elems; ++j)
                v(0, j) = value(first + i, j);
        });
        BOOST_REQUIRE(r);
    }
}

/*! Reads until end of stream (each read bounded); returns frames, checks values. */
std::uint64_t drain_exact(rp::pipe_reader<float>& r, std::uint64_t first, bool* exact)
{
    std::uint64_t n = 0;
    *exact = true;
    for (;;) {
        auto res = r.read_for(1, 1, 5s, [&](rp::const_array_view<float> v) {
            for (std::size_t j = 0; j < elems; ++j)
                *exact &= v(0, j) == value(first + n, j);
        });
        if (res.status() != rp::read_status::ok) {
            BOOST_CHECK_EQUAL(rp::read_status_name(res.status()), "end_of_stream");
            return n;
        }
        ++n;
    }
}

/*! Writes frames 0..n-1, closes, and checks that \p r reads exactly them, then the end. */
void check_round_trip(rp::pipe_writer<float>& w, rp::pipe_reader<float>& r, std::uint64_t n)
{
    write_frames(w, 0, n);
    w.close();
    bool exact = false;
    BOOST_CHECK_EQUAL(drain_exact(r, 0, &exact), n);
    BOOST_CHECK(exact);
}

double seconds_since(steady::time_point t)
{
    return std::chrono::duration<double>(steady::now() - t).count();
}

/*! After a peer's death: \p r drains what is left and sees the end within 1 s. */
void drains_to_the_end_within_1s(rp::pipe_reader<float>& r)
{
    const auto t0 = steady::now();
    rp::read_status st = rp::read_status::ok;
    while (st == rp::read_status::ok && seconds_since(t0) < 3.0)
        st = r.read_for(1, 1, std::chrono::seconds(3), [](auto) {}).status();
    BOOST_CHECK_EQUAL(rp::read_status_name(st), "end_of_stream");
    BOOST_CHECK_LT(seconds_since(t0), 1.0);
}

} // namespace

BOOST_AUTO_TEST_SUITE(pipe_across_processes)

BOOST_AUTO_TEST_CASE(reader_process_gets_exact_frames_when_the_maker_starts_first)
{
    auto p = make_shared_pipe("xp_maker_first", 64);
    auto w = p->get_writer();
    peer reader({ "read", "xp_maker_first", "1000" });
    BOOST_REQUIRE(reader.wait_ready());
    BOOST_REQUIRE(wait_until([&] { return p->reader_count() == 1; }, 5s));
    write_frames(w, 0, 1000);
    w.close();
    BOOST_CHECK_EQUAL(reader.wait_exit(), 0);
}

BOOST_AUTO_TEST_CASE(reader_process_gets_exact_frames_when_it_starts_first)
{
    peer reader({ "read", "xp_reader_first", "1000" });
    std::this_thread::sleep_for(200ms); // the reader is waiting for the name
    auto p = make_shared_pipe("xp_reader_first", 64);
    auto w = p->get_writer();
    BOOST_REQUIRE(wait_until([&] { return p->reader_count() == 1; }, 10s));
    write_frames(w, 0, 1000);
    w.close();
    BOOST_CHECK_EQUAL(reader.wait_exit(), 0);
}

BOOST_AUTO_TEST_CASE(writer_process_feeds_a_reader_of_the_maker)
{
    auto p = make_shared_pipe("xp_writer", 64);
    auto r = p->get_reader();
    peer writer({ "write", "xp_writer", "1000" });
    bool exact = false;
    BOOST_CHECK_EQUAL(drain_exact(r, 0, &exact), 1000u);
    BOOST_CHECK(exact);
    BOOST_CHECK_EQUAL(writer.wait_exit(), 0);
    BOOST_CHECK(!p->writer_lost());
}

BOOST_AUTO_TEST_CASE(process_that_makes_the_pipe_can_also_attach_it)
{
    auto p = make_shared_pipe("xp_self", 16);
    auto q = rp::attach<float>("xp_self");
    BOOST_CHECK(q->is_attached());
    BOOST_CHECK_EQUAL(q->capacity(), p->capacity());
    auto r = q->get_reader();
    auto w = p->get_writer();
    check_round_trip(w, r, 5);
}

BOOST_AUTO_TEST_CASE(attach_with_the_wrong_type_or_shape_names_both)
{
    auto p = make_shared_pipe("xp_types", 16);
    BOOST_CHECK_EXCEPTION(rp::attach<double>("xp_types"), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument,
                                             { "xp_types", "float32", "float64" }));
    rp::attach_options o;
    o.shape = rp::frame_shape{ 8 };
    BOOST_CHECK_EXCEPTION(rp::attach<float>("xp_types", o), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument,
                                             { "xp_types", "[4]", "[8]" }));
}

BOOST_AUTO_TEST_CASE(bad_shared_names_are_refused_with_the_rule)
{
    for (const std::string& bad : { std::string(), std::string(".hidden"), std::string("a/b"),
                                   std::string(101, 'x'), std::string("sp ace") }) {
        rp::pipe_options o;
        o.shared = true;
        BOOST_CHECK_EXCEPTION(rp::pipe<float>::make(bad, 16, {}, o), rp::pipe_error,
                              rp::qa::error_with(rp::errc::invalid_argument,
                                                 { "1-100 characters of A-Z a-z 0-9 . _ -" }));
        BOOST_CHECK_EXCEPTION(rp::attach<float>(bad), rp::pipe_error,
                              rp::qa::error_with(rp::errc::invalid_argument,
                                                 { "1-100 characters" }));
    }
    // Every valid name works, also one too long for a socket path in this folder.
    const std::string longest(100, 'n');
    auto p = make_shared_pipe(longest, 16);
    auto q = rp::attach<float>(longest);
    BOOST_CHECK_EQUAL(q->name(), longest);
    const auto names = rp::shared_pipes();
    BOOST_CHECK(std::find(names.begin(), names.end(), longest) != names.end());
}

BOOST_AUTO_TEST_CASE(a_missing_name_is_not_found_after_the_timeout)
{
    const auto t0 = steady::now();
    BOOST_CHECK_EXCEPTION(rp::attach<float>("xp_nobody", rp::attach_options{ 300ms }),
                          rp::pipe_error,
                          rp::qa::error_with(rp::errc::not_found,
                                             { "xp_nobody", "roundpipers list" }));
    const double waited = seconds_since(t0);
    BOOST_CHECK_GE(waited, 0.3);
    BOOST_CHECK_LT(waited, 3.0);
}

BOOST_AUTO_TEST_CASE(a_folder_open_to_others_is_refused)
{
    char tmpl[] = "/tmp/rp-qa-open-XXXXXX";
    const std::string open_dir = ::mkdtemp(tmpl);
    ::chmod(open_dir.c_str(), 0755);
    ::setenv("ROUNDPIPERS_RUNTIME_DIR", open_dir.c_str(), 1);
    rp::pipe_options o;
    o.shared = true;
    BOOST_CHECK_EXCEPTION(rp::pipe<float>::make("xp_open", 16, {}, o), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument,
                                             { open_dir, "open to others", "chmod 700" }));
    BOOST_CHECK_EXCEPTION(rp::attach<float>("xp_open"), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument, { "open to others" }));
    ::setenv("ROUNDPIPERS_RUNTIME_DIR", folder().path.c_str(), 1);
    ::rmdir(open_dir.c_str());
}

BOOST_AUTO_TEST_CASE(two_makers_of_one_name_are_refused_naming_the_holder)
{
    auto p = make_shared_pipe("xp_twice", 16);
    BOOST_CHECK_EXCEPTION(make_shared_pipe("xp_twice", 16), rp::pipe_error,
                          rp::qa::error_with(rp::errc::name_in_use,
                                             { "xp_twice", std::to_string(::getpid()) }));
    peer other({ "make-hold", "xp_held", "16" });
    BOOST_REQUIRE(other.wait_ready());
    BOOST_CHECK_EXCEPTION(make_shared_pipe("xp_held", 16), rp::pipe_error,
                          rp::qa::error_with(rp::errc::name_in_use,
                                             { "xp_held", std::to_string(other.pid()) }));
}

BOOST_AUTO_TEST_CASE(a_name_left_by_a_killed_maker_is_taken_over)
{
    peer other({ "make-hold", "xp_takeover", "16" });
    BOOST_REQUIRE(other.wait_ready());
    other.kill9();
    auto p = make_shared_pipe("xp_takeover", 16); // at once: the kernel dropped its lock
    auto q = rp::attach<float>("xp_takeover");
    BOOST_CHECK(!q->is_closed());
}

BOOST_AUTO_TEST_CASE(a_pipe_leaves_no_socket_or_lock_file_behind)
{
    auto mine = [] {
        std::vector<std::string> out;
        for (const auto& f : folder().files())
            if (f.rfind("xp_files.", 0) == 0)
                out.push_back(f);
        std::sort(out.begin(), out.end());
        return out;
    };
    {
        auto p = make_shared_pipe("xp_files", 16);
        BOOST_CHECK(mine() == (std::vector<std::string>{ "xp_files.lock", "xp_files.sock" }));
    }
    BOOST_CHECK(mine().empty());
}

BOOST_AUTO_TEST_CASE(a_failed_attach_leaves_no_descriptor_or_mapping)
{
    auto p = make_shared_pipe("xp_leak", 16);
    rp::attach<float>("xp_leak"); // warms up the process's share service
    const int fds = rp::qa::count_open_fds();
    const int maps = rp::qa::count_mappings();
    for (int i = 0; i < 20; ++i)
        BOOST_CHECK_THROW(rp::attach<std::int16_t>("xp_leak"), rp::pipe_error);
    // The serving thread closes its copies just after it answered: allow it a moment.
    wait_until([&] { return rp::qa::count_open_fds() == fds; }, 2s);
    BOOST_CHECK_EQUAL(rp::qa::count_open_fds(), fds);
    BOOST_CHECK_EQUAL(rp::qa::count_mappings(), maps);
}

BOOST_AUTO_TEST_CASE(killed_reader_process_stops_holding_the_writer_back_within_1s)
{
    auto p = make_shared_pipe("xp_kill_reader", 64);
    auto w = p->get_writer();
    peer reader({ "read-hold", "xp_kill_reader" });
    BOOST_REQUIRE(reader.wait_ready());
    BOOST_REQUIRE(wait_until([&] { return p->reader_count() == 1; }, 5s));
    write_frames(w, 0, p->capacity());
    BOOST_CHECK(!w.try_write(1, [](auto) {})); // the reader holds the writer back
    reader.kill9();
    const auto t0 = steady::now();
    auto r = w.write_for(1, 3s, [](auto) {});
    BOOST_CHECK(r);
    BOOST_CHECK_LT(seconds_since(t0), 1.0);
    BOOST_CHECK_EQUAL(p->reader_count(), 0u);
}

BOOST_AUTO_TEST_CASE(killed_writer_process_ends_the_stream_within_1s)
{
    auto p = make_shared_pipe("xp_kill_writer", 64);
    auto r = p->get_reader();
    peer writer({ "write-forever", "xp_kill_writer" });
    BOOST_REQUIRE(writer.wait_ready());
    BOOST_REQUIRE(r.read_for(32, 32, 10s, [](auto) {}));
    writer.kill9();
    drains_to_the_end_within_1s(r);
    BOOST_CHECK(p->writer_lost());
}

BOOST_AUTO_TEST_CASE(killed_maker_process_ends_the_stream_and_frees_the_name_within_1s)
{
    peer maker({ "make-stream", "xp_kill_maker", "64" });
    BOOST_REQUIRE(maker.wait_ready());
    auto q = rp::attach<float>("xp_kill_maker", rp::attach_options{ 5s });
    auto r = q->get_reader();
    BOOST_REQUIRE(r.read_for(16, 16, 10s, [](auto) {}));
    maker.kill9();
    drains_to_the_end_within_1s(r);
    BOOST_CHECK(q->core()->maker_lost());
    auto again = make_shared_pipe("xp_kill_maker", 16); // the name is free again
    BOOST_CHECK(again->is_shared());
}

BOOST_AUTO_TEST_CASE(attached_writer_fails_with_closed_once_the_maker_is_gone)
{
    peer maker({ "make-hold", "xp_orphan", "16" });
    BOOST_REQUIRE(maker.wait_ready());
    auto q = rp::attach<float>("xp_orphan", rp::attach_options{ 5s });
    auto w = q->get_writer();
    BOOST_CHECK(w.write_for(1, 1s, [](auto) {}));
    maker.kill9();
    BOOST_REQUIRE(wait_until([&] { return q->is_closed(); }, 2s));
    BOOST_CHECK_EXCEPTION(w.write(1, [](auto) {}), rp::pipe_error,
                          rp::qa::error_with(rp::errc::closed, { "xp_orphan", "maker" }));
}

BOOST_AUTO_TEST_CASE(attached_reader_frames_cannot_be_made_writable)
{
    auto p = make_shared_pipe("xp_readonly", 16);
    peer other({ "mprotect", "xp_readonly" });
    BOOST_CHECK_EQUAL(other.wait_exit(), 0);
    auto q = rp::attach<float>("xp_readonly");
    BOOST_CHECK(!q->core()->ring().ring_writable());
    BOOST_CHECK_NE(::mprotect(q->core()->ring().data(), q->core()->ring().ring_bytes(),
                              PROT_READ | PROT_WRITE),
                   0);
    BOOST_CHECK_EQUAL(errno, EACCES);
}

BOOST_AUTO_TEST_CASE(attached_writer_gets_writable_frames_in_place)
{
    auto p = make_shared_pipe("xp_rw", 16);
    auto r = p->get_reader();
    auto q = rp::attach<float>("xp_rw");
    const auto* before = q->core()->ring().data();
    auto w = q->get_writer();
    BOOST_CHECK(q->core()->ring().ring_writable());
    BOOST_CHECK_EQUAL(static_cast<const void*>(q->core()->ring().data()),
                      static_cast<const void*>(before));
    check_round_trip(w, r, 40);
}

BOOST_AUTO_TEST_CASE(hostile_peer_scribbling_the_control_region_cannot_crash_or_hang_us)
{
    auto p = make_shared_pipe("xp_hostile", 64);
    auto w = p->get_writer();
    auto r = p->get_reader();
    auto lossy = p->get_reader(rp::reader_options{ true });
    peer hostile({ "scribble", "xp_hostile", "2" });
    BOOST_REQUIRE(hostile.wait_ready());
    const auto end = steady::now() + 2500ms;
    int calls = 0, errors = 0;
    double slowest = 0;
    while (steady::now() < end) {
        const auto t0 = steady::now();
        try {
            w.write_for(1, 20ms, [](auto) {});
        } catch (const rp::pipe_error&) {
            ++errors;
        }
        try {
            r.read_for(1, 1, 20ms, [](auto) {});
        } catch (const rp::pipe_error&) {
            ++errors;
        }
        try {
            lossy.read_for(1, 1, 20ms, [](auto) {});
        } catch (const rp::pipe_error&) {
            ++errors;
        }
        slowest = std::max(slowest, seconds_since(t0));
        ++calls;
    }
    BOOST_TEST_MESSAGE(calls << " rounds, " << errors << " errors, slowest " << slowest << " s");
    BOOST_CHECK_GT(calls, 10);
    BOOST_CHECK_LT(slowest, 0.5); // three 20 ms timeouts, never a hang
    BOOST_CHECK_EQUAL(hostile.wait_exit(), 0);
}

BOOST_AUTO_TEST_CASE(another_layout_version_or_no_magic_is_refused_at_attach)
{
    auto p = make_shared_pipe("xp_version", 16);
    auto* ctl = static_cast<rp::detail::control_region*>(p->core()->ring().control());
    ctl->header.version = rp::detail::control_version + 1;
    BOOST_CHECK_EXCEPTION(rp::attach<float>("xp_version"), rp::pipe_error,
                          rp::qa::error_with(rp::errc::invalid_argument,
                                             { "xp_version", "version",
                                               std::to_string(rp::detail::control_version + 1),
                                               "same gr-roundpipers version" }));
    ctl->header.version = rp::detail::control_version;
    ctl->header.magic = 0;
    BOOST_CHECK_EXCEPTION(rp::attach<float>("xp_version"), rp::pipe_error,
                          rp::qa::error_with(rp::errc::corrupted, { "xp_version", "magic" }));
    ctl->header.magic = rp::detail::control_magic;
    ctl->header.capacity_frames += 1;
    BOOST_CHECK_EXCEPTION(rp::attach<float>("xp_version"), rp::pipe_error,
                          rp::qa::error_with(rp::errc::corrupted, { "capacity" }));
    // A pipe already attached sees the change on its next slow path.
    ctl->header.capacity_frames -= 1;
    auto q = rp::attach<float>("xp_version");
    auto r = q->get_reader();
    ctl->header.capacity_frames += 1;
    BOOST_CHECK_EXCEPTION(r.read_for(1, 1, 100ms, [](auto) {}), rp::pipe_error,
                          rp::qa::error_with(rp::errc::corrupted, { "xp_version", "header" }));
    ctl->header.capacity_frames -= 1;
}

BOOST_AUTO_TEST_CASE(a_departed_reader_leaves_no_process_token_in_its_slot)
{
    // A free slot with a stale token could be taken for a dead reader's while a new
    // reader sets it up, and freed under it.
    auto p = make_shared_pipe("xp_token", 16);
    auto* ctl = static_cast<rp::detail::control_region*>(p->core()->ring().control());
    {
        auto r = p->get_reader();
        BOOST_CHECK_NE(ctl->slots()[0].owner.load(), 0u);
    }
    BOOST_CHECK_EQUAL(ctl->slots()[0].state.load(), rp::detail::slot_free);
    BOOST_CHECK_EQUAL(ctl->slots()[0].owner.load(), 0u);
}

BOOST_AUTO_TEST_CASE(an_absurd_shared_head_is_reported_instead_of_looping_a_lossy_reader)
{
    auto p = make_shared_pipe("xp_absurd", 16);
    auto q = rp::attach<float>("xp_absurd");
    auto lossy = q->get_reader(rp::reader_options{ true });
    auto* ctl = static_cast<rp::detail::control_region*>(q->core()->ring().control());
    ctl->written.value.store(UINT64_MAX); // what a hostile peer could write
    ctl->reserve_head.value.store(UINT64_MAX);
    const auto t0 = steady::now();
    BOOST_CHECK_EXCEPTION(
        for (auto c : lossy.iter_chunks_for(1, 1, 50ms)) { (void)c; }, rp::pipe_error,
        rp::qa::error_with(rp::errc::corrupted, { "xp_absurd" }));
    BOOST_CHECK_LT(seconds_since(t0), 1.0);
}

BOOST_AUTO_TEST_CASE(lost_wake_up_hunt_with_the_reader_in_another_process)
{
    const auto cycles =
        rp::qa::env_or("ROUNDPIPERS_XPROC_WAKE_CYCLES", rp::qa::under_sanitizer() ? 5000 : 100000);
    auto ping = make_shared_pipe("xp_wake", 16);
    auto ack = make_shared_pipe("xp_wake.ack", 16);
    auto w = ping->get_writer();
    auto r = ack->get_reader();
    peer other({ "wake", "xp_wake", std::to_string(cycles) });
    BOOST_REQUIRE(other.wait_ready());
    BOOST_REQUIRE(wait_until([&] { return ping->reader_count() == 1; }, 5s));
    std::uint64_t done = 0;
    for (; done < cycles; ++done) {
        w.write(1, [&](rp::array_view<float> v) {
            for (std::size_t j = 0; j < elems; ++j)
                v(0, j) = value(done, j);
        });
        float got = -1;
        auto res = r.read_for(1, 1, 10s, [&](rp::const_array_view<float> v) { got = v(0, 0); });
        if (!res || got != value(done, 0))
            break; // a lost wake-up shows as a 10 s timeout here
    }
    BOOST_CHECK_EQUAL(done, cycles);
    BOOST_CHECK_EQUAL(other.wait_exit(), 0);
}

BOOST_AUTO_TEST_SUITE_END()
