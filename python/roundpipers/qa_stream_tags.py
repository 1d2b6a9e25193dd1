#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Stream tags with numpy: Tag values as pmt.to_python decodes them, both directions
through the blocks, and from a flowgraph in another process."""

import os
import select
import subprocess
import tempfile
import textwrap
import threading

import numpy
import pmt
from gnuradio import blocks, gr, gr_unittest, roundpipers

PYTHON = "/usr/bin/python3"


def stream_tag(offset, key, value):
    t = gr.tag_t()
    t.offset = offset
    t.key = pmt.intern(key)
    t.value = value
    return t


# A flowgraph process: a tagged vector source -> Pipe Sink (shared), started once a
# reader is registered; the parent attaches and reads the tags.
TAGGED_FLOWGRAPH = textwrap.dedent("""
    import sys, time
    import numpy, pmt
    from gnuradio import blocks, gr, roundpipers
    name = sys.argv[1]
    tags = []
    for off in range(0, 1000, 100):
        t = gr.tag_t()
        t.offset = off
        t.key = pmt.intern("rx_time")
        t.value = pmt.make_tuple(pmt.from_uint64(1700000000 + off), pmt.from_double(0.5))
        tags.append(t)
    tb = gr.top_block()
    src = blocks.vector_source_f(list(range(1000)), False, 1, tags)
    sink = roundpipers.pipe_sink_f(name, [], 4096)
    tb.connect(src, sink)
    p = roundpipers.open_pipe(name, 4096, (), numpy.float32)
    print("ready", flush=True)
    end = time.monotonic() + 20
    while p.reader_count == 0 and time.monotonic() < end:
        time.sleep(0.005)
    tb.run()
