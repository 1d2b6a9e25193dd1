/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_CORE_H
#define INCLUDED_ROUNDPIPERS_PIPE_CORE_H

#include <roundpipers/core_api.h>
#include <roundpipers/detail/ring_geometry.h>
#include <roundpipers/element_type.h>
#include <roundpipers/frame_shape.h>
#include <roundpipers/memfd_ring.h>
#include <roundpipers/pipe_state.h>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace roundpipers {

namespace detail {
struct control_region;
struct reader_slot;
class tag_area;
} // namespace detail

class writer_core;
class reader_core;

/*!
 * \brief The type-erased engine of a pipe: a memfd ring, its control region and the
 * frame layout. pipe<T, Meta> is a typed face over it.
 * \ingroup roundpipers_core
 *
 * \details
 * Frames are `frame_bytes()` bytes; positions are absolute 64-bit frame counts. The
 * ring holds `capacity()` frames; frame f lives at `frame_ptr(f)`, and `capacity()`
 * frames from there are contiguous thanks to the double mapping. All shared state
 * (cursors, reader slots, flags, futex words) is in the memfd's control region.
 *
 * Thread safety: all members may be called from any thread. Writer and reader roles
 * go through writer_core and reader_core.
 */
class ROUNDPIPERS_CORE_API pipe_core
{
public:
    /*!
     * \brief Creates the memfd ring and initialises its control region.
     * \param name the pipe's name (a label in /proc/\<pid\>/maps; no NUL byte)
     * \param capacity_frames requested capacity in frames (rounded up, see capacity())
     * \param shape the frame shape
     * \param type the element type code recorded in the control region
     * \param element_bytes sizeof the element type
     * \param options reader slots and prefaulting
     * \throws pipe_error errc::invalid_argument for bad arguments, errc::system_error
     * when a system call fails (nothing is left behind)
     */
    static std::shared_ptr<pipe_core> create(const std::string& name,
                                             std::size_t capacity_frames,
                                             const frame_shape& shape,
                                             element_type type,
                                             std::size_t element_bytes,
                                             const pipe_options& options = {});

    /*!
     * \brief Maps the shared pipe \p name of another process (or of this one).
     * \details Waits up to `options.timeout` for the name to appear. The frames are
     * mapped read-only; writer_core asks for writable ones (ensure_writable()). Every
     * value of the peer's control region is checked before it is trusted.
     * \throws pipe_error errc::not_found after the timeout, errc::invalid_argument for
     * a bad name, a wrong shape, another library version or a refused credential,
     * errc::corrupted for a control region no roundpipers pipe has
     */
    static std::shared_ptr<pipe_core> attach(const std::string& name,
                                             const attach_options& options = {});

    ~pipe_core();
    pipe_core(const pipe_core&) = delete;
    pipe_core& operator=(const pipe_core&) = delete;

    /*! \brief The pipe's name. */
    const std::string& name() const { return d_name; }
    /*! \brief Usable capacity in frames (>= requested; every slot usable). */
    std::size_t capacity() const { return d_capacity_frames; }
    /*! \brief The frame shape. */
    const frame_shape& shape() const { return d_shape; }
    /*! \brief Scalars per frame. */
    std::size_t frame_elements() const { return d_frame_elements; }
    /*! \brief Bytes per frame. */
    std::size_t frame_bytes() const { return d_frame_bytes; }
    /*! \brief The element type code. */
    element_type type() const { return d_type; }
    /*! \brief sizeof one element. */
    std::size_t element_bytes() const { return d_element_bytes; }
    /*! \brief The reader slots of the control region. */
    std::size_t max_readers() const { return d_max_readers; }
    /*! \brief Tags the pipe's tag area holds at once (pipe_options::tag_capacity). */
    std::size_t tag_capacity() const { return d_tag_capacity; }
    /*! \brief Key and value bytes the tag area holds. */
    std::size_t tag_byte_capacity() const { return d_tag_byte_capacity; }
    /*! \brief The memfd mapping (ring and control region). */
    const memfd_ring& ring() const { return d_ring; }

    /*! \brief Address of absolute frame \p frame in the first half of the ring. */
    std::uint8_t* frame_ptr(std::uint64_t frame) const { return d_geometry.frame_ptr(frame); }

    /*!
     * \brief The largest window a blocking reader can be given: the capacity, or less
     * when the writer says so (writer_core::set_window_limit).
     */
    std::size_t window_limit() const;
    /*!
     * \brief Sets window_limit() (0: the capacity). For the maker of a pipe that a
     * bridge writes (pipe_sink), before its writer exists; see writer_core::set_window_limit.
     */
    void set_window_limit(std::size_t frames);
    /*! \brief Frames ever published. */
    std::uint64_t written() const;
    /*! \brief True once the writer closed (or was destroyed). */
    bool is_closed() const;
    /*! \brief True while a writer holds the pipe (and it is not closed). */
    bool has_writer() const;
    /*! \brief Readers registered now. */
    std::size_t reader_count() const;
    /*! \brief A snapshot: written, the slowest blocking reader's position, free frames. */
    pipe_state state() const;

