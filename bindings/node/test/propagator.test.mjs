// A user propagator (GoAkt's ContextPropagator): inject(headers) adds headers to each
// outgoing message from the headers of the message being handled; ctx.headers extracts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActorSystem, InvalidArgumentError } from 'akt';
import { withSystem, collector } from './helpers.mjs';

// Tells msg to `to`; the last one (to null) records the headers it got.
function relay(to, seen) {
  return (ctx, msg) => {
    if (to === null) seen.push({ ...ctx.headers });
    else if (msg === 'own') ctx.tell(to, msg, { headers: { tenant: 'mine' } });
    else ctx.tell(to, msg);
  };
}

// Resolves once pred() holds (checked every millisecond), rejects after 5 s.
function until(pred, ms = 5000) {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      if (pred()) { clearInterval(t); resolve(); } else if (Date.now() > end) { clearInterval(t); reject(new Error('timed out')); }
    }, 1);
  });
}

test('a propagator carries headers across hops; the sender\'s own header wins', async () => {
  let calls = 0;
  const tenant = { inject(headers) { calls++; return { tenant: headers.tenant ?? 'none' }; } };
  await withSystem(async (system) => {
    const seen = collector(3);
    const last = system.spawn(relay(null, seen));
    const mid = system.spawn(relay(last, seen));
    const first = system.spawn(relay(mid, seen));
    first.tell('a', { headers: { tenant: 'acme' } }); // two hops on: still acme
    await until(() => seen.items.length === 1);
    first.tell('b'); // from outside without one: the propagator's default
    await until(() => seen.items.length === 2);
    mid.tell('own', { headers: { tenant: 'acme' } });
    assert.deepEqual((await seen.wait()).map((h) => h.tenant), ['acme', 'none', 'mine']);
    assert.ok(calls >= 5, `calls ${calls}`);
  }, 'prop', { propagator: tenant });
});

test('a function propagator; an ask from outside is injected too', async () => {
  await withSystem(async (system) => {
    const echo = system.spawn((ctx, msg) => ctx.respond(`${msg}:${ctx.headers.trace}`));
    assert.equal(await echo.ask('q'), 'q:t0');
  }, 'prop', { propagator: (h) => ({ trace: h.trace ?? 't0' }) });
});

test('a failing propagator adds nothing, is logged and loses nothing; bad ones are refused', async () => {
  const logged = [];
  const logger = { error: (...a) => logged.push(a.map(String).join(' ')) };
  const boom = () => { throw new Error('no'); };
  await withSystem(async (system) => {
    const seen = collector(2);
    const last = system.spawn(relay(null, seen));
    last.tell('x');
    last.tell('y', { headers: { k: 'v' } });
    assert.deepEqual(await seen.wait(), [{}, { k: 'v' }]);
  }, 'prop', { propagator: boom, logger });
  assert.ok(logged.some((l) => l.includes('propagator') && l.includes('no')), JSON.stringify(logged));
  await withSystem(async (system) => {
    const seen = collector(1);
    system.spawn(relay(null, seen)).tell('z');
    assert.deepEqual(await seen.wait(), [{}]);
  }, 'prop', { propagator: () => 42, logger });
  for (const bad of [42, 'x', { inject: 1 }]) {
    await assert.rejects(ActorSystem.create('prop', { propagator: bad }), InvalidArgumentError);
  }
});
