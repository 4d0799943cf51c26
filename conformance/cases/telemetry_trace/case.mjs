// telemetry_trace: a request through three actors is one trace; spans by stable labels.
import { tracing } from 'akt';
import * as conf from 'akt/conformance';

const spans = [];
let cSaw = '';
const waiters = [];

function wait(n) {
  if (spans.length >= n) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${spans.length} spans of ${n}`)), 10000);
    waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(); } });
  });
}

const system = await conf.createSystem();
tracing.setTraceSink(system, (s) => {
  spans.push(s);
  for (const w of waiters.splice(0)) {
    if (spans.length >= w.n) w.resolve();
    else waiters.push(w);
  }
});
const c = system.spawn((ctx) => { cSaw = ctx.headers.traceparent ?? ''; }, { name: 'c' });
const b = system.spawn((ctx) => ctx.tell(c, conf.msg('conf.Step')), { name: 'b' });
const a = system.spawn((ctx) => ctx.tell(b, conf.msg('conf.Step')), { name: 'a' });
a.tell(conf.msg('conf.Go'));
try {
  await wait(3);
} catch (e) {
  conf.fatal(e.message);
}
const got = spans.slice(0, 3);
const order = got.filter((s) => s.parentId === null);
while (order.length > 0 && order.length < 3) {
  const next = got.find((s) => s.parentId === order[order.length - 1].spanId);
  if (!next) break;
  order.push(next);
}
if (order.length !== 3) conf.fatal('the spans are not one chain');
const labels = new Map(order.map((s, i) => [s.spanId, `S${i + 1}`]));
order.forEach((s, i) => {
  const path = s.actorPath.slice(s.actorPath.indexOf('/user'));
  const parent = s.parentId ? labels.get(s.parentId) ?? 'none' : 'none';
  const trace = s.traceId === order[0].traceId ? 'T1' : 'T2';
  conf.say('span', `S${i + 1} ${s.name} ${path} parent=${parent} trace=${trace} status=${s.status}`);
});
const saw = tracing.parseTraceparent(cSaw);
conf.say('c.saw', (saw && labels.get(saw.spanId)) ?? '?');
c.tell(conf.msg('conf.Step'), { headers: { traceparent: '00-bad' } });
try {
  await wait(4);
} catch (e) {
  conf.fatal(e.message);
}
conf.say('invalid', `${tracing.traceInvalidCount(system)} root=${spans[3].parentId === null ? 'yes' : 'no'}`);
await conf.finish(system);
