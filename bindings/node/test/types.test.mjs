// The TypeScript declarations compile against a typical program (strict mode).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

function typecheck(project) {
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', fileURLToPath(new URL(project, import.meta.url))],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
}

test('index.d.ts type-checks a typical program', () => {
  typecheck('./types/tsconfig.json');
});

test('index.d.ts needs neither @types/node nor the DOM lib', () => {
  // A /// <reference types="node" /> or a node: import would still find @types/node here
  // (it is a devDependency), so the file itself must not name them.
  const dts = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8');
  assert.doesNotMatch(dts, /<reference\s+types=|from\s+['"]node:|\bNodeJS\./);
  typecheck('./types/bare/tsconfig.json');
});

test("the default export's type names every runtime member of the package", () => {
  const dts = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8');
  const block = dts.match(/declare const akt: \{([\s\S]*?)\n\};/); // its doc comments hold {@link ...}
  assert.ok(block, 'index.d.ts declares the default export as `declare const akt: {...}`');
  const typed = [...block[1].matchAll(/^\s*(\w+):/gm)].map((m) => m[1]).sort();
  const runtime = Object.keys(require('../lib/index.cjs')).sort();
  assert.deepEqual(typed, runtime);
  // and each one is a named export too
  for (const name of runtime) {
    assert.match(dts, new RegExp(`^export (declare )?(class|function|const) ${name}\\b`, 'm'), name);
  }
});

test("the README's code parses on this Node", async () => {
  const { Script } = await import('node:vm');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```(?:js|mjs|javascript)\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length > 0);
  // As a module body (top-level await and import allowed): wrapped so that vm can parse it.
  for (const code of blocks) {
    const body = code.replace(/^import .*$/gm, '');
    assert.doesNotThrow(() => new Script(`(async () => {\n${body}\n})`), code);
  }
  // Inline snippets in the API table: each `...` that starts a statement must parse too.
  for (const [, snippet] of readme.matchAll(/`((?:const|await|try) [^`]+)`/g)) {
    const code = snippet.replace(/\.\.\./g, '0').replace(/\{ 0 \}/g, '{}');
    assert.doesNotThrow(() => new Script(`(async () => { ${code} })`), snippet);
  }
});
