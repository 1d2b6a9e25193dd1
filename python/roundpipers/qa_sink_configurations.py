#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Pipe Sink and Pipe Source configurations that used to hang: each works, or tb.start()
fails at once with a message naming the block, the pipe and the fix (design section 11).

Every case runs in its own interpreter with a hard timeout, so a hang fails the case
in seconds instead of stalling the suite.
"""

import os
import subprocess
import textwrap

from gnuradio import gr_unittest

PYTHON = "/usr/bin/python3"

# Prints "frames N" after the run, or "start failed: ..." when tb.start() refuses.
CASE = textwrap.dedent("""
    import sys, threading, numpy, pmt
    from gnuradio import gr, blocks, filter, roundpipers
    case = sys.argv[1]
    tb = gr.top_block()
    if case == "repeat":
        name, cap, shape = "qa_cfg_repeat", 64, (64,)
        src = blocks.vector_source_f([1.0] * (64 * 100), False, 64)
        tb.connect(src, blocks.repeat(4 * 64, 32), roundpipers.pipe_sink_f(name, [64], cap))
    elif case == "interp":
        name, cap, shape = "qa_cfg_interp", 1024, ()
        fir = filter.interp_fir_filter_fff(512, [1.0] * 1024)
        tb.connect(blocks.vector_source_f([1.0] * 100, False), fir,
                   roundpipers.pipe_sink_f(name, [], cap))
    elif case == "tagged":
        name, cap, shape = "qa_cfg_tagged", 1024, ()
        t = gr.tag_t()
        t.offset, t.key, t.value = 0, pmt.intern("k"), pmt.PMT_T
        tb.connect(blocks.vector_source_f([1.0] * 1000, False, 1, [t]),
                   roundpipers.pipe_sink_f(name, [], cap))
    elif case == "tiny":
        name, cap, shape = "qa_cfg_tiny", 2, (1024,)
        tb.connect(blocks.vector_source_f([1.0] * (1024 * 500), False, 1024),
                   roundpipers.pipe_sink_f(name, [1024], cap))
    elif case == "two_sinks":
        name, cap, shape = "qa_cfg_two", 1024, ()
        tb.connect(blocks.vector_source_f([1.0] * 100), roundpipers.pipe_sink_f(name, [], cap))
        tb.connect(blocks.vector_source_f([1.0] * 100), roundpipers.pipe_sink_f(name, [], cap))
    elif case == "outside_writer":
        name, cap, shape = "qa_cfg_outside", 1024, ()
        keep = roundpipers.open_pipe(name, cap, shape, numpy.float32).get_writer()
        tb.connect(blocks.vector_source_f([1.0] * 100), roundpipers.pipe_sink_f(name, [], cap))
    elif case in ("full_window", "big_chunks"):
        name, cap, shape = "qa_cfg_" + case, 8192, ()
        tb.connect(blocks.vector_source_f([1.0] * 100000, False),
                   roundpipers.pipe_sink_f(name, [], cap))
    elif case == "small_ring_views":
        name, cap, shape = "qa_cfg_small", 3, (1024,)
        tb.connect(blocks.vector_source_f([1.0] * (1024 * 2000), False, 1024),
                   roundpipers.pipe_sink_f(name, [1024], cap))
    elif case == "source_decimation":
        from gnuradio import fft
        tb.connect(roundpipers.pipe_source_c("qa_cfg_decim", [], 8192),
                   blocks.stream_to_vector(gr.sizeof_gr_complex, 65536),
                   fft.fft_vcc(65536, True, [], False), blocks.null_sink(8 * 65536))
        try:
            tb.start()
        except Exception as e:
            print("start failed:", e, flush=True)
            sys.exit(0)
        print("started", flush=True)
        sys.exit(0)
    elif case == "second_output":
        name, cap, shape = "qa_cfg_second", 4096, ()
        c2f = blocks.complex_to_float()
        stock = blocks.vector_sink_f()
        tb.connect(blocks.vector_source_c([complex(i, -i) for i in range(1000)], False), c2f)
        tb.connect((c2f, 0), stock)
        tb.connect((c2f, 1), roundpipers.pipe_sink_f(name, [], cap))
    elif case == "two_on_one_output":
        name, cap, shape = "qa_cfg_one_a", 4096, ()
        src = blocks.vector_source_f([1.0] * 1000, False)
        tb.connect(src, roundpipers.pipe_sink_f(name, [], cap))
        tb.connect(src, roundpipers.pipe_sink_f("qa_cfg_one_b", [], cap))
    reader = roundpipers.open_pipe(name, cap, shape, numpy.float32).get_reader()
    got = [0]
    started = threading.Event()  # tb.stop() racing with tb.start() can hang GNU Radio
    def drain():
        try:
            if case == "full_window":
                reader.read(cap)
            elif case == "big_chunks":
                for chunk in reader.iter_chunks(cap // 2, cap // 2):
                    got[0] += len(chunk)
            elif case == "small_ring_views":  # a live view while the next frame comes
                for chunk in reader.iter_chunks(1, 1):
                    got[0] += len(chunk)
                return
        except roundpipers.PipeError as e:
            print("reader failed:", type(e).__name__, e, flush=True)
            started.wait(10)
            tb.stop()
            return
        while True:
            try:
                reader.read(1)
            except roundpipers.PipeError:
                return
            got[0] += 1
    th = threading.Thread(target=drain, daemon=True)
    th.start()
    try:
        tb.start()
    except Exception as e:
        print("start failed:", e, flush=True)
        sys.exit(0)
    started.set()
    tb.wait()
    th.join(10)
    if case == "second_output":
        print("stock", len(stock.data()), flush=True)
    print("frames", got[0], flush=True)
""")


# Pipe Source cases: an outside writer (this process) feeds the source; prints lines to
# compare with a plain edge.
SOURCE_CASE = textwrap.dedent("""
    import sys, threading, numpy
    from gnuradio import gr, blocks, filter, roundpipers
    case = sys.argv[1]
    frames = numpy.arange(2048, dtype=numpy.float32)
    taps = [float(k + 1) for k in range(11)]
    if case.startswith("history"):
        plain = gr.top_block()
        want = blocks.vector_sink_f()
        plain.connect(blocks.vector_source_f(frames.tolist()), filter.fir_filter_fff(1, taps), want)
        plain.run()
        tb = gr.top_block()
        src = roundpipers.pipe_source_f("qa_cfg_" + case, [], 1024)
        got = blocks.vector_sink_f()
        tb.connect(src, filter.fir_filter_fff(1, taps), got)
        w = roundpipers.open_pipe("qa_cfg_" + case, 1024, (), numpy.float32).get_writer()
        first = 1024 if case == "history_full_ring" else 0  # written before the start
        if first:
            w.write(frames[:first], timeout=10)
        tb.start()
        w.write(frames[first:], timeout=10)
        w.close()
        tb.wait()
        print("first", list(got.data()[:3]), flush=True)
        print("equal", list(got.data()) == list(want.data()), len(got.data()), flush=True)
        print("zero_copy", src.zero_copy(), flush=True)
    elif case == "fan_out_to_a_sink":
        tb = gr.top_block()
        src = roundpipers.pipe_source_f("qa_cfg_fan_src", [], 4096)
        stock = blocks.vector_sink_f()
        tb.connect(src, stock)
        tb.connect(src, roundpipers.pipe_sink_f("qa_cfg_fan_sink", [], 4096))
        reader = roundpipers.open_pipe("qa_cfg_fan_sink", 4096, (), numpy.float32).get_reader()
        w = roundpipers.open_pipe("qa_cfg_fan_src", 4096, (), numpy.float32).get_writer()
        try:
            tb.start()
        except Exception as e:
            print("start failed:", e, flush=True)
            sys.exit(0)
        w.write(frames, timeout=10)
        w.close()
        got = reader.read(2048, timeout=10)
        tb.wait()
        print("stock", list(stock.data()) == frames.tolist(), flush=True)
        print("sink", got.tolist() == frames.tolist(), flush=True)
""")


def run_case(case, timeout=60, script=CASE):
    """The case's output (GNU Radio's own log lines included)."""
    proc = subprocess.run([PYTHON, "-c", script, case], capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, GR_DONT_LOAD_PREFS="1"))
    if proc.returncode != 0:
        raise AssertionError("case %s ended with %d: %s" % (case, proc.returncode, proc.stderr))
    return proc.stdout.strip()


class qa_sink_configurations(gr_unittest.TestCase):

    def test_a_sink_behind_repeat_32_with_capacity_64_gets_every_frame(self):
        self.assertEqual(run_case("repeat").splitlines()[-1], "frames 3200")

    def test_a_sink_behind_an_interpolation_of_512_with_capacity_1024_gets_every_frame(self):
        self.assertEqual(run_case("interp").splitlines()[-1], "frames 51200")

    def test_a_capacity_of_2_frames_delivers_every_frame(self):
        self.assertEqual(run_case("tiny").splitlines()[-1], "frames 500")

    def test_a_3_frame_ring_keeps_flowing_to_a_reader_that_holds_a_view(self):
        # It stalled 20 ms every other frame (2000 frames took 40 s): the sink waited for
        # a reader that waited for the next frame, which only the sink could publish.
        out = run_case("small_ring_views", timeout=20)
        self.assertEqual(out.splitlines()[-1], "frames 2000")

    def test_a_tagged_vector_source_larger_than_half_the_pipe_fails_start(self):
        out = run_case("tagged")
        self.assertIn("start failed", out)
        for part in ("vector_source", "'qa_cfg_tagged'", "1024 frames", "1000 frames at a time",
                     "at least 2000 frames"):
            self.assertIn(part, out)

    def test_two_sinks_of_one_name_fail_start_in_the_callers_thread(self):
        out = run_case("two_sinks")
        self.assertIn("start failed", out)
        self.assertIn("pipe_sink 'qa_cfg_two'", out)
        self.assertIn("already has a writer", out)
        self.assertIn("give this sink its own pipe name", out)

    def test_a_sink_whose_name_an_outside_writer_holds_fails_start(self):
        out = run_case("outside_writer")
        self.assertIn("start failed", out)
        self.assertIn("already has a writer", out)


    def test_a_window_of_the_whole_capacity_from_a_sink_is_refused_at_once(self):
        out = run_case("full_window", timeout=30)
        self.assertIn("reader failed: PipeError", out)
        self.assertIn("at most 8191 of its 8192 frames", out)

    def test_chunks_of_half_a_sink_pipe_that_a_live_view_would_exceed_are_refused(self):
        out = run_case("big_chunks", timeout=30)
        self.assertIn("reader failed", out)
        self.assertIn("n_to_read + n_to_consume <= 8191", out)


    def test_a_second_output_of_a_block_feeds_a_sink_while_the_first_feeds_a_stock_block(self):
        out = run_case("second_output").splitlines()
        self.assertEqual(out[-2:], ["stock 1000", "frames 1000"])

    def test_a_decimation_beyond_a_pipe_sources_capacity_fails_start(self):
        # The seed's pattern: stream_to_vector(65536) -> FFT after a source of 8192 frames
        # ended "successfully" with no output while the outside writer waited for ever.
        out = run_case("source_decimation")
        self.assertIn("start failed", out)
        for part in ("pipe_source", "'qa_cfg_decim' holds 8192 frames", "65537 frames at once",
                     "at least 65537 frames"):
            self.assertIn(part, out)

    def test_two_sinks_on_one_output_fail_start_naming_the_fix(self):
        out = run_case("two_on_one_output")
        self.assertIn("start failed", out)
        self.assertIn("read the same output of block 'vector_source", out)
        self.assertIn("blocks.copy", out)

    def test_history_after_a_pipe_source_starts_on_zeros_when_the_ring_was_full(self):
        # An 11-tap FIR started on frames 1014..1023 that the writer had put in the
        # slots before the first frame: now its output equals a plain edge's.
        out = run_case("history_full_ring", script=SOURCE_CASE).splitlines()
        self.assertIn("first [0.0, 1.0, 4.0]", out, out)  # not taps against 1014...
        self.assertIn("equal True 2048", out, out)
        self.assertIn("zero_copy False", out)  # the frames go through zeroed memory

    def test_history_after_a_pipe_source_starts_on_zeros_with_a_live_writer(self):
        out = run_case("history_live", script=SOURCE_CASE).splitlines()
        self.assertIn("equal True 2048", out, out)

    def test_a_pipe_source_feeds_a_stock_block_and_a_pipe_sink(self):
        # GNU Radio refused it ("has transfer type DEVICE_TO_HOST assigned").
        out = run_case("fan_out_to_a_sink", script=SOURCE_CASE).splitlines()
        self.assertEqual(out[-2:], ["stock True", "sink True"], out)


if __name__ == "__main__":
    gr_unittest.run(qa_sink_configurations)
