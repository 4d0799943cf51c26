import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotFoundError, instrumentMetrics } from 'akt';
import { withSystem } from './helpers.mjs';

const counter = {
  receive(ctx, msg) {
    if (msg === 'fail') throw new Error('boom');
    if (msg === 'stash') ctx.stash();
    else if (msg === 'get') ctx.respond('ok');
    else if (msg !== 'inc') ctx.unhandled();
  },
};

test('counts after a scripted scenario', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(counter, { name: 'counter' });
    for (let i = 0; i < 100; i++) pid.tell('inc');
    assert.equal(await pid.ask('get'), 'ok');
    let m = pid.metrics();
    assert.deepEqual([m.processed, m.restarts, m.failures, m.mailboxSize], [101, 0, 0, 0]);
    assert.ok(m.uptime > 0);
    pid.tell('fail'); // restarted by the default supervisor
    assert.equal(await pid.ask('get'), 'ok');
    await assert.rejects(pid.ask('bogus'));
    pid.tell('stash');
    pid.tell('stash');
    assert.equal(await pid.ask('get'), 'ok');
    m = pid.metrics();
    assert.deepEqual([m.processed, m.restarts, m.failures, m.unhandled, m.stashSize], [107, 1, 1, 1, 2]);
    let s = system.metrics();
    assert.deepEqual([s.actorsAlive, s.restarts, s.failures, s.unhandled, s.deadLetters], [1, 1, 1, 1, 0]);
    await pid.stopGracefully();
    s = system.metrics();
    assert.deepEqual([s.actorsAlive, s.actorsStopped, s.deadLetters], [0, 1, 2]);
    assert.throws(() => pid.metrics(), NotFoundError);
  });
});

test('actorMetrics, collectMetrics and the low-cardinality switch', async () => {
  await withSystem(async (system) => {
    const a = system.spawn(counter, { name: 'a' });
    const b = system.spawn(counter, { name: 'b' });
    a.tell('inc');
    assert.equal(await a.ask('get'), 'ok');
    assert.equal(await b.ask('get'), 'ok');
    const byPath = Object.fromEntries(system.actorMetrics().map((m) => [m.path, m.processed]));
    assert.deepEqual(byPath, { 'akt://test/user/a': 2, 'akt://test/user/b': 1 });
    const points = system.collectMetrics();
    const alive = points.find((p) => p.name === 'actorsystem.actors.count');
    assert.deepEqual([alive.kind, alive.value], ['gauge', 2]);
    const processed = points.filter((p) => p.name === 'actor.processed.count');
    assert.equal(processed[0].kind, 'counter');
    assert.deepEqual(Object.fromEntries(processed.map((p) => [p.attributes['actor.name'], p.value])), { a: 2, b: 1 });
    assert.equal(processed[0].attributes['actor.system'], 'test');
    system.setLowCardinalityMetrics(true);
    const low = system.collectMetrics().filter((p) => p.name === 'actor.processed.count');
    assert.deepEqual(low.map((p) => [p.attributes, p.value]), [[{}, 3]]);
  });
});

test('instrumentMetrics registers observable instruments on a meter', async () => {
  await withSystem(async (system) => {
    const a = system.spawn(counter, { name: 'a' });
    assert.equal(await a.ask('get'), 'ok');
    const made = new Map();
    const observable = (kind, name) => {
      const inst = { kind, name, callbacks: [], addCallback(cb) { this.callbacks.push(cb); } };
      made.set(name, inst);
      return inst;
    };
    const meter = {
      createObservableCounter: (name) => observable('counter', name),
      createObservableGauge: (name) => observable('gauge', name),
    };
    instrumentMetrics(system, meter);
    const inst = made.get('actor.processed.count');
    assert.equal(inst.kind, 'counter');
    const seen = [];
    inst.callbacks[0]({ observe: (v, attrs) => seen.push([v, attrs['actor.address']]) });
    assert.deepEqual(seen, [[1, 'akt://test/user/a']]);
    for (const bad of [null, undefined, {}, 'test']) {
      assert.throws(() => instrumentMetrics(bad, meter), { name: 'TypeError', message: /system must be/ });
    }
    for (const bad of [{}, { createObservableCounter() {} }, 7]) {
      assert.throws(() => instrumentMetrics(system, bad), { name: 'TypeError', message: /meter must be/ });
    }
  });
});

