#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Exceptions raised by roundpipers pipes (C++ roundpipers::pipe_error and read statuses)."""


class PipeError(RuntimeError):
    """A pipe operation failed.

    ``code`` names what went wrong, for example ``"writer_exists"``, ``"closed"`` or
    ``"invalid_argument"`` (the names of the core's error codes, errc).
    """

    def __init__(self, message, code="unknown", lost=0, frames_written=0):
        super().__init__(message)
        self.code = code
        self.lost = lost
        self.frames_written = frames_written


class InvalidArgument(PipeError, ValueError):
    """A bad argument (a capacity, size or name the pipe cannot take); a ValueError too."""


class EndOfStream(PipeError):
    """The writer closed the pipe and every frame was read."""


class InsufficientData(PipeError):
    """The writer closed the pipe with fewer frames left than asked for."""


class Overrun(PipeError):
    """A lossy reader was lapped by the writer; ``lost`` is its running total."""


class Timeout(PipeError):
    """A timed wait ran out.

    ``frames_written``: for ``writer.write(array, timeout=...)``, how many frames of the
    array were written before the time ran out (they stay written; write
    ``array[frames_written:]`` to resume without duplicating frames).
    """


class NotFound(PipeError):
    """No process shared a pipe of that name before the timeout (``attach``)."""


class NameInUse(PipeError):
    """Another live pipe (in this or another process) shares that name."""


class Corrupted(PipeError):
    """Shared memory holds values no honest peer writes (a process scribbled over it)."""


_BY_CODE = {
    "invalid_argument": InvalidArgument,
    "not_found": NotFound,
    "name_in_use": NameInUse,
    "corrupted": Corrupted,
    "end_of_stream": EndOfStream,
    "insufficient_data": InsufficientData,
    "overrun": Overrun,
    "timeout": Timeout,
}


def make_error(message, code, lost=0, frames_written=0):
    """The exception object for a C++ error code (used by the bindings)."""
    return _BY_CODE.get(code, PipeError)(message, code, lost, frames_written)
