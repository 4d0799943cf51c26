#!/usr/bin/env bash
# The Node package as a user gets it: `npm pack` (its prepack vendors the core and a
# prebuilt linux-x64 addon with its libraries), installed into a scratch npm project twice:
# with no compiler on PATH (the prebuilt addon must be used and must load the bundled
# libakt and libuv), and with npm_config_build_from_source=true (the addon and libakt built
# from the tarball's akt-core/ alone). Each install then runs a small program.
#   scripts/packages/node.sh <build-dir> <work-dir>
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
die() { printf 'packages/node: FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf '== node: %s\n' "$*"; }
mkdir -p "$work"

step "npm pack"
(cd "$src/bindings/node" && AKT_BUILD_DIR=$build npm pack --pack-destination "$work" >"$work/pack.log" 2>&1) ||
    { tail -30 "$work/pack.log" >&2; die "npm pack failed"; }
[ ! -e "$src/bindings/node/akt-core" ] && [ ! -e "$src/bindings/node/prebuilds" ] ||
    die "postpack left akt-core/ or prebuilds/ in the package folder"
tgz=$(ls "$work"/akt-*.tgz)
names=$(tar tzf "$tgz")
for f in package/akt-core/core/CMakeLists.txt package/prebuilds/linux-x64/akt.node \
         package/prebuilds/linux-x64/libakt.so.0 package/prebuilds/linux-x64/libuv.so.1 \
         package/index.d.ts package/binding.gyp; do
    [[ $names == *"$f"* ]] || die "the tarball lacks $f"
done

cat >"$work/hello.mjs" <<'JS'
import { ActorSystem, Actor } from 'akt';
class Greeter extends Actor {
  receive(ctx, msg) { ctx.respond(`hello, ${msg}`); }
}
const system = await ActorSystem.create('packaged');
const pid = system.spawn(Greeter, { name: 'greeter' });
console.log(await pid.ask('npm', { timeout: 10000 }));
await system.shutdown();
JS
# project DIR: a scratch npm project with the program.
project() {
    mkdir -p "$1"
    echo '{"name":"scratch","version":"1.0.0","private":true}' >"$1/package.json"
    cp "$work/hello.mjs" "$1/"
}

step "install with no compiler on PATH: the prebuilt addon"
bin=$work/bin
mkdir -p "$bin"
for t in node npm sh; do ln -sf "$(command -v $t)" "$bin/$t"; done
env -i PATH="$bin" sh -c 'command -v cc || command -v gcc || command -v cmake' >/dev/null &&
    die "the scratch PATH has a compiler"
project "$work/prebuilt"
(cd "$work/prebuilt" && env -i HOME="$work" PATH="$bin" npm install --offline --no-audit --no-fund "$tgz" \
    >"$work/prebuilt.log" 2>&1) || { cat "$work/prebuilt.log" >&2; die "npm install (prebuilt) failed"; }
mod=$work/prebuilt/node_modules/akt
[ ! -e "$mod/build/Release/akt.node" ] || die "the prebuilt install compiled an addon"
deps=$(ldd "$mod/prebuilds/linux-x64/libakt.so.0")
[[ $deps == *"$mod/prebuilds/linux-x64/libuv.so.1"* ]] || { echo "$deps" >&2; die "libakt does not load the bundled libuv"; }
out=$(cd "$work/prebuilt" && env -i HOME="$work" PATH="$bin" node hello.mjs) || die "the prebuilt install did not run"
[ "$out" = "hello, npm" ] || die "prebuilt: printed '$out'"

step "install from source (npm_config_build_from_source=true)"
project "$work/source"
(cd "$work/source" && env -u AKT_BUILD_DIR npm_config_build_from_source=true \
    npm install --offline --no-audit --no-fund "$tgz" >"$work/source.log" 2>&1) ||
    { tail -30 "$work/source.log" >&2; die "npm install (from source) failed"; }
[ -e "$work/source/node_modules/akt/build/Release/akt.node" ] || die "the source install built no addon"
out=$(cd "$work/source" && node hello.mjs) || die "the source install did not run"
[ "$out" = "hello, npm" ] || die "source: printed '$out'"
step "ok: $(basename "$tgz")"
