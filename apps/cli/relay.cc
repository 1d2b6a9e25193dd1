/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * `roundpipers relay`: frames of a shared pipe to a ZeroMQ socket and back, in the wire
 * format of gr-zeromq's blocks (raw items per message; with --tags its tag header in
 * front), so that stock zeromq.pull_source / sub_source / push_sink / pub_sink blocks on
 * other machines meet pipes. A frame is one item of itemsize * vlen bytes.
 */

#include "relay.h"
#include "cli_options.h"
#include "in_flight.h"
#include "zmq_tag_header.h"
#include <roundpipers/element_type.h>
#include <roundpipers/pipe_error.h>
#include <roundpipers/reader_core.h>
#include <roundpipers/writer_core.h>
#include <zmq.hpp>
#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <sstream>
#include <thread>

namespace roundpipers_cli {

namespace rp = roundpipers;
using namespace std::chrono_literals;

//! How long messages still queued at the end of a stream have to go.
constexpr std::chrono::milliseconds linger = 5s;

const char* const relay_usage_text =
    "       roundpipers relay send NAME ENDPOINT [--pattern push|pub] [--lossy] [--tags]\n"
    "                   [--hwm N] [--bind|--connect] [--timeout SECONDS] [--stats]\n"
    "                   [--message-frames N] [--key K] [--zero-copy]\n"
    "       roundpipers relay recv ENDPOINT NAME --dtype D [--shape S] [--capacity N]\n"
    "                   [--pattern pull|sub] [--tags] [--hwm N] [--bind|--connect] [--stats]\n"
    "                   [--key K]\n";

namespace {

/*! Once a second, frames/s, MB/s and drops on stderr (--stats). */
class rate_printer
{
public:
    rate_printer(bool on, std::string what, std::size_t frame_bytes)
        : d_on(on), d_what(std::move(what)), d_frame_bytes(frame_bytes)
    {
    }
    void count(std::uint64_t frames) { d_frames += frames; }
    void drop(std::uint64_t frames) { d_dropped += frames; }
    std::uint64_t dropped() const { return d_dropped; }
    std::uint64_t counted() const { return d_frames; }
    void tick()
    {
        const auto now = std::chrono::steady_clock::now();
        if (!d_on || now - d_last < 1s)
            return;
        const double dt = std::chrono::duration<double>(now - d_last).count();
        const double fps = double(d_frames - d_frames_last) / dt;
        std::fprintf(stderr, "%s: %.1f frames/s, %.2f MB/s, %llu frames, %llu dropped\n",
                     d_what.c_str(), fps, fps * double(d_frame_bytes) / 1e6,
                     static_cast<unsigned long long>(d_frames),
                     static_cast<unsigned long long>(d_dropped));
        d_last = now;
        d_frames_last = d_frames;
    }

private:
    bool d_on;
    std::string d_what;
    std::size_t d_frame_bytes;
    std::uint64_t d_frames = 0, d_frames_last = 0, d_dropped = 0;
    std::chrono::steady_clock::time_point d_last = std::chrono::steady_clock::now();
};

/*! A ZeroMQ endpoint as libzmq takes it: tcp://, ipc:// or inproc://. */
std::string checked_endpoint(const std::string& e)
{
    for (const char* scheme : { "tcp://", "ipc://", "inproc://" })
        if (e.rfind(scheme, 0) == 0 && e.size() > std::strlen(scheme))
            return e;
    throw usage_error("'" + e + "' is not a ZeroMQ endpoint (tcp://HOST:PORT or ipc://PATH)");
}

/*! Binds or connects \p s at \p endpoint; a refused endpoint is a runtime error. */
void attach_socket(zmq::socket_t& s, const std::string& endpoint, bool bind)
{
    try {
        if (bind)
            s.bind(endpoint);
        else
            s.connect(endpoint);
    } catch (const zmq::error_t& e) {
        throw std::runtime_error(std::string(bind ? "cannot bind " : "cannot connect ") +
                                 endpoint + ": " + e.what());
    }
}

/*! zmq::poll that a signal (Ctrl-C) merely ends early. */
void wait_on(zmq::socket_t& s, short events)
{
    zmq::pollitem_t item{ s.handle(), 0, events, 0 };
    try {
        zmq::poll(&item, 1, 100ms);
    } catch (const zmq::error_t& e) {
        if (e.num() != EINTR)
            throw;
    }
}

bool bind_of(const options& o, bool by_default)
{
    if (has_flag(o, "--bind") && has_flag(o, "--connect"))
        throw usage_error("--bind and --connect exclude each other");
    return has_flag(o, "--bind") ? true : has_flag(o, "--connect") ? false : by_default;
}

/*! --key: the PUB/SUB topic, a first message part as gr-zeromq's pub_sink sends it. */
std::string key_of(const options& o, bool pub_sub)
{
    const std::string key = value_of(o, "--key", "");
    if (!key.empty() && !pub_sub)
        throw usage_error("--key is a PUB/SUB topic: it needs --pattern pub (send) or sub (recv)");
    return key;
}

int hwm_of(const options& o)
{
    return static_cast<int>(count_arg("--hwm", value_of(o, "--hwm", "1000"), 1, 1e7));
}

/*! The message for frames [first, first + n): the tag header (with --tags), then the frames. */
zmq::message_t message_of(const rp::reader_core::span& s,
                          std::uint64_t first,
                          std::size_t frame_bytes,
                          bool tags)
{
    const std::string header = tags ? encode_tag_header(first, *s.tags) : std::string();
    zmq::message_t msg(header.size() + s.frames * frame_bytes);
    auto* out = static_cast<char*>(msg.data());
    std::memcpy(out, header.data(), header.size());
    std::memcpy(out + header.size(), s.data, s.frames * frame_bytes);
    return msg;
}

int relay_send(int argc, char** argv)
{
    if (argc < 5)
        throw usage_error("relay send needs a NAME and an ENDPOINT");
    const std::string name = argv[3];
    const std::string endpoint = checked_endpoint(argv[4]);
    const auto o = parse(argc, argv, 5,
                         { "--pattern", "--hwm", "--timeout", "--message-frames", "--key" },
                         { "--lossy", "--tags", "--bind", "--connect", "--stats", "--zero-copy" });
    const std::string pattern = value_of(o, "--pattern", "push");
    if (pattern != "push" && pattern != "pub")
        throw usage_error("--pattern of relay send is push or pub, not '" + pattern + "'");
    const bool lossy = has_flag(o, "--lossy");
    const bool tags = has_flag(o, "--tags");
    const bool zero_copy = has_flag(o, "--zero-copy");
    if (zero_copy && (lossy || tags))
        throw usage_error("--zero-copy hands ZeroMQ the frames where they lie in the ring: not "
                          "with --lossy (they could be overwritten under it) or --tags (the "
                          "tag header goes in front of the frames)");
    const double timeout_s = number_arg("--timeout", value_of(o, "--timeout", "10"), 0, 1e6);
    const std::string cap = value_of(o, "--message-frames", "");
    const std::size_t message_frames =
        cap.empty() ? 0 : std::size_t(count_arg("--message-frames", cap, 1, 1e9));
    const int hwm = hwm_of(o);
    const bool bind = bind_of(o, true);
    const std::string key = key_of(o, pattern == "pub");

    auto p = attach(name, std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000)));
    if (!p)
        return 0; // Ctrl-C while waiting for the name
    rp::reader_core r(p, rp::reader_options{ lossy });
    // Before the context: the context releases the messages that point into the ring.
    in_flight flying;
    zmq::context_t ctx(1);
    zmq::socket_t s(ctx, pattern == "push" ? zmq::socket_type::push : zmq::socket_type::pub);
    s.set(zmq::sockopt::sndhwm, hwm);
    s.set(zmq::sockopt::linger, int(linger.count())); // what is queued at the end goes first
    if (pattern == "pub") // a full queue says so (EAGAIN) instead of dropping silently
        s.set(zmq::sockopt::xpub_nodrop, 1);
    attach_socket(s, endpoint, bind);

