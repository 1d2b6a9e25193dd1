#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Runs the flowgraph of fft_tap.grc (compiled with grcc) and reads its spectra.

The flowgraph's Pipe Sink writes power spectra (frames of shape (fft_size,)) into the
pipe "fft_tap"; this script reads them as numpy arrays in another thread and prints the
peak frequency. Usage:

    grcc -o OUT examples/fft_tap.grc           # with GRC_BLOCKS_PATH=grc in the tree
    PYTHONPATH=OUT:$PYTHONPATH /usr/bin/python3 examples/fft_tap_reader.py
"""

import sys
import threading

import numpy
from gnuradio import roundpipers

import fft_tap


def main():
    tb = fft_tap.fft_tap()
    size = tb.get_fft_size()
    bin_hz = tb.get_samp_rate() / size
    # Open the pipe and register the reader before the flowgraph starts: it sees every
    # spectrum the flowgraph writes.
    reader = roundpipers.open_pipe("fft_tap", 64, (size,), numpy.float32).get_reader()
    peaks = []

    def read_spectra():
        for chunk in reader.iter_chunks(8, 8):  # read-only views, shape (8, size)
            peaks.extend(int(p) for p in numpy.argmax(chunk, axis=1))

    thread = threading.Thread(target=read_spectra)
    thread.start()
    tb.start()
    tb.wait()  # the pipe reaches end of stream when the flowgraph finishes
    thread.join()
    found = [p * bin_hz for p in peaks]
    at_tone = sum(abs(f - tb.get_tone_hz()) <= bin_hz for f in found)
    print("%d spectra read; peak frequency %.1f Hz in %d of them (tone %.0f Hz)"
          % (len(found), numpy.median(found) if found else 0.0, at_tone, tb.get_tone_hz()))
    return 0 if found and at_tone == len(found) == tb.get_n_spectra() else 1


if __name__ == "__main__":
    sys.exit(main())
