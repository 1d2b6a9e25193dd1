#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""The Python API as help() and an IDE show it: docstrings, signatures, reprs, context
managers, friendly errors, the type stub."""

import ast
import inspect
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

import numpy
from gnuradio import gr_unittest, roundpipers

SIGNATURE = re.compile(r"^(\d+\. )?\w+\(.*\)( -> .*)?$")


def doc_text(obj):
    """The docstring without pybind11's signature lines."""
    lines = [l.strip() for l in (getattr(obj, "__doc__", None) or "").splitlines()]
    return [l for l in lines if l and not SIGNATURE.match(l) and l != "Overloaded function."]


def public_api():
    """(name, object) for every public callable and property of the package, with the
    members of its classes (not the ones GNU Radio's base classes bring)."""
    out = []
    for name in sorted(dir(roundpipers)):
        obj = getattr(roundpipers, name)
        if name.startswith("_") or inspect.ismodule(obj):
            continue
        if not (callable(obj) or inspect.isclass(obj)):
            continue
        out.append((name, obj))
        if not inspect.isclass(obj):
            continue
        for member, value in vars(obj).items():
            if member.startswith("_") and member not in ("__enter__", "__exit__"):
                continue
            if isinstance(value, (property, staticmethod, classmethod)) or callable(value):
                out.append((name + "." + member, value))
    return out


