#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Terminal 2 of the README: attach to a running flowgraph's Pipe Sink, print peaks."""
import numpy
from gnuradio import roundpipers

pipe = roundpipers.attach("fft_live", timeout=30)  # dtype, shape, capacity from the pipe
for n, chunk in enumerate(pipe.get_reader(lossy=True).iter_chunks(8, 8)):
    peak = int(numpy.argmax(chunk[-1]))            # chunk: 8 spectra, shape (8, 1024)
    print(f"spectra {8 * n}-{8 * n + 7}: peak at {peak * 48000 / pipe.shape[0]:.0f} Hz")
    if n == 9:
        break
