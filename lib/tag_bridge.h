/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_TAG_BRIDGE_H
#define INCLUDED_ROUNDPIPERS_TAG_BRIDGE_H

#include <gnuradio/block.h>
#include <roundpipers/deadline.h>
#include <roundpipers/tag.h>
#include <roundpipers/writer_core.h>
#include <cstdint>
#include <deque>

namespace gr {
namespace roundpipers {

/*!
 * The stream tags of a pipe_sink's input on their way into the pipe: fetched from GNU
 * Radio as upstream writes them, turned into pipe tags (key: the key symbol's name;
 * value: pmt::serialize_str of the value), and handed to the writer frame by frame.
 * A tag that finds no room waits in the queue, and the frames from its own on wait
 * with it, so a reader never gets a frame before its tags.
 */
class stream_tag_queue
{
public:
    /*! \brief Starts a run: input item \p first_item is pipe frame \p first_frame. */
    void restart(uint64_t first_item, uint64_t first_frame);

    /*!
     * \brief Converts the stream tags of input items before \p end_item (once each).
     * \param blk the sink (its input 0 carries the tags)
     * \param logger where tags that cannot become pipe tags are reported
     */
    void fetch(gr::block& blk, uint64_t end_item, const gr::logger_ptr& logger);

    /*!
     * \brief Adds the queued tags of items before \p end_item to \p writer.
     * \param next_item the next item whose frame is not yet published
     * \return the item before which every frame has its tags in the writer (at most
     * \p end_item): frames up to there may be published
     * \details A tag of item next_item waits for room until \p until; a later one does
     * not wait (the frames before it are published first, then it waits). A tag that
     * can never fit (a blocking reader that holds the tag area waits for frames) is
     * dropped with an error in \p logger naming the fix.
     */
    uint64_t hand_over(::roundpipers::writer_core& writer,
                       uint64_t end_item,
                       uint64_t next_item,
                       ::roundpipers::deadline until,
                       const gr::logger_ptr& logger);

private:
    struct item_tag {
        uint64_t item;
        ::roundpipers::tag tag;
    };
    std::deque<item_tag> d_queue;
    uint64_t d_fetched_until = 0; // input items whose tags are queued or handed over
    uint64_t d_first_item = 0;
    uint64_t d_first_frame = 0;
};

/*!
 * \brief Adds \p tags (frames from \p first_frame on) to output 0 of \p blk as stream
 * tags at the items from \p first_item on. Values that are serialised PMTs become those
 * PMTs; other bytes become PMT blobs.
 */
void add_pipe_tags(gr::block& blk,
                   const ::roundpipers::tag_list& tags,
                   uint64_t first_frame,
                   uint64_t first_item);

} // namespace roundpipers
} // namespace gr

#endif /* INCLUDED_ROUNDPIPERS_TAG_BRIDGE_H */
