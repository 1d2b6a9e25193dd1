#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Restarts (design section 11): each run is one stream, a reader opened before a run
reads that run, a Pipe Source takes a new writer after the last one closed, and two
flowgraphs chained through a pipe deliver every round. Each case runs in its own
interpreter with a hard timeout, so a hang fails fast."""

import os
import subprocess
import textwrap

from gnuradio import gr_unittest

PYTHON = "/usr/bin/python3"

CASE = textwrap.dedent("""
    import sys, threading, numpy
    from gnuradio import gr, blocks, roundpipers
    case = sys.argv[1]
    if case == "sink_cycles":
        tb = gr.top_block()
        src = blocks.vector_source_f([float(i) for i in range(1000)], False)
        tb.connect(src, roundpipers.pipe_sink_f("qa_rs_cycles", [], 4096))
        for run in range(20):
            r = roundpipers.open_pipe("qa_rs_cycles", 4096, (), numpy.float32).get_reader()
            src.rewind()
            tb.start()
            tb.wait()
            tb.stop()
            got = []
            try:
                while True:
                    got.append(float(r.read(1, timeout=5)[0]))
            except roundpipers.EndOfStream:
                pass
            print("run", run, len(got), got[0] if got else None, got[-1] if got else None)
    elif case == "source_new_writer":
        tb = gr.top_block()
        snk = blocks.vector_sink_f()
        tb.connect(roundpipers.pipe_source_f("qa_rs_source", [], 4096), snk)
        for run in range(3):
            snk.reset()
            tb.start()
            w = roundpipers.open_pipe("qa_rs_source", 4096, (), numpy.float32).get_writer()
            w.write(numpy.arange(100, dtype=numpy.float32) + 100 * run)
            w.close()
            del w
            tb.wait()
            data = snk.data()
            print("run", run, len(data), data[0] if data else None)
    elif case == "chained":
        sink_tb = gr.top_block()
        src = blocks.vector_source_f([float(i) for i in range(1000)], False)
        sink_tb.connect(src, roundpipers.pipe_sink_f("qa_rs_chain", [], 4096))
        source_tb = gr.top_block()
        snk = blocks.vector_sink_f()
        source_tb.connect(roundpipers.pipe_source_f("qa_rs_chain", [], 4096), snk)
        for run in range(5):
            snk.reset()
            src.rewind()
            source_tb.start()
            sink_tb.run()
            source_tb.wait()
            data = snk.data()
            print("run", run, len(data), data[0] if data else None, data[-1] if data else None)
""")


def run_case(case, timeout=120):
    proc = subprocess.run([PYTHON, "-c", CASE, case], capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, GR_DONT_LOAD_PREFS="1"))
    if proc.returncode != 0:
        raise AssertionError("case %s ended with %d: %s" % (case, proc.returncode, proc.stderr))
    return [line for line in proc.stdout.splitlines() if line.startswith("run ")]


class qa_restarts(gr_unittest.TestCase):

    def test_20_start_stop_cycles_each_reach_a_reader_opened_before_the_start(self):
        runs = run_case("sink_cycles")
        self.assertEqual(runs, ["run %d 1000 0.0 999.0" % i for i in range(20)])

    def test_a_pipe_source_takes_a_new_writer_after_the_last_one_closed(self):
        runs = run_case("source_new_writer")
        self.assertEqual(runs, ["run %d 100 %.1f" % (i, 100.0 * i) for i in range(3)])

    def test_two_flowgraphs_chained_through_a_pipe_deliver_every_round(self):
        runs = run_case("chained")
        self.assertEqual(runs, ["run %d 1000 0.0 999.0" % i for i in range(5)])


if __name__ == "__main__":
    gr_unittest.run(qa_restarts)
