/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_CONTROL_REGION_H
#define INCLUDED_ROUNDPIPERS_CONTROL_REGION_H

#include <roundpipers/frame_shape.h>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace roundpipers {
namespace detail {

/*
 * The shared state of a pipe, at offset 0 of its memfd. Everything here is fixed-size
 * and pointer-free so that another process mapping the same memfd sees the same pipe.
 * Each group of fields that one role writes sits on its own 128-byte line (two 64-byte
 * lines: adjacent-line prefetch would otherwise couple neighbours). See docs/design.md
 * for who writes what and the memory order of every access.
 */

constexpr std::size_t line_bytes = 128;
constexpr std::uint64_t control_magic = 0x5352455049504e52ULL; // "RNPIPERS" little-endian
// 2: separate control and ring memfds, process owners for liveness, per-reader losses
// 3: the tag area after the reader slots
constexpr std::uint32_t control_version = 4;
constexpr std::uint64_t not_waiting = UINT64_MAX;
constexpr std::size_t max_reader_slots = 4096; // reader slots a control region may have

/*! Bits of flags_line::flags. */
constexpr std::uint32_t flag_writer = 1u; // a writer was acquired
constexpr std::uint32_t flag_closed = 2u; // the stream ended for good
constexpr std::uint32_t flag_writer_lost = 4u; // the writer's process died before close()
constexpr std::uint32_t flag_maker_lost = 8u;  // the maker's process died (or let go)
constexpr std::uint32_t flag_writer_moves = 16u; // the writer's waits are probes (a bridge)

/*! Bits of reader_slot::options. */
constexpr std::uint32_t slot_moves_while_waiting = 1u; // a bridge: frees frames meanwhile

/*! States of reader_slot::state. */
constexpr std::uint32_t slot_free = 0;
constexpr std::uint32_t slot_claimed = 1; // being set up; the writer ignores it
constexpr std::uint32_t slot_blocking = 2;
constexpr std::uint32_t slot_lossy = 3;

static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "shared-memory counters need lock-free 64-bit atomics");
static_assert(std::atomic<std::uint32_t>::is_always_lock_free,
              "futex words need lock-free 32-bit atomics");
static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t),
              "futex words must be plain 32-bit integers");

/*! Written once at creation, read-only afterwards. */
struct alignas(line_bytes) header_line {
    std::uint64_t magic;
    std::uint32_t version;
    std::uint32_t element_type; // roundpipers::element_type
    std::uint64_t element_bytes;
    std::uint64_t frame_bytes;
    std::uint64_t capacity_frames;
    std::uint64_t ring_bytes;
    std::uint64_t control_bytes;
    std::uint32_t frame_rank;
    std::uint32_t max_readers;
    std::uint32_t fence_mode; // fence_symmetric or fence_asymmetric (see fence.h)
    std::uint32_t reserved;
    std::uint64_t tag_capacity; // entries of the tag area
    std::uint64_t tag_bytes;    // bytes of its key and value ring
};

/*! Values of header_line::fence_mode: how the hot path pairs with sleepers. */
constexpr std::uint32_t fence_symmetric = 0;  // seq_cst stores on the hot path
constexpr std::uint32_t fence_asymmetric = 1; // release stores; sleepers call heavy_fence()

struct alignas(line_bytes) shape_block {
    std::uint64_t extents[max_frame_rank + 1];
};

/*! A 64-bit cursor alone on its line. */
struct alignas(line_bytes) cursor_line {
    std::atomic<std::uint64_t> value;
};

/*!
 * The frames and the tags the writer published. They share a line: readers load the
 * tag count right after `written` and pay no extra cache miss for it; the writer
 * stores `tags` only when it publishes tags.
 */
struct alignas(line_bytes) written_line {
    std::atomic<std::uint64_t> value; // frames published
    std::atomic<std::uint64_t> tags;  // tag entries published (absolute index)
};

/*!
 * The oldest tag entry still valid, and where the writer frees entries from. Written
 * by the writer only when its tag area is full (rare); readers look at it only when
 * they have tags to read.
 */
struct alignas(line_bytes) tag_tail_line {
    std::atomic<std::uint64_t> entries;   // entries before this index may be overwritten
    std::atomic<std::uint64_t> frame_end; // every freed entry's frame is below this
};

/*!
 * One tag: its frame and where its key and value bytes are in the byte ring. Fields
 * are relaxed atomics: a lossy reader may read an entry while the writer replaces it,
 * and detects that afterwards through tag_tail_line (docs/design.md, tags).
 */
