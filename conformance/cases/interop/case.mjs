// interop: a C actor (peer.h, loaded from a native library) and JS actors in one system.
import { Actor, Terminated } from 'akt';
import * as conf from 'akt/conformance';

// host: a JS actor talking to the C peer.
class Host extends Actor {
  receive(ctx, msg) {
    if (msg instanceof Terminated) {
      conf.log('terminated', this.peerPath);
    } else if (conf.is(msg, 'conf.Start')) {
      ctx.tell(conf.lookup(ctx.system, 'peer'), conf.msg('conf.Question', msg.text));
      ctx.respond(conf.msg('conf.Started'));
    } else if (conf.is(msg, 'conf.Answer')) {
      conf.log('host', `${conf.replyStr(msg)} from=${ctx.sender ? conf.path(ctx.sender) : '-'}`);
    } else if (conf.is(msg, 'conf.Watch')) {
      let result = 'ok';
      try {
        const peer = conf.lookup(ctx.system, 'peer');
        this.peerPath = conf.path(peer);
        ctx.watch(peer);
      } catch (e) {
        result = conf.rc(e);
      }
      ctx.respond(conf.msg('conf.Done', result));
    } else {
      ctx.unhandled();
    }
  }
}

const system = await conf.createSystem();

// 1. The C actor answers a bytes message.
const peer = system.spawnNative(conf.PEER_LIBRARY, conf.PEER_SYMBOL, { name: 'peer' });
conf.say('ask.peer', await conf.askStr(peer, 'conf.Question', 'hello'));

// 2. JS actor -> C actor -> JS actor, with senders.
const host = system.spawn(Host, { name: 'host' });
conf.say('start.host', await conf.askStr(host, 'conf.Start', 'from-host'));
await conf.waitLog(1);
conf.flush();

// 3. A JS string is a text object: C reads its bytes.
conf.say('object.text', await conf.futureStr(peer.ask('text-object', { timeout: conf.ASK_MS })));

// 4. A JS function has no bytes: a tell of it to a C actor is refused at the sender.
let opaque = 'accepted';
try {
  peer.tell(() => 'opaque');
} catch (e) {
  opaque = `refused ${conf.rc(e)}`;
}
conf.say('object.opaque', opaque);

// 5. Death watch across the language line.
conf.say('watch.peer', await conf.askStr(host, 'conf.Watch'));
conf.say('stop.peer', await conf.stopGraceful(peer));
await conf.waitLog(1);
conf.flush();

await conf.finish(system);