    const std::size_t frame_bytes = p->frame_bytes();
    // Messages of what is there, up to 1 MiB (at least a frame) and never more than half
    // the ring; --message-frames N caps it (1: a message per frame, for receivers that
    // expect it).
    // Frames in flight (zero copy) and the next message together: at most half the ring
    // (or the pipe's window limit), so the writer always has room to go on.
    const std::size_t window =
        std::max<std::size_t>(1, std::min(p->capacity() / 2, p->window_limit()));
    std::size_t most =
        std::max<std::size_t>(1, std::min(window, (std::size_t(1) << 20) / frame_bytes));
    if (message_frames > 0)
        most = std::min(most, message_frames);
    rate_printer stats(has_flag(o, "--stats"), "relay send " + name, frame_bytes);
    std::uint64_t unsent = 0; // frames no receiver took by the end (see below)
    bool done = false;
    while (!done && !g_stop.load(std::memory_order_relaxed)) {
        stats.tick();
        if (const std::size_t back = flying.released())
            (void)r.consume(back); // a blocking reader: ok
        const std::size_t held = flying.frames();
        // The closed flag before the count: every frame published before the close is
        // then in `available`, so none is left behind at the end.
        const bool closed = p->is_closed();
        const std::uint64_t available = r.state().available;
        if (held > 0 && (available <= held || held >= window)) {
            // The stream ended and all that is left is in flight: the context's linger
            // sends it (or gives up after 5 s if no one takes it).
            if (closed && available <= held)
                break;
            // Nothing new to send, or enough in flight: ZeroMQ gives frames back first.
            flying.wait_for_release(1ms);
            continue;
        }
        const std::size_t fresh = std::min<std::size_t>(
            { std::size_t(std::max<std::uint64_t>(available - held, 1)), most, window - held });
        const auto span = r.get(held + fresh, rp::deadline_after(100ms));
        if (span.status == rp::read_status::timeout || span.status == rp::read_status::overrun ||
            span.status == rp::read_status::insufficient_data)
            continue; // overrun: a lossy relay resumed at the oldest frame (counted lost)
        if (span.status == rp::read_status::end_of_stream)
            break;
        zmq::message_t msg;
        if (zero_copy) {
            msg = flying.message(span.data + held * frame_bytes, fresh * frame_bytes, fresh);
            // Ends the span without moving the cursor: the frames stay protected from
            // the writer until released() gives them back.
            (void)r.consume(0);
        } else {
            msg = message_of(span, span.state.consumed, frame_bytes, tags);
            // A lossy relay's copy may have been overwritten while it was made: dropped.
            if (r.consume(span.frames) == rp::read_status::overrun)
                continue;
        }
        std::optional<std::chrono::steady_clock::time_point> give_up;
        for (;;) {
            // The key goes first; once a first part is queued, the rest of the message is
            // taken whole (ZeroMQ delivers messages atomically).
            if (key.empty() ? bool(s.send(msg, zmq::send_flags::dontwait))
                            : bool(s.send(zmq::buffer(key), zmq::send_flags::dontwait |
                                                                 zmq::send_flags::sndmore))) {
                if (!key.empty())
                    (void)s.send(msg, zmq::send_flags::none);
                stats.count(fresh);
                break;
            }
            if (lossy) { // the receiver is behind its high-water mark: drop, count
                stats.drop(fresh);
                break;
            }
            // Blocking: hold the pipe's writer back while ZeroMQ pushes back (Ctrl-C
            // still ends the wait). A PUB socket polls writable even when a subscriber's
            // queue is full: sleep instead of spinning.
            if (pattern == "pub")
                std::this_thread::sleep_for(1ms);
            else
                wait_on(s, ZMQ_POLLOUT);
            // Once the stream has ended nothing will come after this message: a
            // receiver has 5 s to take it, as the queued ones have at the end.
            if (!give_up && p->is_closed())
                give_up = std::chrono::steady_clock::now() + linger;
            if (g_stop.load(std::memory_order_relaxed) ||
                (give_up && std::chrono::steady_clock::now() > *give_up)) {
                unsent += fresh;
                done = true;
                break;
            }
        }
    }
    // The queued messages get `linger` to go; a close that takes all of it left some
    // behind (no receiver took them).
    const auto closing = std::chrono::steady_clock::now();
    s.close();
    ctx.close();
    const bool undelivered = std::chrono::steady_clock::now() - closing >= linger - 100ms;
    const auto st = r.state();
    std::fprintf(stderr,
                 "relay send %s: %llu frames sent, %llu dropped at the high-water mark, %llu "
                 "lost to overruns, %llu tags lost\n",
                 name.c_str(), static_cast<unsigned long long>(stats.counted()),
                 static_cast<unsigned long long>(stats.dropped()),
                 static_cast<unsigned long long>(st.lost),
                 static_cast<unsigned long long>(st.lost_tags));
    if (unsent > 0 && !g_stop.load(std::memory_order_relaxed))
        throw std::runtime_error(std::to_string(unsent) + " frames of '" + name +
                                 "' were not sent: no receiver took them within 5 s of the "
                                 "end of the stream");
    if (undelivered)
        throw std::runtime_error("messages still queued when the stream of '" + name +
                                 "' ended were dropped after 5 s: no receiver took them");
    // A stream that ended because its writer or the pipe's maker vanished is not a
    // clean end: the receivers got what was written, the exit status says the rest.
    if (p->writer_lost() || p->maker_lost())
        throw std::runtime_error("the " + std::string(p->writer_lost() ? "writer" : "maker") +
                                 " of '" + name + "' vanished (killed or crashed) before the "
                                 "pipe was closed; what was written was sent");
    return 0;
}

