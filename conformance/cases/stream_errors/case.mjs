// stream_errors: failing stages, resume and retry.
import { Source, Sink } from 'akt';
import * as conf from 'akt/conformance';

const listed = (values) => (values.length ? values.join(' ') : '-');

async function outcome(stream) {
  try {
    await stream.result();
    return ['ok', ''];
  } catch (e) {
    return [conf.rc(e), e.reason || ''];
  }
}

const system = await conf.createSystem();

// 1. fail
let s = Source.range(0, 100).map((x) => { if (x === 5) throw new Error('no 5'); return x; })
  .named('boom').runWith(Sink.collect(), system);
let [name, why] = await outcome(s);
conf.say('fail', name);
conf.say('fail.reason', why);
let m = s.metrics()[1];
conf.say('fail.metrics', `in ${m.elementsIn} out ${m.elementsOut} errors ${m.errors}`);

// 2. resume
s = Source.range(0, 10).map((x) => { if (x % 2) throw new Error('odd'); return x; })
  .onError('resume').runWith(Sink.collect(), system);
conf.say('resume', listed(await s.result()));
m = s.metrics()[1];
conf.say('resume.metrics', `errors ${m.errors} drops ${m.drops}`);

// 3-4. retry within and beyond its budget
for (const budget of [2, 1]) {
  let calls = 0;
  s = Source.range(0, 4).map((x) => { if (calls++ % 3) throw new Error('not yet'); return x; })
    .onError('retry', budget).runWith(Sink.collect(), system);
  if (budget === 2) {
    conf.say('retry', listed(await s.result()));
    conf.say('retry.errors', String(s.metrics()[1].errors));
  } else {
    conf.say('retry.exhausted', (await outcome(s))[0]);
    conf.say('retry.exhausted.errors', String(s.metrics()[1].errors));
  }
}

// 5. filter
[name, why] = await outcome(Source.range(0, 10).filter((x) => { if (x === 3) throw new Error('three'); return true; })
  .runWith(Sink.collect(), system));
conf.say('filter', name);
conf.say('filter.reason', why);

// 6. fold
[name, why] = await outcome(Source.range(1, 11).runWith(Sink.fold(0, (acc, x) => {
  if (acc > 10) throw new RangeError('too much');
  return acc + x;
}), system));
conf.say('fold', name);
conf.say('fold.reason', why);

// 7. unfold with resume
let n = 0;
const counting = {
  [Symbol.iterator]() { return this; },
  next() {
    const v = n++;
    if (v === 3) throw new Error('three');
    return v > 5 ? { done: true } : { done: false, value: v };
  },
};
s = Source.fromIterable(counting).onError('resume').runWith(Sink.collect(), system);
conf.say('unfold.resume', listed(await s.result()));
conf.say('unfold.resume.drops', String(s.metrics()[0].drops));

await conf.finish(system);
