// propagation: a user propagator carries a tenant header from hop to hop.
import { ActorSystem } from 'akt';
import * as conf from 'akt/conformance';

const system = await ActorSystem.create('conf', {
  propagator: (headers) => ({ tenant: headers.tenant ?? 'none' }),
});
const last = system.spawn((ctx, msg) => {
  if (conf.is(msg, 'conf.Hop')) conf.log('got', `${msg.text} tenant=${ctx.headers.tenant ?? '-'}`);
  else ctx.unhandled();
}, { name: 'last' });
const mid = system.spawn((ctx, msg) => {
  if (conf.is(msg, 'conf.Hop')) ctx.tell(last, conf.msg('conf.Hop', msg.text));
  else if (conf.is(msg, 'conf.Own')) ctx.tell(last, conf.msg('conf.Hop', msg.text), { headers: { tenant: 'mine' } });
  else ctx.unhandled();
}, { name: 'mid' });
const first = system.spawn((ctx, msg) => {
  if (conf.is(msg, 'conf.Hop')) ctx.tell(mid, conf.msg('conf.Hop', msg.text));
  else ctx.unhandled();
}, { name: 'first' });

// 1. Two hops on.
first.tell(conf.msg('conf.Hop', 'a'), { headers: { tenant: 'acme' } });
await conf.waitLog(1);
conf.flush();
// 2. Injected at the send from outside.
first.tell(conf.msg('conf.Hop', 'b'));
await conf.waitLog(1);
conf.flush();
// 3. The sender's own header wins.
mid.tell(conf.msg('conf.Own', 'c'), { headers: { tenant: 'acme' } });
await conf.waitLog(1);
conf.flush();

await conf.finish(system);
