"""Builds akt's Python binding: the cffi extension akt._native, linked against libakt and
shipped with its own copy of libakt.so.0 (found through the rpath $ORIGIN, so neither
LD_LIBRARY_PATH nor a system install is needed).

libakt comes from AKT_BUILD_DIR (a cmake build dir holding lib/libakt.so.0) when set;
otherwise this script configures and builds the core itself, in setuptools' build_temp
(never in the source tree), from the akt sources: those at ../.. in a checkout, or the
copy an sdist carries in akt-core/ (made by the sdist command below), so that an sdist
builds anywhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build import build
from setuptools.command.build_ext import build_ext
from setuptools.command.egg_info import egg_info
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
SONAME = "libakt.so.0"
# What the core build needs (the top-level CMakeLists.txt builds only these without tests
# and extras), copied into an sdist as akt-core/.
CORE_PARTS = ["CMakeLists.txt", "cmake", "abi", "core"]


def core_source() -> Path:
    """The akt sources: an sdist's akt-core/, else the checkout this package sits in."""
    vendored = HERE / "akt-core"
    return vendored if vendored.is_dir() else HERE.parent.parent


def _log(msg: str) -> None:
    print(f"akt setup: {msg}", file=sys.stderr)


def find_or_build_libakt(build_temp: Path) -> Path:
    """The directory holding libakt.so.0 (the core build's lib/)."""
    given = os.environ.get("AKT_BUILD_DIR")
    if given:
        lib = Path(given).resolve() / "lib"
        if not (lib / SONAME).exists():
            raise SystemExit(f"akt setup: AKT_BUILD_DIR={given} has no lib/{SONAME}")
        return lib
    src = core_source()
    if not (src / "CMakeLists.txt").exists() or not (src / "core").is_dir():
        raise SystemExit(
            "akt setup: no akt sources (neither akt-core/ nor a checkout at ../..); "
            "set AKT_BUILD_DIR to a build of the core (a dir with lib/libakt.so.0)"
        )
    cc = os.environ.get("CC", "cc").split()[0]
    for tool in ("cmake", cc):
        if not shutil.which(tool):
            raise SystemExit(f"akt setup: building libakt needs {tool} on PATH "
                             "(or install a prebuilt akt wheel)")
    build = build_temp / "akt-core"
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    if not (build / "CMakeCache.txt").exists():
        _log(f"configuring the core in {build}")
        subprocess.run(
            ["cmake", "-S", str(src), "-B", str(build), *gen, "-DCMAKE_BUILD_TYPE=Release",
             "-DAKT_BUILD_TESTS=OFF", "-DAKT_BUILD_EXTRAS=OFF"],
            check=True,
        )
    _log("building libakt")
    subprocess.run(["cmake", "--build", str(build), "--target", "akt"], check=True)
    return build / "lib"


def stage_libakt(build_temp: Path) -> Path:
    """Copies libakt.so.0 (and the libakt.so link name) to <build_temp>/libakt for linking."""
    src = find_or_build_libakt(build_temp)
    stage = build_temp / "libakt"
    stage.mkdir(parents=True, exist_ok=True)
    real = (src / SONAME).resolve()
    staged = stage / SONAME
    shutil.copy2(real, staged)
    link = stage / "libakt.so"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(SONAME)
    return staged


_SCRATCH: list[str] = []


def scratch() -> str | None:
    """None when this directory is writable; else one temporary directory for the build's
    files (pip and setuptools write build/ and src/*.egg-info in place: a read-only
    checkout, or a read-only mount of the sdist, would fail)."""
    if os.access(HERE, os.W_OK) and os.access(HERE / "src", os.W_OK):
        return None
    if not _SCRATCH:
        import atexit
        import tempfile

        _SCRATCH.append(tempfile.mkdtemp(prefix="akt-build-"))
        atexit.register(shutil.rmtree, _SCRATCH[0], True)
    return _SCRATCH[0]


class EggInfo(egg_info):
    """The metadata goes to scratch() when the sources are read-only."""

    def finalize_options(self) -> None:
        if scratch() and not self.egg_base:
            self.egg_base = scratch()
        super().finalize_options()


class Build(build):
    """build/ goes to scratch() when the sources are read-only."""

    def initialize_options(self) -> None:
        super().initialize_options()
        if scratch():
            self.build_base = os.path.join(scratch(), "build")


class Sdist(sdist):
    """Carries the core's sources as akt-core/, so that the sdist builds without a checkout."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        src = core_source()
        dest = Path(base_dir) / "akt-core"
        for part in CORE_PARTS:
            p = src / part
            if p.is_dir():
                shutil.copytree(p, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
            elif p.exists():
                dest.mkdir(parents=True, exist_ok=True)
                shutil.copy2(p, dest / part)
            else:
                raise SystemExit(f"akt setup: {p} is missing: cannot make the sdist")


class BuildExt(build_ext):
    """Stages libakt before compiling and ships it next to the extension."""

    def run(self) -> None:
        staged = stage_libakt(Path(self.build_temp).resolve())
        for ext in self.extensions:
            ext.library_dirs.append(str(staged.parent))
        super().run()
        for ext in self.extensions:
            dest_dir = Path(self.get_ext_fullpath(ext.name)).parent
            dest_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(staged, dest_dir / SONAME)
            _log(f"shipped {SONAME} in {dest_dir}")


setup(
    cffi_modules=["build_ffi.py:ffibuilder"],
    cmdclass={"build": Build, "build_ext": BuildExt, "egg_info": EggInfo, "sdist": Sdist},
)
