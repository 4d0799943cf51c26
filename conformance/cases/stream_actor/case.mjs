// stream_actor: an actor as a stream's source and sink, and the parallel map.
import { Source, Sink } from 'akt';
import * as conf from 'akt/conformance';

const system = await conf.createSystem();
const target = system.spawn((ctx, msg) => {
  if (msg === 'done') {
    conf.log('actor', 'done');
    return;
  }
  conf.log('actor', `got ${msg}`);
  ctx.respond('ack');
}, { name: 'target' });

// 2. queue -> map -> actor
const s = Source.queue(4).map((x) => x * 2).runWith(Sink.actor(target, { inFlight: 2, onComplete: 'done' }), system);
for (let x = 1; x <= 10;) {
  if (s.offer(x)) x++;
  else await new Promise((r) => setImmediate(r)); // full: offer again
}
s.complete();
await s.result();
conf.say('queue.result', 'completed');
await conf.waitLog(11);
conf.flush();

// 3.
conf.say('queue.after_complete', await conf.rcOf(() => s.offer(99)));

// 4-5.
async function mapAsync(step, ordered, failAt, resume) {
  const fn = async (v) => {
    await null;
    if (v === failAt) throw new RangeError('no');
    return v * 10;
  };
  let src = ordered ? Source.range(1, 7).mapAsync(3, fn) : Source.range(1, 7).mapAsyncUnordered(3, fn);
  if (resume) src = src.onError('resume');
  try {
    const out = await src.runWith(Sink.collect(), system).result();
    conf.say(step, (ordered ? out : [...out].sort((a, b) => a - b)).join(' '));
  } catch (e) {
    conf.say(step, e.reason);
  }
}

await mapAsync('map_async.ordered', true, -1, false);
await mapAsync('map_async.unordered', false, -1, false);
await mapAsync('map_async.failed', true, 4, false);
await mapAsync('map_async.resume', true, 4, true);

await conf.finish(system);
