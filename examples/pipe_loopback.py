#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""numpy writer -> Pipe Source -> multiply by 2 -> Pipe Sink -> numpy reader.

Frames of 256 floats go into a flowgraph and back out, through two named pipes, while
the flowgraph runs; the script checks every value came back doubled.
"""

import sys
import threading

import numpy
from gnuradio import blocks, gr, roundpipers

FRAME = 256
FRAMES = 2000


def main():
    tb = gr.top_block()
    source = roundpipers.pipe_source_f("loop_in", [FRAME], 64)
    double = blocks.multiply_const_vff([2.0] * FRAME)
    sink = roundpipers.pipe_sink_f("loop_out", [FRAME], 64)
    tb.connect(source, double, sink)

    writer = roundpipers.open_pipe("loop_in", 64, (FRAME,)).get_writer()
    reader = roundpipers.open_pipe("loop_out", 64, (FRAME,)).get_reader()
    sent = numpy.arange(FRAMES * FRAME, dtype=numpy.float32).reshape(FRAMES, FRAME)
    received = []

    def write():
        for start in range(0, FRAMES, 50):
            writer.write(sent[start:start + 50])  # waits while the flowgraph catches up
        writer.close()  # end of stream: the flowgraph finishes once it has read all

    def read():
        for chunk in reader.iter_chunks(10, 10):
            received.append(numpy.array(chunk))  # copy: views are only lent

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    for t in threads:
        t.start()
    tb.run()
    for t in threads:
        t.join()
    got = numpy.concatenate(received)
    ok = got.shape == sent.shape and numpy.array_equal(got, 2 * sent)
    print("%d frames of %d floats went through the flowgraph and back: %s"
          % (len(got), FRAME, "all doubled" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
