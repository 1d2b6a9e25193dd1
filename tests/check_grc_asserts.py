#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""grcc rejects bad Pipe Sink parameters with the block's own assertions.

Each case edits one parameter of examples/fft_tap.grc and checks that grcc fails and
names the assertion. Usage: check_grc_asserts.py GRC_FILE BLOCKS_DIR WORK_DIR
"""

import os
import subprocess
import sys

CASES = (
    ("    pipe_name: fft_tap", "    pipe_name: ''", "len(pipe_name) > 0"),
    ("    shape: '[fft_size]'", "    shape: '[0]'", "all(int(d) > 0 for d in shape)"),
    ("    capacity: '64'", "    capacity: '0'", "capacity > 0"),
    ("    pipe_name: fft_tap", "    pipe_name: 'has space'",
     "not shared or (len(pipe_name) <= 100 and pipe_name[0] != '.' and "
     "all(c.isalnum() and c.isascii() or c in '._-' for c in pipe_name))"),
)


def main(grc_file, blocks_dir, work_dir):
    with open(grc_file, encoding="utf-8") as f:
        good = f.read()
    os.makedirs(work_dir, exist_ok=True)
    env = dict(os.environ, GRC_BLOCKS_PATH=blocks_dir)
    failures = 0
    for i, (line, bad, assertion) in enumerate(CASES):
        if line not in good:
            print("case %d: %r not found in %s" % (i, line, grc_file))
            return 1
        path = os.path.join(work_dir, "bad_%d.grc" % i)
        with open(path, "w", encoding="utf-8") as f:
            f.write(good.replace(line, bad))
        run = subprocess.run(["grcc", "-o", work_dir, path], capture_output=True,
                             text=True, env=env)
        output = run.stdout + run.stderr
        ok = run.returncode != 0 and ('Assertion "%s" failed' % assertion) in output
        print("case %d (%s): %s" % (i, bad.strip(), "rejected" if ok else "NOT rejected"))
        failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
