// The error classes come from the header's table (AKT_ERRNO_MAP in akt.h) through the
// addon: every row reaches JS with its name, code and akt_strerror text, as a class.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import akt, * as aktNamed from 'akt';
import { ActorSystem, TimeoutError } from 'akt';

const require = createRequire(import.meta.url);
const native = require('../lib/addon.cjs');
const { makeError, codeOf } = require('../lib/errors.cjs');

// The rows as the header writes them, read from the source the addon was built against.
function headerRows() {
  const text = readFileSync(new URL('../../../abi/include/akt/akt.h', import.meta.url), 'utf8');
  const start = text.indexOf('#define AKT_ERRNO_MAP(XX)');
  assert.ok(start >= 0, 'akt.h defines AKT_ERRNO_MAP(XX)');
  const body = [];
  for (const line of text.slice(start).split('\n').slice(1)) {
    body.push(line);
    if (!line.trimEnd().endsWith('\\')) break;
  }
  const rows = [...body.join('\n').matchAll(/XX\((\w+),\s*(-?\d+),\s*"((?:[^"\\]|\\.)*)"\)/g)]
    .map((m) => ({ name: `AKT_${m[1]}`, code: Number(m[2]), text: m[3] }));
  assert.ok(rows.length >= 18, `parsed ${rows.length} rows of AKT_ERRNO_MAP`);
  return rows;
}

// The class names of the codes the binding has always had (they must keep working).
const STABLE = {
  InvalidArgumentError: -1, OutOfMemoryError: -2, NotFoundError: -3, StoppedError: -4,
  TimeoutError: -5, CanceledError: -6, ExistsError: -7, MailboxFullError: -8, MisuseError: -9,
  ClosedError: -10, UnhandledError: -11, ActorFailedError: -12, AgainError: -13,
  NotSupportedError: -14, MessageTypeError: -15, DeadlockError: -16, BufferRangeError: -17,
  BusyError: -18, UnreachableError: -19, ProtocolError: -20, SuspendedError: -21,
};

test('the addon exports every row of AKT_ERRNO_MAP, in order', () => {
  const rows = headerRows();
  assert.deepEqual(native.errors.map((r) => ({ ...r })), rows);
  assert.ok(Object.isFrozen(native.errors) && native.errors.every(Object.isFrozen));
});

test('each row names its code and carries the text akt_err_name and akt_strerror give', () => {
  for (const row of native.errors) {
    assert.deepEqual(native.errorInfo(row.code), [row.name, row.text], row.name);
    assert.equal(codeOf(row.code), row.name);
  }
});

test('each code has its own AktError subclass, exported, with code, errno and text', () => {
  const seen = new Set();
  for (const row of native.errors) {
    const e = makeError(row.code);
    const cls = e.constructor;
    assert.ok(e instanceof akt.AktError && cls !== akt.AktError, `${row.name} has a subclass`);
    assert.ok(!seen.has(cls), `${row.name} shares its class`);
    seen.add(cls);
    assert.equal(akt[cls.name], cls, `${cls.name} is exported`);
    assert.equal(e.name, cls.name);
    assert.equal(e.code, row.name);
    assert.equal(e.errno, row.code);
    assert.equal(e.message, row.text);
    assert.equal(makeError(row.code, 'detail').message, `${row.text}: detail`);
  }
});

test('the classes the binding always had keep their names and codes, in CJS and ESM', () => {
  for (const [name, errno] of Object.entries(STABLE)) {
    const cls = akt[name];
    assert.equal(typeof cls, 'function', name);
    assert.equal(aktNamed[name], cls, `${name} is an ESM named export`);
    assert.equal(makeError(errno).constructor, cls, name);
  }
});

test('a code the table does not know is still an AktError, with the library\'s words', () => {
  const e = makeError(-9999, 'odd');
  assert.equal(e.constructor, akt.AktError);
  assert.deepEqual([e.code, e.errno, e.message], ['AKT_E?', -9999, 'unknown error: odd']);
});

