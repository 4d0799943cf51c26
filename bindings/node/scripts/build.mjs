// Builds the addon offline: libakt with CMake from this repository (or the one in
// AKT_BUILD_DIR), then the Node-API addon with node-gyp against the installed Node headers,
// and copies libakt.so.0 next to akt.node (found there through its $ORIGIN rpath).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The akt sources: a packed tarball's copy in akt-core/ (scripts/prepack.mjs), else the
// checkout this package sits in.
const vendored = path.join(pkg, 'akt-core');
const repo = existsSync(path.join(vendored, 'CMakeLists.txt')) ? vendored : path.resolve(pkg, '../..');
const run = (cmd, args, opts = {}) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });

function haveCommand(cmd) {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function buildCore() {
  if (process.env.AKT_BUILD_DIR) {
    const dir = path.resolve(process.env.AKT_BUILD_DIR);
    if (!existsSync(path.join(dir, 'lib/libakt.so.0')))
      throw new Error(`AKT_BUILD_DIR=${dir} has no lib/libakt.so.0: build akt there first`);
    return path.join(dir, 'lib');
  }
  const dir = path.join(pkg, 'build-core');
  if (!existsSync(path.join(dir, 'CMakeCache.txt'))) {
    const gen = haveCommand('ninja') ? ['-G', 'Ninja'] : [];
    run('cmake', ['-S', repo, '-B', dir, ...gen, '-DCMAKE_BUILD_TYPE=Release',
      '-DAKT_BUILD_TESTS=OFF', '-DAKT_BUILD_EXTRAS=OFF']);
  }
  run('cmake', ['--build', dir, '--target', 'akt', '--parallel', '2']);
  return path.join(dir, 'lib');
}

// Node's own headers: <prefix>/include/node next to the running node (Debian and the
// official tarballs ship them); node-gyp would otherwise try to download them.
function nodeDir() {
  const candidates = [process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..'), '/usr'];
  for (const c of candidates)
    if (c && existsSync(path.join(c, 'include/node/node_api.h')) && existsSync(path.join(c, 'include/node/common.gypi')))
      return c;
  throw new Error('akt: Node headers not found (<prefix>/include/node); install the nodejs headers or set npm_config_nodedir');
}

function nodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp))
    return process.env.npm_config_node_gyp;
  const require = createRequire(import.meta.url);
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {}
  const bundled = path.resolve(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
  if (existsSync(bundled)) return bundled;
  throw new Error('akt: node-gyp not found (it ships with npm)');
}

// The public headers are a folder, abi/include/akt/: akt.h and its siblings (remote.h,
// cluster.h, ... as they arrive), all reached through -I abi/include. Each one must compile
// on its own with the addon's C flags, so a sibling the addon does not include yet cannot
// break it later; a failure names the header.
// scripts/cflags.json is the addon's C flags: binding.gyp reads it too.
const C_FLAGS = JSON.parse(readFileSync(path.join(pkg, 'scripts/cflags.json'), 'utf8'));

function publicHeaders(includeDir) {
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    return e.name.endsWith('.h') ? [path.relative(includeDir, p)] : [];
  });
  const headers = walk(path.join(includeDir, 'akt')).sort();
  if (!headers.includes('akt/akt.h')) throw new Error(`akt: ${includeDir} has no akt/akt.h`);
  return headers;
}

function checkHeaders(includeDir) {
  const cc = process.env.CC || 'cc';
  for (const h of publicHeaders(includeDir)) {
    try {
      execFileSync(cc, [...C_FLAGS, '-fsyntax-only', '-I', includeDir, '-x', 'c', '-'], {
        input: `#include <${h}>\n#include <${h}>\n`, stdio: ['pipe', 'ignore', 'pipe'],
      });
    } catch (e) {
      const why = e.stderr || e.message;
      throw new Error(`akt: ${h} does not compile with the addon's flags:\n${why}`);
    }
  }
}

const includeDir = path.join(repo, 'abi/include');
checkHeaders(includeDir);
const libDir = buildCore();
run(process.execPath, [nodeGyp(), 'rebuild', `--nodedir=${nodeDir()}`, '-j', '2'], {
  cwd: pkg,
  env: { ...process.env, AKT_LIB_DIR: libDir, AKT_INCLUDE_DIR: includeDir },
});
const out = path.join(pkg, 'build/Release');
mkdirSync(out, { recursive: true });
copyFileSync(path.join(libDir, 'libakt.so.0'), path.join(out, 'libakt.so.0'));
// The interop conformance case's C actor, when this is a checkout of the akt repository.
const confDir = path.join(repo, 'conformance');
if (existsSync(path.join(confDir, 'cases/interop/peer.h'))) {
  run(process.env.CC || 'cc', ['-shared', '-fPIC', '-O2', '-std=c11', '-Wall', '-Wextra', '-Werror',
    '-I', includeDir, '-I', path.join(confDir, 'c'),
    '-I', path.join(confDir, 'cases/interop'),
    path.join(pkg, 'conformance/native/peer.c'), path.join(confDir, 'c/conf.c'),
    '-L', libDir, '-lakt', "-Wl,-rpath,$ORIGIN", '-o', path.join(out, 'libakt_conf_peer.so')]);
}
// Test support: a C actor running its own libuv loop (test/libuv.test.mjs), when libuv's
// headers are installed (libuv1-dev, from scripts/setup.sh).
if (existsSync('/usr/include/uv.h') && existsSync(path.join(pkg, 'test/native/uvprobe.c'))) {
  run(process.env.CC || 'cc', ['-shared', '-fPIC', '-O2', '-std=c11', '-Wall', '-Wextra', '-Werror',
    '-I', includeDir, path.join(pkg, 'test/native/uvprobe.c'),
    '-L', libDir, '-lakt', '-luv', '-lpthread', '-ldl', "-Wl,-rpath,$ORIGIN",
    '-o', path.join(out, 'libakt_uvprobe.so')]);
}
console.error(`akt: built ${path.join(out, 'akt.node')} with ${path.join(libDir, 'libakt.so.0')}`);
