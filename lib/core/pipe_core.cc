/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "control_region.h"
#include "endpoint.h"
#include "fence.h"
#include "futex.h"
#include "process_token.h"
#include "registry_hook.h"
#include "share_service.h"
#include "tag_area.h"
#include <roundpipers/pipe_core.h>
#include <roundpipers/pipe_error.h>
#include <roundpipers/tag.h>
#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <new>

namespace roundpipers {

namespace {

using detail::max_reader_slots;

/*!
 * Memory the kernel says a new allocation can have without swapping (MemAvailable of
 * /proc/meminfo; the free pages where that line is missing). A pipe is prefaulted and
 * lives in memory, so this, not the total RAM, bounds it.
 */
std::size_t available_memory_bytes()
{
    if (std::FILE* f = std::fopen("/proc/meminfo", "re")) {
        char line[256];
        unsigned long long kib = 0;
        bool found = false;
        while (!found && std::fgets(line, sizeof line, f))
            found = std::sscanf(line, "MemAvailable: %llu kB", &kib) == 1;
        std::fclose(f);
        if (found)
            return static_cast<std::size_t>(kib) * 1024;
    }
    const long pages = ::sysconf(_SC_AVPHYS_PAGES);
    return pages > 0 ? static_cast<std::size_t>(pages) * memfd_ring::page_size() : SIZE_MAX;
}

/*! Offset of the tag area in the control region: after the slots, on its own page. */
std::size_t tag_area_offset(std::size_t max_readers)
{
    const std::size_t page = memfd_ring::page_size();
    return (detail::control_region_bytes(max_readers) + page - 1) / page * page;
}

/*! Rings may round up to whole pages freely up to this size; beyond, within 2x only. */
constexpr std::size_t free_rounding_bytes = std::size_t(4) << 20;

/*! Frames in lcm(page, frame_bytes): the step of ring sizes for such frames. */
std::size_t ring_bytes_quantum_frames(std::size_t frame_bytes)
{
    return memfd_ring::page_size() / std::gcd(memfd_ring::page_size(), frame_bytes);
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
    if (options.shared)
        detail::check_shared_name(name);
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
    if (options.tag_capacity > detail::tag_area::max_capacity)
        throw pipe_error(errc::invalid_argument,
                         who + ": tag_capacity must be at most " +
                             std::to_string(detail::tag_area::max_capacity) + " tags (got " +
                             std::to_string(options.tag_capacity) + ")");
    const std::size_t tag_capacity = options.tag_capacity
                                         ? options.tag_capacity
                                         : detail::tag_area::default_capacity(capacity_frames);
    const std::size_t tag_bytes = detail::tag_area::byte_capacity_for(tag_capacity);
    const std::size_t page = memfd_ring::page_size();
    // The tag area starts on a page of its own, so that prefaulting can leave it out.
    const std::size_t slots_bytes = tag_area_offset(options.max_readers);
    const std::size_t tags_bytes =
        (detail::tag_area_bytes(tag_capacity, tag_bytes) + page - 1) / page * page;
    const std::size_t control_bytes = slots_bytes + tags_bytes;
    const std::size_t asked_bytes = capacity_frames * frame_bytes;
    if (ring_bytes > free_rounding_bytes && ring_bytes / 2 > asked_bytes) {
        // The ring must hold whole frames and whole pages: odd frame sizes repeat their
        // page alignment only every lcm(page, frame) bytes.
        const std::size_t quantum_frames = ring_bytes_quantum_frames(frame_bytes);
        throw pipe_error(errc::invalid_argument,
                         who + ": frames of " + std::to_string(frame_bytes) +
                             " bytes line up with " + std::to_string(page) +
                             "-byte pages only every " + std::to_string(quantum_frames) +
                             " frames, so a capacity of " + std::to_string(capacity_frames) +
                             " frames would take " + std::to_string(ring_bytes) +
                             " bytes of memory (" + std::to_string(ring_bytes / asked_bytes) +
                             "x what it holds); ask for at least " +
                             std::to_string((quantum_frames + 1) / 2) +
                             " frames (for the same memory), or use frames whose size is a "
                             "multiple or a divisor of " + std::to_string(page) + " bytes");
    }
    const std::size_t memory = available_memory_bytes();
    if (ring_bytes > memory || control_bytes > memory - ring_bytes)
        throw pipe_error(errc::invalid_argument,
                         who + ": capacity of " + std::to_string(capacity_frames) +
                             " frames of " + std::to_string(frame_bytes) + " bytes needs " +
                             std::to_string(ring_bytes + control_bytes) +
                             " bytes, more than the " + std::to_string(memory) +
                             " bytes of memory available now (MemAvailable)");

    memfd_ring ring(
        "roundpipers:" + name, ring_bytes, control_bytes, options.prefault, tags_bytes);
    std::shared_ptr<pipe_core> core(new pipe_core(name,
                                                  ring_bytes / frame_bytes,
                                                  shape,
                                                  elements,
                                                  frame_bytes,
                                                  type,
                                                  element_bytes,
                                                  options.max_readers,
                                                  std::move(ring),
                                                  tag_capacity,
                                                  tag_bytes,
                                                  true,
                                                  detail::asymmetric_fences_available()));
    if (options.shared) {
        core->d_shared = true;
        detail::share_service::instance().publish(core); // name_in_use: core is released
    }
    return core;
}

namespace {

/*! The local copy of a peer's header, every field range-checked. */
struct checked_header {
    element_type type;
    std::size_t element_bytes;
    std::size_t frame_bytes;
    std::size_t frame_elements;
    std::size_t capacity_frames;
    std::size_t max_readers;
    std::size_t tag_capacity;
    std::size_t tag_bytes;
    frame_shape shape;
    bool asymmetric;
};

std::size_t known_element_bytes(element_type t)
{
    switch (t) {
    case element_type::int8:
    case element_type::uint8:
        return 1;
    case element_type::int16:
    case element_type::uint16:
        return 2;
    case element_type::int32:
    case element_type::uint32:
    case element_type::float32:
        return 4;
    case element_type::int64:
    case element_type::uint64:
    case element_type::float64:
    case element_type::complex64:
        return 8;
    case element_type::complex128:
        return 16;
    case element_type::other:
        break;
    }
    return 0;
}

checked_header check_header(const std::string& who, const memfd_ring& ring)
{
    if (ring.control_bytes() < sizeof(detail::control_region))
        throw pipe_error(errc::corrupted,
                         who + ": the control region has " +
                             std::to_string(ring.control_bytes()) + " bytes, fewer than a pipe's");
    // A peer may change the header while it is read: copy it once, check the copy.
    detail::header_line h;
    detail::shape_block sb;
    std::memcpy(&h, &static_cast<detail::control_region*>(ring.control())->header, sizeof(h));
    std::memcpy(&sb, &static_cast<detail::control_region*>(ring.control())->shape, sizeof(sb));
    std::atomic_thread_fence(std::memory_order_acquire); // pairs with the maker's release
    auto bad = [&](const std::string& what) {
        throw pipe_error(errc::corrupted,
                         who + ": its control region is not a valid pipe (" + what + ")");
    };
    if (h.magic != detail::control_magic)
        bad("no roundpipers magic number");
    if (h.version != detail::control_version)
        throw pipe_error(errc::invalid_argument,
                         who + ": it was made by a gr-roundpipers whose pipe layout is version " +
                             std::to_string(h.version) + "; this library reads version " +
                             std::to_string(detail::control_version) +
                             "; run the same gr-roundpipers version in both processes");
    checked_header c;
    c.type = static_cast<element_type>(h.element_type);
    if (h.element_type > static_cast<std::uint32_t>(element_type::complex128))
        bad("element type code " + std::to_string(h.element_type));
    const std::size_t known = known_element_bytes(c.type);
    if (h.element_bytes == 0 || (known && h.element_bytes != known))
        bad("element size " + std::to_string(h.element_bytes));
    if (h.frame_rank > max_frame_rank)
        bad("frame rank " + std::to_string(h.frame_rank));
    std::size_t elements = 1;
    for (std::uint32_t r = 0; r < h.frame_rank; ++r) {
        if (sb.extents[r] == 0 || elements > SIZE_MAX / sb.extents[r])
            bad("frame extent " + std::to_string(sb.extents[r]));
        elements *= sb.extents[r];
        c.shape.push_back(sb.extents[r]);
    }
    if (elements > SIZE_MAX / h.element_bytes || elements * h.element_bytes != h.frame_bytes)
        bad("frame size " + std::to_string(h.frame_bytes) + " bytes");
    if (h.ring_bytes != ring.ring_bytes() || h.control_bytes != ring.control_bytes())
        bad("sizes that differ from its memfds");
    if (h.frame_bytes == 0 || ring.ring_bytes() % h.frame_bytes != 0 ||
        h.capacity_frames != ring.ring_bytes() / h.frame_bytes)
        bad("capacity " + std::to_string(h.capacity_frames) + " frames");
    if (h.max_readers == 0 || h.max_readers > max_reader_slots ||
        detail::control_region_bytes(h.max_readers) > ring.control_bytes())
        bad(std::to_string(h.max_readers) + " reader slots");
    if (h.tag_capacity == 0 || h.tag_capacity > detail::tag_area::max_capacity ||
        h.tag_bytes < max_tag_key_bytes + max_tag_value_bytes ||
        h.tag_bytes > ring.control_bytes() ||
        tag_area_offset(h.max_readers) > ring.control_bytes() ||
        detail::tag_area_bytes(h.tag_capacity, h.tag_bytes) >
            ring.control_bytes() - tag_area_offset(h.max_readers))
        bad("a tag area of " + std::to_string(h.tag_capacity) + " tags and " +
            std::to_string(h.tag_bytes) + " bytes");
    if (h.fence_mode != detail::fence_symmetric && h.fence_mode != detail::fence_asymmetric)
        bad("fence mode " + std::to_string(h.fence_mode));
    c.asymmetric = h.fence_mode == detail::fence_asymmetric;
    if (c.asymmetric && !detail::asymmetric_fences_available())
        throw pipe_error(errc::invalid_argument,
                         who + ": its maker pairs publishes with sleepers through "
                               "membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED), which this "
                               "process cannot use (ROUNDPIPERS_SYMMETRIC_FENCES is set, or a "
                               "seccomp filter refuses membarrier); run both processes alike");
    c.element_bytes = h.element_bytes;
    c.frame_bytes = h.frame_bytes;
    c.frame_elements = elements;
    c.capacity_frames = h.capacity_frames;
    c.max_readers = h.max_readers;
    c.tag_capacity = h.tag_capacity;
    c.tag_bytes = h.tag_bytes;
    return c;
}

} // namespace

std::shared_ptr<pipe_core> pipe_core::attach(const std::string& name, const attach_options& options)
{
    const std::string who = "shared pipe '" + name + "'";
    auto reply = detail::request_pipe(name, detail::request_kind::reader,
                                      deadline_after(options.timeout));
    memfd_ring ring = memfd_ring::adopt(who, reply.control_fd, reply.ring_fd, false);
    const checked_header h = check_header(who, ring);
    if (options.shape && *options.shape != h.shape)
        throw pipe_error(errc::invalid_argument,
                         who + " has frames of shape " + to_string(h.shape) + ", not " +
                             to_string(*options.shape) +
                             " as asked; attach without a shape, or with the pipe's");
    std::shared_ptr<pipe_core> core(new pipe_core(name,
                                                  h.capacity_frames,
                                                  h.shape,
                                                  h.frame_elements,
                                                  h.frame_bytes,
                                                  h.type,
                                                  h.element_bytes,
                                                  h.max_readers,
                                                  std::move(ring),
                                                  h.tag_capacity,
                                                  h.tag_bytes,
                                                  false,
                                                  h.asymmetric));
    core->d_attached = true;
    detail::share_service::instance().watch(core);
    return core;
}

pipe_core::pipe_core(const std::string& name,
                     std::size_t capacity_frames,
                     const frame_shape& shape,
                     std::size_t frame_elements,
                     std::size_t frame_bytes,
                     element_type type,
                     std::size_t element_bytes,
                     std::size_t max_readers,
                     memfd_ring&& ring,
                     std::size_t tag_capacity,
                     std::size_t tag_byte_capacity,
                     bool initialise,
                     bool asymmetric)
    : d_name(name),
      d_capacity_frames(capacity_frames),
      d_shape(shape),
      d_frame_elements(frame_elements),
      d_frame_bytes(frame_bytes),
      d_type(type),
      d_element_bytes(element_bytes),
      d_max_readers(max_readers),
      d_ring(std::move(ring)),
      d_ctl(static_cast<detail::control_region*>(d_ring.control())),
      d_tag_capacity(tag_capacity),
      d_tag_byte_capacity(tag_byte_capacity),
      d_asymmetric(asymmetric),
      d_geometry(d_ring.data(), capacity_frames, frame_bytes)
{
    if (!initialise)
        return; // mapped from a peer: its header was checked by attach()
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
    h.fence_mode = asymmetric ? detail::fence_asymmetric : detail::fence_symmetric;
    h.tag_capacity = tag_capacity;
    h.tag_bytes = tag_byte_capacity;
    for (std::size_t r = 0; r < shape.size(); ++r)
        d_ctl->shape.extents[r] = shape[r];
    d_ctl->writer_wait.needs.store(detail::not_waiting, std::memory_order_relaxed);
    d_ctl->owners.maker.store(detail::self_token(), std::memory_order_relaxed);
    // Release: a process that maps the memfd and sees the magic sees the whole header.
    std::atomic_thread_fence(std::memory_order_release);
    h.magic = detail::control_magic;
}

pipe_core::~pipe_core()
{
    if (d_registered)
        detail::registry_forget(this);
    if (!d_shared && !d_attached)
        return;
    detail::share_service::instance().forget(this);
    if (d_shared)
        close_for_peer(detail::flag_maker_lost); // attached processes drain, then end
}

detail::reader_slot& pipe_core::slot(std::size_t i) const { return d_ctl->slots()[i]; }

detail::tag_area pipe_core::tags() const
{
    // A peer's area was checked to fit its control memfd (check_header).
    return detail::tag_area(static_cast<std::uint8_t*>(d_ring.control()) +
                                tag_area_offset(d_max_readers),
                            d_tag_capacity,
                            d_tag_byte_capacity);
}

std::size_t pipe_core::window_limit() const
{
    // relaxed: a bound set before the writer publishes, ordered with nothing; a value
    // from shared memory is clamped to [1, capacity]
    const std::uint64_t limit = d_ctl->flags.window_limit.load(std::memory_order_relaxed);
    return limit == 0 || limit > d_capacity_frames ? d_capacity_frames : std::size_t(limit);
}

void pipe_core::set_window_limit(std::size_t frames)
{
    // relaxed: read by readers at their next get() or look while waiting; no data
    // depends on it
    d_ctl->flags.window_limit.store(frames, std::memory_order_relaxed);
}

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
    const std::size_t high = slot_limit();
    std::size_t n = 0;
    for (std::size_t i = 0; i < high; ++i) {
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
    const std::size_t high = slot_limit();
    std::uint64_t m = UINT64_MAX;
    for (std::size_t i = 0; i < high; ++i) {
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
    // With asymmetric fences the caller's cursor store was a release store: two readers
    // that cross `needs` together could each miss the other's new cursor below and
    // neither wake the writer. A seq_cst fence, only while a writer waits, restores the
    // reader-against-reader pair: of two such fences the later one's scan sees both
    // stores (docs/design.md 6.6).
    if (d_asymmetric)
        std::atomic_thread_fence(std::memory_order_seq_cst);
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
    const std::size_t words = (slot_limit() + 63) / 64;
    for (std::size_t w = 0; w < words; ++w) {
        // seq_cst: a sleeper sets its bit before it arms wake_at and looks again after
        // a fence; see docs/design.md 6.5 (the bit is part of the arming).
        std::uint64_t bits = d_ctl->asleep.words[w].load(std::memory_order_seq_cst);
        while (bits) {
            const std::size_t i = w * 64 + std::size_t(__builtin_ctzll(bits));
            bits &= bits - 1;
            if (i >= d_max_readers)
                break; // a bit past the mapped slots: only a hostile peer sets it
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
}

bool pipe_core::writer_waits_for(std::uint64_t position) const
{
    // seq_cst: pairs with the writer's seq_cst store of `needs` before its last look at
    // the readers (writer_core::reserve); the reader armed its own wait before this load.
    const std::uint64_t needs = d_ctl->writer_wait.needs.load(std::memory_order_seq_cst);
    if (needs == detail::not_waiting || needs <= position)
        return false;
    return !(d_ctl->flags.flags.load(std::memory_order_seq_cst) & detail::flag_writer_moves);
}

bool pipe_core::reader_waits_for_frames(std::uint64_t needs, std::uint64_t written) const
{
    const std::size_t high = slot_limit();
    for (std::size_t i = 0; i < high; ++i) {
        auto& s = slot(i);
        // seq_cst loads: pair with the reader's seq_cst arming of wake_at before its
        // last look at `written` and at `needs` (reader_core::get).
        if (s.state.load(std::memory_order_seq_cst) != detail::slot_blocking ||
            (s.options.load(std::memory_order_seq_cst) & detail::slot_moves_while_waiting))
            continue;
        const std::uint64_t wake_at = s.wake_at.load(std::memory_order_seq_cst);
        if (wake_at == detail::not_waiting || wake_at <= written)
            continue;
        if (s.cursor.load(std::memory_order_seq_cst) < needs)
            return true;
    }
    return false;
}

std::size_t pipe_core::slot_limit() const
{
    // seq_cst: pairs with the seq_cst high-water changes, a registering reader's raise
    // and a departing reader's lowering (docs/design.md section 7). The shared value is
    // clamped: a peer cannot send the scans past the slots this process mapped.
    const std::size_t high =
        detail::high_water_of(d_ctl->flags.slot_high_water.load(std::memory_order_seq_cst));
    return std::min(high, d_max_readers);
}

std::size_t pipe_core::slot_high_water() const { return slot_limit(); }

void pipe_core::lower_high_water()
{
    // Lower the mark past free slots at its top, one at a time. seq_cst throughout:
    // the CAS fails if any change was counted since the load (a registration's raise
    // wins), and a load that reads a raise or anything after it sees that slot claimed,
    // so no live slot is left above the mark (docs/design.md section 7). A value from
    // shared memory beyond the slots this process mapped is left alone (a peer's
    // fault, clamped by slot_limit()), and the loop is bounded: giving up only leaves
    // the mark high, which costs speed, never safety.
    auto& mark = d_ctl->flags.slot_high_water;
    std::uint64_t word = mark.load(std::memory_order_seq_cst);
    for (std::size_t turn = 0; turn < 2 * d_max_readers; ++turn) {
        const std::uint32_t high = detail::high_water_of(word);
        if (high == 0 || high > d_max_readers ||
            slot(high - 1).state.load(std::memory_order_seq_cst) != detail::slot_free)
            return;
        const std::uint64_t lower = detail::high_water_after(word, high - 1);
        if (mark.compare_exchange_strong(word, lower, std::memory_order_seq_cst))
            word = lower; // else `word` holds the value that changed it: look again
    }
}

bool pipe_core::writer_lost() const
{
    // acquire: ordered after the peer-death check that set it (nothing else to see)
    return d_ctl->flags.flags.load(std::memory_order_acquire) & detail::flag_writer_lost;
}

bool pipe_core::maker_lost() const
{
    // acquire: as writer_lost()
    return d_ctl->flags.flags.load(std::memory_order_acquire) & detail::flag_maker_lost;
}

std::uint32_t pipe_core::maker_pid() const
{
    // relaxed: an identity for display, ordered with nothing
    return detail::token_pid(d_ctl->owners.maker.load(std::memory_order_relaxed));
}

std::uint32_t pipe_core::writer_pid() const
{
    // relaxed: an identity for display, ordered with nothing
    return detail::token_pid(d_ctl->owners.writer.load(std::memory_order_relaxed));
}

std::vector<pipe_core::reader_info> pipe_core::readers() const
{
    std::vector<reader_info> out;
    const std::size_t high = slot_limit();
    for (std::size_t i = 0; i < high; ++i) {
        auto& s = slot(i);
        // acquire: a registered slot's cursor and owner were stored before its state
        const auto st = s.state.load(std::memory_order_acquire);
        if (st != detail::slot_blocking && st != detail::slot_lossy)
            continue;
        reader_info r;
        // relaxed: display values, each read once and used as read
        r.pid = detail::token_pid(s.owner.load(std::memory_order_relaxed));
        r.position = s.cursor.load(std::memory_order_relaxed);
        r.lost = s.lost.load(std::memory_order_relaxed);
        r.lossy = st == detail::slot_lossy;
        out.push_back(r);
    }
    return out;
}

void pipe_core::close_for_peer(std::uint32_t why)
{
    // seq_cst, as writer_core::close(): a reader that sees the flag sees the final
    // `written`, and every armed sleeper is woken below. The first caller wins.
    const auto before =
        d_ctl->flags.flags.fetch_or(detail::flag_closed | why, std::memory_order_seq_cst);
    if (before & detail::flag_closed)
        return;
    wake_readers(0, true);
    // A writer of this or another process waiting for room re-checks and sees the flag.
    auto& ww = d_ctl->writer_wait;
    ww.space_seq.fetch_add(1, std::memory_order_seq_cst);
    detail::futex_wake(&ww.space_seq, INT32_MAX);
}

void pipe_core::release_dead_peers()
{
    const std::uint64_t self = detail::self_token();
    const std::size_t high = slot_limit();
    for (std::size_t i = 0; i < high; ++i) {
        auto& s = slot(i);
        // acquire: the owner stored before the state is the slot's current owner
        const auto st = s.state.load(std::memory_order_acquire);
        if (st != detail::slot_claimed && st != detail::slot_blocking && st != detail::slot_lossy)
            continue;
        std::uint64_t owner = s.owner.load(std::memory_order_acquire);
        if (owner == 0 || owner == self || detail::token_alive(owner))
            continue;
        // Claim the clean-up by clearing the owner (acq_rel CAS): of several processes
        // that find the same reader dead, one frees its slot, and a slot re-claimed by
        // a live reader meanwhile has another owner, so the CAS fails.
        if (!s.owner.compare_exchange_strong(owner, 0, std::memory_order_acq_rel))
            continue;
        // A dead sleeper left its wake-up armed: disarm it, its bit and its count.
        d_ctl->asleep.words[i / 64].fetch_and(~(std::uint64_t(1) << (i % 64)),
                                              std::memory_order_seq_cst);
        if (s.wake_at.exchange(detail::not_waiting, std::memory_order_seq_cst) !=
            detail::not_waiting) {
            auto& n = d_ctl->sleepers.readers_sleeping;
            std::uint32_t c = n.load(std::memory_order_seq_cst);
            while (c > 0 && !n.compare_exchange_weak(c, c - 1, std::memory_order_seq_cst)) {
            }
        }
        // seq_cst store then notify: as a reader's own departure (reader_core dtor).
        s.state.store(detail::slot_free, std::memory_order_seq_cst);
        notify_writer();
        lower_high_water();
    }

    const auto f = d_ctl->flags.flags.load(std::memory_order_acquire);
    if (f & detail::flag_closed)
        return;
    const std::uint64_t writer = d_ctl->owners.writer.load(std::memory_order_acquire);
    if ((f & detail::flag_writer) && writer != 0 && writer != self &&
        !detail::token_alive(writer))
        close_for_peer(detail::flag_writer_lost);
    const std::uint64_t maker = d_ctl->owners.maker.load(std::memory_order_acquire);
    if (maker != 0 && maker != self && !detail::token_alive(maker))
        close_for_peer(detail::flag_maker_lost);
}

void pipe_core::ensure_writable()
{
    if (d_ring.ring_writable())
        return;
    const std::string who = "shared pipe '" + d_name + "'";
    if (maker_lost())
        throw pipe_error(errc::closed,
                         who + ": its maker (pid " + std::to_string(maker_pid()) +
                             ") is gone, so it has no writer any more");
    auto reply = detail::request_pipe(d_name, detail::request_kind::writer,
                                      deadline_after(std::chrono::seconds(2)));
    ::close(reply.control_fd);
    if (reply.maker_pid != maker_pid()) {
        ::close(reply.ring_fd);
        throw pipe_error(errc::closed,
                         who + ": its maker (pid " + std::to_string(maker_pid()) +
                             ") is gone and the name now belongs to another pipe (pid " +
                             std::to_string(reply.maker_pid) + "); attach the name again");
    }
    d_ring.make_ring_writable(reply.ring_fd, who);
}

void pipe_core::check_intact() const
{
    const auto& h = d_ctl->header;
    // Plain loads of fields only a hostile peer changes after creation; any change
    // seen (torn or not) is reported.
    if (h.magic != detail::control_magic || h.version != detail::control_version ||
        h.capacity_frames != d_capacity_frames || h.frame_bytes != d_frame_bytes ||
        h.max_readers != d_max_readers)
        throw pipe_error(errc::corrupted,
                         "pipe '" + d_name +
                             "': its shared header was overwritten by another process (it no "
                             "longer describes this pipe); the pipe cannot be trusted");
}

} // namespace roundpipers
