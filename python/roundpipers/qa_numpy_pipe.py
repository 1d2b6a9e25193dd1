#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""The numpy pipe API: pipes, writers, readers, views, errors, Ctrl-C."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy
from gnuradio import gr_unittest, roundpipers

DTYPES = (numpy.float32, numpy.complex64, numpy.float64, numpy.complex128,
          numpy.int8, numpy.uint8, numpy.int16, numpy.int32)
SHAPES = ((), (1024,), (3, 1000))


def frames(n, shape, dtype, first=0):
    """n frames of `shape` whose values count up from first * frame size."""
    size = int(numpy.prod(shape)) if shape else 1
    values = numpy.arange(first * size, (first + n) * size) % 120
    return values.astype(dtype).reshape((n,) + tuple(shape))


class qa_numpy_pipe(gr_unittest.TestCase):

    def test_every_dtype_and_shape_round_trips_exactly(self):
        for dtype in DTYPES:
            for shape in SHAPES:
                with self.subTest(dtype=numpy.dtype(dtype).name, shape=shape):
                    p = roundpipers.pipe("rt", 64, shape=shape, dtype=dtype)
                    self.assertEqual(p.shape, tuple(shape))
                    self.assertEqual(p.dtype, numpy.dtype(dtype))
                    r = p.get_reader()
                    w = p.get_writer()
                    data = frames(10, shape, dtype)
                    w.write(data)
                    got = r.read(10)
                    self.assertEqual(got.shape, (10,) + tuple(shape))
                    numpy.testing.assert_array_equal(got, data)

    def test_sliding_windows_and_skips(self):
        p = roundpipers.pipe("windows", 64, dtype=numpy.int32)
        r = p.get_reader()
        p.get_writer().write(numpy.arange(10, dtype=numpy.int32))
        self.assertEqual(list(r.read(4, 2)), [0, 1, 2, 3])
        self.assertEqual(list(r.read(4, 2)), [2, 3, 4, 5])
        self.assertEqual(list(r.read(2, 0)), [4, 5], "n_to_consume 0 peeks")
        self.assertEqual(list(r.read(1, 3)), [4], "n_to_consume > n_to_read skips")
        self.assertEqual(list(r.read(3)), [7, 8, 9])

    def test_end_of_stream_and_the_short_tail(self):
        p = roundpipers.pipe("eos", 64, dtype=numpy.float32)
        r = p.get_reader()
        w = p.get_writer()
        w.write(numpy.arange(5, dtype=numpy.float32))
        w.close()
        with self.assertRaises(roundpipers.InsufficientData):
            r.read(8)
        self.assertEqual(list(r.read(5)), [0, 1, 2, 3, 4])
        with self.assertRaises(roundpipers.EndOfStream) as ctx:
            r.read(1)
        self.assertEqual(ctx.exception.code, "end_of_stream")

    def test_iter_chunks_yields_read_only_views_then_the_tail(self):
        p = roundpipers.pipe("chunks", 64, shape=(2,), dtype=numpy.int16)
        r = p.get_reader()
        w = p.get_writer()
        w.write(frames(10, (2,), numpy.int16))
        w.close()
        sizes = []
        for chunk in r.iter_chunks(4, 4):
            self.assertFalse(chunk.flags.writeable, "views are read-only")
            self.assertEqual(chunk.shape[1:], (2,))
            sizes.append(chunk.shape[0])
        self.assertEqual(sizes, [4, 4, 2])

    def test_a_kept_view_is_never_overwritten(self):
        """A view kept across iterations still shows its own frames: the reader keeps
        them from the writer until the view is gone."""
        p = roundpipers.pipe("kept", 1024, dtype=numpy.int32)
        cap = p.capacity
        r = p.get_reader()
        w = p.get_writer()
        w.write(numpy.arange(cap // 2, dtype=numpy.int32))
        it = r.iter_chunks(16, 16)
        kept = next(it)
        self.assertEqual(list(kept[:3]), [0, 1, 2])
        for _ in range(5):
            next(it)
        # The writer fills the ring (write() hands over what fits), but never the slots
        # the kept view shows.
        with self.assertRaises(roundpipers.Timeout):
            w.write(numpy.full(cap // 2 + 16, -1, dtype=numpy.int32), timeout=0.5)
        self.assertEqual(list(kept[:3]), [0, 1, 2], "the kept view was overwritten")
        with self.assertRaises(roundpipers.Timeout):
            w.write(numpy.full(1, -1, dtype=numpy.int32), timeout=0.2)
        del kept
        next(it)  # the reader's next call releases the frames of the dropped view
        w.write(numpy.full(16, -1, dtype=numpy.int32), timeout=1.0)

    def test_a_large_write_goes_on_while_a_reader_holds_a_window(self):
        """write() hands over what fits and goes on: a fixed piece as large as the ring
        would wait for room the reader frees only after more frames arrive."""
        p = roundpipers.pipe("large_write", 1024, dtype=numpy.int32)
        r = p.get_reader()
        w = p.get_writer()
        sent = numpy.arange(20 * p.capacity, dtype=numpy.int32)
        got = []

        def read():
            for chunk in r.iter_chunks(512, 512):
                got.append(numpy.array(chunk))

        reader = threading.Thread(target=read)
        reader.start()
        try:
            w.write(sent, timeout=10.0)
        finally:
            w.close()
            reader.join()
        self.assertTrue(numpy.array_equal(numpy.concatenate(got), sent))

    def test_a_write_that_times_out_says_how_much_went_through(self):
        p = roundpipers.pipe("partial_write", 1024, dtype=numpy.int32)
        r = p.get_reader()  # never reads: the writer can fill the ring once
        w = p.get_writer()
        with self.assertRaises(roundpipers.Timeout) as raised:
            w.write(numpy.zeros(p.capacity + 10, dtype=numpy.int32), timeout=0.2)
        self.assertIn("after writing %d of %d frames" % (p.capacity, p.capacity + 10),
                      str(raised.exception))
        self.assertEqual(raised.exception.frames_written, p.capacity)
        self.assertEqual(r.state.available, p.capacity)

    def test_a_timed_out_write_resumes_from_frames_written_without_duplicates(self):
        p = roundpipers.pipe("resume_write", 64, dtype=numpy.int32)
        r = p.get_reader()
        w = p.get_writer()
        data = numpy.arange(p.capacity + 40, dtype=numpy.int32)
        try:
            w.write(data, timeout=0.1)
            self.fail("the write fitted although nobody read")
        except roundpipers.Timeout as e:
            done = e.frames_written
        got = [r.read(done)]
        w.write(data[done:], timeout=5)
        w.close()
        got.append(r.read(len(data) - done))
        numpy.testing.assert_array_equal(numpy.concatenate(got), data)

    def test_interpreter_exit_with_a_thread_blocked_in_a_read_is_clean(self):
        script = textwrap.dedent("""
            import threading
            from gnuradio import roundpipers
            p = roundpipers.pipe("exit_blocked", 16)
            r = p.get_reader()
            w = p.get_writer()  # alive: the read below never ends by itself
            threading.Thread(target=lambda: r.read(1), daemon=True).start()
            threading.Event().wait(0.3)
            print("exiting", flush=True)
        """)
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             timeout=60)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("exiting", run.stdout)
        self.assertNotIn("terminate", run.stderr)

    def test_writer_reserve_publishes_on_exit_and_discards_on_error(self):
        p = roundpipers.pipe("reserve", 64, shape=(3,), dtype=numpy.float64)
        r = p.get_reader()
        w = p.get_writer()
        with w.reserve(2) as buf:
            self.assertEqual(buf.shape, (2, 3))
            buf[:] = 7.0
        with self.assertRaises(KeyError):
            with w.reserve(1) as buf:
                buf[:] = 9.0
                raise KeyError("discard")
        self.assertFalse(buf.flags.writeable, "the view is locked after the block")
        self.assertEqual(p.state.written, 2)
        numpy.testing.assert_array_equal(r.read(2), numpy.full((2, 3), 7.0))

    def test_metadata_lossy_overrun_and_state(self):
        p = roundpipers.pipe("lossy", 1024, dtype=numpy.int32)
        cap = p.capacity
        w = p.get_writer()
        monitor = p.get_reader(lossy=True)
        self.assertIsNone(monitor.get_metadata())
        w.set_metadata({"rate": 48000})
        self.assertEqual(monitor.get_metadata(), {"rate": 48000})
        w.write(numpy.arange(cap + 100, dtype=numpy.int32))
        with self.assertRaises(roundpipers.Overrun) as ctx:
            monitor.read(10)
        self.assertEqual(ctx.exception.lost, 100)
        self.assertEqual(monitor.state.lost, 100)
        self.assertEqual(list(monitor.read(2)), [100, 101])

    def test_bad_inputs_are_clear_errors(self):
        with self.assertRaises(TypeError):
            roundpipers.pipe("bad", 64, dtype=numpy.uint64)
        with self.assertRaises(roundpipers.PipeError) as ctx:
            roundpipers.pipe("bad", 0)
        self.assertEqual(ctx.exception.code, "invalid_argument")
        with self.assertRaises(ValueError):
            roundpipers.pipe("bad", 64, shape=(4, 0))
        p = roundpipers.pipe("bad", 64, shape=(4,), dtype=numpy.float32)
        w = p.get_writer()
        with self.assertRaises(roundpipers.PipeError) as ctx:
            p.get_writer()
        self.assertEqual(ctx.exception.code, "writer_exists")
        with self.assertRaises(TypeError):
            w.write(numpy.zeros((2, 4), dtype=numpy.float64))
        with self.assertRaises(ValueError):
            w.write(numpy.zeros((2, 5), dtype=numpy.float32))
        with self.assertRaises(ValueError):
            p.get_reader().read(0)
        with self.assertRaises(roundpipers.PipeError) as ctx:
            p.get_reader().read(p.capacity + 1)
        self.assertEqual(ctx.exception.code, "read_capacity_exceeded")

    def test_open_pipe_meets_the_same_pipe_by_name(self):
        a = roundpipers.open_pipe("qa_numpy_named", 64, shape=(2,), dtype=numpy.complex64)
        b = roundpipers.open_pipe("qa_numpy_named", 64, shape=(2,), dtype=numpy.complex64)
        r = b.get_reader()
        a.get_writer().write(numpy.ones((3, 2), dtype=numpy.complex64))
        self.assertEqual(r.read(3).shape, (3, 2))
        with self.assertRaises(roundpipers.PipeError):
            roundpipers.open_pipe("qa_numpy_named", 64, shape=(2,), dtype=numpy.float32)

    def test_ctrl_c_interrupts_a_blocked_read(self):
        """SIGINT reaches a read blocked with the GIL released within a second."""
        child = subprocess.Popen(
            [sys.executable, "-c",
             "import numpy, sys\n"
             "from gnuradio import roundpipers\n"
             "p = roundpipers.pipe('ctrl_c', 64)\n"
             "w = p.get_writer()\n"
             "r = p.get_reader()\n"
             "print('ready', flush=True)\n"
             "try:\n"
             "    r.read(1)\n"
             "except KeyboardInterrupt:\n"
             "    print('interrupted', flush=True)\n"
             "    sys.exit(3)\n"],
            stdout=subprocess.PIPE, text=True, env=dict(os.environ))
        self.assertEqual(child.stdout.readline().strip(), "ready")
        time.sleep(0.3)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=5)
        self.assertLess(time.monotonic() - sent, 1.0)
        self.assertEqual(out.strip(), "interrupted")
        self.assertEqual(child.returncode, 3)


if __name__ == '__main__':
    gr_unittest.run(qa_numpy_pipe)
