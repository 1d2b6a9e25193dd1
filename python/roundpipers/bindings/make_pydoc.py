#!/usr/bin/python3
#
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
"""Fills a bindings docstring template with the Doxygen comments of its public header.

usage: make_pydoc.py TEMPLATE HEADER OUTPUT

TEMPLATE is docstrings/<block>_pydoc_template.h as gr_modtool add / bind write it
(HEADER may be missing: the docstrings then stay empty):
lines ``static const char* __doc_gr_roundpipers_<class>[_<member>[_<n>]] = R"doc()doc";``.
Each placeholder gets the comment (``/*! ... */`` or ``/** ... */``) in HEADER of that
class or member, turned into a Python docstring (summary, details, Args, Returns,
Raises); a name without a comment keeps an empty docstring. OUTPUT is <block>_pydoc.h,
which the bindings include.
"""

import re
import sys

PREFIX = "__doc_gr_roundpipers_"
# As gr_modtool writes it, before or after clang-format: "char* x", "char *x", ...
PLACEHOLDER = re.compile(r'(static\s+const\s+char\s*\*\s*(' + PREFIX +
                         r'\w+)\s*=\s*R"doc\()(.*?)(\)doc";)', re.S)
COMMENT = re.compile(r"/\*[!*](.*?)\*/\s*([^;{}]*)", re.S)
CLASS = re.compile(r"\b(?:class|struct)\s+(?:\w+_API\s+)?(\w+)")
MEMBER = re.compile(r"(~?\w+)\s*\(")
TAG = re.compile(r"^\\(brief|details|param|returns?|throws?|ingroup|note|sa)\b\s*(.*)")


def comments(header):
    """{class: {"": class doc, member: doc}} from the header's documented declarations."""
    docs = {}
    current = None
    for m in COMMENT.finditer(header):
        text, declaration = m.group(1), m.group(2)
        # "template <class T> class API name : public base": the last class keyword
        classes = CLASS.findall(declaration)
        if classes and "(" not in declaration:
            current = classes[-1]
            docs.setdefault(current, {})[""] = text
            continue
        f = MEMBER.search(declaration)
        if f and current is not None:
            docs[current].setdefault(f.group(1), text)
    return docs


def docstring(comment):
    """A Doxygen comment as a Python docstring."""
    lines = [re.sub(r"^\s*\*( |$)", "", line).rstrip() for line in comment.splitlines()]
    sections = {"text": [], "param": [], "returns": [], "throws": []}
    target = sections["text"]
    for line in lines:
        line = re.sub(r"\\[pc] (\w+)", r"\1", line.strip())
        tag = TAG.match(line)
        if tag:
            kind, rest = tag.group(1), tag.group(2)
            if kind in ("ingroup", "sa"):
                continue
            if kind == "details":
                sections["text"].append("")
                target = sections["text"]
            elif kind == "param":
                name, _, desc = rest.partition(" ")
                sections["param"].append("%s: %s" % (name, desc))
                target = sections["param"]
                continue
            elif kind.startswith("return"):
                target = sections["returns"]
            elif kind.startswith("throw"):
                target = sections["throws"]
            else:
                target = sections["text"]
            if rest:
                target.append(rest)
            continue
        if not line:
            if target is sections["text"]:
                target.append("")
            else:
                target = sections["text"]
                target.append("")
            continue
        if target is sections["param"] and target:
            target[-1] += " " + line
        else:
            target.append(line)
    out = "\n".join(sections["text"]).strip()
    out = re.sub(r"\n{3,}", "\n\n", out)
    if sections["param"]:
        out += "\n\nArgs:\n" + "\n".join("    " + p for p in sections["param"])
    for title, key in (("Returns", "returns"), ("Raises", "throws")):
        if sections[key]:
            out += "\n\n%s:\n    %s" % (title, " ".join(sections[key]))
    return out.replace(')doc"', ') doc"')


def lookup(docs, name):
    """The docstring for __doc_gr_roundpipers_<name>: a class, or a class member."""
    name = re.sub(r"_\d+$", "", name)  # the n-th overload
    for cls in sorted(docs, key=len, reverse=True):
        if name == cls:
            return docs[cls].get("", "")
        if name.startswith(cls + "_"):
            return docs[cls].get(name[len(cls) + 1:], "")
    return ""


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    template_path, header_path, out_path = argv[1:]
    with open(template_path) as f:
        template = f.read()
    try:
        with open(header_path) as f:
            docs = comments(f.read())
    except FileNotFoundError:
        # A template whose header is elsewhere (or gone): its docstrings stay empty.
        sys.stderr.write("make_pydoc.py: no header %s; docstrings left empty\n" % header_path)
        docs = {}

    def fill(m):
        text = lookup(docs, m.group(2)[len(PREFIX):])
        return m.group(1) + (docstring(text) if text else m.group(3)) + m.group(4)

    with open(out_path, "w") as f:
        f.write(PLACEHOLDER.sub(fill, template))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