    /*! \brief True for a pipe made with pipe_options::shared (it serves its name). */
    bool is_shared() const { return d_shared; }
    /*! \brief True for a pipe mapped by attach(). */
    bool is_attached() const { return d_attached; }
    /*! \brief True once the writer's process died before closing the stream. */
    bool writer_lost() const;
    /*! \brief True once the maker's process died (or let go of a shared pipe). */
    bool maker_lost() const;
    /*! \brief Pid of the process that made the pipe. */
    std::uint32_t maker_pid() const;
    /*! \brief Pid of the process of the current (or last) writer, 0 if none ever. */
    std::uint32_t writer_pid() const;

    /*! \brief One registered reader, as `roundpipers stat` shows it. */
    struct reader_info {
        std::uint32_t pid = 0;      //!< its process
        std::uint64_t position = 0; //!< its absolute position
        std::uint64_t lost = 0;     //!< frames it lost to overruns
        bool lossy = false;
    };
    /*! \brief The readers registered now (a snapshot; values range-checked). */
    std::vector<reader_info> readers() const;

    /*!
     * \brief Frees what dead processes held: reader slots of dead readers (they stop
     * holding the writer back), the writer role of a dead writer (the stream ends,
     * writer_lost()), and a dead maker's pipe (the stream ends).
     * \details Called every 100 ms for shared and attached pipes by the process's
     * share service; safe to call from any thread at any time.
     */
    void release_dead_peers();

    /*!
     * \brief The slot high-water mark: registered readers are in slots [0, n) (one being
     * registered may not be yet). It falls when the readers at its top leave, so
     * scans (and waking) cost what the readers present cost.
     */
    std::size_t slot_high_water() const;

    /*!
     * \brief Makes the frames writable in this process (for the writer role of an
     * attached pipe; nothing to do elsewhere).
     * \throws pipe_error when the maker does not hand out a writable descriptor
     */
    void ensure_writable();

    /*!
     * \brief Throws errc::corrupted when the shared header no longer says what it said
     * when the pipe was made or attached (a peer wrote over it).
     */
    void check_intact() const;

private:
    friend class writer_core;
    friend class reader_core;
    friend class registry; // marks the engines it registers (d_registered)

    pipe_core(const std::string& name,
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
              bool asymmetric);

    detail::control_region& ctl() const { return *d_ctl; }
    detail::reader_slot& slot(std::size_t i) const;
    /*! The tag area after the reader slots. */
    detail::tag_area tags() const;

    /*! True while the writer sleeps for room that a cursor at \p position holds back. */
    bool writer_waits_for(std::uint64_t position) const;
    /*!
     * True when a sleeping blocking reader behind \p needs (it holds the writer back)
     * waits for frames past \p written (it waits for the writer).
     */
    bool reader_waits_for_frames(std::uint64_t needs, std::uint64_t written) const;
    /*! Reader slots that may be in use: the shared high-water mark, clamped. */
    std::size_t slot_limit() const;
    /*! After a slot was freed: lowers the high-water mark past free slots at its top. */
    void lower_high_water();
    /*! Ends the stream on behalf of a dead peer: sets \p why with flag_closed. */
    void close_for_peer(std::uint32_t why);
    /*! Min cursor over blocking readers, or UINT64_MAX when there is none. */
    std::uint64_t min_blocking_cursor() const;
    /*! Called after any store that may let a sleeping writer proceed. */
    void notify_writer();
    /*! Wakes sleeping readers whose wake_at <= written (all of them when \p all). */
    void wake_readers(std::uint64_t written, bool all);

    std::string d_name;
    std::size_t d_capacity_frames;
    frame_shape d_shape;
    std::size_t d_frame_elements;
    std::size_t d_frame_bytes;
    element_type d_type;
    std::size_t d_element_bytes;
    std::size_t d_max_readers;
    memfd_ring d_ring;
    detail::control_region* d_ctl;
    std::size_t d_tag_capacity;
    std::size_t d_tag_byte_capacity;
    bool d_shared = false;
    bool d_attached = false;
    bool d_registered = false; // its registry entry is erased with it
    bool d_asymmetric = false; // asymmetric fences (header fence_mode; docs/design.md 6)
    detail::ring_geometry d_geometry; // where each frame lives (frame_ptr)
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_PIPE_CORE_H */
