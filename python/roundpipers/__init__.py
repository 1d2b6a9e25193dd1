#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Round pipers: ndarray frames through memfd double-mapped rings, one writer, many readers.

The core API with numpy::

    from gnuradio import roundpipers
    p = roundpipers.open_pipe("spectra", 64, shape=(1024,), dtype=numpy.float32)
    r = p.get_reader()
    for chunk in r.iter_chunks(8, 8):   # read-only views of shape (8, 1024)
        ...

``read_only_pipe(array, shape)``, ``write_only_pipe_buffer(array, shape)`` and
``write_only_pipe_stream(file_or_path, capacity, shape, dtype)`` give the same reader and
writer API over arrays and files, and the GNU Radio blocks are ``pipe_sink_c/f/i/s/b``
and ``pipe_source_c/f/i/s/b``.
Errors are :class:`PipeError` (``.code``) and its subclasses :class:`EndOfStream`,
:class:`InsufficientData`, :class:`Overrun`, :class:`Timeout`,
:class:`InvalidArgument` (also a ValueError), and for shared pipes :class:`NotFound`,
:class:`NameInUse` and :class:`Corrupted`.

Pipes, readers and writers are context managers (``with p.get_writer() as w:`` closes
the stream at the end; a reader lets go of its slot; a pipe lets go of its handle), and
their ``repr`` says what they are. ``state`` is a :class:`PipeState`.

Stream tags: ``writer.write(array, tags=[(i, key, value), ...])``,
``reader.read(n, k, tags=True)`` -> ``(array, tags)``, ``iter_chunks(n, k, tags=True)``
-> ``(chunk, tags)``; a tag is ``Tag(frame, key, value)``, its value decoded with
``pmt.to_python`` when it is a serialised PMT (what a Pipe Sink stores), else bytes.

Across processes: ``pipe(name, ..., shared=True)`` (or a Pipe Sink / Pipe Source, shared
by default) is reachable from other processes of this user with ``attach(name,
timeout=None)``; ``shared_pipes()`` lists the names shared now.
"""

from .errors import (
    Corrupted,
    EndOfStream,
    InsufficientData,
    InvalidArgument,
    NameInUse,
    NotFound,
    Overrun,
    PipeError,
    Timeout,
)
import numpy as _numpy

from . import tags as _tags
from .fixed_pipes import array_of as _array_of
from .fixed_pipes import (
    ReadOnlyPipe,
    ReadOnlyPipeReader,
    WriteOnlyPipeBuffer,
    WriteOnlyPipeStream,
    read_only_pipe,
    write_only_pipe_buffer,
    write_only_pipe_stream,
)
from .pipe_state import PipeState
from .roundpipers_python import *  # noqa: F401,F403
from .roundpipers_python import PipeReader, PipeWriter
from .tags import Tag


class _Reservation:
    """``with writer.reserve(n) as buf:`` -- a writable view of n frames in the ring.

    The frames are published when the block ends, and discarded if it raises. The view
    is made read-only on exit: keep nothing from it.
    """

    def __init__(self, writer, n, timeout):
        self._writer = writer
        self._n = n
        self._timeout = timeout
        self._view = None

    def __enter__(self):
        self._view = self._writer._reserve_view(self._n, self._timeout)
        return self._view

    def __exit__(self, exc_type, exc, tb):
        self._view.setflags(write=False)
        self._writer._publish(self._n if exc_type is None else 0)
        return False


def _reserve(self, n, timeout=None):
    """``with writer.reserve(n, timeout=None) as view:`` -- a writable view of the next n
    frames in the ring (zero copy).

    The frames are published when the block ends, and discarded if it raises; the view
    is read-only afterwards. Waits for room like write() (Timeout after ``timeout``
    seconds).
    """
    return _Reservation(self, n, timeout)


def _write(self, data, timeout=None, tags=None):
    """Copies data (shape (n, *pipe.shape) or pipe.shape) into the pipe.

    data is a numpy array of the pipe's dtype; a list (or another array-like) becomes
    one when its values fit (ints into a float pipe; a float into an int pipe, or an
    out-of-range int, is refused). Waits for room (the GIL is released; Ctrl-C interrupts). ``tags=[(i, key,
    value), ...]`` tags frame i of this write (0 is its first frame); value is bytes or
    any object ``pmt.to_pmt`` accepts (stored serialised, as the Pipe Sink stores stream
    tags). A Timeout says how many frames went through (``frames_written``); the tags of
    frames not written are dropped, so writing the rest with their tags resumes exactly.

    Raises TypeError (another dtype), ValueError (another frame shape), Timeout,
    PipeError 'closed' after close().
    """
    if not isinstance(data, _numpy.ndarray):
        data = _array_of(data, self.pipe.dtype, self.pipe.shape, "pipe '%s'" % self.pipe.name)
    self._write_frames(data, timeout, _tags.offered_tags(tags) if tags else [])


def _read(self, n_to_read, n_to_consume=None, timeout=None, tags=False):
    """A copy of n_to_read frames; advances by n_to_consume (default n_to_read).

    With ``tags=True``, returns ``(array, tags)``: the :class:`Tag` list of those frames,
    in frame order. Raises EndOfStream, InsufficientData, Overrun or Timeout.
    """
    out = self._read_frames(n_to_read, n_to_consume, timeout, tags)
    if tags:
        return out[0], _tags.wrap(out[1])
    return out


def _iter_chunks(self, n_to_read, n_to_consume=None, tags=False):
    """Chunks of n_to_read frames, advancing by n_to_consume (default n_to_read).

    With ``tags=True`` each item is ``(chunk, tags)``, tags being the :class:`Tag` list
    of the chunk's frames.

    A blocking reader yields read-only numpy views straight into the ring. Each view
    keeps its frames from the writer while it (or any view made from it) is alive, so it
    never shows overwritten or freed memory; the frames go back to the writer at the
    reader's next call after the last such view is gone. Copy what you keep
    (``numpy.array(chunk)``): a reader whose kept views fill the ring raises
    PipeError (code 'chunk_outstanding'). While the next chunk is fetched, the loop
    variable still holds the previous one, so a blocking reader needs a capacity of at
    least n_to_read + n_to_consume frames (of ``pipe.window_limit`` frames for a Pipe
    Sink's pipe: GNU Radio keeps part of its buffer free; asking more fails at once). A lossy reader yields copies, checked after
    copying (a lossy reader cannot hold the writer back). At end of stream the final
    shorter chunk comes once, then the iteration stops; overruns of a lossy reader are
    skipped (``state.lost`` tells the total).
    """
    k = n_to_read if n_to_consume is None else n_to_consume
    while True:
        chunk = self._next_chunk(n_to_read, k, tags)
        if chunk is None:
            return
        if tags:
            chunk = (chunk[0], _tags.wrap(chunk[1]))
        yield chunk
        del chunk  # only the caller's reference is left while the next one is fetched


PipeWriter.reserve = _reserve
PipeWriter.write = _write
PipeReader.read = _read
PipeReader.iter_chunks = _iter_chunks
