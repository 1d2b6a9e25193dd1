/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "control_region.h"
#include "futex.h"
#include <roundpipers/pipe_core.h>
#include <roundpipers/pipe_error.h>
#include <unistd.h>
#include <algorithm>
#include <new>

namespace roundpipers {

namespace {

constexpr std::size_t max_reader_slots = 4096;

std::size_t physical_memory_bytes()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    return pages > 0 ? static_cast<std::size_t>(pages) * memfd_ring::page_size() : SIZE_MAX;
}

} // namespace

std::shared_ptr<pipe_core> pipe_core::create(const std::string& name,
                                             std::size_t capacity_frames,
                                             const frame_shape& shape,
                                             element_type type,
                                             std::size_t element_bytes,
                                             const pipe_options& options)
{
    const std::string who = "pipe '" + name + "'";
    if (name.find('\0') != std::string::npos)
        throw pipe_error(errc::invalid_argument,
                         "pipe name contains a NUL byte at offset " +
                             std::to_string(name.find('\0')) + ": '" +
                             name.substr(0, name.find('\0')) + "...'");
    if (capacity_frames == 0)
        throw pipe_error(errc::invalid_argument,
                         who + ": capacity must be at least 1 frame (got 0)");
    if (element_bytes == 0)
        throw pipe_error(errc::invalid_argument, who + ": element size is 0 bytes");
    if (options.max_readers == 0 || options.max_readers > max_reader_slots)
        throw pipe_error(errc::invalid_argument,
                         who + ": max_readers must be between 1 and " +
                             std::to_string(max_reader_slots) + " (got " +
                             std::to_string(options.max_readers) + ")");
    const std::size_t elements = roundpipers::frame_elements(shape, who);
    if (elements > SIZE_MAX / element_bytes)
        throw pipe_error(errc::invalid_argument,
                         who + ": a frame of shape " + to_string(shape) + " of " +
                             std::to_string(element_bytes) +
                             "-byte elements overflows size_t");
    const std::size_t frame_bytes = elements * element_bytes;
    if (capacity_frames > SIZE_MAX / frame_bytes)
        throw pipe_error(errc::invalid_argument,
                         who + ": capacity of " + std::to_string(capacity_frames) +
                             " frames of " + std::to_string(frame_bytes) +
                             " bytes overflows size_t");
    const std::size_t ring_bytes =
        memfd_ring::ring_bytes_for(capacity_frames * frame_bytes, frame_bytes, who);
    const std::size_t page = memfd_ring::page_size();
    const std::size_t control_bytes =
        (detail::control_region_bytes(options.max_readers) + page - 1) / page * page;
    const std::size_t memory = physical_memory_bytes();
    if (ring_bytes > memory || control_bytes > memory - ring_bytes)
        throw pipe_error(errc::invalid_argument,
                         who + ": capacity of " + std::to_string(capacity_frames) +
                             " frames of " + std::to_string(frame_bytes) + " bytes needs " +
                             std::to_string(ring_bytes + control_bytes) +
                             " bytes, more than the " + std::to_string(memory) +
                             " bytes of memory of this machine");

    memfd_ring ring("roundpipers:" + name, ring_bytes, control_bytes, options.prefault);
    return std::shared_ptr<pipe_core>(new pipe_core(name,
                                                    ring_bytes / frame_bytes,
                                                    shape,
                                                    elements,
                                                    frame_bytes,
                                                    type,
                                                    element_bytes,
                                                    options.max_readers,
                                                    std::move(ring)));
}

pipe_core::pipe_core(const std::string& name,
                     std::size_t capacity_frames,
                     const frame_shape& shape,
                     std::size_t frame_elements,
                     std::size_t frame_bytes,
                     element_type type,
                     std::size_t element_bytes,
                     std::size_t max_readers,
                     memfd_ring&& ring)
    : d_name(name),
      d_capacity_frames(capacity_frames),
      d_shape(shape),
      d_frame_elements(frame_elements),
      d_frame_bytes(frame_bytes),
      d_type(type),
      d_element_bytes(element_bytes),
      d_max_readers(max_readers),
      d_ring(std::move(ring)),
      d_ctl(nullptr)
{
    // The memfd is zero-filled; value-initialisation constructs the atomics in place
    // (zero) before anything else can see the region.
    d_ctl = new (d_ring.control()) detail::control_region();
    for (std::size_t i = 0; i < max_readers; ++i) {
        auto* s = new (&d_ctl->slots()[i]) detail::reader_slot();
        s->wake_at.store(detail::not_waiting, std::memory_order_relaxed);
    }
    auto& h = d_ctl->header;
    h.version = detail::control_version;
    h.element_type = static_cast<std::uint32_t>(type);
    h.element_bytes = element_bytes;
    h.frame_bytes = frame_bytes;
    h.capacity_frames = capacity_frames;
    h.ring_bytes = d_ring.ring_bytes();
    h.control_bytes = d_ring.control_bytes();
    h.frame_rank = static_cast<std::uint32_t>(shape.size());
    h.max_readers = static_cast<std::uint32_t>(max_readers);
    for (std::size_t r = 0; r < shape.size(); ++r)
        d_ctl->shape.extents[r] = shape[r];
    d_ctl->writer_wait.needs.store(detail::not_waiting, std::memory_order_relaxed);
    // Release: a process that maps the memfd and sees the magic sees the whole header.
    std::atomic_thread_fence(std::memory_order_release);
    h.magic = detail::control_magic;
}

