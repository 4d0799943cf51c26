// What the binding keeps to itself: the memory it shares with the addon, laid out once in
// C (an_shared, src/addon.h) and described by native.layout, and the internals of public
// objects, kept under module-private symbols rather than `_name` properties.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import { withSystem } from './helpers.mjs';

const require = createRequire(import.meta.url);
const native = require('../lib/addon.cjs');
const shared = require('../lib/shared.cjs');

test('the layout the addon exports is frozen, fits its buffer and has no overlapping parts', () => {
  const L = native.layout;
  assert.ok(Object.isFrozen(L) && ['flags', 'scratch', 'freed', 'next'].every((k) => Object.isFrozen(L[k])));
  const parts = ['flags', 'scratch', 'freed'].map((k) => [L[k].offset, L[k].offset + 4 * L[k].length, k])
    .sort((a, b) => a[0] - b[0]);
  for (const [start, end, k] of parts) {
    assert.ok(start % 4 === 0 && start >= 0 && end <= L.bytes, `${k} lies inside the buffer`);
  }
  for (let i = 1; i < parts.length; i++) assert.ok(parts[i][0] >= parts[i - 1][1], 'parts overlap');
  for (const k of ['pump', 'freed', 'failed']) assert.ok(L.flags[k] >= 0 && L.flags[k] < L.flags.length, k);
  assert.equal(new Set([L.flags.pump, L.flags.freed, L.flags.failed]).size, 3);
  // A pid takes two words from its index.
  for (const k of ['pid', 'pid2']) assert.ok(L.scratch[k] >= 0 && L.scratch[k] + 1 < L.scratch.length, k);
  for (const k of ['tellSlot', 'actor', 'message']) assert.ok(L.scratch[k] >= 0 && L.scratch[k] < L.scratch.length, k);
  assert.ok(L.scratch.actor > L.scratch.pid2 + 1 && L.scratch.message !== L.scratch.actor);
  assert.ok(L.freed.length >= 1024);
  // next() kinds sit beside value-table slots (>= 0): negative and distinct.
  const kinds = [L.next.value, L.next.end, L.next.typed];
  assert.ok(kinds.every((k) => Number.isInteger(k) && k < 0) && new Set(kinds).size === 3);
});

test('the JS views are the layout\'s parts of the one buffer init() returned', async () => {
  await withSystem(async () => {
    const L = native.layout;
    const s = shared.shared;
    const buf = s.flags.buffer;
    assert.equal(buf.byteLength, L.bytes);
    for (const [view, part] of [[s.flags, L.flags], [s.scratch, L.scratch], [s.ints, L.scratch], [s.freed, L.freed]]) {
      assert.equal(view.buffer, buf);
      assert.equal(view.byteOffset, part.offset);
      assert.equal(view.length, part.length);
    }
    assert.equal(shared.S_TELL_SLOT, L.scratch.tellSlot);
    assert.equal(shared.NEXT_END, L.next.end);
  });
});

test('a system, pid and context carry no `_` internals a user could read or break', async () => {
  await withSystem(async (system) => {
    let ctxKeys = null;
    const pid = system.spawn((ctx) => {
      ctxKeys = Object.keys(ctx);
      ctx.respond(Object.getOwnPropertyNames(ctx).filter((k) => k.startsWith('_')));
    });
    assert.deepEqual(await pid.ask('keys?'), []);
    assert.deepEqual(ctxKeys, ['self']);
    const emitterOwn = new Set(Object.getOwnPropertyNames(new EventEmitter()));
    const own = Object.getOwnPropertyNames(system).filter((k) => !emitterOwn.has(k));
    assert.deepEqual(own, ['name']);
    for (const k of ['_handle', '_fastTell', '_subs', '_shutdown']) assert.equal(system[k], undefined, k);
  });
});
