// telemetry_metrics: the OpenTelemetry-shaped export after a fixed scenario, and the
// per-stage metrics of a stream with a resumed stage.
import { Actor, Source, Sink } from 'akt';
import * as conf from 'akt/conformance';

const TIMES = new Set(['actorsystem.uptime', 'actor.uptime', 'actor.last.received.duration']);

class Worker extends Actor {
  receive(ctx, msg) {
    if (msg === 'fail') throw new Error('fail');
    if (msg === 'stash') ctx.stash();
    else if (msg === 'ping') ctx.respond('pong');
    else if (msg !== 'inc') ctx.unhandled();
  }
}

async function ping(pid) {
  const got = await pid.ask('ping');
  if (got !== 'pong') conf.fatal(`ping: ${got}`);
}

// Byte order: the names and values are ASCII, where UTF-16 code units are the bytes.
const sorted = (lines) => [...lines].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));

const system = await conf.createSystem();

// 1.
const w1 = system.spawn(new Worker(), { name: 'w1', kind: 'worker' });
const w2 = system.spawn(new Worker(), { name: 'w2', kind: 'worker' });
const w3 = system.spawn(new Worker(), { name: 'w3', kind: 'worker' });
for (let i = 0; i < 5; i++) w1.tell('inc');
for (let i = 0; i < 3; i++) w2.tell('inc');
for (const w of [w1, w2, w3]) await ping(w);

// 2.
w2.tell('fail');
await ping(w2);
try {
  await w1.ask('bogus');
  conf.say('bogus', 'handled');
} catch (e) {
  conf.say('bogus', conf.rc(e) === 'AKT_EUNHANDLED' ? 'unhandled' : conf.rc(e));
}
await ping(w1);
w3.tell('stash');
w3.tell('stash');
await ping(w3);

// 3.
await w3.stopGracefully();
conf.say('stop', 'ok');

// 4. One collection, printed sorted: the order of the cells depends on free slots.
const points = system.collectMetrics();
const first = new Map();
for (const p of points) if (!first.has(p.name)) first.set(p.name, p);
for (const name of sorted(first.keys())) {
  conf.say('instrument', `${name} ${first.get(name).kind} ${first.get(name).unit}`);
}
const system0 = points.filter((p) => Object.keys(p.attributes).length === 0 && !TIMES.has(p.name));
for (const line of sorted(system0.map((p) => `${p.name} ${p.value.toFixed(0)}`))) conf.say('system', line);
const ours = points.filter((p) => ['w1', 'w2'].includes(p.attributes['actor.name']));
const lines = ours.filter((p) => !TIMES.has(p.name))
  .map((p) => `${p.attributes['actor.name']} ${p.name} ${p.value.toFixed(0)}`);
for (const line of sorted(lines)) conf.say('point', line);
for (const who of ['w1', 'w2']) {
  const p = ours.find((q) => q.attributes['actor.name'] === who && q.name === 'actor.processed.count');
  if (!p) conf.fatal(`no actor.processed.count point for ${who}`);
  const a = p.attributes;
  conf.say('attrs', `${who} system=${a['actor.system'] ?? '?'} address=${a['actor.address'] ?? '?'} ` +
    `kind=${a['actor.kind'] ?? '?'} n=${Object.keys(a).length}`);
}

// 5.
const s = Source.range(0, 10).map((x) => { if (x % 2) throw new Error('odd'); return x; })
  .onError('resume').filter((x) => x % 4 === 0)
  .runWith(Sink.fold(0, (acc, x) => acc + x), system);
conf.say('stream', String(await s.result()));
s.metrics().forEach((m, i) => {
  conf.say('stage', `${i} ${m.name} in ${m.elementsIn} out ${m.elementsOut} drops ${m.drops} errors ${m.errors}`);
});

// 6.
const p1 = system.spawn(new Worker(), { name: 'p1', kind: 'session', passivation: { messages: 1 } });
p1.tell('inc');
for (let i = 0; i < 1000 && system.metrics().passivated < 1; i++) await new Promise((r) => setTimeout(r, 5));
conf.say('passivated', system.metrics().passivated === 1 ? 'ok' : 'no');
system.scheduleEvery(w1, 'inc', { intervalMs: 60000, reference: 'tick' });
system.cancelSchedule('tick');
const AFTER = new Set(['actor.passivated.count', 'actorsystem.grains.count', 'actorsystem.peers.count',
  'scheduler.cancelled.count', 'scheduler.scheduled.count']);
const after = system.collectMetrics()
  .filter((p) => AFTER.has(p.name) && ['-', 'worker', 'session'].includes(p.attributes['actor.kind'] ?? '-'))
  .map((p) => `${p.name} kind=${p.attributes['actor.kind'] ?? '-'} ${p.value.toFixed(0)}`);
for (const line of sorted(after)) conf.say('after', line);

await conf.finish(system);