struct tag_entry {
    std::atomic<std::uint64_t> frame;
    std::atomic<std::uint64_t> bytes_at;    // absolute byte position of the key
    std::atomic<std::uint32_t> key_bytes;   // the value follows the key
    std::atomic<std::uint32_t> value_bytes;
};
static_assert(sizeof(tag_entry) == 24, "tag entries are packed: a fixed shared layout");

/*! Writer ownership and reader registration: written rarely, read on slow paths. */
struct alignas(line_bytes) flags_line {
    std::atomic<std::uint32_t> flags;            // flag_writer | flag_closed
    std::uint32_t reserved;                      // zero
    // Low 32 bits: registered readers are in slots [0, high) (one being registered may
    // not be yet: docs/design.md section 7). High 32 bits: a count bumped by every
    // change, so that a lowering computed from an old value fails instead of undoing a
    // registration's raise (see high_water_after and docs/design.md section 7).
    std::atomic<std::uint64_t> slot_high_water;
    std::atomic<std::uint64_t> reader_epoch;     // bumped by each reader registration
    std::atomic<std::uint64_t> window_limit;     // 0, or the most frames a blocking
                                                 // reader can hold (a bridge's writer)
};

/*! The slot high-water mark in a slot_high_water word. */
inline std::uint32_t high_water_of(std::uint64_t word) { return std::uint32_t(word); }

/*! The word that sets the high-water mark to \p high after \p word (count + 1). */
inline std::uint64_t high_water_after(std::uint64_t word, std::uint32_t high)
{
    return (((word >> 32) + 1) << 32) | high;
}

/*! Readers asleep on their slots' futex words (written only when a reader sleeps). */
struct alignas(line_bytes) sleepers_line {
    std::atomic<std::uint32_t> readers_sleeping;
};

/*! The writer's sleep: the slowest-reader position it waits for, and its futex word. */
struct alignas(line_bytes) writer_wait_line {
    std::atomic<std::uint64_t> needs; // not_waiting, or min blocking cursor it needs
    std::atomic<std::uint32_t> space_seq;
};

/*!
 * Which processes hold the pipe: a process_token (see process_token.h) or 0. Each is
 * written by its role and cleared (compare-exchange) by whoever finds its process dead.
 */
struct alignas(line_bytes) owners_line {
    std::atomic<std::uint64_t> maker;  // the process that made the pipe and serves its name
    std::atomic<std::uint64_t> writer; // the process of the latest writer
};

/*!
 * Which slots have a reader asleep (bit i of word i / 64): set before the reader arms
 * wake_at, cleared after it disarms. A publish looks at these 64 words, not at every
 * slot, so waking costs the same whatever the number of slots.
 */
struct alignas(line_bytes) sleeper_map {
    std::atomic<std::uint64_t> words[max_reader_slots / 64];
};

/*! One reader: its cursor (owned by the reader) and its sleep. */
struct alignas(line_bytes) reader_slot {
    std::atomic<std::uint64_t> cursor;  // absolute position, written by its reader
    std::atomic<std::uint64_t> wake_at; // not_waiting, or `written` it sleeps for
    std::atomic<std::uint32_t> state;   // slot_free / claimed / blocking / lossy
    std::atomic<std::uint32_t> data_seq; // futex word the reader sleeps on
    std::atomic<std::uint64_t> owner;   // process_token of the reader's process
    std::atomic<std::uint64_t> lost;    // frames lost to overruns (for `roundpipers stat`)
    std::atomic<std::uint32_t> options; // slot_moves_while_waiting
};

struct control_region {
    header_line header;
    shape_block shape;
    written_line written;     // frames and tags published; written by the writer only
    cursor_line reserve_head; // end of the writer's latest reservation (max so far)
    flags_line flags;
    sleepers_line sleepers;
    writer_wait_line writer_wait;
    owners_line owners;
    sleeper_map asleep;
    tag_tail_line tag_tail;
    // reader_slot slots[max_readers] follow, see slots(), then the tag area:
    // tag_entry entries[tag_capacity] and the key and value ring of tag_bytes bytes.

    reader_slot* slots()
    {
        return reinterpret_cast<reader_slot*>(reinterpret_cast<std::uint8_t*>(this) +
                                              sizeof(control_region));
    }
};

static_assert(sizeof(control_region) % line_bytes == 0, "slots start on a line");

/*! Bytes of the control region for \p max_readers slots, without the tag area. */
constexpr std::size_t control_region_bytes(std::size_t max_readers)
{
    return sizeof(control_region) + max_readers * sizeof(reader_slot);
}

/*! Bytes of the tag area of \p tag_capacity entries and \p tag_bytes key and value bytes. */
constexpr std::size_t tag_area_bytes(std::size_t tag_capacity, std::size_t tag_bytes)
{
    return tag_capacity * sizeof(tag_entry) + tag_bytes;
}

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_CONTROL_REGION_H */