rp::element_type dtype_of(const std::string& d)
{
    for (int t = 0; t <= int(rp::element_type::complex128); ++t)
        if (rp::element_type(t) != rp::element_type::other &&
            d == rp::element_type_name(rp::element_type(t)))
            return rp::element_type(t);
    throw usage_error("--dtype '" + d + "' is not one of int8, uint8, int16, uint16, int32, "
                      "uint32, int64, uint64, float32, float64, complex64, complex128");
}

std::size_t element_bytes_of(rp::element_type t)
{
    switch (t) {
    case rp::element_type::int8:
    case rp::element_type::uint8:
        return 1;
    case rp::element_type::int16:
    case rp::element_type::uint16:
        return 2;
    case rp::element_type::int32:
    case rp::element_type::uint32:
    case rp::element_type::float32:
        return 4;
    case rp::element_type::complex128:
        return 16;
    default:
        return 8;
    }
}

/*! "1024", "3,1000", "[3, 1000]" or "" (one value per frame). */
rp::frame_shape shape_of(std::string s)
{
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '[' || c == ']' || c == ' '; }),
            s.end());
    rp::frame_shape out;
    std::stringstream ss(s);
    for (std::string part; std::getline(ss, part, ',');)
        out.push_back(std::size_t(count_arg("--shape", part, 1, 1e12)));
    return out;
}

