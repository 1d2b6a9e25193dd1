#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Shared pipes between Python processes: a flowgraph in one, numpy in the other."""

import os
import select
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy
from gnuradio import gr_unittest, roundpipers

PYTHON = "/usr/bin/python3"
FRAME = 16
FRAMES = 500
EXPECTED = numpy.arange(FRAMES * FRAME, dtype=numpy.float32).reshape(FRAMES, FRAME)

# A flowgraph process: vector source -> Pipe Sink (shared by default). It starts once a
# reader (in any process) is registered, so that no frame goes by unread.
SINK_FLOWGRAPH = textwrap.dedent(f"""
    import sys, time
    import numpy
    from gnuradio import blocks, gr, roundpipers
    name = sys.argv[1]
    time.sleep(float(sys.argv[2]))  # lets a test attach before the name exists
    tb = gr.top_block()
    src = blocks.vector_source_f(list(range({FRAMES * FRAME})), False, {FRAME})
    sink = roundpipers.pipe_sink_f(name, [{FRAME}], 64)
    tb.connect(src, sink)
    p = roundpipers.open_pipe(name, 64, ({FRAME},), numpy.float32)
    print("ready", flush=True)
    end = time.monotonic() + 20
    while p.reader_count == 0 and time.monotonic() < end:
        time.sleep(0.005)
    tb.run()
""")

# A flowgraph process: Pipe Source -> vector sink; prints what it received.
SOURCE_FLOWGRAPH = textwrap.dedent(f"""
    import sys
    import numpy
    from gnuradio import blocks, gr, roundpipers
    name = sys.argv[1]
    tb = gr.top_block()
    src = roundpipers.pipe_source_f(name, [{FRAME}], 64)
    sink = blocks.vector_sink_f({FRAME})
    tb.connect(src, sink)
    print("ready", flush=True)
    tb.run()
    data = numpy.array(sink.data(), dtype=numpy.float32)
    expected = numpy.arange({FRAMES * FRAME}, dtype=numpy.float32)
    print("exact" if numpy.array_equal(data, expected) else "wrong %d" % data.size, flush=True)
""")


