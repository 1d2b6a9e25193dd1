#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Runs both audio FFT pipelines and checks their output files against numpy.

- apps/roundpipers_fft_pipeline (C++, core API), path in ROUNDPIPERS_FFT_PIPELINE;
- examples/fft_pipeline.py (GNU Radio flowgraph + numpy stage), built in Python and
  compiled from examples/fft_pipeline_flowgraph.grc with grcc.
ROUNDPIPERS_SCRATCH names a folder for the output files; the flowgraph runs with the
environment's PYTHONPATH (the build tree's test_modules).
"""

import os
import shutil
import subprocess
import sys
import unittest

import numpy

FS_HZ = 48000.0
TONE_HZ = 0.01 * FS_HZ
FFT_SIZE = 65536
HOP = FFT_SIZE // 2
TONE_BIN = int(round(TONE_HZ * FFT_SIZE / FS_HZ))
EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples")


def scratch_dir():
    path = os.environ.get("ROUNDPIPERS_SCRATCH", "fft_pipelines_scratch")
    os.makedirs(path, exist_ok=True)
    return path


def run(command, env=None):
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)


class spectra_checks(unittest.TestCase):
    """Checks a file of |X|^2 frames against numpy's FFT of the same tone."""

    def check_spectra(self, done, path, duration_s, tolerance):
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        samples = int(duration_s * FS_HZ)
        frames = (samples - FFT_SIZE) // HOP + 1
        self.assertEqual(os.path.getsize(path), frames * FFT_SIZE * 4)
        self.assertIn("bin %d" % TONE_BIN, done.stdout)
        self.assertIn("%d of %d spectra peak there" % (frames, frames), done.stdout)

        got = numpy.fromfile(path, dtype=numpy.float32).reshape(frames, FFT_SIZE)
        step = 2.0 * numpy.pi * TONE_HZ / FS_HZ
        tone = numpy.sin(step * numpy.arange(samples)).astype(numpy.float32)
        for k in range(frames):
            window = tone[k * HOP:k * HOP + FFT_SIZE].astype(numpy.float64)
            expected = numpy.abs(numpy.fft.fft(window)) ** 2
            self.assertEqual(int(numpy.argmax(got[k, :FFT_SIZE // 2])), TONE_BIN,
                             "spectrum %d" % k)
            worst = numpy.max(numpy.abs(got[k] - expected)) / expected.max()
            self.assertLess(worst, tolerance,
                            "spectrum %d differs from numpy by %g of the peak" % (k, worst))


@unittest.skipUnless(os.environ.get("ROUNDPIPERS_FFT_PIPELINE"),
                     "ROUNDPIPERS_FFT_PIPELINE is not set (apps were not built)")
class qa_fft_pipeline_app(spectra_checks):

    @classmethod
    def setUpClass(cls):
        cls.program = os.environ["ROUNDPIPERS_FFT_PIPELINE"]
        cls.scratch = scratch_dir()

    def run_program(self, *args):
        return run([self.program, *args])

    def test_every_spectrum_matches_an_independent_numpy_fft_of_the_tone(self):
        out = os.path.join(self.scratch, "spectra.f32")
        done = self.run_program("--duration-s", "5", "--output", out)
        # Same sine samples as numpy's; float32 FFT rounding stays below 1e-5 of the peak.
        self.check_spectra(done, out, 5.0, 1e-5)

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


class qa_fft_pipeline_flowgraph(spectra_checks):
    """examples/fft_pipeline.py: GNU Radio blocks around a numpy FFT stage."""

    @classmethod
    def setUpClass(cls):
        cls.scratch = scratch_dir()
        cls.script = os.path.join(EXAMPLES, "fft_pipeline.py")

    def test_flowgraph_spectra_match_an_independent_numpy_fft(self):
        out = os.path.join(self.scratch, "flowgraph.f32")
        done = run([sys.executable, self.script, "--duration-s", "5", "--output", out])
        # GNU Radio's signal source uses a fixed-point phase accumulator and a sine
        # table, not libm: its samples differ from numpy's by about 1e-6.
        self.check_spectra(done, out, 5.0, 1e-4)

    @unittest.skipUnless(shutil.which("grcc"), "grcc (gnuradio-companion) is not installed")
    def test_grc_flowgraph_spectra_match_an_independent_numpy_fft(self):
        generated = os.path.join(self.scratch, "grc")
        os.makedirs(generated, exist_ok=True)
        env = dict(os.environ, GRC_BLOCKS_PATH=os.path.join(EXAMPLES, "..", "grc"))
        compiled = run(["grcc", "-o", generated,
                        os.path.join(EXAMPLES, "fft_pipeline_flowgraph.grc")], env)
        self.assertEqual(compiled.returncode, 0, compiled.stdout + compiled.stderr)
        env["PYTHONPATH"] = os.pathsep.join([generated, env.get("PYTHONPATH", "")])
        out = os.path.join(self.scratch, "grc.f32")
        done = run([sys.executable, self.script, "--grc", "--duration-s", "3",
                    "--output", out], env)
        self.check_spectra(done, out, 3.0, 1e-4)


if __name__ == "__main__":
    unittest.main()
