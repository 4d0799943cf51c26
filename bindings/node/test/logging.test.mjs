// A JS actor's failure is logged by default (console.error, with the actor's path and the
// error's stack), like Python's `akt` logger; the system's `logger` option redirects it or,
// null, silences it. The failure reaches the supervisor and the actorFailed event either way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { ActorSystem, InvalidArgumentError } from 'akt';
import { collector } from './helpers.mjs';

// Runs fn with console.error recorded (and not printed).
async function consoleErrors(fn) {
  const calls = [];
  const original = console.error;
  console.error = (...args) => calls.push(args);
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return calls;
}

// A system with opts, one actor that throws `boom` in receive and one that throws in
// preStart; resolves with their paths once both failures reached the supervisor.
async function failTwice(opts) {
  const system = await ActorSystem.create('logs', opts);
  try {
    const failed = collector(2);
    system.on('actorFailed', (ev) => failed.push(ev.reason));
    const r = system.spawn({ receive() { throw new Error('boom'); } }, { name: 'r' });
    const rPath = r.path;
    r.tell('go');
    const p = system.spawn({ preStart() { throw new TypeError('no start'); }, receive() {} },
      { name: 'p' });
    // spawn returned after preStart threw: the actor is gone, its path no longer readable.
    assert.equal(p.alive, false);
    const pPath = 'akt://logs/user/p';
    assert.deepEqual((await failed.wait()).sort(), ['Error: boom', 'TypeError: no start']);
    return { rPath, pPath };
  } finally {
    await system.shutdown();
  }
}

test('by default a failure in receive or preStart goes to console.error with path and stack', async () => {
  let paths;
  const calls = await consoleErrors(async () => { paths = await failTwice(); });
  assert.equal(calls.length, 2, inspect(calls));
  const byText = Object.fromEntries(calls.map(([text, err]) => [text, err]));
  const r = byText[`akt: actor ${paths.rPath} failed in receive:`];
  const p = byText[`akt: actor ${paths.pPath} failed in preStart:`];
  assert.ok(r instanceof Error && r.message === 'boom', inspect(calls));
  assert.ok(p instanceof TypeError && p.message === 'no start', inspect(calls));
  // The stack is the thrower's: what console.error prints for it.
  assert.match(inspect(r), /Error: boom\n\s+at (Object\.)?receive .*logging\.test\.mjs/);
});

test('a logger option receives the failures instead of the console', async () => {
  const got = [];
  const logger = { error: (...args) => got.push(args) };
  const calls = await consoleErrors(() => failTwice({ logger }));
  assert.equal(calls.length, 0);
  assert.deepEqual(got.map(([text, err]) => [text.replace(/ \S+ failed/, ' failed'), err.message]).sort(),
    [['akt: actor failed in preStart:', 'no start'], ['akt: actor failed in receive:', 'boom']]);
});

test('logger: null (or false) logs nothing; the failures are still handled', async () => {
  for (const logger of [null, false]) {
    const calls = await consoleErrors(() => failTwice({ logger }));
    assert.deepEqual(calls, []);
  }
});

test('a rejected async receive is logged as such', async () => {
  const got = [];
  const system = await ActorSystem.create('logs', { logger: { error: (t, e) => got.push([t, e.message]) } });
  try {
    const failed = collector(1);
    system.on('actorFailed', (ev) => failed.push(ev.reason));
    const pid = system.spawn({ async receive() { await null; throw new Error('later'); } }, { name: 'a' });
    pid.tell('go');
    await failed.wait();
    assert.deepEqual(got, [['akt: actor akt://logs/user/a failed in an async receive:', 'later']]);
  } finally {
    await system.shutdown();
  }
});

test('a throwing logger does not break the actor: its error surfaces as uncaught', async () => {
  const uncaught = collector(1);
  const listeners = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', (e) => uncaught.push(e.message));
  try {
    const logger = { error() { throw new Error('logger down'); } };
    const system = await ActorSystem.create('logs', { logger });
    try {
      const pid = system.spawn((ctx, msg) => {
        if (msg === 'fail') throw new Error('x');
        ctx.respond(msg);
      }, { supervisor: { directive: 'resume' } });
      pid.tell('fail');
      assert.deepEqual(await uncaught.wait(), ['logger down']);
      assert.equal(await pid.ask('still here'), 'still here');
    } finally {
      await system.shutdown();
    }
  } finally {
    process.removeAllListeners('uncaughtException');
    for (const l of listeners) process.on('uncaughtException', l);
  }
});

test('a logger without error() is refused', async () => {
  for (const logger of ['console', 42, {}, { error: 'no' }]) {
    await assert.rejects(ActorSystem.create('logs', { logger }), InvalidArgumentError, inspect(logger));
  }
});
