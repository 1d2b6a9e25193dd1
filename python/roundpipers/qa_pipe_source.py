#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""pipe_source_* in Python flowgraphs: numpy writers outside the flowgraph."""

import threading
import time

import numpy
from gnuradio import blocks, gr, gr_unittest, roundpipers

SOURCES = (("c", roundpipers.pipe_source_c, numpy.complex64, blocks.vector_sink_c),
           ("f", roundpipers.pipe_source_f, numpy.float32, blocks.vector_sink_f),
           ("i", roundpipers.pipe_source_i, numpy.int32, blocks.vector_sink_i),
           ("s", roundpipers.pipe_source_s, numpy.int16, blocks.vector_sink_s),
           ("b", roundpipers.pipe_source_b, numpy.uint8, blocks.vector_sink_b))


class qa_pipe_source(gr_unittest.TestCase):

    def setUp(self):
        self.tb = gr.top_block()

    def tearDown(self):
        self.tb = None

    def test_every_type_and_shape_comes_from_a_numpy_writer(self):
        for suffix, source_cls, dtype, sink_cls in SOURCES:
            for shape in ((), (1024,), (3, 1000)):
                with self.subTest(type=suffix, shape=shape):
                    name = "py_source_%s_%d" % (suffix, len(shape))
                    size = int(numpy.prod(shape)) if shape else 1
                    data = (numpy.arange(50 * size) % 100).astype(dtype)
                    src = source_cls(name, list(shape), 64)
                    sink = sink_cls(size)
                    tb = gr.top_block()
                    tb.connect(src, sink)

                    def write():
                        w = roundpipers.open_pipe(name, 64, shape, dtype).get_writer()
                        w.write(data.reshape((50,) + tuple(shape)))
                        w.close()

                    t = threading.Thread(target=write)
                    t.start()
                    tb.run()  # ends when the writer closes (WORK_DONE)
                    t.join(10)
                    numpy.testing.assert_array_equal(
                        numpy.array(sink.data(), dtype=dtype), data,
                        err_msg="%s %s" % (suffix, shape))
                    self.assertTrue(src.zero_copy())

    def test_stop_with_a_silent_writer_returns_promptly(self):
        src = roundpipers.pipe_source_f("py_source_silent", [], 1024)
        writer = roundpipers.open_pipe("py_source_silent", 1024).get_writer()
        self.tb.connect(src, blocks.null_sink(gr.sizeof_float))
        self.tb.start()
        time.sleep(0.2)
        started = time.monotonic()
        self.tb.stop()
        self.tb.wait()
        self.assertLess(time.monotonic() - started, 1.0)
        writer.close()

    def test_lossy_source_counts_lost_frames(self):
        src = roundpipers.pipe_source_i("py_source_lossy", [], 1024, True)
        sink = blocks.vector_sink_i()
        self.tb.connect(src, sink)
        w = roundpipers.open_pipe("py_source_lossy", 1024, (), numpy.int32).get_writer()
        w.write(numpy.arange(50000, dtype=numpy.int32))
        w.close()
        self.tb.run()
        got = numpy.array(sink.data())
        self.assertGreater(src.frames_lost(), 0)
        self.assertEqual(len(got) + src.frames_lost(), 50000)
        self.assertTrue(numpy.all(numpy.diff(got) > 0), "frames in order, none repeated")


if __name__ == '__main__':
    gr_unittest.run(qa_pipe_source)
