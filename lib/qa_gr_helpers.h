/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_QA_GR_HELPERS_H
#define INCLUDED_ROUNDPIPERS_QA_GR_HELPERS_H

#include <gnuradio/gr_complex.h>
#include <gnuradio/io_signature.h>
#include <gnuradio/roundpipers/pipe_buffer.h>
#include <gnuradio/sync_block.h>
#include <roundpipers/frame_shape.h>
#include <roundpipers/memfd_ring.h>
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <mutex>
#include <vector>

namespace gr {
namespace roundpipers {
namespace qa {

template <class T>
struct type_tag {
    using type = T;
};

/*! A test value for element k of a stream of T (complex values have both parts). */
template <class T>
T value_at(std::uint64_t k)
{
    if constexpr (std::is_same_v<T, gr_complex>)
        return gr_complex(float(k % 100000), -float(k % 1000));
    else
        return T(k % 97 + (k % 5) * 3);
}

/*!
 * Calls check(type_tag<T>{}, shape, frames) for every element type of the blocks and
 * the frame shapes [], [1024] and [3, 1000].
 */
template <class Check>
void for_every_type_and_shape(Check&& check)
{
    auto shapes = [&](auto tag) {
        check(tag, ::roundpipers::frame_shape{}, std::size_t(5000));
        check(tag, ::roundpipers::frame_shape{ 1024 }, std::size_t(300));
        check(tag, ::roundpipers::frame_shape{ 3, 1000 }, std::size_t(300));
    };
    shapes(type_tag<gr_complex>{});
    shapes(type_tag<float>{});
    shapes(type_tag<std::int32_t>{});
    shapes(type_tag<std::int16_t>{});
    shapes(type_tag<std::uint8_t>{});
}

/*!
 * The address in the ring's first half of \p p: a window that runs past the end of the
 * ring continues into the mirror, the same memory one ring further on.
 */
inline const void* in_first_half(const ::roundpipers::memfd_ring& ring, const void* p)
{
    const auto* b = static_cast<const std::uint8_t*>(p);
    return b >= ring.data() + ring.ring_bytes() ? b - ring.ring_bytes() : b;
}

/*! How many frames k were at the same memory in \p a and \p b (addresses in the ring). */
inline std::size_t same_addresses(const ::roundpipers::memfd_ring& ring,
                                  const std::vector<const void*>& a,
                                  const std::vector<const void*>& b)
{
    std::size_t same = 0;
    for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k)
        same += in_first_half(ring, a[k]) == in_first_half(ring, b[k]);
    return same;
}

/*!
 * A source of int32 frames of `frame_len` values: frame k holds k * frame_len + i.
 * It records the address it wrote each frame to, and stops after `frames` frames.
 * When `pipe_typed`, its output edge is a pipe_buffer (declared in its signature).
 * With a `tag_period`, frame k of every multiple of it carries the tag "k" -> k.
 */
class counting_source : public gr::sync_block
{
public:
    counting_source(std::size_t frame_len,
                    std::uint64_t frames,
                    bool pipe_typed = false,
                    std::uint64_t tag_period = 0)
        : gr::sync_block(
              "counting_source",
              gr::io_signature::make(0, 0, 0),
              pipe_typed
                  ? gr::io_signature::make(
                        1, 1, int(frame_len * sizeof(std::int32_t)), pipe_buffer::type)
                  : gr::io_signature::make(1, 1, int(frame_len * sizeof(std::int32_t)))),
          d_frame_len(frame_len),
          d_frames(frames),
          d_tag_period(tag_period)
    {
    }

    int
    work(int noutput_items, gr_vector_const_void_star&, gr_vector_void_star& out) override
    {
        const std::uint64_t first = nitems_written(0);
        if (first >= d_frames)
            return WORK_DONE;
        const int n = int(std::min<std::uint64_t>(noutput_items, d_frames - first));
        auto* o = static_cast<std::int32_t*>(out[0]);
        std::lock_guard<std::mutex> lock(d_mutex);
        for (int f = 0; f < n; ++f) {
            if (d_addresses.size() < 4096)
                d_addresses.push_back(o + std::size_t(f) * d_frame_len);
            // Relaxed atomic stores: lossy readers may look at a frame while it is
            // overwritten (by design, detected after the fact); ThreadSanitizer then
            // checks only the pipe's own synchronisation.
            for (std::size_t i = 0; i < d_frame_len; ++i)
                __atomic_store_n(&o[std::size_t(f) * d_frame_len + i],
                                 std::int32_t((first + std::uint64_t(f)) * d_frame_len + i),
                                 __ATOMIC_RELAXED);
            const std::uint64_t k = first + std::uint64_t(f);
            if (d_tag_period && k % d_tag_period == 0)
                add_item_tag(0, k, pmt::intern("k"), pmt::from_uint64(k));
        }
        return n;
    }

    /*! Address of each of the first 4096 frames written. */
    std::vector<const void*> addresses()
    {
        std::lock_guard<std::mutex> lock(d_mutex);
        return d_addresses;
    }

private:
    std::size_t d_frame_len;
    std::uint64_t d_frames;
    std::uint64_t d_tag_period;
    std::mutex d_mutex;
    std::vector<const void*> d_addresses;
};

/*!
 * A sink of frames of `item_bytes` bytes that keeps a copy of every frame and the
 * address it read each of the first 4096 frames from.
 */
class probe_sink : public gr::sync_block
{
public:
    explicit probe_sink(std::size_t item_bytes)
        : gr::sync_block("probe_sink",
                         gr::io_signature::make(1, 1, int(item_bytes)),
                         gr::io_signature::make(0, 0, 0)),
          d_item_bytes(item_bytes)
    {
    }

    int
    work(int noutput_items, gr_vector_const_void_star& in, gr_vector_void_star&) override
    {
        const auto* p = static_cast<const std::uint8_t*>(in[0]);
        std::lock_guard<std::mutex> lock(d_mutex);
        for (int f = 0; f < noutput_items; ++f)
            if (d_addresses.size() < 4096)
                d_addresses.push_back(p + std::size_t(f) * d_item_bytes);
        d_bytes.insert(d_bytes.end(), p, p + std::size_t(noutput_items) * d_item_bytes);
        return noutput_items;
    }

    std::vector<std::uint8_t> bytes()
    {
        std::lock_guard<std::mutex> lock(d_mutex);
        return d_bytes;
    }
    std::vector<const void*> addresses()
    {
        std::lock_guard<std::mutex> lock(d_mutex);
        return d_addresses;
    }

private:
    std::size_t d_item_bytes;
    std::mutex d_mutex;
    std::vector<std::uint8_t> d_bytes;
    std::vector<const void*> d_addresses;
};

} // namespace qa
} // namespace roundpipers
} // namespace gr

#endif /* INCLUDED_ROUNDPIPERS_QA_GR_HELPERS_H */
