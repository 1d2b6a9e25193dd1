#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""`roundpipers relay` against stock gr-zeromq blocks, on 127.0.0.1: the relay is its own
process; every wait is bounded, so a hang fails the case instead of the suite."""

import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import numpy
import pmt
import zmq
from gnuradio import blocks, gr, gr_unittest, roundpipers, zeromq

COMMAND = os.environ.get("ROUNDPIPERS_COMMAND", "roundpipers")
FRAME = 4
FRAMES = 1000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def frames(n):
    """Frame k holds k in each of its FRAME values."""
    return numpy.repeat(numpy.arange(n, dtype=numpy.float32), FRAME).reshape(n, FRAME)


def relay(*args):
    return subprocess.Popen([COMMAND, "relay", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(proc, timeout=30):
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError("the relay hung; stderr: " + err)
    return proc.returncode, err


def wait_for(cond, timeout=20):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.01)
    return False


@contextlib.contextmanager
def zmq_socket(kind, endpoint, bind=False, **options):
    """A pyzmq socket of its own context, bound or connected at endpoint after the
    options (e.g. RCVTIMEO=20000) are set; closed with its context at the end."""
    ctx = zmq.Context()
    s = ctx.socket(kind)
    try:
        for name, value in options.items():
            s.setsockopt(getattr(zmq, name), value)
        (s.bind if bind else s.connect)(endpoint)
        yield s
    finally:
        s.close(0)
        ctx.term()


def first_line(proc, timeout=20):
    """The first line a peer process prints, waited for at most timeout seconds."""
    if not select.select([proc.stdout], [], [], timeout)[0]:
        raise AssertionError("the peer process printed nothing in %d s" % timeout)
    return proc.stdout.readline().strip()


def stream_tag(offset, key, value):
    t = gr.tag_t()
    t.offset, t.key, t.value, t.srcid = offset, pmt.intern(key), value, pmt.PMT_F
    return t


class qa_relay(gr_unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(prefix="rp-qa-relay-")
        os.environ["ROUNDPIPERS_RUNTIME_DIR"] = cls.folder.name

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def send_relay(self, name, capacity, endpoint, *args):
        """A shared pipe of FRAME-value frames, its writer, and a `relay send` of it
        that has attached (bounded wait)."""
        p = roundpipers.pipe(name, capacity, shape=(FRAME,), shared=True)
        w = p.get_writer()
        proc = relay("send", name, endpoint, *args)
        self.assertTrue(wait_for(lambda: p.reader_count == 1), "the relay did not attach")
        return p, w, proc

    def run_flowgraph(self, tb, timeout=30):
        done = threading.Event()

        def run():
            tb.run()
            done.set()

        threading.Thread(target=run, daemon=True).start()
        if not done.wait(timeout):
            tb.stop()
            raise AssertionError("the flowgraph did not finish")

    def test_a_pipe_reaches_a_stock_pull_source_with_its_tags(self):
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        p, w, proc = self.send_relay("qa_relay_send", 4096, endpoint, "--tags")
        tb = gr.top_block()
        src = zeromq.pull_source(gr.sizeof_float, FRAME, endpoint, 100, True, -1)
        snk = blocks.vector_sink_f(FRAME)
        tb.connect(src, snk)
        w.write(frames(FRAMES), tags=[(i, "rx_time", (i, 0.5)) for i in range(0, FRAMES, 100)])
        w.close()
        # A ZeroMQ source never ends its stream: stop once everything came (bounded).
        tb.start()
        arrived = wait_for(lambda: len(snk.data()) >= FRAMES * FRAME)
        tb.stop()
        tb.wait()
        self.assertTrue(arrived, "%d of %d frames arrived" % (len(snk.data()) // FRAME, FRAMES))
        rc, err = finish(proc)
        self.assertEqual(rc, 0, err)
        data = numpy.array(snk.data(), dtype=numpy.float32).reshape(-1, FRAME)
        numpy.testing.assert_array_equal(data, frames(FRAMES))
        got = [(t.offset, pmt.symbol_to_string(t.key), pmt.to_python(t.value)) for t in snk.tags()]
        self.assertEqual(got, [(i, "rx_time", (i, 0.5)) for i in range(0, FRAMES, 100)])
        self.assertIn("%d frames sent" % FRAMES, err)

    def test_a_stock_push_sink_feeds_a_pipe_that_numpy_reads_with_its_tags(self):
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        proc = relay("recv", endpoint, "qa_relay_recv", "--dtype", "float32", "--shape",
                     str(FRAME), "--tags")
        try:
            p = roundpipers.attach("qa_relay_recv", timeout=20)
            r = p.get_reader()
            tags = [stream_tag(i, "burst", pmt.from_long(i)) for i in range(0, FRAMES, 250)]
            tb = gr.top_block()
            src = blocks.vector_source_f(frames(FRAMES).ravel().tolist(), False, FRAME, tags)
            tb.connect(src, zeromq.push_sink(gr.sizeof_float, FRAME, endpoint, 100, True, -1))
            self.run_flowgraph(tb)
            data, got = r.read(FRAMES, timeout=20, tags=True)
            numpy.testing.assert_array_equal(data, frames(FRAMES))
            self.assertEqual([(t.frame, t.key, t.value) for t in got],
                             [(i, "burst", i) for i in range(0, FRAMES, 250)])
        finally:
            proc.send_signal(signal.SIGINT)
            rc, err = finish(proc)
        self.assertEqual(rc, 0, err)
        self.assertIn("%d frames received" % FRAMES, err)

    def test_a_lossy_relay_drops_at_the_high_water_mark_counts_and_tears_nothing(self):
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        p, w, proc = self.send_relay("qa_relay_lossy", 256, endpoint, "--lossy", "--hwm", "1")
        torn = 0
        received = 0
        with zmq_socket(zmq.PULL, endpoint, RCVHWM=1) as s:
            for k in range(200):  # a fast writer, a slow receiver
                w.write(frames(64) + 64 * k)
                if s.poll(5):
                    m = numpy.frombuffer(s.recv(), dtype=numpy.float32).reshape(-1, FRAME)
                    torn += int((m != m[:, :1]).any())
                    received += len(m)
            w.close()
            rc, err = finish(proc)
        self.assertEqual(rc, 0, err)
        self.assertEqual(torn, 0)
        summary = [line for line in err.splitlines() if "frames sent" in line][-1]
        dropped = int(summary.split(", ")[1].split()[0])
        lost = int(summary.split(", ")[2].split()[0])
        self.assertGreater(dropped + lost, 0, summary)
        self.assertGreater(received, 0)

    def test_recv_writes_in_pieces_a_reader_of_big_windows_can_take(self):
        # Messages of 200 frames into 256 frames read 128 at a time: a piece of 200 would
        # wait for a reader that waits for it (mutual_wait); pieces of what is free go.
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        proc = relay("recv", endpoint, "qa_relay_pieces", "--dtype", "float32", "--shape",
                     str(FRAME), "--capacity", "256")
        try:
            p = roundpipers.attach("qa_relay_pieces", timeout=20)
            r = p.get_reader()
            # The relay connects, as gr-zeromq's sources do.
            with zmq_socket(zmq.PUSH, endpoint, bind=True) as s:
                sent = frames(1024)
                for first in range(0, 1024, 200):  # 200, 200, 200, 200, 200, 24 frames
                    s.send(sent[first:first + 200].tobytes())
                got = [r.read(128, timeout=20) for _ in range(8)]  # bounded reads
            numpy.testing.assert_array_equal(numpy.concatenate(got), sent)
        finally:
            proc.send_signal(signal.SIGINT)
            rc, err = finish(proc)
        self.assertEqual(rc, 0, err)

    def test_ctrl_c_ends_a_send_relay_that_waits_for_its_pipe(self):
        proc = relay("send", "qa_relay_never", "tcp://127.0.0.1:%d" % free_port(),
                     "--timeout", "600")
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        t0 = time.monotonic()
        rc, err = finish(proc, timeout=10)
        self.assertEqual(rc, 0, err)
        self.assertLess(time.monotonic() - t0, 5)

    def test_bad_use_exits_2_and_runtime_errors_exit_1_with_clear_messages(self):
        rc, err = finish(relay("send", "x", "notanendpoint"))
        self.assertEqual(rc, 2)
        self.assertIn("is not a ZeroMQ endpoint", err)
        rc, err = finish(relay("recv", "tcp://127.0.0.1:1", "qa_relay_bad"))
        self.assertEqual(rc, 2)
        self.assertIn("needs --dtype", err)
        rc, err = finish(relay("send", "qa_relay_missing", "tcp://127.0.0.1:%d" % free_port(),
                               "--timeout", "0.5"))
        self.assertEqual(rc, 1)
        self.assertIn("qa_relay_missing", err)
        # Items of 3 floats into frames of 4: no whole number of frames.
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        proc = relay("recv", endpoint, "qa_relay_mismatch", "--dtype", "float32", "--shape", "4")
        mismatch = roundpipers.attach("qa_relay_mismatch", timeout=20)
        reader = mismatch.get_reader()
        tb = gr.top_block()
        tb.connect(blocks.vector_source_f([1.0] * 15, False, 3),
                   zeromq.push_sink(gr.sizeof_float, 3, endpoint, 100, False, -1))
        self.run_flowgraph(tb)
        rc, err = finish(proc)
        self.assertEqual(rc, 1)
        self.assertIn("no whole number of 16-byte frames", err)
        # Its readers see the end, and can tell it from a normal one.
        with self.assertRaises(roundpipers.EndOfStream):
            reader.read(1, timeout=10)
        self.assertTrue(mismatch.writer_lost)

    def contiguous_from_first(self, data):
        """The frames from the first that came are k, k+1, ... (values modulo 100)."""
        data = numpy.asarray(data, dtype=numpy.float32).reshape(-1, FRAME)
        self.assertGreater(len(data), 0, "nothing came")
        first = int(data[0, 0])
        want = (numpy.arange(len(data)) + first) % 100
        numpy.testing.assert_array_equal(data, numpy.repeat(want, FRAME).reshape(-1, FRAME)
                                         .astype(numpy.float32))

    def test_a_pub_relay_with_a_key_feeds_a_stock_sub_source(self):
        # PUB drops what it sends before a subscriber is there (as gr-zeromq's pub_sink
        # does): frames are written until the stock SUB source has some; from its first
        # on, every frame comes in order, the key part taken off by the stock block.
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        p, w, proc = self.send_relay("qa_relay_pub", 4096, endpoint, "--pattern", "pub",
                                     "--key", "iq")
        tb = gr.top_block()
        src = zeromq.sub_source(gr.sizeof_float, FRAME, endpoint, 100, False, -1, "iq")
        snk = blocks.vector_sink_f(FRAME)
        tb.connect(src, snk)
        tb.start()
        try:
            written = 0
            end = time.monotonic() + 20
            while not snk.data() and time.monotonic() < end:
                w.write((frames(10) + written) % 100)
                written += 10
                time.sleep(0.01)
            w.write((frames(300) + written) % 100)
            w.close()
            self.assertTrue(wait_for(lambda: len(snk.data()) >= 300 * FRAME))
        finally:
            tb.stop()
            tb.wait()
        rc, err = finish(proc)
        self.assertEqual(rc, 0, err)
        self.contiguous_from_first(snk.data())

    def test_a_stock_pub_sink_with_a_key_feeds_a_sub_relay(self):
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        proc = relay("recv", endpoint, "qa_relay_sub", "--dtype", "float32", "--shape",
                     str(FRAME), "--pattern", "sub", "--key", "iq")
        try:
            r = roundpipers.attach("qa_relay_sub", timeout=20).get_reader()
            tb = gr.top_block()
            src = blocks.vector_source_f((frames(100) % 100).ravel().tolist(), True, FRAME)
            thr = blocks.throttle(gr.sizeof_float * FRAME, 20000)
            tb.connect(src, thr, zeromq.pub_sink(gr.sizeof_float, FRAME, endpoint, 100, False,
                                                 -1, "iq"))
            tb.start()
            try:
                data = r.read(500, timeout=20)  # frames dropped before the subscription
            finally:
                tb.stop()
                tb.wait()
            self.contiguous_from_first(data)
        finally:
            proc.send_signal(signal.SIGINT)
            rc, err = finish(proc)
        self.assertEqual(rc, 0, err)

    def test_a_send_relay_whose_writer_is_killed_sends_what_came_and_exits_1(self):
        writer = subprocess.Popen(
            ["/usr/bin/python3", "-c",
             "import sys, time, numpy\n"
             "from gnuradio import roundpipers\n"
             "p = roundpipers.pipe('qa_relay_killed', 4096, shape=(4,), shared=True)\n"
             "w = p.get_writer()\n"
             "while p.reader_count == 0: time.sleep(0.01)\n"
             "w.write(numpy.repeat(numpy.arange(100, dtype=numpy.float32), 4).reshape(100, 4))\n"
             "print('written', flush=True)\n"
             "time.sleep(600)\n"],
            stdout=subprocess.PIPE, text=True)
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        try:
            proc = relay("send", "qa_relay_killed", endpoint, "--timeout", "20")
            got = []
            with zmq_socket(zmq.PULL, endpoint, RCVTIMEO=20000) as s:
                while sum(len(m) for m in got) < 100:
                    got.append(numpy.frombuffer(s.recv(), dtype=numpy.float32)
                               .reshape(-1, FRAME))
            writer.kill()
            writer.wait(10)
            t0 = time.monotonic()
            rc, err = finish(proc, timeout=20)
        finally:
            writer.kill()
            writer.wait(10)
            writer.stdout.close()
        numpy.testing.assert_array_equal(numpy.concatenate(got), frames(100))
        self.assertEqual(rc, 1, err)
        self.assertIn("the writer of 'qa_relay_killed' vanished", err)
        self.assertLess(time.monotonic() - t0, 10)

    def test_kill_9_of_a_recv_relay_ends_its_readers_stream_as_lost(self):
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        proc = relay("recv", endpoint, "qa_relay_recv_killed", "--dtype", "float32",
                     "--shape", str(FRAME))
        try:
            p = roundpipers.attach("qa_relay_recv_killed", timeout=20)
            r = p.get_reader()
            with zmq_socket(zmq.PUSH, endpoint, bind=True) as s:
                s.send(frames(10).tobytes())
                numpy.testing.assert_array_equal(r.read(10, timeout=20), frames(10))
            proc.kill()
            proc.wait(10)
            t0 = time.monotonic()
            with self.assertRaises(roundpipers.EndOfStream):
                r.read(1, timeout=10)
            self.assertLess(time.monotonic() - t0, 5)
            self.assertTrue(p.writer_lost)
        finally:
            proc.kill()
            finish(proc)

    def test_stats_print_rates_once_a_second_and_message_frames_caps_messages(self):
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        p, w, proc = self.send_relay("qa_relay_stats", 4096, endpoint, "--stats",
                                     "--message-frames", "3")
        sizes = []
        with zmq_socket(zmq.PULL, endpoint, RCVTIMEO=20000) as s:
            end = time.monotonic() + 2.6
            k = 0
            while time.monotonic() < end:
                w.write(frames(30) % 100)
                k += 30
                while sum(sizes) < k:
                    sizes.append(len(s.recv()) // (4 * FRAME))
                time.sleep(0.05)
            w.close()
            rc, err = finish(proc)
        self.assertEqual(rc, 0, err)
        self.assertEqual(max(sizes), 3)  # never more than --message-frames per message
        rates = [line for line in err.splitlines() if "frames/s" in line]
        self.assertGreaterEqual(len(rates), 2, err)
        self.assertRegex(rates[0], r"relay send qa_relay_stats: [0-9.]+ frames/s, [0-9.]+ MB/s, "
                                   r"[0-9]+ frames, 0 dropped")
        rc, err = finish(relay("send", "x", endpoint, "--message-frames", "0"))
        self.assertEqual(rc, 2)
        self.assertIn("--message-frames", err)
        rc, err = finish(relay("recv", endpoint, "x", "--dtype", "float32", "--key", "iq"))
        self.assertEqual(rc, 2)
        self.assertIn("--key is a PUB/SUB topic", err)

    def test_the_two_machine_recipe_of_the_user_guide_runs_on_loopback(self):
        # User guide 8.5, both halves on 127.0.0.1: a flowgraph's Pipe Sink "iq" ->
        # relay send --tags -> a stock ZMQ PULL Source; a stock ZMQ PUSH Sink -> relay
        # recv --tags -> a pipe a numpy process reads.
        n, vlen = 20, 1024
        data = (numpy.arange(n * vlen) * (1 + 1j)).astype(numpy.complex64)
        tags = [stream_tag(k, "rx_time", pmt.from_long(k)) for k in range(0, n, 5)]
        want_tags = [(k, "rx_time", k) for k in range(0, n, 5)]
        a_out = "tcp://127.0.0.1:%d" % free_port()
        tb_a = gr.top_block()
        sink = roundpipers.pipe_sink_c("qa_recipe_iq", [vlen], 64)
        tb_a.connect(blocks.vector_source_c(data.tolist(), False, vlen, tags), sink)
        send = relay("send", "qa_recipe_iq", a_out.replace("127.0.0.1", "0.0.0.0"), "--tags",
                     "--stats")
        tb_b = gr.top_block()
        pull = zeromq.pull_source(gr.sizeof_gr_complex, vlen, a_out, 100, True, -1)
        got = blocks.vector_sink_c(vlen)
        tb_b.connect(pull, got)
        handle = roundpipers.open_pipe("qa_recipe_iq", 64, (vlen,), numpy.complex64)
        tb_b.start()
        try:
            self.assertTrue(wait_for(lambda: handle.reader_count == 1),
                            "the relay did not attach")
            self.run_flowgraph(tb_a)
            self.assertTrue(wait_for(lambda: len(got.data()) >= n * vlen))
        finally:
            tb_b.stop()
            tb_b.wait()
        rc, err = finish(send)
        self.assertEqual(rc, 0, err)
        numpy.testing.assert_array_equal(numpy.array(got.data(), dtype=numpy.complex64), data)
        self.assertEqual([(t.offset, pmt.symbol_to_string(t.key), pmt.to_python(t.value))
                          for t in got.tags()], want_tags)

        b_out = "tcp://127.0.0.1:%d" % free_port()
        recv = relay("recv", b_out, "qa_recipe_iq_back", "--dtype", "complex64", "--shape",
                     str(vlen), "--tags")
        try:
            r = roundpipers.attach("qa_recipe_iq_back", timeout=20).get_reader()
            tb = gr.top_block()
            tb.connect(blocks.vector_source_c(data.tolist(), False, vlen, tags),
                       zeromq.push_sink(gr.sizeof_gr_complex, vlen,
                                        b_out.replace("127.0.0.1", "*"), 100, True, -1))
            self.run_flowgraph(tb)
            back, back_tags = r.read(n, timeout=20, tags=True)
            numpy.testing.assert_array_equal(back.ravel(), data)
            self.assertEqual([(t.frame, t.key, t.value) for t in back_tags], want_tags)
        finally:
            recv.send_signal(signal.SIGINT)
            rc, err = finish(recv)
        self.assertEqual(rc, 0, err)

    def test_a_zero_copy_relay_through_a_small_ring_delivers_every_frame_exactly(self):
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        p, w, proc = self.send_relay("qa_relay_zero_copy", 8, endpoint, "--zero-copy")
        tb = gr.top_block()
        snk = blocks.vector_sink_f(FRAME)
        tb.connect(zeromq.pull_source(gr.sizeof_float, FRAME, endpoint, 100, False, -1), snk)
        tb.start()
        try:
            for first in range(0, FRAMES, 7):  # 7 frames a write through a ring of 8
                w.write(frames(min(7, FRAMES - first)) + first, timeout=20)
            w.close()
            self.assertTrue(wait_for(lambda: len(snk.data()) >= FRAMES * FRAME))
        finally:
            tb.stop()
            tb.wait()
        rc, err = finish(proc)
        self.assertEqual(rc, 0, err)
        numpy.testing.assert_array_equal(
            numpy.array(snk.data(), dtype=numpy.float32).reshape(-1, FRAME), frames(FRAMES))

    def test_a_send_relay_with_no_receiver_ends_after_the_stream_with_status_1(self):
        # Bound, nobody connects: the stream's end gives the message 5 s, then the relay
        # says what was not sent (it used to wait for a receiver for ever).
        p, w, proc = self.send_relay("qa_relay_nobody", 64, "tcp://127.0.0.1:%d" % free_port())
        w.write(frames(10))
        w.close()
        t0 = time.monotonic()
        rc, err = finish(proc, timeout=30)
        self.assertEqual(rc, 1, err)
        self.assertIn("were not sent: no receiver took them", err)
        self.assertLess(time.monotonic() - t0, 15)

    def test_a_send_relay_whose_pipe_maker_is_killed_exits_1(self):
        maker = subprocess.Popen(
            ["/usr/bin/python3", "-c",
             "import time\n"
             "from gnuradio import roundpipers\n"
             "p = roundpipers.pipe('qa_relay_maker', 64, shape=(4,), shared=True)\n"
             "print('made', flush=True)\n"
             "time.sleep(600)\n"],
            stdout=subprocess.PIPE, text=True)
        endpoint = "tcp://127.0.0.1:%d" % free_port()
        try:
            self.assertEqual(first_line(maker), "made")
            handle = roundpipers.attach("qa_relay_maker", timeout=20)
            w = handle.get_writer()
            proc = relay("send", "qa_relay_maker", endpoint)
            with zmq_socket(zmq.PULL, endpoint, RCVTIMEO=20000) as s:
                self.assertTrue(wait_for(lambda: handle.reader_count == 1), "no relay attached")
                w.write(frames(20))
                got = numpy.frombuffer(s.recv(), dtype=numpy.float32)
                while len(got) < 20 * FRAME:
                    got = numpy.concatenate([got, numpy.frombuffer(s.recv(),
                                                                   dtype=numpy.float32)])
            maker.kill()
            maker.wait(10)
            rc, err = finish(proc, timeout=20)
        finally:
            maker.kill()
            maker.wait(10)
            maker.stdout.close()
        numpy.testing.assert_array_equal(got.reshape(-1, FRAME), frames(20))
        self.assertEqual(rc, 1, err)
        self.assertIn("the maker of 'qa_relay_maker' vanished", err)

    def test_counts_must_be_whole_and_zero_copy_excludes_tags_and_lossy(self):
        for args, part in ((["--message-frames", "1.5"], "is not a whole number"),
                           (["--hwm", "2.5"], "is not a whole number"),
                           (["--zero-copy", "--tags"], "--zero-copy hands ZeroMQ"),
                           (["--zero-copy", "--lossy"], "--zero-copy hands ZeroMQ")):
            rc, err = finish(relay("send", "x", "tcp://127.0.0.1:1", *args))
            self.assertEqual(rc, 2, args)
            self.assertIn(part, err)


if __name__ == "__main__":
    gr_unittest.run(qa_relay)