class qa_python_api(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(prefix="rp-qa-api-")
        os.environ["ROUNDPIPERS_RUNTIME_DIR"] = cls.folder.name

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_every_public_callable_and_property_has_a_docstring(self):
        api = public_api()
        self.assertGreater(len(api), 80)
        missing = [name for name, obj in api if not doc_text(obj)]
        self.assertEqual(missing, [])

    def test_signatures_name_python_types(self):
        bad = []
        for name, obj in public_api():
            for line in (getattr(obj, "__doc__", None) or "").splitlines():
                if SIGNATURE.match(line.strip()) and ("::" in line or "anonymous" in line):
                    bad.append((name, line.strip()))
        self.assertEqual(bad, [])
        sig = roundpipers.Pipe.get_reader.__doc__.splitlines()[0]
        self.assertIn("-> gnuradio.roundpipers.roundpipers_python.PipeReader", sig)

    def test_block_docstrings_come_from_the_headers_doxygen_comments(self):
        doc = roundpipers.pipe_source_f.__doc__
        self.assertTrue(doc.startswith("Brings frames that code outside a flowgraph writes"))
        init = roundpipers.pipe_sink_c.__init__.__doc__
        self.assertIn("Args:", init)
        self.assertIn("capacity_frames: capacity of the pipe, in frames", init)

    def test_reprs_say_what_they_are(self):
        p = roundpipers.pipe("qa_api_repr", 16, (2,), numpy.float32)
        w = p.get_writer()
        r = p.get_reader(lossy=True)
        w.write(numpy.zeros((3, 2), numpy.float32))
        self.assertRegex(repr(p), r"^<roundpipers\.Pipe 'qa_api_repr' float32 frames of shape "
                                  r"\(2,\), capacity \d+: 3 written, 1 readers>$")
        self.assertEqual(repr(w), "<roundpipers.PipeWriter of 'qa_api_repr': 3 written>")
        self.assertEqual(repr(r), "<roundpipers.PipeReader of 'qa_api_repr' (lossy): at frame "
                                  "0, 3 available, 0 lost>")
        self.assertRegex(repr(r.state), r"^PipeState\(written=3, consumed=0, available=3, "
                                        r"capacity=\d+, lost=0, lost_tags=0\)$")
        self.assertIsInstance(w.state, roundpipers.PipeState)
        self.assertIn("ReadOnlyPipe float32", repr(roundpipers.read_only_pipe(
            numpy.zeros(4, numpy.float32))))

    def test_pipes_readers_and_writers_are_context_managers(self):
        with roundpipers.pipe("qa_api_with", 16, (), numpy.int32, shared=True) as p:
            with p.get_writer() as w, p.get_reader() as r:
                w.write(numpy.arange(4, dtype=numpy.int32))
                self.assertEqual(list(r.read(4)), [0, 1, 2, 3])
            self.assertTrue(w.closed)
            self.assertTrue(r.closed)
            self.assertTrue(p.closed)  # the writer's close ended the stream
            self.assertEqual(p.reader_count, 0)  # the closed reader let go of its slot
            with self.assertRaises(roundpipers.PipeError) as e:
                r.read(1)
            self.assertEqual(e.exception.code, "closed")
        self.assertIn("closed handle", repr(p))
        with self.assertRaises(roundpipers.PipeError):
            p.get_reader()
        # The handle is gone: the shared name is free again.
        roundpipers.pipe("qa_api_with", 16, (), numpy.int32, shared=True)
        with roundpipers.write_only_pipe_buffer(numpy.zeros(4, numpy.float32)) as b:
            b.write([1.0, 2.0])
        self.assertTrue(b.closed)

    def test_a_view_keeps_the_slot_of_a_closed_reader_until_it_is_gone(self):
        frames = numpy.arange(8 * 1024, dtype=numpy.int32).reshape(8, 1024)
        p = roundpipers.pipe("qa_api_view", 8, (1024,), numpy.int32)  # 4 KiB frames: 8 exactly
        self.assertEqual(p.capacity, 8)
        w = p.get_writer()
        r = p.get_reader()
        w.write(frames)
        chunks = r.iter_chunks(4, 4)
        view = next(chunks)
        del chunks
        r.close()
        self.assertEqual(p.reader_count, 1)  # the live view still holds its frames
        with self.assertRaises(roundpipers.Timeout):
            w.write(frames[:4], timeout=0.05)
        numpy.testing.assert_array_equal(view, frames[:4])
        del view
        self.assertEqual(p.reader_count, 0)
        w.write(frames[:4], timeout=1)

    def test_closing_the_pipe_handle_of_a_reader_leaves_the_reader_working(self):
        p = roundpipers.pipe("qa_api_alias", 16, (), numpy.float32)
        w = p.get_writer()
        r = p.get_reader()
        with r.pipe as handle:
            self.assertEqual(handle.name, "qa_api_alias")
        w.pipe.close()
        w.write([1.0, 2.0])
        self.assertEqual(list(r.read(2)), [1.0, 2.0])
        self.assertIn("qa_api_alias", repr(r))
        p.close()
        with self.assertRaises(roundpipers.PipeError):
            p.shape

    def test_closing_a_reader_from_another_thread_ends_its_blocked_read(self):
        p = roundpipers.pipe("qa_api_close_thread", 16, (), numpy.float32)
        w = p.get_writer()
        r = p.get_reader()
        outcome = []

        def read():
            try:
                r.read(1, timeout=20)
                outcome.append("read")
            except roundpipers.PipeError as e:
                outcome.append(e.code)

        t = threading.Thread(target=read)
        t.start()
        time.sleep(0.2)
        r.close()
        t.join(5)
        self.assertFalse(t.is_alive(), "the read did not end")
        self.assertEqual(outcome, ["closed"])
        self.assertEqual(p.reader_count, 0)
        w.write([1.0])  # nothing holds the writer back

    def test_friendly_errors_for_a_list_a_string_and_bad_sizes(self):
        p = roundpipers.pipe("qa_api_errors", 16, (2,), numpy.float32)
        w = p.get_writer()
        r = p.get_reader()
        w.write([[1, 2], [3, 4]])  # a list becomes an array of the pipe's dtype
        numpy.testing.assert_array_equal(r.read(2), [[1, 2], [3, 4]])
        with self.assertRaisesRegex(TypeError, "takes an array of float32 frames of shape"):
            w.write("abc")
        ints = roundpipers.pipe("qa_api_ints", 16, (), numpy.int16).get_writer()
        with self.assertRaisesRegex(TypeError, "of float64 values"):
            ints.write([0.7, 1.9])  # not silently [0, 1]
        with self.assertRaisesRegex(ValueError, "values from 0 to 40000 do not fit"):
            ints.write([0, 40000])
        with self.assertRaisesRegex(ValueError, "has frames of shape"):
            w.write([1, 2, 3])
        for shape in (-2, (-1,), (4, 0)):
            with self.assertRaisesRegex(ValueError, "frame shape extents must be positive"):
                roundpipers.pipe("qa_api_bad", 16, shape)
        for capacity in (-5, 0, 2.5):
            with self.assertRaisesRegex(ValueError, "capacity must be a whole number"):
                roundpipers.pipe("qa_api_bad", capacity)

    def test_a_stream_opened_from_a_path_closes_its_file_when_dropped(self):
        path = os.path.join(self.folder.name, "frames.bin")
        code = ("import numpy, gc\n"
                "from gnuradio import roundpipers\n"
                "s = roundpipers.write_only_pipe_stream(%r, 16, (2,), numpy.float32)\n"
                "s.write(numpy.zeros((3, 2), numpy.float32))\n"
                "del s\n"
                "gc.collect()\n" % path)
        proc = subprocess.run([sys.executable, "-X", "dev", "-W", "error::ResourceWarning",
                               "-c", code], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn("ResourceWarning", proc.stderr)
        self.assertEqual(os.path.getsize(path), 3 * 2 * 4)

    def test_the_type_stub_covers_the_extension_and_parses(self):
        stub = os.path.join(os.path.dirname(roundpipers.__file__), "roundpipers_python.pyi")
        if not os.path.exists(stub):
            self.skipTest("no stub in this build (sanitizer builds make none)")
        with open(stub) as f:
            tree = ast.parse(f.read())
        names = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
        public = {n for n in vars(roundpipers.roundpipers_python) if not n.startswith("_")}
        self.assertEqual(public - names, set())
        reader = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "PipeReader")
        methods = {f.name for f in reader.body if isinstance(f, ast.FunctionDef)}
        self.assertLessEqual({"read", "iter_chunks", "close", "state"}, methods)
        self.assertTrue(os.path.exists(os.path.join(os.path.dirname(stub), "py.typed")))


if __name__ == "__main__":
    gr_unittest.run(qa_python_api)
