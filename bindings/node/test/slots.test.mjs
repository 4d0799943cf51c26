// A send given a value-table slot (lib/values.cjs) gives it back exactly once on every
// failure before akt takes the message: a bad pid, type name or timeout, whichever layer
// notices, and the error is an InvalidArgumentError (or MisuseError outside an actor).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { Pid, InvalidArgumentError, MisuseError } from 'akt';
import { withSystem } from './helpers.mjs';

const require = createRequire(import.meta.url);
const native = require('../lib/addon.cjs');
const { put, stats } = require('../lib/values.cjs');
const { kHandle } = require('../lib/internal.cjs');

function expectError(fn, cls, code) {
  assert.throws(fn, (e) => e instanceof cls && e.code === code);
}

const expectEinval = (fn) => expectError(fn, InvalidArgumentError, 'AKT_EINVAL');

// Runs fn, which must fail with cls/code, and checks the slot table is as before.
function leakFree(fn, cls = InvalidArgumentError, code = 'AKT_EINVAL') {
  const before = stats();
  expectError(fn, cls, code);
  const after = stats();
  assert.equal(after.doubleFreed, false, 'a slot was given back twice');
  assert.equal(after.inUse, before.inUse, 'a slot was not given back');
}

// The same for a call that made a message before failing (a batch dropped whole): outside a
// callback akt runs that message's release at the next pump, on this thread (release_on),
// and the error's throw schedules that pump.
async function leakFreeByNextPump(fn, cls = InvalidArgumentError, code = 'AKT_EINVAL') {
  const before = stats();
  expectError(fn, cls, code);
  await new Promise((r) => setImmediate(r)); // microtasks (the pump) run first
  const after = stats();
  assert.equal(after.doubleFreed, false, 'a slot was given back twice');
  assert.equal(after.inUse, before.inUse, 'a slot was not given back');
}

const sink = (system) => system.spawn(() => {});

test('the slot table accessor sees a slot taken', () => {
  const before = stats().inUse;
  put({});
  assert.equal(stats().inUse, before + 1);
});

test('tell/ask with an invalid pid give the slot back (Pid API and slot calls)', async () => {
  await withSystem(async (system) => {
    const bad = new Pid(system, 'not a number', 0);
    const h = system[kHandle];
    leakFree(() => bad.ask({ a: 1 }));
    leakFree(() => bad.ask({ a: 1 }, { timeout: 100 }));
    leakFree(() => native.tellSlot(h, 'x', 0, put({ a: 1 })));
    leakFree(() => native.askSlot(h, 'x', 0, put({ a: 1 }), 100));
  });
});

test('tell/ask slot calls with an invalid type name give the slot back', async () => {
  await withSystem(async (system) => {
    const p = sink(system);
    const h = system[kHandle];
    leakFree(() => native.tellSlot(h, p.lo, p.hi, put({ a: 1 }), 42));
    leakFree(() => native.askSlot(h, p.lo, p.hi, put({ a: 1 }), 100, 42));
    leakFree(() => native.tellSlot(h, p.lo, p.hi, put({ a: 1 }), 'x'.repeat(300)));
    // Through the API the value is then made in C (no JS slot); still nothing taken.
    leakFree(() => p.tell({ a: 1 }, { type: 42 }));
    leakFree(() => p.ask({ a: 1 }, { type: 42 }));
  });
});

test('ask with a bad timeout gives the slot back', async () => {
  await withSystem(async (system) => {
    const p = sink(system);
    leakFree(() => p.ask({ a: 1 }, { timeout: -1 }));
    leakFree(() => p.ask({ a: 1 }, { timeout: 0 }));
    leakFree(() => p.ask({ a: 1 }, { timeout: 'soon' }));
    leakFree(() => native.askSlot(system[kHandle], p.lo, p.hi, put({ a: 1 }), NaN));
  });
});

test('in-actor ctx.tell/ask/respond with bad arguments give the slot back', async () => {
  await withSystem(async (system) => {
    const target = sink(system);
    const bad = new Pid(system, 'not a number', 0);
    const probe = system.spawn((ctx) => {
      const out = [];
      const check = (name, fn) => {
        try {
          leakFree(fn);
        } catch (e) {
          out.push(`${name}: ${e.message}`);
        }
      };
      check('ctx.tell bad pid', () => ctx.tell(bad, { a: 1 }));
      check('ctx.ask bad pid', () => ctx.ask(bad, { a: 1 }));
      check('ctx.ask bad timeout', () => ctx.ask(target, { a: 1 }, { timeout: -5 }));
      const h = system[kHandle];
      check('tellSlot bad type', () => native.tellSlot(h, target.lo, target.hi, put({}), 42));
      check('askSlot bad type', () => native.askSlot(h, target.lo, target.hi, put({}), 100, 42));
      check('askSlot bad pid', () => native.askSlot(h, 'x', 0, put({}), 100));
      check('ctxRespondSlot bad type', () => native.ctxRespondSlot(put({}), 42));
      ctx.respond(out);
    });
    assert.deepEqual(await probe.ask('go'), []);
  });
});

test('slot calls outside an actor callback give the slot back (MisuseError)', async () => {
  await withSystem(async (system) => {
    leakFree(() => native.ctxRespondSlot(put({})), MisuseError, 'AKT_EMISUSE');
  });
});

test('tellBatch/askBatch with bad arguments take no slot', async () => {
  await withSystem(async (system) => {
    const p = sink(system);
    const bad = new Pid(system, 'not a number', 0);
    leakFree(() => bad.tellBatch([{ a: 1 }, { b: 2 }]));
    leakFree(() => bad.askBatch([{ a: 1 }, { b: 2 }]));
    leakFree(() => p.askBatch([{ a: 1 }, { b: 2 }], { timeout: -1 }));
    // The first message is made (its value in a slot by reference), the second's type is bad:
    // the batch is dropped and the first slot given back once.
    await leakFreeByNextPump(() => native.tellBatch(system[kHandle], p.lo, p.hi, [{ a: 1 }, { b: 2 }], [undefined, 42]));
    await leakFreeByNextPump(() => native.askBatch(system[kHandle], p.lo, p.hi, [{ a: 1 }, { b: 2 }], [undefined, 42], 100));
  });
});
