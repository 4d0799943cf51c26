// metrics: counters of akt/telemetry.h after a scripted scenario.
import { Actor, NotFoundError } from 'akt';
import * as conf from 'akt/conformance';

class Counter extends Actor {
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

function printActor(pid) {
  let m;
  try {
    m = pid.metrics();
  } catch (e) {
    if (e instanceof NotFoundError) return conf.say('actor', 'not found');
    throw e;
  }
  conf.say('actor', `processed=${m.processed} restarts=${m.restarts} failures=${m.failures} ` +
    `unhandled=${m.unhandled} mailbox=${m.mailboxSize} stash=${m.stashSize} children=${m.children}`);
}

function printSystem(system) {
  const m = system.metrics();
  conf.say('system', `alive=${m.actorsAlive} spawned=${m.actorsSpawned} stopped=${m.actorsStopped} ` +
    `restarts=${m.restarts} failures=${m.failures} dead_letters=${m.deadLetters} unhandled=${m.unhandled}`);
}

const system = await conf.createSystem();

// 1.
const c = system.spawn(new Counter(), { name: 'counter', kind: '' });
for (let i = 0; i < 10; i++) c.tell('inc');
await ping(c);
printActor(c);

// 2.
c.tell('fail');
await ping(c);
try {
  await c.ask('bogus');
  conf.say('bogus', 'handled');
} catch (e) {
  conf.say('bogus', conf.rc(e) === 'AKT_EUNHANDLED' ? 'unhandled' : conf.rc(e));
}
c.tell('stash');
c.tell('stash');
await ping(c);
printActor(c);
printSystem(system);

// 3.
await c.stopGracefully();
printSystem(system);
printActor(c);

// 4.
const a = system.spawn(new Counter(), { name: 'a', kind: '' });
const b = system.spawn(new Counter(), { name: 'b', kind: '' });
a.tell('inc');
await ping(a);
await ping(b);
const points = system.collectMetrics();
conf.say('instruments', [...new Set(points.map((p) => p.name))].join(','));
// By actor name: the order of the cells depends on which slots were free.
const processed = points.filter((p) => p.name === 'actor.processed.count')
  .sort((x, y) => (x.attributes['actor.name'] < y.attributes['actor.name'] ? -1 : 1));
for (const p of processed) {
  conf.say('point', `${p.attributes['actor.name']} ${p.kind} ${p.value.toFixed(0)}`);
}
conf.say('alive', points.find((p) => p.name === 'actorsystem.actors.count').value.toFixed(0));

// 5.
system.setLowCardinalityMetrics(true);
const low = system.collectMetrics().filter((p) => p.name === 'actor.processed.count');
const last = low[low.length - 1];
conf.say('low', `${low.length} ${last.value.toFixed(0)} attrs=${Object.keys(last.attributes).length}`);

await conf.finish(system);
