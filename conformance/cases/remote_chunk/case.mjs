// remote_chunk: a message larger than the frame limit crosses in chunks, both ways.
import { Actor, ActorSystem } from 'akt';
import * as conf from 'akt/conformance';

const T = 'chunk me '.repeat(700000);

class Echo extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Question')) ctx.respond(conf.msg('conf.Answer', `re:${msg.text}`));
    else ctx.unhandled();
  }
}

const system = await conf.createSystem();
system.remoteStart({ host: '127.0.0.1', port: 0 });
conf.say('remote.start', 'ok');
const peer = await ActorSystem.create('peer');
const address = peer.remoteStart({ host: '127.0.0.1', port: 0 });
peer.spawn(Echo, { name: 'echo' });
const echo = system.remoteLookup(`${address}/user/echo`);
const got = await conf.askStr(echo, 'conf.Question', T, 10000);
conf.say('ask.big', got === `conf.Answer re:${T}` ? 'intact' : got.slice(0, 200));
conf.say('ask.small', await conf.askStr(echo, 'conf.Question', 'small'));
await peer.shutdown();
await conf.finish(system);
