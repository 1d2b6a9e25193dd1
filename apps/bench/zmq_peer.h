/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_BENCH_ZMQ_PEER_H
#define INCLUDED_ROUNDPIPERS_BENCH_ZMQ_PEER_H

#include "child_process.h"
#include <cstdint>
#include <string>
#include <vector>

/*
 * What B8 (processes) and B11 (relay) share: the frames and their checksum, latency
 * percentiles, the reader process (this program again, `--b8-child ROLE ...`), and the
 * raw libzmq PUSH/PULL peer measured on any endpoint.
 */
namespace roundpipers_bench {

/*! \brief Nanoseconds on CLOCK_MONOTONIC (the same clock in every process). */
std::int64_t now_ns();

/*! \brief A 64-bit sum of the 8-byte words of \p data: every byte is read. */
std::uint64_t touch(const std::uint8_t* data, std::size_t bytes);

/*! \brief The bytes every writer sends: byte i is i * 31 + 7. */
std::vector<std::uint8_t> source_frame(std::size_t bytes);

/*! \brief One-way latency percentiles. */
struct latency {
    double p50_us = 0;
    double p99_us = 0;
};

/*! \brief p50 and p99 of \p us (not empty). */
latency percentiles(std::vector<double> us);

/*! \brief Parses a reader's "lat P50 P99" line (check_failed otherwise). */
latency parse_latency(const std::string& line);

/*! \brief This program again as a reader process: `--b8-child ROLE ARGS...`. */
struct bench_child : child_process {
    explicit bench_child(std::vector<std::string> args);
};

/*! \brief "ipc:///tmp/<what>_<pid>.zmq" or a free "tcp://127.0.0.1:PORT". */
std::string local_endpoint(const std::string& scheme, const std::string& what);

/*! \brief Removes the socket file of an ipc:// endpoint (a killed peer leaves it). */
void remove_ipc_file(const std::string& endpoint);

/*!
 * \brief A libzmq socket of its own context, bound or connected at an endpoint, with
 * sends and receives bounded at 10 s; closed (and its ipc:// file removed) when destroyed.
 */
class zmq_socket_here
{
public:
    /*! \param type ZMQ_PUSH, ZMQ_PULL... \param bind true: bind, false: connect */
    zmq_socket_here(int type, const std::string& endpoint, bool bind);
    ~zmq_socket_here();
    zmq_socket_here(const zmq_socket_here&) = delete;
    zmq_socket_here& operator=(const zmq_socket_here&) = delete;
    /*! \brief The libzmq socket handle. */
    void* get() const { return d_socket; }

private:
    void* d_ctx;
    void* d_socket;
    std::string d_endpoint;
    bool d_bound;
};

/*!
 * \brief libzmq PUSH (this process, bound at \p endpoint) to PULL (a reader process that
 * touches every byte): \p frames messages of \p frame_bytes. \returns GB/s
 */
double zmq_gbps(const std::string& endpoint, std::size_t frame_bytes, std::uint64_t frames);

/*!
 * \brief One stamped message in flight, from this process to a reader process that
 * acknowledges each on \p ack_endpoint; a pause before each, so the reader sleeps.
 */
latency zmq_latency(const std::string& endpoint,
                    const std::string& ack_endpoint,
                    std::size_t frame_bytes,
                    std::uint64_t samples);

/*! \brief The pause before each latency sample (the reader falls asleep). */
void idle_pause();

} // namespace roundpipers_bench

#endif /* INCLUDED_ROUNDPIPERS_BENCH_ZMQ_PEER_H */
