#!/usr/bin/env python3
"""layers test: core/ depends downwards only, judged from its #include lines.

The level of each folder comes from the ```layers block of core/README.md, so the rule and
its documentation cannot drift apart. A file under core/<folder>/ may include
  - its own folder's headers: quoted, relative to the file ("x.h", "sub/x.h") or "folder/x.h";
  - public headers <akt/...> and system headers <...>;
  - headers of a folder of strictly lower level, written "<folder>/<name>.h" (core/ is on the
    include path).
Anything else fails as  path:line: <the include line>: <why>.  C files directly in core/
fail too: every source belongs to a layer.

    scripts/check_layers.py [core-dir]      (default: core/ of this checkout)

Exit status: 0 clean, 1 violations, 2 the table or the tree cannot be read.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\b\s*(.*?)\s*(?:/[/*].*)?$')
TABLE_ROW = re.compile(r'^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s+([0-9]+)$')
SOURCES = ('.c', '.h')


class TableError(Exception):
    pass


def read_table(core):
    """{folder: level} from the first ```layers fenced block of core/README.md."""
    readme = os.path.join(core, 'README.md')
    try:
        with open(readme, encoding='utf-8') as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise TableError(f'cannot read {readme}: {e.strerror}') from None
    try:
        start = next(i for i, l in enumerate(lines) if l.strip() == '```layers')
    except StopIteration:
        raise TableError(f'{readme}: no ```layers block') from None
    table = {}
    for n, line in enumerate(lines[start + 1:], start + 2):
        row = line.split('#', 1)[0].strip()
        if row.startswith('```'):
            break
        if not row:
            continue
        m = TABLE_ROW.match(row)
        if not m:
            raise TableError(f'{readme}:{n}: want "<folder> <level>", got {line.strip()!r}')
        if m[1] in table:
            raise TableError(f'{readme}:{n}: folder {m[1]!r} is listed twice')
        table[m[1]] = int(m[2])
    else:
        raise TableError(f'{readme}: the ```layers block is not closed')
    if not table:
        raise TableError(f'{readme}: the ```layers block is empty')
    return table


def judge(core, table, path, folder, target):
    """Why the include `target` (with its < > or " " kept) is not allowed in path, or None."""
    if not re.fullmatch(r'<[^<>]+>|"[^"]+"', target):
        return 'not a "file" or <file> include: the check cannot see what it names'
    name, quoted = target[1:-1], target[0] == '"'
    parts = name.split('/')
    head = parts[0]
    is_core_folder = head in table or os.path.isdir(os.path.join(core, head))
    if not quoted:
        # <folder/x.h> would reach core/ through the include path too, unseen as a layer.
        if len(parts) > 1 and is_core_folder and head != 'akt':
            return f'a core/{head}/ header must be included with quotes: "{name}"'
        return None
    if name.startswith('/'):
        return 'an absolute path: name the folder instead ("<folder>/<name>.h")'
    if '..' in parts:
        return 'a relative ../ path: name the folder instead ("<folder>/<name>.h")'
    if os.path.isfile(os.path.join(os.path.dirname(path), name)):
        return None  # next to the including file: its own folder (no .. can leave it)
    if len(parts) == 1:
        if os.path.isfile(os.path.join(core, name)):
            return f'core/{name} sits directly in core/, outside every layer'
        return f'no {name} next to this file: another folder\'s header is "<folder>/{name}"'
    if head == folder:
        return None
    if head == 'akt' and head not in table:
        return f'a public header is included as <{name}>'
    if head not in table:
        if os.path.isdir(os.path.join(core, head)):
            return f'folder {head}/ is missing from the layers table of core/README.md'
        return f'unknown folder {head}/ (not in core/, not in the layers table)'
    mine, theirs = table[folder], table[head]
    if theirs == mine:
        return (f'{head}/ is at the same level ({mine}) as {folder}/: '
                'siblings may not include each other')
    if theirs > mine:
        return f'{head}/ (level {theirs}) is above {folder}/ (level {mine})'
    return None


def check(core):
    """The violations of the tree under core, as printable lines."""
    table = read_table(core)
    shown = os.path.dirname(os.path.abspath(core))  # paths are printed from core's parent
    out = []
    for entry in sorted(os.listdir(core)):
        full = os.path.join(core, entry)
        if os.path.isfile(full) and entry.endswith(SOURCES):
            out.append(f'{os.path.relpath(full, shown)}: a source directly in core/: '
                       'it belongs in a layer folder (only CMakeLists.txt and README.md stay)')
    for folder in sorted(d for d in os.listdir(core)
                         if os.path.isdir(os.path.join(core, d)) and not d.startswith('.')):
        files = []
        for dirpath, dirs, names in os.walk(os.path.join(core, folder)):
            dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
            files += [os.path.join(dirpath, n) for n in sorted(names) if n.endswith(SOURCES)]
        if files and folder not in table:
            out.append(f'{os.path.relpath(os.path.join(core, folder), shown)}/: '
                       'folder missing from the layers table of core/README.md')
            continue
        for path in files:
            with open(path, encoding='utf-8', errors='replace') as f:
                for n, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    why = m and judge(core, table, path, folder, m[1])
                    if why:
                        out.append(f'{os.path.relpath(path, shown)}:{n}: {line.strip()}: {why}')
    return out


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith('-')):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    core = os.path.normpath(argv[1] if len(argv) == 2 else
                            os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'core'))
    if not os.path.isdir(core):
        print(f'layers: no directory {core}', file=sys.stderr)
        return 2
    try:
        violations = check(core)
    except TableError as e:
        print(f'layers: {e}', file=sys.stderr)
        return 2
    for v in violations:
        print(v)
    if violations:
        print(f'layers: FAIL: {len(violations)} violation(s) of the layering rule', file=sys.stderr)
        return 1
    print(f'layers: OK: every #include of {os.path.normpath(core)} points down')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
