import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Message } from 'akt';
import { withSystem, collector } from './helpers.mjs';

test('lifecycle events through EventEmitter listeners', async () => {
  await withSystem(async (system) => {
    const seen = collector(2);
    const onStart = (ev) => seen.push(`started ${ev.path}`);
    const onStop = (ev) => seen.push(`stopped ${ev.path}`);
    system.on('actorStarted', onStart);
    system.on('actorStopped', onStop);
    const pid = system.spawn(() => {}, { name: 'e1' });
    await pid.stopGracefully();
    assert.deepEqual(await seen.wait(), ['started akt://test/user/e1', 'stopped akt://test/user/e1']);
    system.off('actorStarted', onStart);
    system.off('actorStopped', onStop);
  });
});

test('unhandled and dead-letter events carry message, receiver and sender', async () => {
  await withSystem(async (system) => {
    const evs = [];
    const sub = system.subscribe(['unhandled', 'deadLetter'], (ev) => evs.push(ev));
    const picky = system.spawn((ctx) => ctx.unhandled(), { name: 'picky' });
    const relay = system.spawn((ctx, msg) => {
      if (msg === 'sync') ctx.respond('ok');
      else ctx.tell(picky, msg);
    }, { name: 'relay' });
    const hoarder = system.spawn((ctx, msg) => {
      if (msg === 'sync') ctx.respond('ok');
      else ctx.stash();
    }, { name: 'hoarder' });
    picky.tell(new Message('t.Odd', 'x'));
    relay.tell({ js: 'object' });
    hoarder.tell('kept');
    await relay.ask('sync');
    await hoarder.ask('sync');
    await picky.ask('sync').catch(() => {}); // after the relayed message: picky saw both
    hoarder.stop();
    const deadline = Date.now() + 5000;
    while (!evs.some((e) => e.kind === 'deadLetter') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    sub.unsubscribe();
    const odd = evs.find((e) => e.message instanceof Message);
    assert.equal(odd.kind, 'unhandled');
    assert.equal(odd.message.text, 'x');
    assert.equal(odd.path, 'akt://test/user/picky');
    assert.equal(odd.sender, null);
    const relayed = evs.find((e) => e.message && e.message.js === 'object');
    assert.equal(relayed.kind, 'unhandled');
    assert.equal(relayed.sender.path, 'akt://test/user/relay');
    const dead = evs.find((e) => e.kind === 'deadLetter');
    assert.equal(dead.message, 'kept');
    assert.equal(dead.path, 'akt://test/user/hoarder');
  });
});

test('listener exceptions surface as uncaught errors, not inside akt', () => {
  const script = `
    import { ActorSystem } from 'akt';
    const system = await ActorSystem.create('x');
    system.subscribe('actorStarted', () => { throw new Error('listener broke'); });
    system.spawn(() => {});
    setTimeout(() => {}, 5000);
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8', timeout: 20000,
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /listener broke/);
});
