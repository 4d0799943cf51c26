// stream_backpressure: bounded in-flight elements, buffer overflow strategies, drain and
// cancel. The stages run on this thread, so the slow sink busy-waits its 1 ms.
import { Source, Sink } from 'akt';
import * as conf from 'akt/conformance';

function slowSink() {
  const seen = [];
  const each = (x) => {
    seen.push(x);
    const end = performance.now() + 1;
    while (performance.now() < end);
  };
  return { seen, each };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

async function awaitSink(stream, sink, n) {
  const deadline = Date.now() + 10000;
  while (stream.metrics()[sink].elementsIn < n) {
    if (Date.now() > deadline) conf.fatal(`the sink never received ${n}`);
    await tick();
  }
}

const system = await conf.createSystem();

// 1. slow sink, fast source; the sink samples the metrics at each element.
let k = slowSink();
let s = null;
let worst = 0;
const sampled = (x) => {
  if (s) {
    const m = s.metrics();
    worst = Math.max(worst, m[0].elementsOut - m[2].elementsIn);
  }
  k.each(x);
};
s = Source.range(0, 200).map((x) => x).window(4).fusion(false).runWith(Sink.forEach(sampled), system);
await s.result();
conf.say('slow.seen', String(k.seen.length));
conf.say('slow.order', k.seen.every((x, i) => x === i) ? 'kept' : 'broken');
conf.say('slow.in_flight', worst > 0 && worst <= 10 ? 'bounded' : 'unbounded');

// 2-3. buffers
for (const name of ['drop_tail', 'drop_head', 'backpressure']) {
  k = slowSink();
  s = Source.range(0, 300).buffer(4, name).runWith(Sink.forEach(k.each), system);
  await s.result();
  const drops = s.metrics()[1].drops;
  if (name === 'backpressure') {
    conf.say(name, `seen ${k.seen.length} dropped ${drops}`);
    continue;
  }
  conf.say(name, `seen+dropped ${k.seen.length + drops}`);
  conf.say(`${name}.order`, k.seen.every((x, i) => i === 0 || x > k.seen[i - 1]) ? 'kept' : 'broken');
}

// 4. drain
let counter = 0;
s = Source.unfold(null, (st) => [st, counter++]).runWith(Sink.collect(), system);
await awaitSink(s, 1, 50);
s.drain();
let got = [];
try {
  got = await s.result();
  conf.say('drain', 'ok');
} catch (e) {
  conf.say('drain', conf.rc(e));
}
conf.say('drain.lost', String(s.metrics()[0].elementsOut - got.length));
conf.say('drain.order', got.every((x, i) => x === i) ? 'kept' : 'broken');

// 5. cancel
s = Source.unfold(null, (st) => [st, counter++]).runWith(Sink.ignore(), system);
await awaitSink(s, 1, 50);
s.cancel();
conf.say('cancel', await conf.rcOf(() => s.result()));

await conf.finish(system);
