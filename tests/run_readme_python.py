#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Runs every ```python block of README.md as written, twice in one interpreter (a
second run must print what the first printed: restarts deliver every run); fails if any
block fails, differs or hangs.

A block that needs a second process (the two-terminal quick start) is instead checked
to be the text of its example file, which readme_two_terminal_quick_start_runs runs
against a live flowgraph.
"""

import os
import re
import subprocess
import sys

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples")
TWO_PROCESS_EXAMPLES = ("attach_spectra.py",)

# Runs the block given as argv[1] twice in this interpreter and compares what it printed.
TWICE = """
import contextlib, io, sys
outputs = []
for _ in range(2):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(sys.argv[1], "README.md", "exec"), {"__name__": "__main__"})
    outputs.append(out.getvalue())
print(outputs[0], end="")
if outputs[1] != outputs[0]:
    print("--- the second run printed something else:\\n" + outputs[1], end="")
    sys.exit(3)
"""


def main(readme):
    with open(readme, encoding="utf-8") as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), flags=re.S)
    if not blocks:
        print("README.md has no python block")
        return 1
    for i, code in enumerate(blocks):
        example = next((e for e in TWO_PROCESS_EXAMPLES if "roundpipers.attach(" in code), None)
        if example:
            with open(os.path.join(EXAMPLES, example), encoding="utf-8") as f:
                same = code in f.read()
            print("--- README python block %d: %s examples/%s"
                  % (i + 1, "is the text of" if same else "DIFFERS from", example))
            if not same:
                return 1
            continue
        try:
            run = subprocess.run([sys.executable, "-c", TWICE, code], capture_output=True,
                                 text=True, timeout=120)
        except subprocess.TimeoutExpired:
            print("--- README python block %d: hung (killed after 120 s)" % (i + 1))
            return 1
        print("--- README python block %d, run twice: exit %d\n%s%s"
              % (i + 1, run.returncode, run.stdout, run.stderr))
        if run.returncode != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