/*! Messages to frames until Ctrl-C (see relay_recv). */
void receive_loop(zmq::socket_t& s,
                  rp::writer_core& w,
                  bool tags,
                  std::size_t frame_bytes,
                  rp::element_type type,
                  const rp::frame_shape& shape,
                  const std::string& name,
                  rate_printer& stats)
{
    zmq_tag_header header;
    auto stopped = [] { return g_stop.load(std::memory_order_relaxed); };
    while (!stopped()) {
        stats.tick();
        zmq::message_t msg;
        if (!s.recv(msg, zmq::recv_flags::dontwait)) {
            wait_on(s, ZMQ_POLLIN);
            continue;
        }
        // A multipart message is a key, then the data (a pub_sink with a key sends
        // them so); the parts of a message arrive together.
        while (msg.more()) {
            zmq::message_t next;
            (void)s.recv(next, zmq::recv_flags::none);
            msg = std::move(next);
        }
        const char* data = static_cast<const char*>(msg.data());
        std::size_t at = tags ? decode_tag_header(data, msg.size(), header) : 0;
        const std::size_t bytes = msg.size() - at;
        if (bytes % frame_bytes != 0)
            throw std::runtime_error(
                "a message of " + std::to_string(bytes) + " item bytes is no whole number of " +
                std::to_string(frame_bytes) + "-byte frames (" + rp::element_type_name(type) +
                " x " + rp::to_string(shape) + "): --dtype and --shape must match the "
                "sender's itemsize and vlen");
        std::uint64_t item = header.offset;
        for (std::size_t left = bytes / frame_bytes; left > 0 && !stopped();) {
            // What is free now, at least a frame: a larger piece could wait for a
            // blocking reader that waits for frames of this very piece.
            const std::size_t n = std::min(
                left, std::max<std::size_t>(1, std::size_t(w.state().available)));
            for (const auto& t : header.tags) {
                if (!tags || t.frame < item || t.frame >= item + n)
                    continue;
                try {
                    while (!stopped() && w.add_tag(w.written() + (t.frame - item), t.key,
                                                   t.value, rp::deadline_after(100ms)) !=
                                             rp::read_status::ok) {
                    }
                } catch (const rp::pipe_error& e) {
                    if (e.code() != rp::errc::invalid_argument)
                        throw;
                    // A tag no pipe can carry (a key over 255 bytes...): the frames go on.
                    std::fprintf(stderr, "relay recv %s: tag not carried: %s\n", name.c_str(),
                                 e.what());
                }
            }
            std::uint8_t* out = nullptr;
            while (!stopped() && w.reserve(n, rp::deadline_after(100ms), &out) != rp::read_status::ok) {
            }
            if (stopped())
                break;
            std::memcpy(out, data + at, n * frame_bytes);
            w.publish(n);
            stats.count(n);
            at += n * frame_bytes;
            item += n;
            left -= n;
        }
    }
}