// What a rebuild against a header with one more row gives: lib/errors.cjs loaded afresh
// over the real addon's exports plus that row (the JS is not edited for it).
function errorsWithRow(row) {
  const addonPath = require.resolve('../lib/addon.cjs');
  const errorsPath = require.resolve('../lib/errors.cjs');
  const real = require.cache[addonPath];
  const saved = require.cache[errorsPath];
  try {
    require.cache[addonPath] = {
      ...real,
      exports: { ...real.exports, errors: [...real.exports.errors, row] },
    };
    delete require.cache[errorsPath];
    return require(errorsPath);
  } finally {
    require.cache[addonPath] = real;
    require.cache[errorsPath] = saved;
  }
}

test('a row added to the header becomes a class named after its text, without a JS edit', () => {
  const errors = errorsWithRow({ name: 'AKT_ENOROUTE', code: -40, text: 'address unreachable' });
  const cls = errors.AddressUnreachableError;
  assert.equal(typeof cls, 'function');
  assert.equal(errors.errnos.AddressUnreachableError, -40);
  const e = errors.makeError(-40, 'node-2');
  assert.ok(e instanceof cls && e instanceof errors.AktError);
  assert.deepEqual([e.code, e.errno, e.message], ['AKT_ENOROUTE', -40, 'address unreachable: node-2']);
  assert.equal(errors.codeOf(-40), 'AKT_ENOROUTE');
  // A text that would repeat a class name falls back to the code's name.
  const dup = errorsWithRow({ name: 'AKT_EGONE', code: -41, text: 'busy' });
  assert.equal(dup.makeError(-41).constructor.name, 'AktEGONEError');
  assert.equal(dup.makeError(-18).constructor, dup.BusyError);
  const bare = errorsWithRow({ name: 'AKT_EODD', code: -42, text: '?' });
  assert.equal(bare.makeError(-42).constructor.name, 'AktEODDError');
});

async function askSomethingSilent(pid) {
  return await pid.ask('anything', { timeout: 20 });
}

function askWithThen(pid) {
  return pid.ask('anything', { timeout: 20 }).then((v) => v);
}

const failureOf = (p) => p.then(() => null, (err) => err);

test("a rejected ask's stack names the line that asked", async () => {
  const system = await ActorSystem.create('callsite', { logger: null });
  const eager = await ActorSystem.create('callsite-call', { logger: null, callSites: 'call' });
  const quiet = await ActorSystem.create('callsite-off', { logger: null, callSites: false });
  try {
    const e = await failureOf(askSomethingSilent(system.spawn(() => {})));
    assert.ok(e instanceof TimeoutError, String(e));
    assert.match(e.stack, /--- asked at ---\n(.*\n)*\s+at async askSomethingSilent \(.*errors\.test\.mjs:\d+:\d+\)/);
    // 'call': the frames of the call itself, also for a caller that does not await
    const c = await failureOf(askWithThen(eager.spawn(() => {})));
    assert.match(c.stack, /--- asked at ---\n\s+at askWithThen \(.*errors\.test\.mjs:\d+:\d+\)/);
    const off = await failureOf(askSomethingSilent(quiet.spawn(() => {})));
    assert.ok(off instanceof TimeoutError);
    assert.doesNotMatch(off.stack, /asked at/);
    await assert.rejects(ActorSystem.create('bad', { callSites: 'yes' }), /callSites/);
  } finally {
    await Promise.all([system.shutdown(), eager.shutdown(), quiet.shutdown()]);
  }
});

class Withdraw { constructor(n) { this.n = n; } }

test('a timed-out ask names the actor and the message type', async () => {
  const system = await ActorSystem.create('named', { logger: null });
  try {
    const silent = system.spawn(() => {}, { name: 'silent' });
    const e = await silent.ask(new Withdraw(5), { timeout: 20 }).then(() => null, (err) => err);
    assert.ok(e instanceof TimeoutError);
    assert.equal(e.message, 'ask of akt://named/user/silent with Withdraw: timed out');
    assert.ok(e.stack.startsWith('TimeoutError: ask of akt://named/user/silent with Withdraw: timed out\n'), e.stack);
    const { Message } = await import('akt');
    const m = await silent.ask(new Message('bank.Withdraw', '5'), { timeout: 20 }).then(() => null, (err) => err);
    assert.equal(m.message, 'ask of akt://named/user/silent with bank.Withdraw: timed out');
  } finally {
    await system.shutdown();
  }
});
