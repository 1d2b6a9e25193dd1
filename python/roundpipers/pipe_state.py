#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""PipeState: what ``pipe.state``, ``reader.state`` and ``writer.state`` return."""

import types


class PipeState(types.SimpleNamespace):
    """A snapshot of a pipe as one reader or writer sees it.

    Attributes:
        written: frames ever published.
        consumed: the reader's absolute position (for a writer or a pipe: the slowest
            blocking reader's, or ``written`` when there is none).
        available: frames readable now (reader), or writable without waiting (writer).
        capacity: frames the pipe holds.
        lost: frames this (lossy) reader lost to overruns, cumulative.
        lost_tags: tags this (lossy) reader lost, cumulative.
    """
