"""The cdef generator (build_ffi.py) reads every public header, in include order."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import cffi
import pytest

HERE = Path(__file__).resolve().parents[1]
REPO = HERE.parents[1]


@pytest.fixture(scope="module")
def build_ffi() -> ModuleType:
    spec = importlib.util.spec_from_file_location("akt_build_ffi", HERE / "build_ffi.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # makes the real cdef too: the headers must parse
    return module


def _include_dir(tmp_path: Path, siblings: dict[str, str]) -> Path:
    (tmp_path / "akt").mkdir()
    shutil.copy(REPO / "abi" / "include" / "akt" / "akt.h", tmp_path / "akt" / "akt.h")
    for name, text in siblings.items():
        (tmp_path / "akt" / name).write_text(text)
    return tmp_path


# aaa.h sorts before akt.h, and bbb.h includes it: each must still follow what it includes.
AAA = """#ifndef AKT_AAA_H
#define AKT_AAA_H
#include <akt/akt.h>
#include <stdint.h>
#define AKT_AAA_LIMIT 42
typedef struct akt_aaa akt_aaa;
AKT_API int akt_aaa_ping(akt_system *system, akt_pid to, akt_aaa **out);
#endif
"""
BBB = """#ifndef AKT_BBB_H
#define AKT_BBB_H
#include "aaa.h"
#include "akt.h"
#define AKT_BBB_TWICE (2 * AKT_AAA_LIMIT)
AKT_API int akt_bbb_use(akt_aaa *a, int64_t timeout_ns);
#endif
"""


def test_every_header_is_read_after_what_it_includes(build_ffi: ModuleType,
                                                     tmp_path: Path) -> None:
    inc = _include_dir(tmp_path, {"bbb.h": BBB, "aaa.h": AAA})
    assert [p.name for p in build_ffi.headers(inc)] == ["akt.h", "aaa.h", "bbb.h"]
    cdef = build_ffi.make_cdef(inc)
    assert cdef.count("#define AKT_AAA_LIMIT ...") == 1
    assert cdef.count("#define AKT_BBB_TWICE ...") == 1
    assert cdef.count("akt_spawn(") == 1  # akt.h once, though both siblings include it
    assert "int akt_aaa_ping(akt_system *system, akt_pid to, akt_aaa **out);" in cdef
    assert "int akt_bbb_use(akt_aaa *a, int64_t timeout_ns);" in cdef
    ffi = cffi.FFI()
    ffi.cdef(cdef)  # parses: the siblings' types come from akt.h
    assert ffi.typeof("enum akt_errno").relements["AKT_EINVAL"] == -1
    src = build_ffi.source_includes(inc)
    assert src == "#include <akt/akt.h>\n#include <akt/aaa.h>\n#include <akt/bbb.h>\n"


def test_the_real_headers_give_the_error_enum(build_ffi: ModuleType) -> None:
    cdef = build_ffi.make_cdef()
    ffi = cffi.FFI()
    ffi.cdef(cdef)
    codes = ffi.typeof("enum akt_errno").relements
    assert codes["AKT_EINVAL"] == -1 and len(codes) == len(set(codes.values()))


def test_bad_includes_are_refused(build_ffi: ModuleType, tmp_path: Path) -> None:
    inc = _include_dir(tmp_path, {"x.h": '#include "y.h"\n', "y.h": '#include <akt/x.h>\n'})
    with pytest.raises(SystemExit, match="include cycle"):
        build_ffi.headers(inc)
    (inc / "akt" / "y.h").write_text('#include "missing.h"\n')
    with pytest.raises(SystemExit, match="missing.h"):
        build_ffi.headers(inc)
