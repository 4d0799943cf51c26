"""cffi builder of akt._native (API, out-of-line mode).

The cdef is made from the public headers themselves (every abi/include/akt/*.h: akt.h and
the siblings that include it), so the binding always matches the ABI: integer #defines
become cffi's "#define NAME ..." (the value comes from the C compiler), everything else,
the enums the X-macro tables expand to included, goes through the C preprocessor. The C
fast path (csrc/*.c) is compiled into the same extension; it is what runs per message
(see csrc/fastpath.h).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent
# The akt sources: an sdist's copy in akt-core/ (see setup.py), else the checkout.
REPO = HERE / "akt-core" if (HERE / "akt-core").is_dir() else HERE.parent.parent
INCLUDE_DIR = Path(os.environ.get("AKT_INCLUDE_DIR", REPO / "abi" / "include"))
CSRC = HERE / "csrc"

# Declarations of the fast path that Python reaches through cffi.
EXTRA_CDEF = """
int akt_py_fastpath_install(void);
void akt_py_thread_stop(void *data, int index);
"""

_DEFINE = re.compile(r"^\s*#\s*define\s+(AKT_[A-Z0-9_]+)\s+(.+?)\s*$")
# An include of another public header: <akt/x.h>, or "x.h" / "akt/x.h" from a sibling.
_AKT_INCLUDE = re.compile(r'^\s*#\s*include\s*(?:<akt/(\w+\.h)>|"(?:akt/)?(\w+\.h)")')
_ANY_INCLUDE = re.compile(r"^\s*#\s*include\b")


def headers(include_dir: Path = INCLUDE_DIR) -> list[Path]:
    """Every public header, each after the akt headers it includes: akt.h comes first."""
    found = {p.name: p for p in sorted((include_dir / "akt").glob("*.h"))}
    if "akt.h" not in found:
        raise SystemExit(f"akt build_ffi: no akt/akt.h in {include_dir}")
    order: list[Path] = []
    done: set[str] = set()

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in chain:
            raise SystemExit(f"akt build_ffi: include cycle {' -> '.join(chain + (name,))}")
        for line in found[name].read_text().splitlines():
            m = _AKT_INCLUDE.match(line)
            if not m:
                continue
            inc = m.group(1) or m.group(2)
            if inc not in found:
                raise SystemExit(f"akt build_ffi: {name} includes {inc}, not in {include_dir}")
            visit(inc, chain + (name,))
        done.add(name)
        order.append(found[name])

    visit("akt.h", ())
    for name in found:
        visit(name, ())
    return order


def _integer_defines(text: str) -> list[str]:
    """Names of the header's integer constants (not strings, casts or AKT_API)."""
    names = []
    for line in text.splitlines():
        m = _DEFINE.match(line.split("/*")[0])
        if not m:
            continue
        name, value = m.groups()
        if value.startswith('"') or "akt_free_fn" in value or "__attribute__" in value:
            continue
        names.append(name)
    return names


def make_cdef(include_dir: Path = INCLUDE_DIR) -> str:
    """The cdef of every public header, in include order. The headers are preprocessed as
    one text without their #include lines: the include guards keep each header once, and
    cffi knows the standard types they would bring (size_t, int64_t, ...)."""
    text = "\n".join(p.read_text() for p in headers(include_dir))
    defines = list(dict.fromkeys(_integer_defines(text)))
    body = "\n".join(line for line in text.splitlines() if not _ANY_INCLUDE.match(line))
    cc = os.environ.get("CC", "cc").split()
    out = subprocess.run(
        [*cc, "-E", "-P", "-undef", "-nostdinc", "-DAKT_API=", "-x", "c", "-"],
        input=body,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    consts = "".join(f"#define {n} ...\n" for n in defines)
    return consts + out + EXTRA_CDEF


def source_includes(include_dir: Path = INCLUDE_DIR) -> str:
    """The #include lines of the extension's C source: every public header."""
    return "".join(f"#include <akt/{p.name}>\n" for p in headers(include_dir))


ffibuilder = FFI()
ffibuilder.cdef(make_cdef())
ffibuilder.set_source(
    "akt._native",
    source_includes() + EXTRA_CDEF,
    sources=[str(p.relative_to(HERE)) for p in sorted(CSRC.glob("*.c"))],
    include_dirs=[str(INCLUDE_DIR), str(CSRC)],
    # (library_dirs: setup.py's build_ext adds where it staged libakt.so.)
    libraries=["akt"],
    # The extension finds libakt.so.0 next to itself, installed or not.
    extra_link_args=["-Wl,-rpath,$ORIGIN"],
    extra_compile_args=["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter",
                        "-O2"],
    py_limited_api=False,
)

if __name__ == "__main__":
    print(make_cdef())
