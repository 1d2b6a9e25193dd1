/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_CLI_IN_FLIGHT_H
#define INCLUDED_ROUNDPIPERS_CLI_IN_FLIGHT_H

#include <zmq.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

namespace roundpipers_cli {

/*!
 * \brief Frames handed to ZeroMQ without a copy: messages that point into the pipe's
 * ring, whose frames stay unconsumed (so the writer cannot overwrite them) until
 * ZeroMQ's I/O thread is done with the message.
 *
 * \details For a blocking relay send without tags (a lossy reader's frames may be
 * overwritten under ZeroMQ; a tag header must sit in front of the frames). Messages are
 * sent in frame order; ZeroMQ may release them in another order (PUSH round-robins over
 * its peers), so frames are given back for consuming only from the oldest message on.
 * Must outlive the ZeroMQ context that holds its messages (the context releases them).
 */
class in_flight
{
public:
    in_flight() = default;
    in_flight(const in_flight&) = delete;
    in_flight& operator=(const in_flight&) = delete;

    /*! \brief A message over \p bytes at \p data, the \p frames after those in flight. */
    zmq::message_t message(const std::uint8_t* data, std::size_t bytes, std::size_t frames);

    /*! \brief Frames in messages ZeroMQ still holds (or that were not yet given back). */
    std::size_t frames() const { return d_frames; }

    /*!
     * \brief Takes back the released messages from the oldest on.
     * \returns their frames, in order: the caller consumes them
     */
    std::size_t released();

    /*! \brief Waits up to \p wait for ZeroMQ to release a message. */
    void wait_for_release(std::chrono::microseconds wait);

private:
    struct record {
        explicit record(std::size_t n, in_flight* o) : frames(n), owner(o) {}
        std::size_t frames;
        in_flight* owner;
        //! Set by ZeroMQ's I/O thread after its last read of the frames (release); read
        //! with acquire before the frames are consumed, so that the writer's later
        //! overwrite cannot race with ZeroMQ's read.
        std::atomic<bool> done{ false };
    };
    static void release(void* data, void* hint);

    std::deque<record> d_records; //!< oldest first; a deque keeps their addresses
    std::size_t d_frames = 0;
    std::mutex d_mutex;
    std::condition_variable d_released;
};

} // namespace roundpipers_cli

#endif /* INCLUDED_ROUNDPIPERS_CLI_IN_FLIGHT_H */