int relay_recv(int argc, char** argv)
{
    if (argc < 5)
        throw usage_error("relay recv needs an ENDPOINT and a NAME");
    const std::string endpoint = checked_endpoint(argv[3]);
    const std::string name = argv[4];
    const auto o = parse(argc, argv, 5,
                         { "--pattern", "--hwm", "--dtype", "--shape", "--capacity", "--key" },
                         { "--tags", "--bind", "--connect", "--stats" });
    const std::string pattern = value_of(o, "--pattern", "pull");
    if (pattern != "pull" && pattern != "sub")
        throw usage_error("--pattern of relay recv is pull or sub, not '" + pattern + "'");
    if (value_of(o, "--dtype", "").empty())
        throw usage_error("relay recv needs --dtype (the items' type, e.g. complex64)");
    const rp::element_type type = dtype_of(value_of(o, "--dtype", ""));
    const rp::frame_shape shape = shape_of(value_of(o, "--shape", ""));
    const auto capacity =
        std::size_t(count_arg("--capacity", value_of(o, "--capacity", "4096"), 1, 1e9));
    const bool tags = has_flag(o, "--tags");
    const std::string key = key_of(o, pattern == "sub");

    rp::pipe_options po;
    po.shared = true;
    auto p = rp::pipe_core::create(name, capacity, shape, type, element_bytes_of(type), po);
    rp::writer_core w(p);
    zmq::context_t ctx(1);
    zmq::socket_t s(ctx, pattern == "pull" ? zmq::socket_type::pull : zmq::socket_type::sub);
    s.set(zmq::sockopt::rcvhwm, hwm_of(o));
    if (pattern == "sub")
        s.set(zmq::sockopt::subscribe, key);
    attach_socket(s, endpoint, bind_of(o, false));

    const std::size_t frame_bytes = p->frame_bytes();
    rate_printer stats(has_flag(o, "--stats"), "relay recv " + name, frame_bytes);
    try {
        receive_loop(s, w, tags, frame_bytes, type, shape, name, stats);
    } catch (...) {
        // Readers drain what came, then see the end with writer_lost: not a clean end.
        w.abandon();
        throw;
    }
    w.close(); // end of stream for the pipe's readers
    std::fprintf(stderr, "relay recv %s: %llu frames received\n", name.c_str(),
                 static_cast<unsigned long long>(w.written()));
    return 0;
}

} // namespace

int cmd_relay(int argc, char** argv)
{
    const std::string dir = argc > 2 ? argv[2] : "";
    if (dir == "send")
        return relay_send(argc, argv);
    if (dir == "recv")
        return relay_recv(argc, argv);
    throw usage_error("relay needs send or recv");
}

} // namespace roundpipers_cli
