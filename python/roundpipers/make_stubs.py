#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Writes the type stub of the extension module, roundpipers_python.pyi, from the module
as built (pybind11 signatures, the Python methods gnuradio.roundpipers adds to the
reader and writer), so that IDEs and type checkers complete the API.

usage: make_stubs.py OUTPUT   (with the built package on PYTHONPATH)
"""

import inspect
import re
import sys

MODULE = "gnuradio.roundpipers.roundpipers_python"
SIGNATURE = re.compile(r"^(\w+)\((.*)\)(?: -> (.+))?$")


def python_type(text):
    """A pybind11 type name as the stub spells it."""
    text = text.replace(MODULE + ".", "")
    text = re.sub(r"\bgnuradio\.gr\.gr_python\.", "gr.", text)
    return text


def split_arguments(text):
    """Top-level comma-separated parts of an argument list (brackets kept whole)."""
    parts, depth, current = [], 0, ""
    for c in text:
        if c in "[(<":
            depth += 1
        elif c in "])>":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += c
    if current.strip():
        parts.append(current.strip())
    return parts


def stub_arguments(text, method):
    out = []
    for i, part in enumerate(split_arguments(text)):
        name, _, rest = part.partition(":")
        annotation, _, default = rest.partition("=")
        name = name.strip()
        if method and i == 0:
            out.append("self")
            continue
        if name.startswith("*"):
            out.append(name)
            continue
        arg = "%s: %s" % (name, python_type(annotation.strip()) or "Any")
        out.append(arg + (" = ..." if default else ""))
    return ", ".join(out)


def pybind_defs(name, obj, method, indent):
    """def lines for each overload in a pybind11 docstring's signature lines."""
    doc = obj.__doc__ or ""
    lines = [l.strip() for l in doc.splitlines()]
    sigs = [m for m in (SIGNATURE.match(re.sub(r"^\d+\. ", "", l)) for l in lines) if m
            and m.group(1) == name]
    out = []
    overload = len(sigs) > 1
    for m in sigs:
        if overload:
            out.append(indent + "@overload")
        ret = python_type(m.group(3) or "None")
        out.append("%sdef %s(%s) -> %s: ..." % (indent, name, stub_arguments(m.group(2), method),
                                                 ret))
    return out or ["%sdef %s(*args: Any, **kwargs: Any) -> Any: ..." % (indent, name)]


def python_def(name, func, indent):
    sig = inspect.signature(func)
    params = []
    for p in sig.parameters.values():
        text = p.name if p.kind is not p.VAR_POSITIONAL else "*" + p.name
        if p.kind is p.VAR_KEYWORD:
            text = "**" + p.name
        if p.default is not p.empty:
            text += "=..."
        params.append(text)
    return ["%sdef %s(%s) -> Any: ..." % (indent, name, ", ".join(params))]


def class_stub(name, cls):
    bases = [b for b in cls.__bases__ if b.__name__ != "pybind11_object"]
    base_text = ", ".join(python_type(b.__module__ + "." + b.__qualname__) for b in bases)
    out = ["class %s%s:" % (name, "(%s)" % base_text if base_text else "")]
    for member, value in sorted(vars(cls).items()):
        if member.startswith("_") and member not in ("__init__", "__enter__", "__exit__"):
            continue
        if isinstance(value, property):
            m = re.search(r"\) -> (.+)$", ((value.fget.__doc__ or "").splitlines() or [""])[0])
            out.append("    @property")
            out.append("    def %s(self) -> %s: ..." % (member, python_type(m.group(1)) if m
                                                         else "Any"))
        elif inspect.isfunction(value):
            out.extend(python_def(member, value, "    "))
        elif callable(value):
            out.extend(pybind_defs(member, value, True, "    "))
    if len(out) == 1:
        out.append("    ...")
    return out


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    import gnuradio.roundpipers  # noqa: F401  (adds the Python methods)
    module = sys.modules[MODULE]
    out = ['"""Type stub of %s (written by make_stubs.py from the built module)."""' % MODULE,
           "", "from typing import Any, List, Optional, Tuple, overload", "",
           "import numpy", "from gnuradio import gr", ""]
    for name, value in sorted(vars(module).items()):
        if name.startswith("_"):
            continue
        if inspect.isclass(value):
            out.extend(class_stub(name, value))
        elif callable(value):
            out.extend(pybind_defs(name, value, False, ""))
        out.append("")
    with open(argv[1], "w") as f:
        f.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
