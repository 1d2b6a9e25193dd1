#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""pipe_sink_* in Python flowgraphs: numpy readers outside the flowgraph."""

import threading
import time

import numpy
from gnuradio import blocks, gr, gr_unittest, roundpipers

SINKS = (("c", roundpipers.pipe_sink_c, numpy.complex64, blocks.vector_source_c),
         ("f", roundpipers.pipe_sink_f, numpy.float32, blocks.vector_source_f),
         ("i", roundpipers.pipe_sink_i, numpy.int32, blocks.vector_source_i),
         ("s", roundpipers.pipe_sink_s, numpy.int16, blocks.vector_source_s),
         ("b", roundpipers.pipe_sink_b, numpy.uint8, blocks.vector_source_b))


class qa_pipe_sink(gr_unittest.TestCase):

    def setUp(self):
        self.tb = gr.top_block()

    def tearDown(self):
        self.tb = None

    def read_to_end(self, reader, out):
        """Collects every frame of reader into the list out, until end of stream."""
        for chunk in reader.iter_chunks(7, 7):
            out.append(numpy.array(chunk))

    def test_every_type_and_shape_reaches_a_numpy_reader(self):
        for suffix, sink_cls, dtype, source_cls in SINKS:
            for shape in ((), (1024,), (3, 1000)):
                with self.subTest(type=suffix, shape=shape):
                    name = "py_sink_%s_%d" % (suffix, len(shape))
                    size = int(numpy.prod(shape)) if shape else 1
                    data = (numpy.arange(50 * size) % 100).astype(dtype)
                    src = source_cls(data.tolist(), False, size)
                    sink = sink_cls(name, list(shape), 64)
                    reader = roundpipers.open_pipe(name, 64, shape, dtype).get_reader()
                    tb = gr.top_block()
                    tb.connect(src, sink)
                    got = []
                    t = threading.Thread(target=self.read_to_end, args=(reader, got))
                    t.start()
                    tb.run()
                    t.join(10)
                    result = numpy.concatenate(got) if got else numpy.zeros(0, dtype)
                    numpy.testing.assert_array_equal(
                        result.reshape(-1), data, err_msg="%s %s" % (suffix, shape))
                    self.assertTrue(sink.zero_copy())

    def test_stop_with_a_stalled_reader_returns_promptly(self):
        src = blocks.null_source(gr.sizeof_float)
        sink = roundpipers.pipe_sink_f("py_sink_stalled", [], 1024)
        reader = roundpipers.open_pipe("py_sink_stalled", 1024).get_reader()
        self.tb.connect(src, sink)
        self.tb.start()
        time.sleep(0.2)
        started = time.monotonic()
        self.tb.stop()
        self.tb.wait()
        self.assertLess(time.monotonic() - started, 1.0)
        self.assertEqual(reader.read(10).shape, (10,))

    def test_bad_parameters_raise(self):
        with self.assertRaises(roundpipers.PipeError):
            roundpipers.pipe_sink_f("", [], 64)
        with self.assertRaises(roundpipers.PipeError):
            roundpipers.pipe_sink_f("py_sink_bad", [4, 0], 64)
        taken = roundpipers.open_pipe("py_sink_taken", 64, (4,), numpy.int32)
        with self.assertRaises(roundpipers.PipeError):
            roundpipers.pipe_sink_f("py_sink_taken", [4], 64)
        self.assertEqual(taken.dtype, numpy.dtype(numpy.int32))

    def test_a_capacity_gnu_radio_cannot_index_fails_at_once(self):
        t0 = time.monotonic()
        for make in (roundpipers.pipe_sink_b, roundpipers.pipe_source_b):
            with self.assertRaises(roundpipers.PipeError) as ctx:
                make("py_huge", [], 2 ** 30)
            self.assertIn("more than a GNU Radio buffer can index", str(ctx.exception))
        self.assertLess(time.monotonic() - t0, 1.0)  # nothing was made or prefaulted


if __name__ == '__main__':
    gr_unittest.run(qa_pipe_sink)
