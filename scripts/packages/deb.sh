#!/usr/bin/env bash
# The C packages as a user gets them: cpack -G DEB from the build, then (without touching
# the host's /usr) checks that apt would install them (apt-get install --simulate resolves
# libakt0's Depends, which dpkg-shlibdeps computed, against this machine's archive), unpacks
# them into a scratch root and builds abi/consumer there through find_package(akt) and
# through pkg-config, running each against the unpacked libakt.so.0.
#   scripts/packages/deb.sh <build-dir> <work-dir>
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
die() { printf 'packages/deb: FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf '== deb: %s\n' "$*"; }
version=$(sed -n 's/^project(akt VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
major=${version%%.*}

step "cpack -G DEB"
mkdir -p "$work"
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/debs" >"$work/cpack.log" 2>&1) ||
    { cat "$work/cpack.log" >&2; die "cpack failed"; }
rt=$work/debs/libakt${major}_${version}_amd64.deb
dev=$work/debs/libakt-dev_${version}_amd64.deb
[ -f "$rt" ] && [ -f "$dev" ] || { ls -l "$work/debs" >&2; die "libakt$major and libakt-dev not both made"; }

deps=$(dpkg-deb -f "$rt" Depends)
for lib in libuv1 libssl3 libc6; do
    [[ $deps == *"$lib "* || $deps == *"$lib," || $deps == "$lib" ]] || die "libakt$major does not depend on $lib: '$deps'"
done
[ "$(dpkg-deb -f "$dev" Depends)" = "libakt$major (= $version)" ] ||
    die "libakt-dev's Depends is '$(dpkg-deb -f "$dev" Depends)'"
# (Listings are captured before matching: `cmd | grep -q` fails under pipefail on SIGPIPE.)
files=$(dpkg-deb -c "$rt")
[[ $files != *.h$'\n'* && $files != *.h ]] || die "libakt$major carries headers"
files=$(dpkg-deb -c "$dev")
[[ $files == *./usr/include/akt/akt.h* ]] || die "libakt-dev lacks akt/akt.h"

step "apt-get install --simulate"
if command -v apt-get >/dev/null; then
    apt-get install --simulate -o Debug::NoLocking=1 "$rt" "$dev" >"$work/apt.log" 2>&1 ||
        { cat "$work/apt.log" >&2; die "apt would not install the packages"; }
    grep "^Inst libakt$major " "$work/apt.log" >/dev/null || { cat "$work/apt.log" >&2; die "apt plans no libakt$major"; }
fi

step "unpack and build a consumer"
root=$work/root
dpkg-deb -x "$rt" "$root"
dpkg-deb -x "$dev" "$root"
cmake -S "$src/abi/consumer" -B "$work/consumer-cmake" -G Ninja -DCMAKE_PREFIX_PATH="$root/usr" \
    -DAKT_EXPECTED_VERSION="$version" >"$work/consumer.log" 2>&1 &&
    cmake --build "$work/consumer-cmake" >>"$work/consumer.log" 2>&1 ||
    { cat "$work/consumer.log" >&2; die "find_package(akt) consumer did not build"; }
out=$(LD_LIBRARY_PATH=$root/usr/lib ldd "$work/consumer-cmake/akt_consumer")
[[ $out == *"$root/usr/lib/libakt.so.$major "* ]] || { echo "$out" >&2; die "consumer does not load the unpacked libakt"; }
LD_LIBRARY_PATH=$root/usr/lib "$work/consumer-cmake/akt_consumer" || die "find_package consumer failed"
flags=$(PKG_CONFIG_PATH=$root/usr/lib/pkgconfig pkg-config --cflags --libs akt) || die "pkg-config akt failed"
cc -o "$work/consumer-pc" "$src/abi/consumer/main.c" $flags || die "pkg-config consumer did not build"
LD_LIBRARY_PATH=$root/usr/lib "$work/consumer-pc" || die "pkg-config consumer failed"
step "ok: $(basename "$rt") $(basename "$dev")"
