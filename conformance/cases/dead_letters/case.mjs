// dead_letters: unhandled messages and messages nobody could receive, on the event stream.
import { Actor, Message } from 'akt';
import * as conf from 'akt/conformance';

class Picky extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Ping')) ctx.respond(conf.msg('conf.Pong'));
    else ctx.unhandled();
  }
}

// relay: conf.Relay "<t>" tells picky conf.Strange "<t>" with itself as the sender.
class Relay extends Actor {
  receive(ctx, msg) {
    if (!conf.is(msg, 'conf.Relay')) {
      ctx.unhandled();
      return;
    }
    let result = 'ok';
    try {
      ctx.tell(conf.lookup(ctx.system, 'picky'), conf.msg('conf.Strange', msg.text));
    } catch (e) {
      result = conf.rc(e);
    }
    ctx.respond(conf.msg('conf.Done', result));
  }
}

// hoarder: stashes letters and questions until released.
class Hoarder extends Actor {
  preStart() {
    this.open = false;
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Letter') || conf.is(msg, 'conf.Question')) {
      if (!this.open) ctx.stash();
      else if (conf.is(msg, 'conf.Question')) ctx.respond(conf.msg('conf.Answer', 'late'));
    } else if (conf.is(msg, 'conf.Release')) {
      this.open = true;
      ctx.unstashAll();
    } else if (conf.is(msg, 'conf.Ping')) {
      ctx.respond(conf.msg('conf.Pong'));
    } else {
      ctx.unhandled();
    }
  }
}

const system = await conf.createSystem();

const senderPath = (pid) => (pid ? conf.path(pid) : '-');
const subscription = system.subscribe(['deadLetter', 'unhandled'], (ev) => {
  if (!(ev.message instanceof Message) || !ev.message.type.startsWith('conf.')) return;
  const kind = ev.kind === 'deadLetter' ? 'dead_letter' : 'unhandled';
  conf.log(kind, `${conf.replyStr(ev.message)} to=${ev.path ?? '-'} from=${senderPath(ev.sender)}`);
});

const picky = system.spawn(Picky, { name: 'picky' });
const relay = system.spawn(Relay, { name: 'relay' });
const hoarder = system.spawn(Hoarder, { name: 'hoarder' });

// 1. Unhandled, from outside and from an actor.
picky.tell(conf.msg('conf.Strange', '?'));
conf.say('ping.picky', await conf.askStr(picky, 'conf.Ping'));
conf.flush();
conf.say('relay', await conf.askStr(relay, 'conf.Relay', 'hi'));
conf.say('ping.picky', await conf.askStr(picky, 'conf.Ping'));
conf.flush();

// 2. Stashed letters of a stopped actor are dead letters.
hoarder.tell(conf.msg('conf.Letter', 'one'));
hoarder.tell(conf.msg('conf.Letter', 'two'));
conf.say('ping.hoarder', await conf.askStr(hoarder, 'conf.Ping'));
hoarder.stop();
conf.say('stop.hoarder', 'ok');
await conf.waitLog(2);
conf.flush();

// 3. A send to a stopped actor fails at once: not a dead letter.
conf.say('tell.stopped', await conf.rcOf(() => hoarder.tell(conf.msg('conf.Letter', 'three'))));

// 4. The reply to a cancelled ask is a dead letter.
const hoarder2 = system.spawn(Hoarder, { name: 'hoarder2' });
const cancel = new AbortController();
const question = hoarder2.ask(conf.msg('conf.Question', 'q'), { timeout: conf.ASK_MS, signal: cancel.signal });
conf.say('ping.hoarder2', await conf.askStr(hoarder2, 'conf.Ping'));
cancel.abort();
conf.say('cancel', 'ok');
conf.say('ask.cancelled', await conf.futureStr(question));
hoarder2.tell(conf.msg('conf.Release'));
conf.say('ping.hoarder2', await conf.askStr(hoarder2, 'conf.Ping'));
await conf.waitLog(1);
conf.flush();

subscription.unsubscribe();
await conf.finish(system);
