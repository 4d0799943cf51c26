#!/usr/bin/env bash
# The Python package as a user gets it: pip building from a read-only checkout (against
# the given build's libakt); an sdist, and a wheel built from it alone (read-only too, outside the git tree: the core is compiled
# from the sdist's akt-core/), repaired by auditwheel to a manylinux tag (libakt's
# dependencies bundled), then installed into a fresh venv (no system site-packages) and run
# with no compiler on PATH.
#   scripts/packages/python.sh <build-dir> <work-dir>
# Needs root for the read-only bind mounts (unshare -m), as CI and the project's machines are.
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
py=${PYTHON:-python3}
die() { printf 'packages/python: FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf '== python: %s\n' "$*"; }
mkdir -p "$work"
# ro DIR CMD...: runs CMD with DIR bind-mounted read-only (in a mount namespace of its own).
ro() {
    local dir=$1
    shift
    unshare -m sh -c 'mount --bind -o ro "$0" "$0" && exec "$@"' "$dir" "$@"
}

step "pip wheel from a read-only checkout"
AKT_BUILD_DIR=$build ro "$src" "$py" -m pip wheel -q --no-deps --no-build-isolation -w "$work/checkout-wheel" \
    "$src/bindings/python" >"$work/checkout-wheel.log" 2>&1 ||
    { tail -30 "$work/checkout-wheel.log" >&2; die "pip could not build from a read-only checkout"; }

step "sdist"
"$py" -m build --sdist --no-isolation --outdir "$work/sdist" "$src/bindings/python" \
    >"$work/sdist.log" 2>&1 || { tail -30 "$work/sdist.log" >&2; die "the sdist was not made"; }
sdist=$(ls "$work"/sdist/akt-*.tar.gz)
names=$(tar tzf "$sdist")
for f in akt-core/core/CMakeLists.txt akt-core/abi/include/akt/akt.h csrc/fastpath.h build_ffi.py \
         src/akt/__init__.py src/akt/py.typed; do
    [[ $names == *"/$f"* ]] || die "the sdist lacks $f"
done

step "wheel from the sdist alone (read-only, the core built from akt-core/)"
mkdir -p "$work/unpacked"
tar xzf "$sdist" -C "$work/unpacked"
tree=$(ls -d "$work"/unpacked/akt-*)
env -u AKT_BUILD_DIR bash -c "$(declare -f ro); ro \"\$@\"" _ "$tree" \
    "$py" -m pip wheel -q --no-deps --no-build-isolation -w "$work/wheel" "$tree" \
    >"$work/wheel.log" 2>&1 || { tail -30 "$work/wheel.log" >&2; die "the wheel did not build"; }
wheel=$(ls "$work"/wheel/akt-*.whl)

step "auditwheel repair"
"$py" -m auditwheel repair -w "$work/repaired" "$wheel" >"$work/repair.log" 2>&1 ||
    { tail -30 "$work/repair.log" >&2; die "auditwheel repair failed"; }
wheel=$(ls "$work"/repaired/akt-*.whl)
[[ $(basename "$wheel") == *manylinux_* ]] || die "not a manylinux wheel: $(basename "$wheel")"
files=$(unzip -l "$wheel")
[[ $files == *akt/libakt.so.0* && $files == *akt.libs/libuv* ]] ||
    { echo "$files" >&2; die "the wheel does not carry libakt.so.0 and its libuv"; }

step "fresh venv, no compiler on PATH"
"$py" -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$wheel" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log" >&2; die "pip install of the wheel failed"; }
cat >"$work/hello.py" <<'PY'
import akt

class Greeter(akt.Actor):
    def receive(self, ctx, msg):
        ctx.respond(f"hello, {msg}")

with akt.ActorSystem("packaged") as system:
    print(system.spawn("greeter", Greeter()).ask_sync("wheel", timeout=10), akt.__version__)
PY
mkdir -p "$work/empty"
out=$(cd "$work/empty" && env -i HOME="$work/empty" PATH="$work/venv/bin" "$work/venv/bin/python" -c \
    'import shutil, sys; sys.exit(shutil.which("cc") is not None or shutil.which("gcc") is not None)' &&
      env -i HOME="$work/empty" PATH="$work/venv/bin" "$work/venv/bin/python" "$work/hello.py") ||
    die "the installed wheel did not run"
want="hello, wheel $(sed -n 's/^version = "\(.*\)"/\1/p' "$src/bindings/python/pyproject.toml")"
[ "$out" = "$want" ] || die "printed '$out', want '$want'"
native=$(ls "$work"/venv/lib/python*/site-packages/akt/_native*.so)
deps=$(ldd "$(dirname "$native")/libakt.so.0")
[[ $deps == *"akt.libs/libuv"* ]] || { echo "$deps" >&2; die "libakt does not load the bundled libuv"; }
step "ok: $(basename "$wheel")"
