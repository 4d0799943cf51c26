#!/usr/bin/env bash
# install_consumer test: installs a built tree into a throw-away prefix, then builds and runs
# abi/consumer twice against it, as an outside user would: once through the CMake package
# (find_package(akt) -> akt::akt) and once through pkg-config (akt.pc). Also checks that
# the installed library carries the SONAME that the header's major version promises.
#
#   abi/check_install.sh <build-dir> [version]
set -euo pipefail

build=$(cd "$1" && pwd)
version=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
header=$here/include/akt/akt.h
cc=${CC:-cc}

work=$(mktemp -d "${TMPDIR:-/tmp}/akt-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

step() { printf '== %s\n' "$*"; }
die() { printf 'install_consumer: FAIL: %s\n' "$*" >&2; exit 1; }

step "install into $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" || {
    cat "$work/install.log" >&2; die "cmake --install failed"; }

[ -f "$prefix/include/akt/akt.h" ] || die "header not installed at include/akt/akt.h"
cmp -s "$header" "$prefix/include/akt/akt.h" || die "installed header differs from abi/include"

# GNUInstallDirs may pick lib, lib64 or lib/<multiarch>: find the library, don't assume.
lib=$(find "$prefix" -name 'libakt.so' | head -n1)
[ -n "$lib" ] || die "libakt.so not installed"
libdir=$(dirname "$lib")
major=$(sed -n 's/^#define AKT_VERSION_MAJOR \([0-9]*\).*/\1/p' "$header")
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libakt.so.$major" ] || die "SONAME is '$soname', want libakt.so.$major"
[ -e "$libdir/$soname" ] || die "$soname (the runtime link) is not installed"
if [ -n "$(find "$prefix" -name '*.a')" ]; then
    die "a static archive was installed: only the shared library is part of the package"
fi

step "consumer via find_package(akt)"
cmake -S "$here/consumer" -B "$work/cmake-build" -G "${CMAKE_GENERATOR:-Ninja}" \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$prefix" \
    -DAKT_EXPECTED_VERSION="$version" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; die "configure with find_package failed"; }
cmake --build "$work/cmake-build" >"$work/cmake-build.log" 2>&1 || {
    cat "$work/cmake-build.log" >&2; die "build with find_package failed"; }
# The imported target must point into the prefix, not back into the build tree.
# (Outputs are captured before matching: `cmd | grep -q` fails under pipefail on SIGPIPE.)
deps=$(ldd "$work/cmake-build/akt_consumer")
[[ $deps == *"$libdir/libakt.so.$major "* ]] || {
    echo "$deps" >&2; die "find_package consumer does not load the installed libakt"; }
"$work/cmake-build/akt_consumer" || die "find_package consumer failed to run"

step "consumer via pkg-config"
pcdir=$(dirname "$(find "$prefix" -name akt.pc | head -n1)")
[ -f "$pcdir/akt.pc" ] || die "akt.pc not installed"
export PKG_CONFIG_PATH=$pcdir
unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR
pc_version=$(pkg-config --modversion akt) || die "pkg-config cannot read akt.pc"
[ -z "$version" ] || [ "$pc_version" = "$version" ] || die "akt.pc says $pc_version, want $version"
# shellcheck disable=SC2046  # word splitting of the flags is intended
"$cc" -std=c11 -Wall -Wextra -Werror -o "$work/pc_consumer" "$here/consumer/main.c" \
    $(pkg-config --cflags --libs akt) || die "build with pkg-config failed"
# pkg-config gives no rpath (as is usual); point the loader at the prefix as a user would.
LD_LIBRARY_PATH=$(pkg-config --variable=libdir akt) "$work/pc_consumer" ||
    die "pkg-config consumer failed to run"

step "install_consumer: OK"
