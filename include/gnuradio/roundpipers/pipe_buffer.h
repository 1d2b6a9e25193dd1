/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_PIPE_BUFFER_H
#define INCLUDED_ROUNDPIPERS_PIPE_BUFFER_H

#include <gnuradio/buffer.h>
#include <gnuradio/buffer_type.h>
#include <gnuradio/roundpipers/api.h>
#include <gnuradio/roundpipers/pipe_endpoint.h>
#include <roundpipers/memfd_ring.h>
#include <memory>
#include <mutex>
#include <optional>

namespace gr {
namespace roundpipers {

/*!
 * \brief A GNU Radio buffer whose memory is a round_pipers memfd ring.
 * \ingroup roundpipers_blocks
 *
 * \details
 * A double-mapped gr::buffer (buffer_mapping_type::double_mapped, so readers are plain
 * gr::buffer_readers) built on the core's memfd_ring: MFD_CLOEXEC, sealed, reserved
 * with PROT_NONE then mapped twice with MAP_FIXED, size a multiple of
 * lcm(page size, item size). Any block puts it on its output edges by naming
 * pipe_buffer::type in its io_signature:
 * \code
 *   gr::io_signature::make(1, 1, sizeof(float), gr::roundpipers::pipe_buffer::type)
 * \endcode
 * When the buffer's owner is a pipe_endpoint (pipe_source's output, pipe_sink's input),
 * the buffer is the named pipe's own ring, so frames cross between the flowgraph and
 * outside code without a copy. Declare the type on outputs; see docs/gnuradio.md for
 * the GNU Radio 3.10.5 quirks on inputs and fan-out.
 *
 * Thread safety: as any gr::buffer (GNU Radio's scheduler holds its mutex).
 */
class ROUNDPIPERS_API pipe_buffer : public gr::buffer
{
public:
    /*! \brief The buffer type to name in an io_signature. */
    static gr::buffer_type type;

    /*!
     * \brief The factory GNU Radio calls through pipe_buffer::type.
     * \param nitems minimum number of items (ignored when built over a pipe, whose
     * capacity is used)
     * \param sizeof_item item size in bytes
     * \param downstream_lcm_nitems unused (the mirror makes every span contiguous)
     * \param downstream_max_out_mult unused
     * \param link the block that writes the buffer
     * \param buf_owner the block that owns the buffer (asked for a pipe when it is a
     * pipe_endpoint)
     */
    static gr::buffer_sptr make_buffer(int nitems,
                                       std::size_t sizeof_item,
                                       uint64_t downstream_lcm_nitems,
                                       uint32_t downstream_max_out_mult,
                                       gr::block_sptr link = gr::block_sptr(),
                                       gr::block_sptr buf_owner = gr::block_sptr());

    ~pipe_buffer() override;

    /*! \brief Free items for the writer: bufsize - 1 - the largest reader backlog. */
    int space_available() override;
    /*! \brief Nothing to do: host memory. */
    void post_work(int nitems) override;
    /*! \brief pipe_buffer::type (no `override`: the hook exists only after 3.10.12). */
    gr::buffer_type get_buffer_type() const { return type; }

    /*! \brief The pipe whose ring this buffer is, or null for a plain memfd edge. */
    std::shared_ptr<::roundpipers::pipe_core> pipe() const;
    /*! \brief The memfd of the edge's memory. */
    int fd() const;

    /*! \brief Where an item lives: its index plus the slot offset of the edge. */
    void* write_pointer() override;
    const void* _read_pointer(unsigned int read_index) override;

    /*!
     * \brief Makes the edge's current index 0 the pipe's frame \p start_frame.
     * \details For a pipe-backed edge that GNU Radio kept across lock()/unlock(): it
     * resets the edge's indices to 0, while the pipe's frames go on where they were.
     */
    void realign(std::uint64_t start_frame);

    /*!
     * \brief Moves the edge from the pipe's ring to memory of its own, zeroed, of the
     * same size, while nothing is read or written yet; pipe() is null afterwards.
     * \details Done when a reader with history is connected to a pipe_source's edge
     * (GNU Radio shows it the history - 1 items before the first, zeros on a plain
     * edge, while in the ring those slots may hold frames written ahead), and by a
     * source whose edge GNU Radio kept across lock()/unlock() but whose stream was
     * renewed. The source then copies frames into this memory.
     */
    void use_own_memory();

protected:
    unsigned index_add(unsigned a, unsigned b) override;
    unsigned index_sub(unsigned a, unsigned b) override;

private:
    pipe_buffer(int nitems,
                std::size_t sizeof_item,
                uint64_t downstream_lcm_nitems,
                uint32_t downstream_max_out_mult,
                gr::block_sptr link,
                const edge_binding& binding,
                bool any_reader);

    static void check_no_orphaned_readers(const gr::block_sptr& producer,
                                          const gr::block_sptr& consumer,
                                          std::size_t sizeof_item);
    /*! Refuses a ring smaller than what the blocks after \p writer read at once. */
    static void check_room_for_readers(int nitems,
                                       std::size_t sizeof_item,
                                       gr::block& writer,
                                       const ::roundpipers::pipe_core& pipe);

    // Set at construction; reset at most once, by use_own_memory(), which a source's
    // start() may call while a downstream sink's start() asks for pipe() (other threads).
    mutable std::mutex d_pipe_mutex;
    std::shared_ptr<::roundpipers::pipe_core> d_pipe;
    // Made for its writer's output (a pipe_source), not to replace a sink's upstream
    // buffer: stock blocks and pipe_sinks may read it together (see index_sub).
    bool d_any_reader;
    unsigned d_slot_offset = 0; // ring slot of the edge's index 0
    std::optional<::roundpipers::memfd_ring> d_ring; // own memory when not over a pipe
};

} // namespace roundpipers
} // namespace gr

#endif /* INCLUDED_ROUNDPIPERS_PIPE_BUFFER_H */
