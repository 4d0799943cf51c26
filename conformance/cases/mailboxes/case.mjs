// mailboxes: bounded (fail, drop) and fair mailboxes as a spawn option. JS actors run on
// the JS thread, so whatever this code tells before it awaits waits in the mailbox: no
// hold message is needed.
import { MailboxFullError } from 'akt';
import * as conf from 'akt/conformance';

const until = async (cond) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 1));
};

const system = await conf.createSystem();
const fullLetters = [];
const sub = system.subscribe('deadLetter', (ev) => {
  if (ev.reason === 'mailbox full') fullLetters.push(ev);
});

for (const [whenFull, step] of [['fail', 'bounded.fail'], ['drop', 'bounded.drop']]) {
  const seen = [];
  const pid = system.spawn((ctx, msg) => seen.push(msg.text),
    { mailbox: { kind: 'bounded', capacity: 3, whenFull } });
  let accepted = 0;
  let refused = 0;
  let refusal = '';
  for (let i = 0; i < 5; i++) {
    try {
      pid.tell(conf.msg('conf.N', String(i)));
      accepted++;
    } catch (e) {
      if (!(e instanceof MailboxFullError)) throw e;
      refused++;
      refusal = conf.rc(e);
    }
  }
  if (whenFull === 'fail') {
    conf.say(step, `accepted ${accepted}, refused ${refused} (${refusal})`);
  } else {
    await until(() => fullLetters.length >= 2);
    conf.say(step, `accepted ${accepted}, dead letters ${fullLetters.length} (mailbox full)`);
  }
  await until(() => seen.length >= 3);
  conf.say(`${step}.received`, seen.join(' '));
}

const fair = [];
const target = system.spawn((ctx, msg) => fair.push(msg.text), { mailbox: { kind: 'fair' } });
// Spawned first, told after: a spawn from plain JS code pumps until the actor has started,
// which would also run a sender told before it.
const senders = ['A', 'B', 'C'].map((tag) => system.spawn((ctx) => {
  for (let i = 1; i <= 3; i++) ctx.tell(target, conf.msg('conf.N', `${tag}${i}`));
}));
for (const sender of senders) sender.tell('go');
await until(() => fair.length >= 9);
conf.say('fair.received', fair.join(' '));

sub.unsubscribe();
await conf.finish(system);
