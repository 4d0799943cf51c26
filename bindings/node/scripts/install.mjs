// npm install's step: uses the prebuilt addon of this platform when the tarball has one and
// it loads here; otherwise (or with npm_config_build_from_source=true, or in a checkout)
// builds from source with scripts/build.mjs (CMake, a C compiler and Node's headers).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prebuilt = path.join(pkg, 'prebuilds', `${process.platform}-${process.arch}`, 'akt.node');
// A checkout of the akt repository (no akt-core/ of a tarball) always builds: a prebuilds/
// left by `npm pack` must not shadow the sources being worked on.
const checkout = !existsSync(path.join(pkg, 'akt-core')) && existsSync(path.join(pkg, '../../core'));
const fromSource = checkout || /^(1|true)$/i.test(process.env.npm_config_build_from_source || '');

function prebuiltLoads() {
  try {
    execFileSync(process.execPath, ['-e', `require(${JSON.stringify(prebuilt)})`], { stdio: 'pipe' });
    return true;
  } catch (e) {
    console.error(`akt: the prebuilt addon does not load here (${String(e.stderr || e.message).trim()}); building from source`);
    return false;
  }
}

if (!fromSource && existsSync(prebuilt) && prebuiltLoads()) {
  console.error(`akt: using the prebuilt addon ${path.relative(pkg, prebuilt)}`);
} else {
  execFileSync(process.execPath, [path.join(pkg, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