""")


class qa_stream_tags(gr_unittest.TestCase):

    def test_values_round_trip_through_pmt_and_bytes_stay_bytes(self):
        p = roundpipers.pipe("qa_py_tags", 64, shape=(2,), dtype=numpy.float32)
        r = p.get_reader()
        w = p.get_writer()
        values = [(1700000000, 0.25), {"gain": 31.5, "antenna": "RX2"}, b"\x00\x01raw",
                  5, 2.5, "text", True, numpy.arange(4, dtype=numpy.float32)]
        w.write(numpy.zeros((len(values), 2), numpy.float32),
                tags=[(i, "k%d" % i, v) for i, v in enumerate(values)])
        data, tags = r.read(len(values), tags=True)
        self.assertEqual(data.shape, (len(values), 2))
        self.assertEqual([t.frame for t in tags], list(range(len(values))))
        self.assertEqual([t.key for t in tags], ["k%d" % i for i in range(len(values))])
        for t, v in zip(tags, values):
            if isinstance(v, numpy.ndarray):
                numpy.testing.assert_array_equal(t.value, v)
            else:
                self.assertEqual(t.value, v)
        self.assertIsInstance(tags[2].value, bytes)
        self.assertIsInstance(tags[0], roundpipers.Tag)

    def test_more_tag_bytes_than_the_tag_area_holds_are_written_piece_by_piece(self):
        p = roundpipers.pipe("qa_py_tags_big", 4096, dtype=numpy.float32)
        r = p.get_reader()
        w = p.get_writer()
        got = []

        def drain():
            for _, t in r.iter_chunks(64, 64, tags=True):
                got.extend(t)

        th = threading.Thread(target=drain)
        th.start()
        w.write(numpy.zeros(1024, numpy.float32), timeout=20,
                tags=[(i, "blob", bytes([i % 256]) * 1000) for i in range(1024)])
        w.close()
        th.join(20)
        self.assertFalse(th.is_alive())
        self.assertEqual([t.frame for t in got], list(range(1024)))
        self.assertTrue(all(t.value == bytes([t.frame % 256]) * 1000 for t in got))

    def test_a_pmt_that_to_python_cannot_convert_arrives_as_its_bytes(self):
        p = roundpipers.pipe("qa_py_tags_long", 64, dtype=numpy.float32)
        r = p.get_reader()
        w = p.get_writer()
        long_list = pmt.PMT_NIL
        for i in range(1000):
            long_list = pmt.cons(pmt.from_long(i), long_list)
        raw = pmt.serialize_str(long_list)
        w.write(numpy.zeros(1, numpy.float32), tags=[(0, "long", raw)])
        _, tags = r.read(1, tags=True)
        self.assertEqual(len(tags), 1)
        self.assertIn(type(tags[0].value), (bytes, list, tuple))

    def test_peeks_skips_and_chunks_carry_the_tags_of_their_frames(self):
        p = roundpipers.pipe("qa_py_tags_windows", 64, dtype=numpy.int32)
        r = p.get_reader()
        w = p.get_writer()
        w.write(numpy.arange(20, dtype=numpy.int32), tags=[(i, "f", i) for i in range(0, 20, 3)])
        _, tags = r.read(4, 0, tags=True)  # a peek
        self.assertEqual([t.frame for t in tags], [0, 3])
        _, tags = r.read(4, 10, tags=True)  # a skip past the window
        self.assertEqual([t.frame for t in tags], [0, 3])
        seen = []
        for chunk, tags in r.iter_chunks(5, 5, tags=True):
            self.assertTrue(all(chunk[0] <= t.frame < chunk[0] + len(chunk) for t in tags))
            seen += [t.value for t in tags]
            if chunk[-1] == 19:
                break
        self.assertEqual(seen, [12, 15, 18])
        self.assertEqual(r.state.lost_tags, 0)

    def test_bad_tags_are_clear_errors(self):
        p = roundpipers.pipe("qa_py_tags_bad", 64, dtype=numpy.float32)
        w = p.get_writer()
        one = numpy.zeros(3, numpy.float32)
        with self.assertRaisesRegex(ValueError, "frame 3 of a write of 3 frames"):
            w.write(one, tags=[(3, "k", b"")])
        with self.assertRaisesRegex(ValueError, "frame index must be an int >= 0"):
            w.write(one, tags=[(-1, "k", b"")])
        with self.assertRaisesRegex(ValueError, r"\(frame_index, key, value\) triples"):
            w.write(one, tags=[("k", b"")])
        with self.assertRaisesRegex(TypeError, "key must be a str"):
            w.write(one, tags=[(0, b"k", b"")])
        with self.assertRaisesRegex(TypeError, "bytes or a value pmt.to_pmt accepts"):
            w.write(one, tags=[(0, "k", object())])
        with self.assertRaisesRegex(roundpipers.PipeError, "key must be 1 to 255 bytes"):
            w.write(one, tags=[(0, "k" * 256, b"")])
        with self.assertRaisesRegex(roundpipers.PipeError, "more than the 65536"):
            w.write(one, tags=[(0, "k", b"x" * 65537)])
        # Nothing of the refused writes stayed behind.
        r = p.get_reader()
        w.write(one)
        _, tags = r.read(3, tags=True)
        self.assertEqual(tags, [])

    def test_a_timed_out_write_drops_the_tags_of_frames_it_did_not_write(self):
        p = roundpipers.pipe("qa_py_tags_timeout", 16, dtype=numpy.int32)
        cap = p.capacity
        r = p.get_reader()
        w = p.get_writer()
        data = numpy.arange(cap + 10, dtype=numpy.int32)
        tags = [(i, "f", i) for i in range(len(data))]
        with self.assertRaises(roundpipers.Timeout) as ctx:
            w.write(data, timeout=0.2, tags=tags)
        done = ctx.exception.frames_written
        self.assertEqual(done, cap)
        got = []

        def drain():
            for chunk, t in r.iter_chunks(1, 1, tags=True):
                got.extend(x.value for x in t)
                if chunk[0] == len(data) - 1:
                    return

        reader = threading.Thread(target=drain)
        reader.start()
        w.write(data[done:], timeout=10, tags=[(i - done, k, v) for i, k, v in tags[done:]])
        reader.join(10)
        self.assertFalse(reader.is_alive())
        self.assertEqual(got, list(range(len(data))))

    def test_a_tagged_flowgraph_reaches_numpy_with_decoded_rx_time(self):
        tags = [stream_tag(0, "rx_time", pmt.make_tuple(pmt.from_uint64(1700000000),
                                                         pmt.from_double(0.25))),
                stream_tag(0, "rx_freq", pmt.from_double(100e6)),
                stream_tag(250, "burst", pmt.PMT_T)]
        tb = gr.top_block()
        src = blocks.vector_source_c(numpy.ones(500, numpy.complex64), False, 1, tags)
        sink = roundpipers.pipe_sink_c("qa_py_tags_sink", [], 2048)
        tb.connect(src, sink)
        reader = roundpipers.open_pipe("qa_py_tags_sink", 2048, (), numpy.complex64).get_reader()
        got = []

        def drain():
            for _, t in reader.iter_chunks(50, 50, tags=True):
                got.extend(t)

        th = threading.Thread(target=drain)
        th.start()
        tb.run()
        th.join(20)
        self.assertFalse(th.is_alive())
        self.assertEqual([(t.frame, t.key) for t in got],
                         [(0, "rx_time"), (0, "rx_freq"), (250, "burst")])
        self.assertEqual(got[0].value, (1700000000, 0.25))
        self.assertEqual(got[1].value, 100e6)
        self.assertIs(got[2].value, True)

    def test_numpy_tags_become_stream_tags_after_pipe_source(self):
        tb = gr.top_block()
        src = roundpipers.pipe_source_f("qa_py_tags_source", [4], 256)
        snk = blocks.vector_sink_f(4)
        tb.connect(src, snk)
        p = roundpipers.open_pipe("qa_py_tags_source", 256, (4,), numpy.float32)
        tb.start()
        w = p.get_writer()
        w.write(numpy.zeros((10, 4), numpy.float32),
                tags=[(2, "rx_time", (5, 0.5)), (7, "raw", b"\xffnot a pmt")])
        w.close()
        tb.wait()
        got = snk.tags()
        self.assertEqual([t.offset for t in got], [2, 7])
        self.assertEqual(pmt.symbol_to_string(got[0].key), "rx_time")
        self.assertEqual(pmt.to_python(got[0].value), (5, 0.5))
        self.assertTrue(pmt.is_blob(got[1].value))
        self.assertEqual(bytes(pmt.to_python(got[1].value)), b"\xffnot a pmt")

    def test_tags_of_a_flowgraph_in_another_process(self):
        with tempfile.TemporaryDirectory(prefix="rp-qa-tags-") as folder:
            env = dict(os.environ, ROUNDPIPERS_RUNTIME_DIR=folder)
            proc = subprocess.Popen([PYTHON, "-c", TAGGED_FLOWGRAPH, "qa_py_tags_peer"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    env=env)
            try:
                # A silent peer fails the test in 30 s instead of hanging it.
                readable, _, _ = select.select([proc.stdout], [], [], 30)
                self.assertTrue(readable, "the flowgraph process did not get ready")
                self.assertEqual(proc.stdout.readline().strip(), "ready")
                os.environ["ROUNDPIPERS_RUNTIME_DIR"] = folder
                try:
                    pipe = roundpipers.attach("qa_py_tags_peer", timeout=20)
                    got = []
                    reader = pipe.get_reader()
                    try:  # every read bounded: a stalled peer fails the test
                        while True:
                            got.extend(reader.read(100, timeout=20, tags=True)[1])
                    except roundpipers.EndOfStream:
                        pass
                finally:
                    del os.environ["ROUNDPIPERS_RUNTIME_DIR"]
                _, err = proc.communicate(timeout=30)
                self.assertEqual(proc.returncode, 0, err)
            finally:
                if proc.poll() is None:
                    proc.kill()
                proc.communicate()
        self.assertEqual([t.frame for t in got], list(range(0, 1000, 100)))
        self.assertEqual([t.value for t in got],
                         [(1700000000 + f, 0.5) for f in range(0, 1000, 100)])


if __name__ == "__main__":
    gr_unittest.run(qa_stream_tags)
