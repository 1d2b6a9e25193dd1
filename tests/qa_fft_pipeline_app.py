#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Runs apps/roundpipers_fft_pipeline and checks its output file against numpy.

Environment: ROUNDPIPERS_FFT_PIPELINE (the program), ROUNDPIPERS_SCRATCH (a folder for
the output files).
"""

import os
import subprocess
import unittest

import numpy

FS_HZ = 48000.0
TONE_HZ = 0.01 * FS_HZ
FFT_SIZE = 65536
HOP = FFT_SIZE // 2
TONE_BIN = int(round(TONE_HZ * FFT_SIZE / FS_HZ))


class qa_fft_pipeline_app(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.program = os.environ["ROUNDPIPERS_FFT_PIPELINE"]
        cls.scratch = os.environ["ROUNDPIPERS_SCRATCH"]
        os.makedirs(cls.scratch, exist_ok=True)

    def run_program(self, *args):
        return subprocess.run([self.program, *args], capture_output=True, text=True,
                              timeout=120)

    def test_every_spectrum_matches_an_independent_numpy_fft_of_the_tone(self):
        duration_s = 5.0
        out = os.path.join(self.scratch, "spectra.f32")
        done = self.run_program("--duration-s", str(duration_s), "--output", out)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)

        samples = int(duration_s * FS_HZ)
        frames = (samples - FFT_SIZE) // HOP + 1
        self.assertEqual(os.path.getsize(out), frames * FFT_SIZE * 4)
        self.assertIn("bin %d" % TONE_BIN, done.stdout)
        self.assertIn("%d of %d spectra peak there" % (frames, frames), done.stdout)

        got = numpy.fromfile(out, dtype=numpy.float32).reshape(frames, FFT_SIZE)
        step = 2.0 * numpy.pi * TONE_HZ / FS_HZ
        tone = numpy.sin(step * numpy.arange(samples)).astype(numpy.float32)
        for k in range(frames):
            window = tone[k * HOP:k * HOP + FFT_SIZE].astype(numpy.float64)
            expected = numpy.abs(numpy.fft.fft(window)) ** 2
            self.assertEqual(int(numpy.argmax(got[k, :FFT_SIZE // 2])), TONE_BIN,
                             "spectrum %d" % k)
            # float32 FFT rounding stays far below 1e-5 of the peak's power.
            worst = numpy.max(numpy.abs(got[k] - expected)) / expected.max()
            self.assertLess(worst, 1e-5, "spectrum %d differs from numpy by %g" % (k, worst))

    def test_real_time_pacing_takes_as_long_as_the_audio(self):
        out = os.path.join(self.scratch, "paced.f32")
        done = self.run_program("--duration-s", "1.5", "--realtime", "--output", out)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        seconds = float(done.stdout.split("time:")[1].split()[0])
        self.assertGreaterEqual(seconds, 1.45)
        self.assertEqual(os.path.getsize(out), FFT_SIZE * 4)

    def test_bad_options_are_named_in_the_error(self):
        cases = [
            (["--duration-s", "ten"], "'ten' is not a number of seconds"),
            (["--duration-s", "0.5"], "shorter than one FFT window"),
            (["--duration-s"], "--duration-s needs a value"),
            (["--loud"], "unknown option '--loud'"),
            (["--output", os.path.join(self.scratch, "missing", "x.f32")],
             "cannot open"),
        ]
        for args, message in cases:
            done = self.run_program(*args)
            self.assertNotEqual(done.returncode, 0, args)
            self.assertIn(message, done.stderr, args)


if __name__ == "__main__":
    unittest.main()
