// stream_fan: fan-in (merge, concat, zip) and fan-out (broadcast, balance, partition).
import { Source, Sink, Flow } from 'akt';
import * as conf from 'akt/conformance';

const listed = (values) => (values.length ? values.join(' ') : '-');
const byValue = (a, b) => a - b;
const failOn = (k) => (x) => { if (x === k) throw new Error(`no ${k}`); return x; };

async function outcome(stream) {
  try {
    await stream.result();
    return ['ok', ''];
  } catch (e) {
    return [conf.rc(e), e.reason || ''];
  }
}

const system = await conf.createSystem();

// 1. merge
const got = await Source.merge(Source.range(0, 5), Source.range(10, 15), Source.of(100, 101))
  .runWith(Sink.collect(), system).result();
conf.say('merge', listed([...got].sort(byValue)));
const groups = [got.filter((x) => x < 10), got.filter((x) => x >= 10 && x < 100), got.filter((x) => x >= 100)];
conf.say('merge.ordered', groups.every((g) => g.join() === [...g].sort(byValue).join()) ? 'yes' : 'no');

// 2. concat
conf.say('concat', listed(await Source.concat(Source.range(1, 4), Source.of('a', 'b'), Source.range(7, 9))
  .runWith(Sink.collect(), system).result()));

// 3. zip
conf.say('zip', listed(await Source.zip(Source.range(1, 4), Source.of('x', 'y', 'z', 'w'), (a, b) => `${a}-${b}`)
  .runWith(Sink.collect(), system).result()));

// 4. broadcast
const [b0, b1, b2] = await Source.range(1, 6).runWith(Sink.broadcast(
  Sink.collect(), new Flow().map((x) => x * x).to(Sink.fold(0, (a, x) => a + x)), Sink.first()), system).result();
conf.say('broadcast.0', listed(b0));
conf.say('broadcast.1', String(b1));
conf.say('broadcast.2', String(b2));

// 5. balance
const parts = await Source.range(0, 100).runWith(Sink.balance(Sink.collect(), Sink.collect(), Sink.collect()), system)
  .result();
const together = parts.flat().sort(byValue);
conf.say('balance.total', String(together.length));
conf.say('balance.each_once', together.length === 100 && together.every((x, i) => x === i) ? 'yes' : 'no');

// 6. partition
const p = await Source.range(0, 10).runWith(Sink.partition((x) => x % 3, Sink.collect(), Sink.collect(), Sink.collect()),
  system).result();
for (let k = 0; k < 3; k++) conf.say(`partition.${k}`, listed(p[k]));

// 7. partition.bad
let [name, why] = await outcome(Source.range(0, 5).runWith(Sink.partition((x) => x, Sink.collect(), Sink.collect()), system));
conf.say('partition.bad', name);
conf.say('partition.bad.reason', why);

// 8. branch.fail
[name, why] = await outcome(Source.range(0, 10).runWith(
  Sink.broadcast(Sink.collect(), new Flow().map(failOn(3)).to(Sink.ignore())), system));
conf.say('branch.fail', name);
conf.say('branch.fail.reason', why);

// 9. input.fail
[name, why] = await outcome(Source.merge(Source.range(0, 10), Source.range(0, 10).map(failOn(4)))
  .runWith(Sink.ignore(), system));
conf.say('input.fail', name);
conf.say('input.fail.reason', why);

// 10. paced: the stages run on the JS thread, so the slow branch blocks it for 1 ms.
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let made = 0;
const seen = { fast: 0, slow: 0, worst: 0 };
await Source.unfold(0, (n) => { if (n >= 200) return undefined; made = n + 1; return [n + 1, n]; }).window(4)
  .runWith(Sink.broadcast(
    new Flow().window(4).to(Sink.forEach(() => { seen.fast++; })),
    new Flow().window(4).to(Sink.forEach(() => {
      seen.worst = Math.max(seen.worst, made - seen.slow);
      seen.slow++;
      Atomics.wait(sleeper, 0, 0, 1);
    }))), system).result();
conf.say('paced.fast', String(seen.fast));
conf.say('paced.slow', String(seen.slow));
conf.say('paced.bounded', seen.worst <= 16 ? 'yes' : 'no');

await conf.finish(system);
