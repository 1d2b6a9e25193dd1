#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""The `roundpipers` command (list, stat, cat) against pipes this process shares."""

import os
import signal
import subprocess
import tempfile
import time
import unittest

import numpy
from gnuradio import roundpipers

COMMAND = os.environ["ROUNDPIPERS_COMMAND"]


def run(*args, timeout=20):
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, timeout=timeout)


class qa_roundpipers_command(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(prefix="rp-qa-cmd-")
        os.environ["ROUNDPIPERS_RUNTIME_DIR"] = cls.folder.name

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_list_shows_each_shared_pipe(self):
        p = roundpipers.pipe("cmd_list", 64, (2, 3), numpy.complex64, shared=True)
        w = p.get_writer()
        r = p.get_reader()
        w.write(numpy.zeros((5, 2, 3), numpy.complex64))
        out = run("list")
        self.assertEqual(out.returncode, 0, out.stderr)
        line = [l for l in out.stdout.splitlines() if l.startswith("cmd_list ")]
        self.assertEqual(len(line), 1, out.stdout)
        fields = line[0].split()
        self.assertEqual(fields[1:4], ["complex64", "[2,", "3]"])
        self.assertEqual(fields[5], str(os.getpid()))  # the writer
        self.assertEqual(fields[6:9], ["1", "5", "open"])
        del r

    def test_cat_writes_the_exact_frames_and_ends_with_the_stream(self):
        p = roundpipers.pipe("cmd_cat", 64, (4,), numpy.float32, shared=True)
        w = p.get_writer()
        cat = subprocess.Popen([COMMAND, "cat", "cmd_cat"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
        end = time.monotonic() + 10
        while p.reader_count == 0 and time.monotonic() < end:
            time.sleep(0.005)
        data = numpy.arange(1000 * 4, dtype=numpy.float32).reshape(1000, 4)
        w.write(data, timeout=10)
        w.close()
        out, err = cat.communicate(timeout=20)
        self.assertEqual(cat.returncode, 0, err)
        numpy.testing.assert_array_equal(numpy.frombuffer(out, numpy.float32).reshape(-1, 4), data)

    def test_cat_frames_stops_after_n(self):
        p = roundpipers.pipe("cmd_cat_n", 64, (), numpy.int16, shared=True)
        w = p.get_writer()
        cat = subprocess.Popen([COMMAND, "cat", "cmd_cat_n", "--frames", "10"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        end = time.monotonic() + 10
        while p.reader_count == 0 and time.monotonic() < end:
            time.sleep(0.005)
        w.write(numpy.arange(30, dtype=numpy.int16), timeout=10)
        out, err = cat.communicate(timeout=20)
        self.assertEqual(cat.returncode, 0, err)
        numpy.testing.assert_array_equal(numpy.frombuffer(out, numpy.int16), numpy.arange(10))

    def test_stat_prints_rates_and_each_readers_lag(self):
        p = roundpipers.pipe("cmd_stat", 64, (4,), numpy.float32, shared=True)
        w = p.get_writer()
        r = p.get_reader(lossy=True)
        stat = subprocess.Popen([COMMAND, "stat", "cmd_stat", "--interval", "0.2", "--count", "3"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.1)
        w.write(numpy.zeros((40, 4), numpy.float32))
        out, err = stat.communicate(timeout=20)
        self.assertEqual(stat.returncode, 0, err)
        lines = out.strip().splitlines()
        self.assertEqual(len(lines), 3, out)
        self.assertIn("frames/s", lines[-1])
        self.assertIn("written 40", lines[-1])
        self.assertIn("[pid %d lossy lag 40 lost 0]" % os.getpid(), lines[-1])
        del r

    def test_ctrl_c_ends_stat_cleanly(self):
        p = roundpipers.pipe("cmd_stat_int", 64, (), numpy.float32, shared=True)
        stat = subprocess.Popen([COMMAND, "stat", "cmd_stat_int", "--interval", "0.1"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        stat.send_signal(signal.SIGINT)
        out, err = stat.communicate(timeout=10)
        self.assertEqual(stat.returncode, 0, err)
        self.assertIn("cmd_stat_int: ", out)
        self.assertTrue(p.shared)

    def test_bad_use_exits_2_and_runtime_errors_exit_1(self):
        for args in ((), ("frobnicate",), ("stat",), ("cat", "bad name"),
                     ("cat", "x", "--frames", "-1"), ("stat", "x", "--what")):
            with self.subTest(args=args):
                out = run(*args)
                self.assertEqual(out.returncode, 2, out.stderr)
                self.assertIn("usage: roundpipers", out.stderr)
        out = run("cat", "cmd_nobody", "--timeout", "0.2")
        self.assertEqual(out.returncode, 1)
        self.assertIn("no process shares a pipe of that name", out.stderr)
        self.assertEqual(run("--help").returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
