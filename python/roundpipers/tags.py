#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Stream tags of pipes: ``Tag(frame, key, value)`` and how values become bytes and back.

A tag's value travels as bytes. GNU Radio's Pipe Sink stores ``pmt.serialize_str`` of a
stream tag's value, so a value that is a serialised PMT is decoded with
``pmt.to_python``; any other bytes stay ``bytes``. Writing, ``bytes`` go as they are and
any other value goes as ``pmt.serialize_str(pmt.to_pmt(value))``.
"""

from collections import namedtuple

from .roundpipers_python import _is_serialized_pmt


class Tag(namedtuple("Tag", ["frame", "key", "value"])):
    """A tag: ``frame`` (absolute frame position of the pipe), ``key`` (str), ``value``."""

    __slots__ = ()


def _pmt():
    import pmt  # GNU Radio's PMT module: imported when tags are used

    return pmt


def decode_value(raw):
    """The Python value of tag bytes: a serialised PMT's ``pmt.to_python``, else bytes."""
    if _is_serialized_pmt(raw):
        pmt = _pmt()
        try:
            p = pmt.deserialize_str(raw)
        except Exception:  # not a PMT after all: the bytes as they are
            return bytes(raw)
        if pmt.serialize_str(p) == raw:
            try:
                if pmt.is_blob(p):
                    return bytes(pmt.to_python(p))
                return pmt.to_python(p)
            except Exception:  # a PMT pmt.to_python cannot convert (a long list...)
                return bytes(raw)
    return bytes(raw)


def encode_value(value):
    """The bytes of a tag value: bytes as they are, anything else as a serialised PMT."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    pmt = _pmt()
    try:
        p = value if isinstance(value, pmt.pmt_base) else pmt.to_pmt(value)
    except Exception as e:
        raise TypeError(
            "roundpipers: a tag value must be bytes or a value pmt.to_pmt accepts, "
            "got %r (%s)" % (value, e)
        ) from None
    return pmt.serialize_str(p)


def offered_tags(tags):
    """``[(i, key, value), ...]`` as the writer takes them: (i, key, bytes)."""
    out = []
    for t in tags:
        try:
            i, key, value = t
        except (TypeError, ValueError):
            raise ValueError(
                "roundpipers: tags must be (frame_index, key, value) triples, got %r" % (t,)
            ) from None
        if not isinstance(key, str):
            raise TypeError("roundpipers: a tag key must be a str, got %r" % (key,))
        if isinstance(i, bool) or not hasattr(i, "__index__") or i.__index__() < 0:
            raise ValueError(
                "roundpipers: a tag's frame index must be an int >= 0 (0 is the first "
                "frame written), got %r" % (i,)
            )
        out.append((i.__index__(), key, encode_value(value)))
    return out


def wrap(raw):
    """Tags from the bindings, (frame, key, bytes), as :class:`Tag` with decoded values."""
    return [Tag(frame, key, decode_value(value)) for frame, key, value in raw]
