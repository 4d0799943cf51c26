#!/usr/bin/env python3
"""Doxygen INPUT_FILTER for akt's public headers (abi/include/akt/*.h).

The headers use plain C comments, one before each declaration and one after a field or a
constant on its line. This filter turns them into Doxygen's, line for line (so line numbers
in warnings stay true), and leaves the source files as they are:

  - the first comment of the file          -> /** ... @file */ (the file's description)
  - a comment after code on the same line  -> /**< ... */      (documents that member)
  - a comment that opens a line            -> /** ... */       (documents what follows)

Section banners (/* ==== */, /* 4. PIDs and lookup */) and the engineers' block markers
(/* NAME begin: ... */, /* NAME end */) stay plain comments: they document nothing. In the
comments' text, < > # and " .." are escaped (\\< \\> \\# \\.): "<path>", "->", "n#k" and
"1 .. 9" are text, not HTML, links or an end of list.
"""
import fnmatch
import re
import sys

BANNER = re.compile(r"^\s*/\*\s*(=+|-+|\d+\.\s.*|[a-z0-9_]+ (begin:.*|end))\s*\*/\s*$")
LEADING = re.compile(r"^(\s*)/\*(?![*!])")
TRAILING = re.compile(r"^(\s*\S.*?)/\*(?![*!<])")


def escape(text):
    text = text.replace("<", "\\<").replace(">", "\\>").replace("#", "\\#")
    return text.replace(" ..", " \\.\\.")


def escape_comments(line, in_comment):
    """Escapes < and > in the comment text of line (a comment is open at its start if
    in_comment), leaving the code and the /**< marker as they are."""
    out, i = [], 0
    while i < len(line):
        if in_comment:
            end = line.find("*/", i)
            stop = len(line) if end < 0 else end
            out.append(escape(line[i:stop]))
            if end < 0:
                break
            out.append("*/")
            i, in_comment = end + 2, False
        else:
            start = line.find("/*", i)
            if start < 0:
                out.append(line[i:])
                break
            marker = 4 if line.startswith("/**<", start) else 2
            out.append(line[i:start + marker])
            i, in_comment = start + marker, True
    return "".join(out)


def filter_lines(lines):
    seen_file_comment = False
    in_comment = False
    in_file_comment = False
    for line in lines:
        if in_comment:
            line = escape_comments(line, True)
            if "*/" in line:
                in_comment = False
                if in_file_comment:
                    line = line.replace("*/", "@file */", 1)
                    in_file_comment = False
            yield line
            continue
        if "/*" not in line or BANNER.match(line):
            yield line
            continue
        line = escape_comments(line, False)
        m = LEADING.match(line)
        if m:
            line = m.group(1) + "/** " + line[m.end():].lstrip(" \t")
            if not seen_file_comment:
                seen_file_comment = in_file_comment = True
                if "*/" in line[m.end():]:
                    line = line.replace("*/", "@file */", 1)
                    in_file_comment = False
        else:
            m = TRAILING.match(line)
            # An even number of quotes before the /*: it is not inside a string literal
            # (#define AKT_TYPE_BOOL "akt.Bool" /* ... */ documents the macro).
            if m and m.group(1).count('"') % 2 == 0:
                line = m.group(1) + "/**<" + line[m.end():]
        start = line.rfind("/*")
        in_comment = start >= 0 and "*/" not in line[start:]
        if not in_comment:
            in_file_comment = False
        yield line


NAME = re.compile(r"#define\s+(\w+)|(\w+)\s*\)?\s*\(|(\w+)\s*(\[[^]]*\])?\s*;")


def declared_name(code):
    """The name a one-line declaration declares (a macro, a function, a typedef, a field)."""
    m = NAME.search(code)
    return next((g for g in m.groups()[:3] if g), None) if m else None


def mentioned(name, comment):
    """Whether the comment names name, as itself or through a pattern like AKT_EVENT_*."""
    if re.search(r"\b%s\b" % re.escape(name), comment):
        return True
    return any(fnmatch.fnmatchcase(name, pat) for pat in re.findall(r"\b\w+\*", comment))


def releases(name, prev):
    """akt_x_release right after akt_x_retain: the pair a "handle references" comment is
    about."""
    return bool(prev) and name.endswith("_release") and prev == name[:-len("release")] + "retain"


def group_runs(lines):
    """One comment before several declarations with no blank line between them, which it
    names (akt_system_retain / akt_system_release, AKT_EVENT_*), documents them all: wrap
    them in a member group (/**@{*/ ... /**@}*/, DISTRIBUTE_GROUP_DOC) on their own lines,
    so that the line numbers stay, and a _release after its _retain. A declaration the
    comment does not name ends the group (akt_ctx_parent after the comment of
    akt_ctx_message is not described by it)."""
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith("/** ") or "@file" in lines[i]:
            i += 1
            continue
        end = i
        while "*/" not in lines[end]:
            end += 1
        comment = "".join(lines[i:end + 1])
        first = last = end + 1
        prev = None
        while last < len(lines) and "@file" not in comment:
            code = lines[last].strip()
            if not code or "/*" in code or "{" in code or "}" in code or "\\" in code:
                break
            # Not macros: Doxygen's preprocessor takes a group command on a #define line
            # for part of the macro.
            if code.startswith("#") or not code.endswith(";"):
                break
            name = declared_name(code)
            if last > first and (name is None or not (mentioned(name, comment) or
                                                      releases(name, prev))):
                break
            prev = name
            last += 1
        if last - first >= 2:
            lines[first] = "/**@{*/ " + lines[first]
            lines[last - 1] = lines[last - 1].rstrip("\n") + " /**@}*/\n"
        i = max(last, end + 1)
    return lines


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.writelines(group_runs(list(filter_lines(f))))


if __name__ == "__main__":
    main()
