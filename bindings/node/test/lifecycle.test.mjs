import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ActorSystem, ClosedError } from 'akt';
import { collector } from './helpers.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

// Runs an ESM snippet in a fresh node; returns { status, stdout, stderr, ms }.
function runScript(script, timeout = 20000) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script],
    { cwd: here, encoding: 'utf8', timeout });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

test('shutdown runs postStop of every actor and resolves when all stopped', async () => {
  const system = await ActorSystem.create('sd');
  const stops = collector(3);
  class A {
    preStart(ctx) { this.path = ctx.self.path; if (this.path.endsWith('/p')) ctx.spawn(A, { name: 'c' }); }
    postStop() { stops.push(this.path); }
    receive(ctx) { ctx.respond('ok'); }
  }
  const p = system.spawn(A, { name: 'p' });
  system.spawn(A, { name: 'q' });
  await p.ask('up');
  await system.lookup('p/c').ask('up');
  const done = system.shutdown();
  assert.equal(system.shutdown(), done); // idempotent: the same promise
  await done;
  assert.deepEqual((await stops.wait()).slice().sort(), ['akt://sd/user/p', 'akt://sd/user/p/c', 'akt://sd/user/q']);
  assert.ok(stops.items.indexOf('akt://sd/user/p/c') < stops.items.indexOf('akt://sd/user/p'));
  assert.equal(system.closed, true);
  assert.throws(() => system.spawn(A), ClosedError);
  assert.throws(() => p.tell('x'), (e) => e.code === 'AKT_ENOTFOUND' || e.code === 'AKT_ECLOSED');
});

test('an idle system does not keep the process alive after shutdown', () => {
  const r = runScript(`
    import { ActorSystem } from 'akt';
    const s = await ActorSystem.create('idle');
    const pid = s.spawn((ctx, m) => ctx.respond(m));
    console.log(await pid.ask('hi'));
    await s.shutdown();
    console.log('down');
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'hi\ndown\n');
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

test('a running but idle system lets the process exit (clean teardown)', () => {
  const r = runScript(`
    import { ActorSystem } from 'akt';
    const s = await ActorSystem.create('noshut');
    const pid = s.spawn({ receive(ctx, m) { ctx.respond(m); }, postStop() {} });
    console.log(await pid.ask('alive'));
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'alive\n');
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

test('a pending ask keeps the process alive until it settles', () => {
  const r = runScript(`
    import { ActorSystem } from 'akt';
    const s = await ActorSystem.create('pending');
    const pid = s.spawn(() => {});
    pid.ask('nobody answers', { timeout: 300 }).catch((e) => console.log(e.code));
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'AKT_ETIMEDOUT\n');
});

test('keepAlive: true holds the process until shutdown, like a server', () => {
  const r = runScript(`
    import { ActorSystem } from 'akt';
    const s = await ActorSystem.create('server', { keepAlive: true });
    const pid = s.spawn((ctx, m) => { console.log('got', m); s.shutdown().then(() => console.log('down')); });
    // Nothing awaits this: only keepAlive keeps the process up until the actor ran.
    setTimeout(() => pid.tell('late'), 200).unref();
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'got late\ndown\n');
});

test('CommonJS and ESM entry points export the same objects', () => {
  const r = runScript(`
    import { createRequire } from 'node:module';
    import * as esm from 'akt';
    const cjs = createRequire(import.meta.url)('akt');
    const same = Object.keys(cjs).every((k) => esm[k] === cjs[k]) && esm.default === cjs;
    const s = await cjs.ActorSystem.create('cjs');
    const pid = s.spawn(class extends esm.Actor { receive(ctx, m) { ctx.respond(m + 1); } });
    console.log(same, await pid.ask(1));
    await s.shutdown();
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'true 2\n');
});

test('several systems in one process', async () => {
  const a = await ActorSystem.create('a');
  const b = await ActorSystem.create('b');
  const pa = a.spawn((ctx, m) => ctx.respond(`a:${m}`), { name: 'x' });
  const pb = b.spawn((ctx, m) => ctx.respond(`b:${m}`), { name: 'x' });
  assert.deepEqual(await Promise.all([pa.ask(1), pb.ask(2)]), ['a:1', 'b:2']);
  assert.equal(pa.path, 'akt://a/user/x');
  await Promise.all([a.shutdown(), b.shutdown()]);
});

test('Symbol.asyncDispose shuts the system down (await using)', async () => {
  const system = await ActorSystem.create('disp');
  system.spawn(() => {});
  await system[Symbol.asyncDispose]();
  assert.equal(system.closed, true);
});
