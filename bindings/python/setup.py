"""Builds akt's Python binding: the cffi extension akt._native, linked against libakt and
shipped with its own copy of libakt.so.0 (found through the rpath $ORIGIN, so neither
LD_LIBRARY_PATH nor a system install is needed).

libakt comes from AKT_BUILD_DIR (a cmake build dir holding lib/libakt.so.0) when set;
otherwise this script configures and builds the core itself in <repo>/build-python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LIB_STAGE = HERE / "build" / "libakt"
SONAME = "libakt.so.0"


def _log(msg: str) -> None:
    print(f"akt setup: {msg}", file=sys.stderr)


def find_or_build_libakt() -> Path:
    """The directory holding libakt.so.0 (the core build's lib/)."""
    given = os.environ.get("AKT_BUILD_DIR")
    if given:
        lib = Path(given).resolve() / "lib"
        if not (lib / SONAME).exists():
            raise SystemExit(f"akt setup: AKT_BUILD_DIR={given} has no lib/{SONAME}")
        return lib
    if not (REPO / "CMakeLists.txt").exists() or not (REPO / "core").is_dir():
        raise SystemExit(
            "akt setup: the akt sources are not at ../.. of this package; "
            "set AKT_BUILD_DIR to a build of the core (a dir with lib/libakt.so.0)"
        )
    build = REPO / "build-python"
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    if not (build / "CMakeCache.txt").exists():
        _log(f"configuring the core in {build}")
        subprocess.run(
            ["cmake", "-S", str(REPO), "-B", str(build), *gen,
             "-DCMAKE_BUILD_TYPE=Release", "-DAKT_BUILD_TESTS=OFF"],
            check=True,
        )
    _log("building libakt")
    subprocess.run(["cmake", "--build", str(build), "--target", "akt"], check=True)
    return build / "lib"


def stage_libakt() -> Path:
    """Copies libakt.so.0 (and the libakt.so link name) to build/libakt for linking."""
    src = find_or_build_libakt()
    LIB_STAGE.mkdir(parents=True, exist_ok=True)
    real = (src / SONAME).resolve()
    staged = LIB_STAGE / SONAME
    shutil.copy2(real, staged)
    link = LIB_STAGE / "libakt.so"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(SONAME)
    return staged


class BuildExt(build_ext):
    """Stages libakt before compiling and ships it next to the extension."""

    def run(self) -> None:
        staged = stage_libakt()
        super().run()
        for ext in self.extensions:
            dest_dir = Path(self.get_ext_fullpath(ext.name)).parent
            dest_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(staged, dest_dir / SONAME)
            _log(f"shipped {SONAME} in {dest_dir}")


setup(
    cffi_modules=["build_ffi.py:ffibuilder"],
    cmdclass={"build_ext": BuildExt},
)
