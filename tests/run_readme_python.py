#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Runs every ```python block of README.md as written; fails if any block fails."""

import re
import subprocess
import sys


def main(readme):
    with open(readme, encoding="utf-8") as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), flags=re.S)
    if not blocks:
        print("README.md has no python block")
        return 1
    for i, code in enumerate(blocks):
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        print("--- README python block %d: exit %d\n%s%s"
              % (i + 1, run.returncode, run.stdout, run.stderr))
        if run.returncode != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
