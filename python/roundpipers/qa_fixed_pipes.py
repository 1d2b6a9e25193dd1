#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Read-only and write-only pipes over numpy arrays and files."""

import io
import os
import tempfile

import numpy
from gnuradio import gr_unittest, roundpipers


class qa_fixed_pipes(gr_unittest.TestCase):

    def test_read_only_pipe_reads_in_place_then_ends(self):
        data = numpy.arange(5, dtype=numpy.float64)
        reader = roundpipers.read_only_pipe(data).get_reader()
        chunks = list(reader.iter_chunks(2, 2))
        self.assertEqual([list(c) for c in chunks], [[0, 1], [2, 3], [4]])
        self.assertTrue(numpy.shares_memory(chunks[0], data), "views are zero copy")
        self.assertFalse(chunks[0].flags.writeable)
        with self.assertRaises(roundpipers.EndOfStream):
            reader.read(1)

    def test_read_only_pipe_short_tail_and_bad_frames(self):
        with self.assertRaises(ValueError):
            roundpipers.read_only_pipe(numpy.zeros(10, numpy.float32), shape=(3,))
        reader = roundpipers.read_only_pipe(numpy.zeros(9, numpy.float32), shape=(3,)).get_reader()
        self.assertEqual(reader.read(2).shape, (2, 3))
        with self.assertRaises(roundpipers.InsufficientData):
            reader.read(2)
        self.assertEqual(reader.read(1).shape, (1, 3))
        with self.assertRaises(TypeError):
            roundpipers.read_only_pipe(numpy.zeros(4, numpy.uint64))

    def test_readers_of_a_read_only_pipe_are_independent(self):
        p = roundpipers.read_only_pipe(numpy.arange(6, dtype=numpy.int32), shape=(2,))
        p.set_metadata("meta")
        a, b = p.get_reader(), p.get_reader()
        self.assertEqual(a.read(2, 1).tolist(), [[0, 1], [2, 3]])
        self.assertEqual(b.read(1).tolist(), [[0, 1]])
        self.assertEqual(a.read(1).tolist(), [[2, 3]], "sliding window")
        self.assertEqual(a.get_metadata(), "meta")
        self.assertEqual(a.state.consumed, 2)

    def test_write_only_pipe_buffer_fills_until_full(self):
        memory = numpy.full((4, 2), -1, dtype=numpy.int16)
        w = roundpipers.write_only_pipe_buffer(memory, shape=(2,))
        w.write(numpy.array([[1, 2], [3, 4]], dtype=numpy.int16))
        with w.reserve(1) as buf:
            buf[:] = 5
        with self.assertRaises(roundpipers.PipeError) as ctx:
            w.write(numpy.zeros((2, 2), dtype=numpy.int16))
        self.assertEqual(ctx.exception.code, "buffer_full")
        self.assertEqual(w.written_frames, 3)
        self.assertEqual(memory.tolist(), [[1, 2], [3, 4], [5, 5], [-1, -1]],
                         "a write that does not fit writes nothing")

    def test_write_only_pipe_stream_sends_raw_bytes_on_every_write(self):
        sink = io.BytesIO()
        w = roundpipers.write_only_pipe_stream(sink, 10, dtype=numpy.float64)
        w.set_metadata("Example stream data")
        w.write(numpy.arange(5) * 3.14)
        self.assertEqual(len(sink.getvalue()), 40)
        w.write(numpy.arange(15) + 100.0)  # larger than the capacity: grows
        self.assertEqual(len(sink.getvalue()), 160)
        got = numpy.frombuffer(sink.getvalue(), dtype=numpy.float64)
        numpy.testing.assert_array_equal(
            got, numpy.concatenate([numpy.arange(5) * 3.14, numpy.arange(15) + 100.0]))
        self.assertEqual(w.get_metadata(), "Example stream data")

    def test_write_only_pipe_stream_to_a_path_and_its_errors(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "out.bin")
            w = roundpipers.write_only_pipe_stream(path, 4, shape=(2,), dtype=numpy.int32)
            with w.reserve(3) as buf:
                buf[:] = 7
            w.close()
            self.assertEqual(os.path.getsize(path), 24)
            with self.assertRaises(roundpipers.PipeError):
                w.write(numpy.zeros((1, 2), dtype=numpy.int32))
        full = roundpipers.write_only_pipe_stream("/dev/full", 4, dtype=numpy.uint8)
        with self.assertRaises(roundpipers.PipeError) as ctx:
            full.write(numpy.zeros(8192, dtype=numpy.uint8))
        self.assertEqual(ctx.exception.code, "io_error")


if __name__ == '__main__':
    gr_unittest.run(qa_fixed_pipes)
