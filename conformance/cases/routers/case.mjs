// routers: round-robin order, broadcast, consistent hash, scatter-gather-first.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Worker extends Actor {
  receive(ctx, msg) {
    const me = conf.selfPath(ctx);
    if (conf.is(msg, 'conf.Who')) ctx.respond(conf.msg('conf.Me', me));
    else if (conf.is(msg, 'conf.Note')) conf.log('note', `${me} ${msg.text}`);
    else if (conf.is(msg, 'conf.Race')) {
      if (me.endsWith('/w1')) ctx.respond(conf.msg('conf.Me', me));
    } else ctx.unhandled();
  }
}

const system = await conf.createSystem();
const w = [0, 1, 2].map((i) => system.spawn(Worker, { name: `w${i}` }));

// 1. Round-robin: in routee order.
const rr = system.spawnRouter({ routees: w, name: 'rr' });
for (let i = 0; i < 4; i++) conf.say('rr', await conf.askStr(rr.pid, 'conf.Who'));

// 2. Broadcast: every routee.
rr.broadcast(conf.msg('conf.Note', 'hello'));
await conf.waitLog(3);
conf.flushSorted();

// 3. Consistent hash: one key, one routee.
const ch = system.spawnRouter({ routees: w, strategy: 'consistentHash', name: 'ch' });
for (const key of ['k1', 'k2']) {
  const a = await conf.askStr(ch.pid, 'conf.Who', key);
  const b = await conf.askStr(ch.pid, 'conf.Who', key);
  conf.say(`ch.${key}`, a === b ? 'same' : 'different');
}

// 4. Scatter-gather-first: the first (here the only) reply answers.
const sg = system.spawnRouter({ routees: w, strategy: 'scatterGatherFirst', within: 2000, name: 'sg' });
conf.say('sg', await conf.askStr(sg.pid, 'conf.Race'));

// 5. The routees.
conf.say('routees', String(rr.routees().length));

await conf.finish(system);
