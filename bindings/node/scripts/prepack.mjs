// `npm pack` / `npm publish`'s step: makes the tarball self-sufficient.
//  - akt-core/: the core's sources (CMakeLists.txt, cmake/, abi/, core/), from which an
//    install without a usable prebuilt addon builds libakt (scripts/build.mjs);
//  - prebuilds/<platform>-<arch>/: this machine's addon, its libakt.so.0 and the libraries
//    libakt needs beyond the C library (libuv, OpenSSL, ...), each with the rpath $ORIGIN
//    (set with patchelf), so the prebuilt addon loads without those installed.
// scripts/postpack.mjs removes both again. AKT_BUILD_DIR picks an existing core build.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.resolve(pkg, '../..');
const run = (cmd, args, opts = {}) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });

if (!existsSync(path.join(repo, 'core')))
  throw new Error('akt: npm pack runs from a checkout of the akt repository (bindings/node)');
const core = path.join(pkg, 'akt-core');
rmSync(core, { recursive: true, force: true });
for (const part of ['CMakeLists.txt', 'cmake', 'abi', 'core'])
  cpSync(path.join(repo, part), path.join(core, part), { recursive: true });

run(process.execPath, [path.join(pkg, 'scripts', 'build.mjs')]);
const built = path.join(pkg, 'build', 'Release');
const out = path.join(pkg, 'prebuilds', `${process.platform}-${process.arch}`);
rmSync(path.join(pkg, 'prebuilds'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
copyFileSync(path.join(built, 'akt.node'), path.join(out, 'akt.node'));
copyFileSync(path.join(built, 'libakt.so.0'), path.join(out, 'libakt.so.0'));

// The C library and the loader come from the system; everything else travels along.
const SYSTEM = /^(libc|libm|libdl|libpthread|librt|libgcc_s|ld-linux[^/]*)\.so/;
const bundled = new Set();
function bundle(lib) {
  const ldd = execFileSync('ldd', [lib], { encoding: 'utf8' });
  for (const m of ldd.matchAll(/^\s*(\S+) => (\/\S+)/gm)) {
    const [, name, where] = m;
    if (SYSTEM.test(name) || name === 'libakt.so.0' || bundled.has(name)) continue;
    bundled.add(name);
    const dest = path.join(out, name);
    copyFileSync(realpathSync(where), dest);
    chmodSync(dest, 0o755);
    bundle(dest);
  }
}
bundle(path.join(out, 'libakt.so.0'));
for (const f of ['libakt.so.0', ...bundled])
  run('patchelf', ['--set-rpath', '$ORIGIN', path.join(out, f)]);
console.error(`akt: prebuilt ${path.relative(pkg, out)}: akt.node, libakt.so.0, ${[...bundled].join(', ')}`);
