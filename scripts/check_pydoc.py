#!/usr/bin/env python3
"""Lists the public names of the given modules that pdoc would document without a docstring
(run by scripts/docs.sh python; exit 1 if there is any).

A name counts where it is defined: a member inherited from another documented akt class is
documented there, one inherited from a class pdoc does not document (a private class, or
one of a private module such as akt._fast) counts in each subclass, and one inherited from
the standard library (BaseException.args) is not ours. Fields of dataclasses and named
tuples take their docstring from the string right below them."""

from __future__ import annotations

import sys

import pdoc.doc


def _documented(module: str, qualname: str) -> bool:
    """Whether pdoc documents the class module.qualname: no part of either name is private."""
    return not any(p.startswith("_") for p in module.split(".") + qualname.split("."))


def _missing(d: pdoc.doc.Namespace, out: list[str]) -> None:
    for m in d.members.values():
        if m.name.startswith("_") or isinstance(m, pdoc.doc.Module):
            continue
        mod, qual = m.taken_from
        if not (mod or "").startswith("akt"):
            continue  # inherited from the standard library
        if isinstance(d, pdoc.doc.Class):
            owner = qual.rsplit(".", 1)[0]
            if owner != d.qualname and _documented(mod, owner):
                continue  # inherited from another documented akt class: documented there
        elif m.modulename != d.modulename:
            continue  # re-exported: documented in its own module
        if not m.docstring.strip():
            out.append(m.fullname)
        if isinstance(m, pdoc.doc.Class):
            _missing(m, out)


def main(argv: list[str]) -> int:
    out: list[str] = []
    for name in argv:
        mod = pdoc.doc.Module.from_name(name)
        if not mod.docstring.strip():
            out.append(name)
        _missing(mod, out)
    names = sorted(set(out))
    for n in names:
        print(f"undocumented: {n}", file=sys.stderr)
    if names:
        print(f"docs: {len(names)} public Python names have no docstring", file=sys.stderr)
    return 1 if names else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
