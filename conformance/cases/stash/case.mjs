// stash: stash, unstash one, unstash all; unstashed messages go to the mailbox's front.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Gate extends Actor {
  preStart() {
    this.open = false;
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Item')) {
      if (this.open) {
        conf.log('handled', msg.text);
      } else {
        conf.log('stashed', msg.text);
        ctx.stash();
      }
    } else if (conf.is(msg, 'conf.Open') || conf.is(msg, 'conf.Close')) {
      this.open = conf.is(msg, 'conf.Open');
      conf.log(this.open ? 'open' : 'close', 'ok');
    } else if (conf.is(msg, 'conf.Unstash')) {
      conf.log('unstash', ctx.unstash() ? 'ok' : 'AKT_EAGAIN');
    } else if (conf.is(msg, 'conf.UnstashAll')) {
      conf.log('unstash_all', conf.rc(tryRun(() => ctx.unstashAll())));
    } else if (conf.is(msg, 'conf.Ping')) {
      ctx.respond(conf.msg('conf.Pong'));
    } else {
      ctx.unhandled();
    }
  }
}

function tryRun(fn) {
  try {
    fn();
    return null;
  } catch (e) {
    return e;
  }
}

const system = await conf.createSystem();
const gate = system.spawn(Gate, { name: 'gate' });
const tell = (type, text = '') => gate.tell(conf.msg(type, text));
async function sync() {
  conf.say('ping', await conf.askStr(gate, 'conf.Ping'));
  conf.flush();
}

// 1. Closed: everything is stashed.
for (const t of ['a', 'b', 'c']) tell('conf.Item', t);
await sync();

// 2. a comes back before d; b and c come back in order; the last unstash finds none.
tell('conf.Open');
tell('conf.Unstash');
tell('conf.Item', 'd');
tell('conf.UnstashAll');
tell('conf.Unstash');
await sync();

// 3. e and f go in front of h.
tell('conf.Close');
tell('conf.Item', 'e');
tell('conf.Item', 'f');
tell('conf.Open');
tell('conf.Item', 'g');
tell('conf.UnstashAll');
tell('conf.Item', 'h');
await sync();

await conf.finish(system);
