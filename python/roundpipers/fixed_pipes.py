#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Read-only and write-only pipes over numpy arrays and files, with the pipe API.

They need no ring: a read-only pipe reads a finished array in place, a write-only
pipe fills an array or sends raw bytes to a file. Their readers and writers have the
members of PipeReader and PipeWriter that make sense without a ring.
"""

import os

import numpy

from .errors import PipeError, make_error
from .pipe_state import PipeState


class _ClosedOnExit:
    """``with ... as x:`` calls ``x.close()`` at the end of the block."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        return False

SUPPORTED = tuple(numpy.dtype(t) for t in (
    numpy.float32, numpy.complex64, numpy.float64, numpy.complex128,
    numpy.int8, numpy.uint8, numpy.int16, numpy.int32))


def _frame_size(shape, what):
    shape = tuple(int(d) for d in shape)
    if any(d <= 0 for d in shape):
        raise ValueError("%s: frame shape extents must be positive, got %s" % (what, shape))
    return shape, int(numpy.prod(shape)) if shape else 1


def _check_dtype(dtype, what):
    dtype = numpy.dtype(dtype)
    if dtype not in SUPPORTED:
        raise TypeError("%s: unsupported dtype %s; use float32, complex64, float64, "
                        "complex128, int8, uint8, int16 or int32" % (what, dtype))
    return dtype


def _state(written, consumed, available, capacity):
    return PipeState(written=written, consumed=consumed, available=available,
                     capacity=capacity, lost=0, lost_tags=0)


def array_of(data, dtype, shape, what):
    """A list (or another array-like, not an ndarray) as an array of dtype.

    Only conversions that keep the values: ints into a float pipe, floats into a complex
    one; a float into an int pipe, or an int out of the pipe type's range, is a
    TypeError or ValueError naming the pipe. An ndarray is returned as it is (its dtype
    is checked where it is written).
    """
    if isinstance(data, numpy.ndarray):
        return data
    dtype = numpy.dtype(dtype)
    try:
        values = numpy.asarray(data)
    except (TypeError, ValueError) as e:
        raise TypeError("%s takes an array of %s frames of shape %s, got %s (%s)"
                        % (what, dtype, shape, type(data).__name__, e)) from e
    if values.dtype.kind in "OSUV" or not numpy.can_cast(values.dtype, dtype, "same_kind"):
        raise TypeError("%s takes an array of %s frames of shape %s, got %s of %s values"
                        % (what, dtype, shape, type(data).__name__, values.dtype))
    if dtype.kind in "iu" and values.size:
        info = numpy.iinfo(dtype)
        if values.min() < info.min or values.max() > info.max:
            raise ValueError("%s carries %s: values from %d to %d do not fit"
                             % (what, dtype, values.min(), values.max()))
    return values.astype(dtype)


def _frames_of(data, shape, dtype, what):
    """data as a C-order array of shape (n, *shape) of dtype (TypeError/ValueError);
    a list becomes one (see array_of)."""
    data = array_of(data, dtype, shape, what)
    if data.dtype != dtype:
        raise TypeError("%s carries %s, got an array of %s" % (what, dtype, data.dtype))
    if data.shape == shape:
        data = data.reshape((1,) + shape)
    if data.shape[1:] != shape or data.ndim != len(shape) + 1 or data.shape[0] == 0:
        raise ValueError("%s has frames of shape %s; write an array of shape (n, *shape) "
                         "with n >= 1, or one frame, got %s" % (what, shape, data.shape))
    return numpy.ascontiguousarray(data)


