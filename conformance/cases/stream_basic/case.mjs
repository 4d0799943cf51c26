// stream_basic: the linear DSL, sinks, fusion and per-stage metrics.
import { Source, Sink } from 'akt';
import * as conf from 'akt/conformance';

const listed = (values) => (values.length ? values.join(' ') : '-');
const add = (acc, x) => acc + x;

const system = await conf.createSystem();

// 1-2. collect, and the metrics of that stream.
const s = Source.range(1, 11).map((x) => x * 2).filter((x) => x % 3 !== 0).runWith(Sink.collect(), system);
conf.say('collect', listed(await s.result()));
conf.say('metrics', s.metrics().map((m) => `${m.name} in ${m.elementsIn} out ${m.elementsOut}`).join(', '));

// 3-7.
conf.say('fold', String(await Source.range(1, 101).runWith(Sink.fold(0, add), system).result()));
conf.say('scan', listed(await Source.range(1, 6).scan(0, add).runWith(Sink.collect(), system).result()));
conf.say('dedup', listed(await Source.of(1, 1, 2, 3, 3, 3, 1).dedup().runWith(Sink.collect(), system).result()));
conf.say('flat_map', listed(await Source.range(1, 4).flatMap((x) => [x, x * 10]).runWith(Sink.collect(), system).result()));
conf.say('strings', listed(await Source.of('x', 'y').map((t) => `${t}!`).runWith(Sink.collect(), system).result()));

// 8. first
conf.say('first', String(await Source.range(7, 2n ** 63n - 1n).runWith(Sink.first(), system).result()));
const empty = await Source.of().runWith(Sink.first(), system).result();
conf.say('first.empty', empty === undefined ? 'none' : 'some');

// 9. fusion on and off
const pipeline = Source.range(0, 1000).map((x) => x + 1).filter((x) => x % 2 === 0).map((x) => x * 3);
for (const on of [true, false]) {
  const f = pipeline.fusion(on).runWith(Sink.fold(0, add), system);
  conf.say(on ? 'fusion.on' : 'fusion.off', `${await f.result()} actors ${f.actors}`);
}

// 10. range.down
conf.say('range.down', listed(await Source.range(10, 0, -3).runWith(Sink.collect(), system).result()));

// 11. throttle
const t0 = performance.now();
const throttled = await Source.range(0, 20).throttle(5, 50).runWith(Sink.collect(), system).result();
const took = performance.now() - t0;
conf.say('throttle', listed(throttled));
conf.say('throttle.paced', took >= 150 ? 'yes' : 'no');

// 12. tick
const t1 = performance.now();
const ticked = await Source.tick(0, 10, 't').scan(0, (a) => a + 1).filter((n) => n >= 3)
  .runWith(Sink.first(), system).result();
const tookTick = performance.now() - t1;
conf.say('tick', String(ticked));
conf.say('tick.paced', tookTick >= 20 ? 'yes' : 'no');

// 13. batch
const batches = await Source.range(0, 10).batch(4, 10000).runWith(Sink.collect(), system).result();
conf.say('batch', batches.map((b) => b.join(',')).join(' '));

await conf.finish(system);
