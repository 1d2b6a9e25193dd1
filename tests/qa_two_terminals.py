#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""The README's two-terminal quick start as two processes: a GRC flowgraph compiled
with grcc (terminal 1) and examples/attach_spectra.py attaching to it (terminal 2)."""

import os
import signal
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
PYTHON = "/usr/bin/python3"


class qa_two_terminals(unittest.TestCase):

    def test_numpy_process_prints_the_peaks_of_a_running_grc_flowgraph(self):
        with tempfile.TemporaryDirectory(prefix="rp-qa-2term-") as scratch:
            env = dict(os.environ, ROUNDPIPERS_RUNTIME_DIR=os.path.join(scratch, "run"),
                       GRC_BLOCKS_PATH=os.path.join(SOURCE, "grc"))
            os.mkdir(env["ROUNDPIPERS_RUNTIME_DIR"], 0o700)
            subprocess.run(["grcc", "-o", scratch, os.path.join(SOURCE, "examples", "fft_live.grc")],
                           env=env, check=True, capture_output=True, timeout=120)
            terminal_1 = subprocess.Popen([PYTHON, os.path.join(scratch, "fft_live.py")], env=env,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                terminal_2 = subprocess.run(
                    [PYTHON, os.path.join(SOURCE, "examples", "attach_spectra.py")], env=env,
                    capture_output=True, text=True, timeout=60)
                self.assertEqual(terminal_2.returncode, 0, terminal_2.stderr)
                lines = terminal_2.stdout.strip().splitlines()
                self.assertEqual(len(lines), 10, terminal_2.stdout)
                for line in lines:
                    self.assertTrue(line.endswith("peak at 3000 Hz"), line)
                self.assertIsNone(terminal_1.poll(), "the flowgraph ended early")
            finally:
                terminal_1.send_signal(signal.SIGINT)  # Ctrl-C in terminal 1
                try:
                    _, err = terminal_1.communicate(timeout=20)
                except subprocess.TimeoutExpired:
                    terminal_1.kill()
                    terminal_1.communicate()
                    self.fail("the flowgraph did not stop on Ctrl-C")
            self.assertEqual(terminal_1.returncode, 0, err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
