// What a new user runs into first (issue 17): spawn returns after preStart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSystem } from './helpers.mjs';

class Silent { receive() {} }

// Spawns its child in preStart, after a slow start: a spawn that did not wait returns first.
class Parent {
  preStart(ctx) {
    const until = Date.now() + 50;
    while (Date.now() < until) { /* busy: preStart is synchronous */ }
    ctx.spawn(Silent, { name: 'child' });
    this.started = true;
  }
  receive(ctx) { ctx.respond(this.started === true); }
}

test('spawn returns after preStart: its children are visible to lookup at once', () => withSystem(async (system) => {
  const parent = new Parent();
  const pid = system.spawn(parent, { name: 'parent' });
  assert.equal(parent.started, true);
  const child = system.lookup('parent/child');
  assert.ok(child, 'the child of preStart is there');
  assert.equal(child.path, 'akt://test/user/parent/child');
  assert.equal(await pid.ask('started?', { timeout: 5000 }), true);
}));

test('spawn returns when preStart throws, and the actor is gone', () => withSystem(async (system) => {
  class Failing { preStart() { throw new Error('no start'); } receive() {} }
  const pid = system.spawn(Failing, { name: 'failing' });
  assert.equal(pid.alive, false);
  assert.equal(system.lookup('failing'), null);
}));

test('a spawn inside receive returns before the new actor started', () => withSystem(async (system) => {
  class Spawner {
    receive(ctx) {
      const made = new Parent();
      system.spawn(made, { name: 'inner' });
      ctx.respond(made.started === true);
    }
  }
  const s = system.spawn(Spawner);
  assert.equal(await s.ask('go', { timeout: 5000 }), false);
  assert.equal(await system.lookup('inner').ask('started?', { timeout: 5000 }), true);
  assert.ok(system.lookup('inner/child'));
}));