test('instrumentMetrics through the OpenTelemetry SDK: kinds, units, readings, the global meter', async () => {
  const api = await import('@opentelemetry/api');
  const { MeterProvider, MetricReader, DataPointType } = await import('@opentelemetry/sdk-metrics');
  class Reader extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  const SCOPE = 'github.com/Tochemey/goakt/v4/telemetry';
  const collect = async (reader) => {
    const { resourceMetrics, errors } = await reader.collect();
    assert.deepEqual(errors, []);
    const scopes = resourceMetrics.scopeMetrics;
    assert.deepEqual(scopes.map((s) => s.scope.name), [SCOPE]);
    return new Map(scopes[0].metrics.map((m) => [m.descriptor.name, m]));
  };
  const pointOf = (m, name) => m.dataPoints.filter((p) => p.attributes['actor.name'] === name);
  await withSystem(async (system) => {
    const a = system.spawn(counter, { name: 'a' });
    for (let i = 0; i < 3; i++) a.tell('inc');
    assert.equal(await a.ask('get'), 'ok');

    // An explicit meter.
    const reader = new Reader();
    const provider = new MeterProvider({ readers: [reader] });
    instrumentMetrics(system, provider.getMeter(SCOPE));
    let got = await collect(reader);
    const processed = got.get('actor.processed.count');
    assert.equal(processed.dataPointType, DataPointType.SUM);
    assert.equal(processed.isMonotonic, true);
    assert.equal(processed.descriptor.unit, '1');
    const [p] = pointOf(processed, 'a');
    assert.equal(p.value, 4);
    assert.equal(p.attributes['actor.address'], 'akt://test/user/a');
    assert.equal(got.get('actorsystem.uptime').dataPointType, DataPointType.GAUGE);
    assert.equal(got.get('actorsystem.uptime').descriptor.unit, 's');
    assert.equal(got.get('actor.last.received.duration').descriptor.unit, 'ms');
    const alive = got.get('actorsystem.actors.count').dataPoints;
    assert.equal(alive.length, 1);
    assert.deepEqual(alive[0].attributes, {});
    a.tell('inc');
    assert.equal(await a.ask('get'), 'ok');
    got = await collect(reader);
    assert.equal(pointOf(got.get('actor.processed.count'), 'a')[0].value, 6);
    await provider.shutdown();

    // No meter: the global meter provider's meter of GoAkt's scope.
    const globalReader = new Reader();
    const globalProvider = new MeterProvider({ readers: [globalReader] });
    assert.ok(api.metrics.setGlobalMeterProvider(globalProvider));
    try {
      a.tell('inc');
      assert.equal(await a.ask('get'), 'ok');
      instrumentMetrics(system);
      got = await collect(globalReader);
      assert.equal(pointOf(got.get('actor.processed.count'), 'a')[0].value, 8);
    } finally {
      api.metrics.disable();
      await globalProvider.shutdown();
    }
  });
});

class Counter {
  receive(ctx, msg) {
    if (msg === 'get') ctx.respond('ok');
    else if (msg === 'spawn') ctx.respond(ctx.spawn(counter, { name: 'child', kind: 'Child' }));
  }
}

const waitFor = async (cond) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond());
};

test('kind: the actor class by default, the kind option over it, the actor.kind attribute', async () => {
  await withSystem(async (system) => {
    const a = system.spawn(new Counter(), { name: 'a' });
    const b = system.spawn(new Counter(), { name: 'b', kind: 'billing.Counter' });
    const c = system.spawn(counter, { name: 'c' }); // a plain object: no kind
    const d = system.spawn(new Counter(), { name: 'd', kind: '' });
    assert.equal(a.metrics().kind, 'Counter');
    assert.equal(b.metrics().kind, 'billing.Counter');
    assert.equal(c.metrics().kind, null);
    assert.equal(d.metrics().kind, null);
    const child = await a.ask('spawn');
    assert.equal(child.metrics().kind, 'Child');
    const kinds = Object.fromEntries(system.collectMetrics().filter((p) => p.name === 'actor.uptime')
      .map((p) => [p.attributes['actor.name'], p.attributes['actor.kind'] ?? null]));
    assert.deepEqual(kinds, { a: 'Counter', b: 'billing.Counter', c: null, d: null, child: 'Child' });
    assert.throws(() => system.spawn(new Counter(), { kind: 7 }), TypeError);
    assert.throws(() => system.spawn(new Counter(), { kind: 'k'.repeat(256) }), /255 bytes/);
    system.setLowCardinalityMetrics(true);
    const low = system.collectMetrics().filter((p) => p.name === 'actor.children.count')
      .map((p) => [p.attributes, p.value]);
    assert.deepEqual(low, [[{}, 0], [{ 'actor.kind': 'Counter' }, 1],
      [{ 'actor.kind': 'billing.Counter' }, 0], [{ 'actor.kind': 'Child' }, 0]]);
  });
});

test('the 0.4 instruments: passivated by kind, schedules, grains, per-actor dead letters', async () => {
  await withSystem(async (system) => {
    for (let i = 0; i < 2; i++) {
      system.spawn(new Counter(), { kind: 'Session', passivation: { messages: 1 } }).tell('inc');
    }
    await waitFor(() => system.metrics().passivated === 2);
    const passivated = system.collectMetrics().filter((p) => p.name === 'actor.passivated.count')
      .map((p) => [p.attributes, p.value]);
    assert.deepEqual(passivated, [[{}, 0], [{ 'actor.kind': 'Session' }, 2]]);
    const t = system.spawn(new Counter(), { name: 't' });
    system.scheduleEvery(t, 'inc', { intervalMs: 60000, reference: 'tick' });
    system.cancelSchedule('tick');
    system.registerGrain('Cart', () => new Counter(), { deactivateAfter: 0 });
    system.grain('Cart', 'c1').tell('inc');
    const m = system.metrics();
    assert.deepEqual([m.scheduled, m.cancelled, m.grains, m.peers], [1, 1, 1, 0]);
    const am = t.metrics();
    assert.deepEqual([am.deadLetters, am.reinstates], [0, 0]);
    const names = new Set(system.collectMetrics().map((p) => p.name));
    for (const n of ['actorsystem.grains.count', 'actorsystem.peers.count', 'scheduler.scheduled.count',
      'scheduler.cancelled.count', 'actor.deadletters.count', 'actor.reinstate.count']) assert.ok(names.has(n), n);
    assert.ok(system.collectMetrics().some((p) => p.name === 'actor.uptime' && p.attributes['actor.kind'] === 'Cart'));
  });
});
