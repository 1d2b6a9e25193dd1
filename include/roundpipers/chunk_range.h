/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_CHUNK_RANGE_H
#define INCLUDED_ROUNDPIPERS_CHUNK_RANGE_H

#include <roundpipers/chunk_guard.h>
#include <roundpipers/deadline.h>
#include <roundpipers/read_span.h>
#include <chrono>
#include <iterator>

namespace roundpipers {

/*!
 * \brief The range iter_chunks() returns: yields a chunk_guard per window.
 * \ingroup roundpipers_core
 *
 * \details
 * Each step waits for `n_to_read` frames, yields them, and consumes `n_to_consume` when
 * the guard is destroyed. At end of stream the final partial chunk (0 < left <
 * n_to_read frames) is yielded once, and consumes all of them; then the range ends.
 * A lossy reader's overruns are skipped over (the next chunk's state().lost tells the
 * total). A timed range (iter_chunks_for) also ends when a wait times out.
 * status() tells why the range ended. The range must not outlive its reader.
 *
 * Thread safety: used by the reader's thread.
 */
template <class Reader>
class chunk_range
{
public:
    using value_type = typename Reader::value_type;

    /*! \brief Marks the end of the range. */
    struct sentinel {
    };

    /*! \brief Input iterator over the chunks. */
    class iterator
    {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = chunk_guard<typename Reader::value_type>;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = value_type;

        explicit iterator(chunk_range* range) : d_range(range) {}
        /*! \brief Hands the current chunk to a guard (once per step). */
        chunk_guard<typename Reader::value_type> operator*() const
        {
            return d_range->take();
        }
        iterator& operator++()
        {
            d_range->advance();
            return *this;
        }
        void operator++(int) { d_range->advance(); }
        /*! \brief True once the range has ended. */
        bool at_end() const { return d_range->d_done; }
        friend bool operator!=(const iterator& it, sentinel) { return !it.at_end(); }
        friend bool operator==(const iterator& it, sentinel) { return it.at_end(); }

    private:
        chunk_range* d_range;
    };

    chunk_range(Reader& reader,
                std::size_t n_to_read,
                std::size_t n_to_consume,
                std::chrono::nanoseconds timeout,
                bool timed)
        : d_reader(&reader),
          d_n_to_read(n_to_read),
          d_n_to_consume(n_to_consume),
          d_timeout(timeout),
          d_timed(timed)
    {
    }
    chunk_range(const chunk_range&) = delete;
    chunk_range& operator=(const chunk_range&) = delete;
    chunk_range(chunk_range&&) = delete;
    chunk_range& operator=(chunk_range&&) = delete;
    ~chunk_range()
    {
        if (d_pending)
            d_reader->consume(0);
    }

    /*! \brief Starts the iteration: waits for the first chunk. */
    iterator begin()
    {
        if (!d_started) {
            d_started = true;
            fetch();
        }
        return iterator(this);
    }
    sentinel end() const { return {}; }

    /*! \brief Why the range ended: end_of_stream, or timeout for a timed range. */
    read_status status() const { return d_status; }

private:
    friend class iterator;

    static read_status consume_thunk(void* reader, std::size_t k)
    {
        return static_cast<Reader*>(reader)->consume(k);
    }

    chunk_guard<value_type> take()
    {
        if (!d_pending)
            throw pipe_error(errc::chunk_outstanding,
                             "iter_chunks: this step's chunk was already taken");
        d_pending = false;
        return chunk_guard<value_type>(
            d_span.data(), d_span.state(), d_consume_now, d_reader, &consume_thunk,
            &d_span.tags());
    }

    void advance()
    {
        if (d_pending) {
            // The loop body did not take the chunk: consume it as a guard would.
            d_pending = false;
            d_reader->consume(d_consume_now);
        }
        if (!d_done)
            fetch();
    }

    void fetch()
    {
        for (;;) {
            const deadline until = d_timed ? deadline_after(d_timeout) : wait_forever;
            auto span = d_reader->get_until(d_n_to_read, until);
            switch (span.status()) {
            case read_status::ok:
                d_span = span;
                d_consume_now = d_n_to_consume;
                d_pending = true;
                return;
            case read_status::overrun:
                continue;
            case read_status::insufficient_data: {
                // End of stream with a short tail: hand it out once, consuming all of it.
                const std::size_t left = static_cast<std::size_t>(span.state().available);
                auto tail = d_reader->get_until(left, no_wait);
                if (tail) {
                    d_span = tail;
                    d_consume_now = left;
                    d_pending = true;
                    return;
                }
                d_status = tail.status();
                d_done = true;
                return;
            }
            case read_status::end_of_stream:
            case read_status::timeout:
                d_status = span.status();
                d_done = true;
                return;
            }
        }
    }

    Reader* d_reader;
    std::size_t d_n_to_read;
    std::size_t d_n_to_consume;
    std::chrono::nanoseconds d_timeout;
    bool d_timed;
    bool d_started = false;
    bool d_pending = false;
    bool d_done = false;
    std::size_t d_consume_now = 0;
    read_span<value_type> d_span;
    read_status d_status = read_status::ok;
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_CHUNK_RANGE_H */
