#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""The audio FFT pipeline as a GNU Radio flowgraph with a numpy stage outside it.

    signal source (480 Hz) -> head -> Pipe Sink "audio_samples"
        numpy thread: read(65536, 32768) over "audio_samples" (50 % overlap),
                      numpy.fft.fft, one complex frame of shape (65536,) per window
                      into "fft_results"
    Pipe Source "fft_results" -> complex to mag^2 (VOLK) -> file sink

The flowgraph is built here, or taken from fft_pipeline_flowgraph.grc with --grc (compile
it first: grcc -o OUT examples/fft_pipeline_flowgraph.grc, then put OUT on PYTHONPATH).
Usage: /usr/bin/python3 examples/fft_pipeline.py [--duration-s S] [--output PATH] [--grc]
"""

import argparse
import sys
import threading
import time

import numpy
from gnuradio import analog, blocks, gr, roundpipers

SAMP_RATE = 48000
TONE_HZ = 0.01 * SAMP_RATE
FFT_SIZE = 65536
HOP = FFT_SIZE // 2
AUDIO_CAPACITY = 2 ** 18
SPECTRA_CAPACITY = 32  # complex_to_mag_squared works on 16 frames at a time (VOLK)


class fft_pipeline_flowgraph(gr.top_block):
    """The same blocks and pipes as fft_pipeline_flowgraph.grc."""

    def __init__(self, duration_s=10, output="fft_pipeline.out"):
        gr.top_block.__init__(self, "Audio FFT pipeline through round pipes")
        tone = analog.sig_source_f(SAMP_RATE, analog.GR_SIN_WAVE, TONE_HZ, 1, 0, 0)
        head = blocks.head(gr.sizeof_float, int(duration_s * SAMP_RATE))
        audio_out = roundpipers.pipe_sink_f("audio_samples", [], AUDIO_CAPACITY)
        spectra_in = roundpipers.pipe_source_c("fft_results", [FFT_SIZE], SPECTRA_CAPACITY)
        power = blocks.complex_to_mag_squared(FFT_SIZE)
        file_out = blocks.file_sink(gr.sizeof_float * FFT_SIZE, output, False)
        self.connect(tone, head, audio_out)
        self.connect(spectra_in, power, file_out)


def make_flowgraph(use_grc, duration_s, output):
    if not use_grc:
        return fft_pipeline_flowgraph(duration_s, output)
    try:
        import fft_pipeline_flowgraph as generated
    except ImportError as e:
        raise SystemExit("--grc: cannot import the flowgraph compiled by grcc (%s); run "
                         "grcc -o OUT examples/fft_pipeline_flowgraph.grc and put OUT on "
                         "PYTHONPATH" % e)
    return generated.fft_pipeline_flowgraph(duration_s=duration_s, output=output)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration-s", type=float, default=10.0,
                        help="seconds of audio (default 10)")
    parser.add_argument("--output", default="fft_pipeline.out",
                        help="file for the |X|^2 frames, float32, 65536 per frame")
    parser.add_argument("--grc", action="store_true",
                        help="run the flowgraph compiled from fft_pipeline_flowgraph.grc")
    args = parser.parse_args(argv)
    if args.duration_s * SAMP_RATE < FFT_SIZE:
        parser.error("--duration-s %g is shorter than one FFT window (%.3f s)"
                     % (args.duration_s, FFT_SIZE / SAMP_RATE))

    tb = make_flowgraph(args.grc, args.duration_s, args.output)
    # Both pipe ends outside the flowgraph exist before it starts: the reader sees the
    # first sample and the Pipe Source finds its writer.
    ends = {
        "audio": roundpipers.open_pipe("audio_samples", AUDIO_CAPACITY, (),
                                       numpy.float32).get_reader(),
        "spectra": roundpipers.open_pipe("fft_results", SPECTRA_CAPACITY, (FFT_SIZE,),
                                         numpy.complex64).get_writer(),
    }
    peaks = []
    failure = []
    stop = threading.Event()

    def fft_stage(audio, spectra):
        try:
            while not stop.is_set():
                try:
                    # A copy of 65,536 samples; the pipe then advances by 32,768.
                    window = audio.read(FFT_SIZE, HOP, timeout=0.2)
                except roundpipers.Timeout:
                    continue  # checks stop: the flowgraph may have failed or stopped
                except (roundpipers.EndOfStream, roundpipers.InsufficientData):
                    break  # the tail at end of stream is shorter than a window
                spectrum = numpy.fft.fft(window).astype(numpy.complex64)
                peaks.append(int(numpy.argmax(numpy.abs(spectrum[:FFT_SIZE // 2]))))
                while not stop.is_set():
                    try:
                        spectra.write(spectrum[numpy.newaxis], timeout=0.2)
                        break
                    except roundpipers.Timeout:
                        continue  # checks stop: the flowgraph may have stopped reading
        except Exception as e:  # reported by main()
            failure.append(e)
            stop.set()
        finally:
            spectra.close()  # end of stream: the Pipe Source finishes the flowgraph
            del audio  # detached: a failed stage never holds the Pipe Sink back

    start = time.monotonic()
    thread = threading.Thread(target=fft_stage, args=(ends.pop("audio"), ends.pop("spectra")))
    thread.start()
    try:
        tb.start()
        # Wait in slices: a failed stage stops the flowgraph instead of leaving it running.
        while thread.is_alive():
            thread.join(0.1)
            if failure:
                tb.stop()
        tb.wait()
    finally:
        stop.set()
        thread.join()
    elapsed_s = time.monotonic() - start
    if failure:
        raise failure[0]

    tone_bin = int(round(TONE_HZ * FFT_SIZE / SAMP_RATE))
    at_tone = sum(p == tone_bin for p in peaks)
    found = max(set(peaks), key=peaks.count) if peaks else -1  # the most common peak
    print("frames: %d spectra of %d points (50 %% overlap) from %.1f s of audio"
          % (len(peaks), FFT_SIZE, args.duration_s))
    print("time:   %.3f s" % elapsed_s)
    print("peak:   bin %d = %.2f Hz (tone %.0f Hz at bin %d); %d of %d spectra peak there"
          % (found, found * SAMP_RATE / FFT_SIZE, TONE_HZ, tone_bin, at_tone, len(peaks)))
    print("output: %s" % args.output)
    return 0 if peaks and at_tone == len(peaks) else 1


if __name__ == "__main__":
    sys.exit(main())