def spawn(script, *args):
    return subprocess.Popen([PYTHON, "-c", script, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=os.environ)


def wait_ready(proc, timeout=30):
    """Waits (bounded: a silent peer fails the test, it cannot hang it) for "ready"."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        readable, _, _ = select.select([proc.stdout], [], [], max(0.0, end - time.monotonic()))
        if not readable:
            break
        line = proc.stdout.readline()
        if line.strip() == "ready":
            return
        if not line:
            break
    proc.kill()
    raise AssertionError("the peer did not get ready: " + proc.communicate()[1])


def finish(proc, timeout=30):
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError("the peer hung; stderr: " + err)
    return proc.returncode, out, err


def read_all(pipe):
    frames = [numpy.array(chunk) for chunk in pipe.get_reader().iter_chunks(10, 10)]
    return numpy.concatenate(frames) if frames else numpy.zeros((0, FRAME), numpy.float32)


class qa_pipes_across_processes(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(prefix="rp-qa-py-")
        os.environ["ROUNDPIPERS_RUNTIME_DIR"] = cls.folder.name

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_numpy_process_reads_a_flowgraph_process_started_first(self):
        proc = spawn(SINK_FLOWGRAPH, "xpy_fg_first", "0")
        wait_ready(proc)
        p = roundpipers.attach("xpy_fg_first", timeout=10)
        self.assertEqual((p.dtype, p.shape, p.capacity >= 64), (numpy.float32, (FRAME,), True))
        self.assertTrue(p.attached)
        numpy.testing.assert_array_equal(read_all(p), EXPECTED)
        self.assertEqual(finish(proc)[0], 0)
        self.assertFalse(p.writer_lost)

    def test_numpy_process_attached_before_the_flowgraph_starts(self):
        proc = spawn(SINK_FLOWGRAPH, "xpy_reader_first", "0.5")
        try:
            p = roundpipers.attach("xpy_reader_first", timeout=20)  # waits for the name
            numpy.testing.assert_array_equal(read_all(p), EXPECTED)
            self.assertEqual(finish(proc)[0], 0)
        finally:
            if proc.poll() is None:
                proc.kill()
                finish(proc)

    def test_numpy_process_feeds_a_flowgraph_process(self):
        proc = spawn(SOURCE_FLOWGRAPH, "xpy_feed")
        wait_ready(proc)
        p = roundpipers.attach("xpy_feed", timeout=10)
        w = p.get_writer()
        w.write(EXPECTED, timeout=20)
        w.close()
        rc, out, err = finish(proc)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out.strip().splitlines()[-1], "exact")

    def test_attached_reader_views_cannot_be_made_writable(self):
        p = roundpipers.pipe("xpy_ro", 16, (4,), numpy.float32, shared=True)
        q = roundpipers.attach("xpy_ro")
        r = q.get_reader()
        w = p.get_writer()
        w.write(numpy.ones((4, 4), numpy.float32))
        w.close()
        for chunk in r.iter_chunks(4, 4):
            self.assertFalse(chunk.flags.writeable)
            with self.assertRaises(ValueError):
                chunk.setflags(write=True)
            numpy.testing.assert_array_equal(chunk, numpy.ones((4, 4), numpy.float32))

    def test_a_missing_name_raises_not_found_after_the_timeout(self):
        t0 = time.monotonic()
        with self.assertRaises(roundpipers.NotFound) as ctx:
            roundpipers.attach("xpy_nobody", timeout=0.3)
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)
        self.assertIn("xpy_nobody", str(ctx.exception))
        self.assertEqual(ctx.exception.code, "not_found")

    def test_bad_names_and_a_second_maker_are_refused(self):
        with self.assertRaises(roundpipers.PipeError) as ctx:
            roundpipers.pipe("no spaces", 16, shared=True)
        self.assertIn("1-100 characters", str(ctx.exception))
        p = roundpipers.pipe("xpy_once", 16, shared=True)
        with self.assertRaises(roundpipers.NameInUse):
            roundpipers.pipe("xpy_once", 16, shared=True)
        self.assertIn("xpy_once", roundpipers.shared_pipes())
        self.assertTrue(p.shared)

    def test_a_killed_writer_process_ends_the_stream_with_writer_lost(self):
        writer = textwrap.dedent("""
            import sys, numpy
            from gnuradio import roundpipers
            w = roundpipers.attach(sys.argv[1], timeout=10).get_writer()
            print("ready", flush=True)
            while True:
                w.write(numpy.zeros((8, 4), numpy.float32))
        """)
        p = roundpipers.pipe("xpy_kill", 64, (4,), numpy.float32, shared=True)
        r = p.get_reader()
        proc = spawn(writer, "xpy_kill")
        wait_ready(proc)
        r.read(8, timeout=10)
        proc.send_signal(signal.SIGKILL)
        finish(proc)
        t0 = time.monotonic()
        frames = sum(chunk.shape[0] for chunk in r.iter_chunks(1, 1))
        self.assertLess(time.monotonic() - t0, 2.0)
        self.assertGreaterEqual(frames, 0)
        self.assertTrue(p.writer_lost)

    def test_ctrl_c_interrupts_an_attach_that_waits(self):
        waiter = textwrap.dedent("""
            from gnuradio import roundpipers
            print("ready", flush=True)
            try:
                roundpipers.attach("xpy_never")
            except KeyboardInterrupt:
                print("interrupted", flush=True)
        """)
        proc = spawn(waiter)
        wait_ready(proc)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        rc, out, err = finish(proc, timeout=10)
        self.assertEqual(rc, 0, err)
        self.assertIn("interrupted", out)


if __name__ == "__main__":
    gr_unittest.run(qa_pipes_across_processes)
