// mailbox_priority: a priority mailbox orders the waiting messages; ties keep arrival order.
// JS actors run on the JS thread, so whatever this code tells before it awaits waits in the
// mailbox: no hold message is needed.
import * as conf from 'akt/conformance';

const until = async (cond) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 1));
};

const SENT = ['3:a', '1:b', '2:c', '1:d', '3:e', '1:f', '2:g'];
const rank = (m) => Number(m.text.split(':')[0]);

const system = await conf.createSystem();
const seen = [];
const pid = system.spawn((ctx, msg) => seen.push(msg.text),
  { mailbox: { kind: 'priority', compare: (a, b) => rank(a) - rank(b) } });
for (const text of SENT) pid.tell(conf.msg('conf.N', text));
conf.say('priority.sent', SENT.join(' '));
await until(() => seen.length >= SENT.length);
conf.say('priority.received', seen.join(' '));

pid.tell(conf.msg('conf.N', '0:h'));
await until(() => seen.length >= SENT.length + 1);
conf.say('priority.after', seen.slice(SENT.length).join(' '));

await conf.finish(system);