class ReadOnlyPipe(_ClosedOnExit):
    """Zero-copy pipe over a finished numpy array (kept alive by the pipe).

    Readers start at frame 0 and never wait: the array behaves as a stream whose writer
    has closed. A trailing partial frame is an error, never silently dropped. Attributes:
    dtype, shape, capacity (the frames in the array).
    """

    def __init__(self, array, shape=()):
        self._array = numpy.asarray(array)
        self.dtype = _check_dtype(self._array.dtype, "read-only pipe")
        self.shape, size = _frame_size(shape, "read-only pipe")
        if self._array.size % size:
            raise ValueError("read-only pipe: %d elements are not a whole number of frames "
                             "of shape %s (%d trailing)"
                             % (self._array.size, self.shape, self._array.size % size))
        flat = self._array.reshape(-1)  # a view for contiguous arrays
        self._frames = flat.reshape((self._array.size // size,) + self.shape)
        self._frames.setflags(write=False)
        self.capacity = self._frames.shape[0]
        self._metadata = None

    def get_reader(self, lossy=False):
        """A ReadOnlyPipeReader from frame 0 (lossy is accepted and means nothing here)."""
        return ReadOnlyPipeReader(self)

    def set_metadata(self, value):
        """Stores any Python object with the pipe."""
        self._metadata = value

    def get_metadata(self):
        """The object set_metadata() stored (None if none)."""
        return self._metadata

    def close(self):
        """Nothing to release (the array stays the caller's); for ``with``."""

    def __repr__(self):
        return "<roundpipers.ReadOnlyPipe %s frames of shape %s, capacity %d>" % (
            self.dtype, self.shape, self.capacity)


class ReadOnlyPipeReader(_ClosedOnExit):
    """A reader of a ReadOnlyPipe: read(), iter_chunks(), state, get_metadata()."""

    lossy = False

    def __init__(self, pipe):
        self._pipe = pipe
        self._pos = 0
        self.closed = False

    def close(self):
        """Ends this reader: further reads raise PipeError 'closed'."""
        self.closed = True

    def __repr__(self):
        return "<roundpipers.ReadOnlyPipeReader: at frame %d of %d%s>" % (
            self._pos, self._pipe.capacity, ", closed" if self.closed else "")

    def _window(self, n):
        if self.closed:
            raise make_error("read-only pipe: this reader was closed", "closed")
        total = self._pipe.capacity
        if n < 1:
            raise ValueError("read-only pipe: n_to_read must be at least 1")
        left = total - self._pos
        if left == 0:
            raise make_error("read-only pipe: end of stream", "end_of_stream")
        if n > total:
            raise make_error("Buffer capacity exceeded on read-only pipe: trying to read "
                             "%d frames from buffer capable of holding %d" % (n, total),
                             "read_capacity_exceeded")
        if left < n:
            err = make_error("read-only pipe: not enough data: requested %d frames from "
                             "position %d, only %d left" % (n, self._pos, left),
                             "insufficient_data")
            err.left = left
            raise err
        return self._pipe._frames[self._pos:self._pos + n]

    def read(self, n_to_read, n_to_consume=None, timeout=None):
        """A copy of n_to_read frames; advances by n_to_consume (default n_to_read).

        Raises EndOfStream at the end, InsufficientData when fewer frames are left
        (its ``left`` says how many), PipeError 'read_capacity_exceeded' for more frames
        than the array holds. timeout is accepted for the common API (nothing waits).
        """
        out = numpy.array(self._window(n_to_read))
        self._advance(n_to_read if n_to_consume is None else n_to_consume)
        return out

    def iter_chunks(self, n_to_read, n_to_consume=None):
        """Read-only views of n_to_read frames into the array, advancing by n_to_consume
        (default n_to_read); a final shorter chunk, then the end."""
        k = n_to_read if n_to_consume is None else n_to_consume
        while True:
            try:
                chunk = self._window(n_to_read)
                step = k
            except PipeError as e:
                if e.code == "end_of_stream":
                    return
                if e.code != "insufficient_data":
                    raise
                chunk, step = self._window(e.left), e.left
            self._advance(step)
            yield chunk

    def _advance(self, k):
        self._pos = min(self._pipe.capacity, self._pos + k)

    @property
    def state(self):
        """A PipeState: the array's frames as written, this reader's position, the rest."""
        total = self._pipe.capacity
        return _state(total, self._pos, total - self._pos, total)

    def get_metadata(self):
        """The pipe's get_metadata()."""
        return self._pipe.get_metadata()


class _Reservation:
    """``with writer.reserve(n) as buf``: published on exit, discarded if the block raises."""

    def __init__(self, writer, view):
        self._writer = writer
        self._view = view

    def __enter__(self):
        return self._view

    def __exit__(self, exc_type, exc, tb):
        self._view.setflags(write=False)
        if exc_type is None:
            self._writer._publish(self._view)
        return False


class WriteOnlyPipeBuffer(_ClosedOnExit):
    """Fills a caller's writable numpy array, frame after frame, until it is full.

    A write that does not fit raises PipeError (code 'buffer_full') and writes nothing.
    Attributes: dtype, shape, capacity, written_frames, closed.
    """

    def __init__(self, array, shape=()):
        if not isinstance(array, numpy.ndarray) or not array.flags.writeable:
            raise TypeError("write-only pipe buffer: needs a writable numpy array")
        if not array.flags.c_contiguous:
            raise ValueError("write-only pipe buffer: the array must be C-contiguous")
        self.dtype = _check_dtype(array.dtype, "write-only pipe buffer")
        self.shape, size = _frame_size(shape, "write-only pipe buffer")
        if array.size % size:
            raise ValueError("write-only pipe buffer: %d elements are not a whole number "
                             "of frames of shape %s" % (array.size, self.shape))
        self._frames = array.reshape((array.size // size,) + self.shape)
        self.capacity = self._frames.shape[0]
        self.written_frames = 0
        self.closed = False
        self._metadata = None

    def _room(self, n):
        if self.closed:
            raise make_error("write-only pipe buffer: cannot write after close()", "closed")
        if n > self.capacity:
            raise make_error("Buffer capacity exceeded on write-only pipe buffer: trying to "
                             "write %d frames into buffer capable of holding %d"
                             % (n, self.capacity), "write_capacity_exceeded")
        if n > self.capacity - self.written_frames:
            raise make_error("write-only pipe buffer is full: trying to write %d frames "
                             "with %d of %d left" % (n, self.capacity - self.written_frames,
                                                     self.capacity), "buffer_full")
        return self._frames[self.written_frames:self.written_frames + n]

    def write(self, data, timeout=None):
        """Copies data (shape (n, *shape) or shape; a list becomes an array of dtype)
        into the next n frames. Raises PipeError 'buffer_full' when they do not fit."""
        data = _frames_of(data, self.shape, self.dtype, "write-only pipe buffer")
        self._room(data.shape[0])[...] = data
        self.written_frames += data.shape[0]

    def reserve(self, n, timeout=None):
        """``with buf.reserve(n) as view:`` -- the next n frames of the array, written
        when the block ends (not if it raises)."""
        return _Reservation(self, self._room(n))

    def _publish(self, view):
        self.written_frames += view.shape[0]

    def close(self):
        """Ends writing: further writes raise PipeError 'closed'."""
        self.closed = True

    @property
    def state(self):
        """A PipeState: frames written, and the frames still free."""
        return _state(self.written_frames, self.written_frames,
                      self.capacity - self.written_frames, self.capacity)

    def set_metadata(self, value):
        """Stores any Python object with the buffer."""
        self._metadata = value

    def get_metadata(self):
        """The object set_metadata() stored (None if none)."""
        return self._metadata

    def __repr__(self):
        return "<roundpipers.WriteOnlyPipeBuffer %s frames of shape %s: %d of %d written%s>" % (
            self.dtype, self.shape, self.written_frames, self.capacity,
            ", closed" if self.closed else "")


class WriteOnlyPipeStream(_ClosedOnExit):
    """Sends frames as raw native-endian bytes (no header) to a file object or a path.

    Bytes reach the file on every write (file objects are flushed); I/O errors raise.
    A path is opened (and closed by close(), or when the stream is garbage collected);
    a file object is left open. Attributes: dtype, shape, capacity, written_frames,
    closed.
    """

    def __init__(self, file_or_path, capacity, shape=(), dtype=numpy.float32):
        self.dtype = _check_dtype(dtype, "write-only pipe stream")
        self.shape, _ = _frame_size(shape, "write-only pipe stream")
        if int(capacity) < 1:
            raise make_error("write-only pipe stream: capacity must be at least 1 frame "
                             "(got %d)" % capacity, "invalid_argument")
        self.capacity = int(capacity)
        self._owns = isinstance(file_or_path, (str, bytes, os.PathLike))
        self.closed = True  # until the file is there (a failed open leaves nothing open)
        self._file = open(file_or_path, "wb") if self._owns else file_or_path
        if not hasattr(self._file, "write"):
            raise TypeError("write-only pipe stream: needs a path or a file object")
        self.written_frames = 0
        self.closed = False
        self._metadata = None

    def write(self, data, timeout=None):
        """Sends data (shape (n, *shape) or shape; a list becomes an array of dtype).
        Raises PipeError 'io_error' naming the frames that went out before it failed."""
        data = _frames_of(data, self.shape, self.dtype, "write-only pipe stream")
        self._send(data)

    def reserve(self, n, timeout=None):
        """``with stream.reserve(n) as view:`` -- n zeroed frames, sent when the block
        ends (not if it raises)."""
        if self.closed:
            raise make_error("write-only pipe stream: cannot write after close()", "closed")
        self.capacity = max(self.capacity, n)  # the buffer grows as needed
        return _Reservation(self, numpy.zeros((n,) + self.shape, dtype=self.dtype))

    def _publish(self, view):
        self._send(view)

    def _send(self, frames):
        if self.closed:
            raise make_error("write-only pipe stream: cannot write after close()", "closed")
        try:
            self._file.write(frames.tobytes())
            if hasattr(self._file, "flush"):
                self._file.flush()
        except OSError as e:
            raise make_error("write-only pipe stream: writing %d bytes failed after %d "
                             "frames: %s" % (frames.nbytes, self.written_frames, e),
                             "io_error") from e
        self.written_frames += frames.shape[0]

    def close(self):
        """Ends the stream; a file opened from a path is closed."""
        if not self.closed and self._owns:
            self._file.close()
        self.closed = True

    def __del__(self):
        # A stream dropped without close() still closes the file it opened.
        if getattr(self, "_owns", False) and not getattr(self, "closed", True):
            self._file.close()

    @property
    def state(self):
        """A PipeState: frames sent."""
        return _state(self.written_frames, self.written_frames, self.capacity, self.capacity)

    def set_metadata(self, value):
        """Stores any Python object with the stream."""
        self._metadata = value

    def get_metadata(self):
        """The object set_metadata() stored (None if none)."""
        return self._metadata

    def __repr__(self):
        return "<roundpipers.WriteOnlyPipeStream %s frames of shape %s to %r: %d sent%s>" % (
            self.dtype, self.shape, getattr(self._file, "name", self._file),
            self.written_frames, ", closed" if self.closed else "")


def read_only_pipe(array, shape=()):
    """A ReadOnlyPipe over array (zero copy; the array is kept alive)."""
    return ReadOnlyPipe(array, shape)


def write_only_pipe_buffer(array, shape=()):
    """A WriteOnlyPipeBuffer filling array."""
    return WriteOnlyPipeBuffer(array, shape)


def write_only_pipe_stream(file_or_path, capacity, shape=(), dtype=numpy.float32):
    """A WriteOnlyPipeStream to a file object or a path."""
    return WriteOnlyPipeStream(file_or_path, capacity, shape, dtype)
