#!/usr/bin/env bash
# Runs the Python and Node bindings' test suites against the ASan+UBSan build of libakt.
# Called by `make test-bindings-asan`.
#
#   AKT_SOURCE_DIR      the repository (default: this script's ..)
#   AKT_BUILD_DIR       the release build (libakt the Node addon is compiled against)
#   AKT_ASAN_BUILD_DIR  the sanitizer build (lib/libakt.so.0 built with -DAKT_SANITIZE=address)
#   PYTHON              the interpreter (default python3; a pyenv shim is resolved to the
#                       real binary, since LD_PRELOAD on the shim's shell would not reach it)
#
# The interpreters are not instrumented, so the ASan runtime is preloaded (it must be the
# first library loaded). Nothing outside AKT_ASAN_BUILD_DIR is installed: Python gets a
# private virtualenv there (the binding installed into it ships the ASan libakt), and the
# Node addon built in bindings/node against the release libakt is run with the ASan libakt
# put first on the library path (the addon finds libakt through RUNPATH, which
# LD_LIBRARY_PATH precedes). Each run checks that the ASan libakt is the one loaded.
set -euo pipefail

REPO=${AKT_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${AKT_BUILD_DIR:-$REPO/build}
ASAN_BUILD=${AKT_ASAN_BUILD_DIR:-$REPO/build-asan}
ASAN_LIB=$ASAN_BUILD/lib/libakt.so.0
for f in "$ASAN_LIB" "$BUILD/lib/libakt.so.0"; do
  [ -f "$f" ] || { echo "test_bindings_asan: $f is missing (build it first)" >&2; exit 1; }
done
# Whether a library is built with ASan. Not `nm | grep -q`: grep's early exit would kill nm
# with SIGPIPE, which fails the test under pipefail.
is_asan_lib() { [[ $(nm -D "$1") == *' U __asan_init'* ]]; }
is_asan_lib "$ASAN_LIB" ||
  { echo "test_bindings_asan: $ASAN_LIB is not built with ASan" >&2; exit 1; }

LIBASAN=$("${CC:-cc}" -print-file-name=libasan.so)
[ -f "$LIBASAN" ] || { echo "test_bindings_asan: no libasan.so ($LIBASAN)" >&2; exit 1; }

# detect_leaks=0: CPython and V8 keep allocations until exit by design; akt's own leaks
# are LeakSanitizer's job in the core suites (make test-asan). halt_on_error: the first
# report fails the run. The runtime's error output goes to stderr with the test's own.
ASAN_ENV=(
  "LD_PRELOAD=$LIBASAN"
  "ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=0"
  "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
)

# Fails unless the process started by "$@" (with ASAN_ENV; it prints its /proc/self/maps)
# maps exactly one libakt and that one is built with ASan.
check_loaded() {
  local what=$1
  shift
  local libs
  libs=$(env "${ASAN_ENV[@]}" "$@" | awk '$NF ~ /\/libakt\.so/ {print $NF}' | sort -u)
  if [ "$(wc -l <<<"$libs")" -ne 1 ] || [ -z "$libs" ] ||
     ! is_asan_lib "$libs"; then
    echo "test_bindings_asan: $what must load one ASan libakt; it loaded: ${libs:-none}" >&2
    exit 1
  fi
  echo "$what loads $libs (ASan)"
}

echo "== Python: private virtualenv in $ASAN_BUILD/py-venv"
PY=${PYTHON:-python3}
PY_REAL=$("$PY" -c 'import sys; print(sys.executable)')
VENV=$ASAN_BUILD/py-venv
[ -x "$VENV/bin/python" ] || "$PY_REAL" -m venv --system-site-packages "$VENV"
VPY=$VENV/bin/python
# The binding built and installed into the venv with the ASan libakt (setup.py copies it
# into the package). --no-build-isolation: the pinned cffi/setuptools, no download.
AKT_BUILD_DIR=$ASAN_BUILD "$VPY" -m pip install -q --no-build-isolation --no-deps \
  --force-reinstall "$REPO/bindings/python"
check_loaded "python" "$VPY" -c \
  'import akt, sys; sys.stdout.write(open("/proc/self/maps").read())'

echo "== Python: pytest under ASan"
cd /
env "${ASAN_ENV[@]}" "$VPY" -m pytest -q -p no:cacheprovider "$REPO/bindings/python/tests"
echo "== Python: pytest under ASan, every Python actor on akt's workers"
env "${ASAN_ENV[@]}" AKT_PY_DISPATCHER=workers \
  "$VPY" -m pytest -q -p no:cacheprovider "$REPO/bindings/python/tests"

echo "== Node: addon built against the release libakt, run with the ASan one"
cd "$REPO/bindings/node"
AKT_BUILD_DIR=$BUILD npm install --no-audit --no-fund
readelf -d build/Release/akt.node | grep -q 'RUNPATH.*\$ORIGIN' ||
  { echo "test_bindings_asan: akt.node has no \$ORIGIN RUNPATH" >&2; exit 1; }
NODE_ENV_ASAN=("LD_LIBRARY_PATH=$ASAN_BUILD/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
check_loaded "node" env "${NODE_ENV_ASAN[@]}" node -e \
  'require("./lib/index.cjs"); process.stdout.write(require("fs").readFileSync("/proc/self/maps", "utf8"))'

echo "== Node: node --test under ASan"
# As `npm test`, without npm itself under the preloaded runtime.
env "${ASAN_ENV[@]}" "${NODE_ENV_ASAN[@]}" node --test --test-concurrency=1 test/*.test.mjs
