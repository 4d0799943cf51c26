"""cffi builder of akt._native (API, out-of-line mode).

The cdef is made from the public header itself, so the binding always matches akt.h:
integer #defines become cffi's "#define NAME ..." (the value comes from the C compiler),
everything else goes through the C preprocessor. The C fast path (csrc/*.c) is compiled
into the same extension; it is what runs per message (see csrc/fastpath.h).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
INCLUDE_DIR = Path(os.environ.get("AKT_INCLUDE_DIR", REPO / "abi" / "include"))
HEADER = INCLUDE_DIR / "akt" / "akt.h"
CSRC = HERE / "csrc"
# setup.py's build_ext puts libakt.so here before compiling (see stage_libakt there).
LIB_STAGE = HERE / "build" / "libakt"

# Declarations of the fast path that Python reaches through cffi.
EXTRA_CDEF = """
int akt_py_fastpath_install(void);
void akt_py_thread_stop(void *data, int index);
"""

_DEFINE = re.compile(r"^\s*#\s*define\s+(AKT_[A-Z0-9_]+)\s+(.+?)\s*$")


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


def make_cdef(header: Path = HEADER) -> str:
    text = header.read_text()
    defines = _integer_defines(text)
    body = "\n".join(
        line for line in text.splitlines() if not re.match(r"^\s*#\s*include\b", line)
    )
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


ffibuilder = FFI()
ffibuilder.cdef(make_cdef())
ffibuilder.set_source(
    "akt._native",
    '#include <akt/akt.h>\n' + EXTRA_CDEF,
    sources=[str(p.relative_to(HERE)) for p in sorted(CSRC.glob("*.c"))],
    include_dirs=[str(INCLUDE_DIR), str(CSRC)],
    library_dirs=[str(LIB_STAGE)],
    libraries=["akt"],
    # The extension finds libakt.so.0 next to itself, installed or not.
    extra_link_args=["-Wl,-rpath,$ORIGIN"],
    extra_compile_args=["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter",
                        "-O2"],
    py_limited_api=False,
)

if __name__ == "__main__":
    print(make_cdef())
