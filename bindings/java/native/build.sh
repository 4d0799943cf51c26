#!/usr/bin/env bash
# Builds the native half of the jar; Maven runs it in generate-sources.
#   build.sh <maven target dir>
# 1. libakt.so: from $AKT_BUILD_DIR if set (built there with cmake if needed), otherwise
#    built from this repo (or $AKT_SOURCE_DIR) into <target>/akt-build (target akt only).
# 2. SWIG -java: dev.akt.internal.AktNative* into <target>/generated-sources/swig and
#    akt_wrap.c into <target>/native-build.
# 3. libakt_jni.so (wrapper + aktj_*.c) with cmake.
# 4. Both libraries into <target>/native-resources/native/<os>-<arch>/ (packed in the jar),
#    with libs.txt giving the load order (libakt first).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
target=${1:?usage: build.sh <maven target dir>}
mkdir -p "$target"
target=$(cd "$target" && pwd)

gen="Unix Makefiles"
command -v ninja >/dev/null && gen=Ninja

# ---- 1. libakt ---------------------------------------------------------------------------
akt_build=${AKT_BUILD_DIR:-$target/akt-build}
# The sources whose header matches that libakt: $AKT_SOURCE_DIR, else the ones the build dir
# was configured from, else this repository.
src=${AKT_SOURCE_DIR:-$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$akt_build/CMakeCache.txt" 2>/dev/null || true)}
src=${src:-$repo}
if [ ! -f "$akt_build/CMakeCache.txt" ]; then
  cmake -S "$src" -B "$akt_build" -G "$gen" \
        -DAKT_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$akt_build" --target akt >/dev/null
libakt=$(readlink -f "$akt_build/lib/libakt.so")
[ -f "$libakt" ] || { echo "build.sh: no libakt.so in $akt_build/lib" >&2; exit 1; }

# ---- 2. SWIG ------------------------------------------------------------------------------
java_out=$target/generated-sources/swig/dev/akt/internal
native_build=$target/native-build
mkdir -p "$java_out" "$native_build"
rm -f "$java_out"/*.java
swig -java -package dev.akt.internal -I"$src/abi/include" -I"$here" \
     -outdir "$java_out" -o "$native_build/akt_wrap.c" "$here/akt.i"

# ---- 3. libakt_jni -------------------------------------------------------------------------
cmake -S "$here" -B "$native_build/cmake" -G "$gen" -DCMAKE_BUILD_TYPE=Release \
      -DAKT_LIB="$libakt" -DAKT_INCLUDE="$src/abi/include" \
      -DSWIG_WRAPPER="$native_build/akt_wrap.c" >/dev/null
cmake --build "$native_build/cmake" >/dev/null

# ---- 4. into the jar's resources -------------------------------------------------------------
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac
res=$target/native-resources/native/linux-$arch
rm -rf "$res"
mkdir -p "$res"
# libakt under its SONAME, so that libakt_jni's DT_NEEDED entry names the file we load.
soname=$(objdump -p "$libakt" | awk '/SONAME/ {print $2}')
soname=${soname:-libakt.so}
cp "$libakt" "$res/$soname"
cp "$native_build/cmake/libakt_jni.so" "$res/libakt_jni.so"
printf '%s\n' "$soname" libakt_jni.so > "$res/libs.txt"
