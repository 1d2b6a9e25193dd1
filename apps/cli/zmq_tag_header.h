/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_ZMQ_TAG_HEADER_H
#define INCLUDED_ROUNDPIPERS_ZMQ_TAG_HEADER_H

#include <roundpipers/tag.h>
#include <cstddef>
#include <cstdint>
#include <string>

namespace roundpipers_cli {

/*!
 * gr-zeromq's tag header (GNU Radio 3.10, `pass_tags`), in front of a message's items:
 * u16 magic 0x5FF0, u8 version 1, u64 offset of the message's first item, u64 tag count,
 * then per tag its u64 item offset and the serialised PMTs of its key, value and srcid.
 * Integers are in host order, as gr-zeromq writes them.
 */
struct zmq_tag_header {
    std::uint64_t offset = 0;    //!< item offset of the message's first item
    roundpipers::tag_list tags;  //!< frame = item offset; value = the serialised PMT
};

/*!
 * \brief The header for items from \p offset with \p tags (frames as item offsets).
 * \details A value that is a serialised PMT goes as it is; other bytes as a PMT blob.
 */
std::string encode_tag_header(std::uint64_t offset, const roundpipers::tag_list& tags);

/*!
 * \brief Reads the header at the start of a message of \p size bytes.
 * \return the bytes of the header (the items follow)
 * \throws std::runtime_error naming what is wrong (no header: is --tags given on one
 * side only?; a count or a PMT that does not fit the message)
 */
std::size_t decode_tag_header(const char* data, std::size_t size, zmq_tag_header& out);

} // namespace roundpipers_cli

#endif /* INCLUDED_ROUNDPIPERS_ZMQ_TAG_HEADER_H */