pipe_core::~pipe_core() = default;

detail::reader_slot& pipe_core::slot(std::size_t i) const { return d_ctl->slots()[i]; }

std::uint64_t pipe_core::written() const
{
    // acquire: frames up to the returned count are visible to the caller
    return d_ctl->written.value.load(std::memory_order_acquire);
}

bool pipe_core::is_closed() const
{
    // acquire: a caller that sees the flag sees the final `written` (stored before it)
    return d_ctl->flags.flags.load(std::memory_order_acquire) & detail::flag_closed;
}

bool pipe_core::has_writer() const
{
    // acquire: a snapshot, ordered after what the flag's writer did before setting it
    const auto f = d_ctl->flags.flags.load(std::memory_order_acquire);
    return (f & detail::flag_writer) && !(f & detail::flag_closed);
}

std::size_t pipe_core::reader_count() const
{
    // acquire: a snapshot; slots up to high water are initialised before being counted
    const auto high = d_ctl->flags.slot_high_water.load(std::memory_order_acquire);
    std::size_t n = 0;
    for (std::uint32_t i = 0; i < high; ++i) {
        const auto st = slot(i).state.load(std::memory_order_acquire);
        n += (st == detail::slot_blocking || st == detail::slot_lossy);
    }
    return n;
}

pipe_state pipe_core::state() const
{
    pipe_state s;
    s.written = written();
    s.capacity = d_capacity_frames;
    const std::uint64_t m = min_blocking_cursor();
    s.consumed = m == UINT64_MAX ? s.written : m;
    if (m == UINT64_MAX)
        s.available = d_capacity_frames;
    else if (m + d_capacity_frames > s.written)
        s.available = std::min<std::uint64_t>(d_capacity_frames,
                                              m + d_capacity_frames - s.written);
    return s;
}

std::uint64_t pipe_core::min_blocking_cursor() const
{
    // seq_cst loads: they pair with the seq_cst cursor/state stores of readers and the
    // writer's seq_cst store of writer_wait.needs (see notify_writer and docs/design.md).
    const auto high = d_ctl->flags.slot_high_water.load(std::memory_order_seq_cst);
    std::uint64_t m = UINT64_MAX;
    for (std::uint32_t i = 0; i < high; ++i) {
        auto& s = slot(i);
        if (s.state.load(std::memory_order_seq_cst) == detail::slot_blocking)
            m = std::min(m, s.cursor.load(std::memory_order_seq_cst));
    }
    return m;
}

void pipe_core::notify_writer()
{
    auto& ww = d_ctl->writer_wait;
    // seq_cst: the caller just stored its cursor (or slot state) seq_cst; either the
    // writer's re-check after storing `needs` sees that store, or this load sees `needs`.
    std::uint64_t needs = ww.needs.load(std::memory_order_seq_cst);
    if (needs == detail::not_waiting)
        return;
    if (min_blocking_cursor() < needs)
        return; // another blocking reader is still behind; its consume will wake
    // Claim the wake-up so that several readers crossing together make one syscall.
    if (!ww.needs.compare_exchange_strong(needs, detail::not_waiting,
                                          std::memory_order_seq_cst))
        return;
    ww.space_seq.fetch_add(1, std::memory_order_seq_cst);
    detail::futex_wake(&ww.space_seq, 1);
}

void pipe_core::wake_readers(std::uint64_t written, bool all)
{
    const auto high = d_ctl->flags.slot_high_water.load(std::memory_order_seq_cst);
    for (std::uint32_t i = 0; i < high; ++i) {
        auto& s = slot(i);
        std::uint64_t wake_at = s.wake_at.load(std::memory_order_seq_cst);
        if (wake_at == detail::not_waiting || (!all && wake_at > written))
            continue;
        // Claim this sleeper's wake-up: the writer wakes it once, not on every publish.
        if (!s.wake_at.compare_exchange_strong(wake_at, detail::not_waiting,
                                               std::memory_order_seq_cst))
            continue;
        s.data_seq.fetch_add(1, std::memory_order_seq_cst);
        detail::futex_wake(&s.data_seq, 1);
    }
}

} // namespace roundpipers
