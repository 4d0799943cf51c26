// Canonical scalar types (akt.String, akt.Int64, ...): JS values cross to C actors (and
// other languages) in one encoding each and come back as the same JS values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Message } from 'akt';
import { withSystem, collector } from './helpers.mjs';

const PEER = fileURLToPath(new URL('../build/Release/libakt_conf_peer.so', import.meta.url));

const le64 = (n) => { const b = Buffer.alloc(8); b.writeBigInt64LE(n); return b; };
const f64 = (d) => { const b = Buffer.alloc(8); b.writeDoubleLE(d); return b; };

const ROUND_TRIPS = [
  ['', 'akt.String'], ['héllo ✓ 😀', 'akt.String'],
  [Buffer.alloc(0), 'akt.Bytes'], [Buffer.from([0, 255, 1]), 'akt.Bytes'],
  [-(2n ** 63n), 'akt.Int64'], [2n ** 63n - 1n, 'akt.Int64'],
  [-0, 'akt.Float64'], [1e308, 'akt.Float64'], [Number.NaN, 'akt.Float64'], [42, 'akt.Float64'],
  [true, 'akt.Bool'], [false, 'akt.Bool'], [null, 'akt.Null'],
  [{ a: [1, 2.5, null, true, 'é'], b: {} }, 'akt.Json'], [[], 'akt.Json'],
];

test('a C echo gives every scalar back as the same JS value, typed as sent', async () => {
  await withSystem(async (system) => {
    const echo = system.spawnNative(PEER, 'akt_conf_echo', { name: 'echo' });
    for (const [value, type] of ROUND_TRIPS) {
      const back = await echo.ask(value, { timeout: 2000 });
      if (value instanceof Uint8Array) assert.deepEqual(Buffer.from(back), value);
      else assert.deepEqual(back, value, `${type} ${String(value)}`);
      if (typeof value === 'number') assert.ok(Object.is(back, value));
      assert.equal(typeof back, typeof value);
    }
  });
});

test('Int64 arrives as a number when it is a safe integer, else as a BigInt', async () => {
  await withSystem(async (system) => {
    const echo = system.spawnNative(PEER, 'akt_conf_echo', { name: 'echo' });
    const ask = (m) => echo.ask(m, { timeout: 2000 });
    assert.equal(await ask(new Message('akt.Int64', le64(7n))), 7);
    assert.equal(await ask(new Message('akt.Int64', le64(-(2n ** 53n) + 1n))), -(2 ** 53) + 1);
    assert.equal(await ask(new Message('akt.Int64', le64(2n ** 53n))), 2n ** 53n);
    assert.equal(await ask(12n), 12);
    assert.ok(Object.is(await ask(new Message('akt.Float64', f64(-0))), -0));
  });
});

test('between JS actors a BigInt still passes as itself', async () => {
  await withSystem(async (system) => {
    const js = system.spawn((ctx, msg) => ctx.respond(typeof msg));
    assert.equal(await js.ask(12n, { timeout: 2000 }), 'bigint');
    assert.equal(await js.ask(2n ** 80n, { timeout: 2000 }), 'bigint');
  });
});

const MALFORMED = [
  ['akt.Int64', Buffer.from('1234567')], ['akt.Int64', Buffer.from('123456789')],
  ['akt.Float64', Buffer.alloc(0)], ['akt.Bool', Buffer.from([0, 1])], ['akt.Bool', Buffer.from([2])],
  ['akt.Null', Buffer.from('x')], ['akt.String', Buffer.from([0xff, 0xfe])],
  ['akt.String', Buffer.from([0xed, 0xa0, 0x80])], ['akt.Json', Buffer.from('{bad')],
];

test('a malformed canonical reply rejects the ask, it does not crash or guess', async () => {
  await withSystem(async (system) => {
    const echo = system.spawnNative(PEER, 'akt_conf_echo', { name: 'echo' });
    for (const [type, data] of MALFORMED) {
      await assert.rejects(echo.ask(new Message(type, data), { timeout: 2000 }),
        (e) => e instanceof TypeError || e instanceof SyntaxError, `${type} ${data.toString('hex')}`);
    }
    assert.equal(await echo.ask('still fine', { timeout: 2000 }), 'still fine');
  });
});

test('a malformed canonical message from C fails that message in a JS actor', async () => {
  await withSystem(async (system) => {
    const echo = system.spawnNative(PEER, 'akt_conf_echo', { name: 'echo' });
    const got = collector(1);
    // The C echo responds to its sender: this actor gets each payload back as C mail.
    const js = system.spawn((ctx, msg) => {
      if (msg instanceof Message && msg.type === 'conf.Go') {
        for (const [type, data] of MALFORMED) ctx.tell(echo, new Message(type, data));
        ctx.tell(echo, new Message('akt.Int64', le64(5n)));
        return;
      }
      got.push(msg);
    });
    js.tell(new Message('conf.Go', ''));
    // Each malformed one failed (the actor restarted); the good one arrived decoded.
    assert.deepEqual(await got.wait(), [5]);
  });
});
