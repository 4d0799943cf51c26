#!/usr/bin/env bash
# Installs the Python binding into the current python3 (pip), type-checks it and
# examples/python with mypy --strict, then runs its pytest suite and the Python
# conformance cases next to the C ones. Called by `make test-python`.
#
#   AKT_BUILD_DIR  a core build (lib/libakt.so.0, bin/conf_*); default <repo>/build when it
#                  has libakt, else setup.py builds the core itself in its build folder
#   PYTHON         the interpreter (default python3)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PY=${PYTHON:-python3}
if [ -z "${AKT_BUILD_DIR:-}" ] && [ -f "$REPO/build/lib/libakt.so.0" ]; then
  export AKT_BUILD_DIR="$REPO/build"
fi

echo "== strict compile of the C fast path"
PY_INC=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
for f in "$HERE"/csrc/*.c; do
  "${CC:-cc}" -fsyntax-only -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
    -I"$REPO/abi/include" -I"$HERE/csrc" -I"$PY_INC" "$f"
done

echo "== pip install $HERE"
# --no-build-isolation: the build uses the pinned cffi/setuptools of scripts/setup.sh and
# needs no download. A bare Debian python3 is "externally managed" (PEP 668): as in
# scripts/setup.sh, install into it anyway (this is the project's own machine).
PIP_FLAGS=(-q --root-user-action=ignore --no-build-isolation --no-deps --force-reinstall)
if "$PY" -c 'import os, sys, sysconfig
sys.exit(not (sys.prefix == sys.base_prefix and os.path.exists(
    os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED"))))'; then
  PIP_FLAGS+=(--break-system-packages)
fi
"$PY" -m pip install "${PIP_FLAGS[@]}" "$HERE"

# From a neutral directory, so that the installed package is what gets imported (and
# type-checked).
cd /
echo "== mypy --strict: the installed package and examples/python"
# Any error fails the phase (set -e). --cache-dir=/dev/null: no .mypy_cache left behind.
"$PY" -m mypy --strict --cache-dir=/dev/null -p akt
"$PY" -m mypy --strict --cache-dir=/dev/null "$REPO/examples/python"

echo "== pytest"
"$PY" -m pytest -q -p no:cacheprovider "$HERE/tests"
echo "== pytest, every Python actor on akt's workers"
AKT_PY_DISPATCHER=workers "$PY" -m pytest -q -p no:cacheprovider "$HERE/tests"

echo "== conformance (C and Python)"
CONF_BUILD=${AKT_BUILD_DIR:-$REPO/build}
if [ -d "$CONF_BUILD/bin" ]; then
  AKT_PYTHON="$PY" "$PY" "$REPO/conformance/run.py" --lang c,python --build-dir "$CONF_BUILD"
else
  echo "(no C build in $CONF_BUILD: Python cases only)"
  AKT_PYTHON="$PY" "$PY" "$REPO/conformance/run.py" --lang python
fi
echo "== conformance, remote mode (run.py --remote: the actors on a second process)"
AKT_PYTHON="$PY" "$PY" "$REPO/conformance/run.py" --remote --lang python
echo "== conformance (Python actors on akt's workers)"
AKT_PY_DISPATCHER=workers AKT_PYTHON="$PY" "$PY" "$REPO/conformance/run.py" --lang python
echo "== examples/python/demo.py (the README's example)"
bash "$REPO/examples/check_demo.sh" "$PY" "$REPO/examples/python/demo.py"
