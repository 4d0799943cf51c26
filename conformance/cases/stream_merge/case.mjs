// stream_merge: flatMap merge with a breadth, and the room signal of a queue source.
import { Source, Sink } from 'akt';
import * as conf from 'akt/conformance';

const system = await conf.createSystem();

const innerOf = (withFailure) => (x) => {
  const src = Source.range(x * 10, x * 10 + x);
  return withFailure && x === 3 ? src.map((v) => { if (v === 31) throw new RangeError('31'); return v; }) : src;
};

function merge(breadth, withFailure = false, resume = false) {
  let src = Source.range(1, 6).flatMapMerge(breadth, innerOf(withFailure));
  if (resume) src = src.onError('resume');
  return src.runWith(Sink.collect(), system);
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);

// 1.
const out = await merge(3).result();
const ordered = out.every((a, i) => out.slice(i + 1).every((b) => !(Math.floor(a / 10) === Math.floor(b / 10) && a > b)));
conf.say('merge.sorted', sorted(out).join(' '));
conf.say('merge.per_inner_order', ordered ? 'yes' : 'no');

// 2.
conf.say('merge.breadth1', (await merge(1).result()).join(' '));

// 3.
try {
  await merge(3, true).result();
  conf.say('merge.failed', 'completed');
} catch (e) {
  conf.say('merge.failed', e.reason);
}
conf.say('merge.resume', sorted(await merge(3, true, true).result()).join(' '));

// 4.
const q = Source.queue(2).runWith(Sink.collect(), system);
for (let x = 1; x <= 20; x++) await q.offerAsync(x);
q.complete();
conf.say('queue.result', (await q.result()).join(' '));
conf.say('queue.after_complete', await conf.rcOf(() => q.offerAsync(99)));

await conf.finish(system);
