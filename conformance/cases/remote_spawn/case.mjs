// remote_spawn: an actor of a kind registered on the peer, spawned from this node; the
// errors of a taken name, an unknown kind and a bad name; a spawn again after a stop.
import { Actor, ActorSystem } from 'akt';
import * as conf from 'akt/conformance';

// counter: conf.Question "<t>" -> conf.Answer "<name>:<t>".
class Counter extends Actor {
  constructor(name) {
    super();
    this.name = name;
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Question')) ctx.respond(conf.msg('conf.Answer', `${this.name}:${msg.text}`));
    else ctx.unhandled();
  }
}

const system = await conf.createSystem();
const peer = await ActorSystem.create('peer');

// 1. Remoting on both nodes; the peer registers the kind.
system.remoteStart({ host: '127.0.0.1', port: 0 });
const peerAddress = peer.remoteStart({ host: '127.0.0.1', port: 0 });
conf.say('remote.start', 'ok');
peer.registerGrain('counter', Counter, { deactivateAfter: 0 });

// 2. A remote spawn, and the pid's path.
let c1 = null;
const spawnC1 = async () => {
  c1 = await system.remoteSpawn(peerAddress, 'counter', 'c1', { timeoutMs: 10000 });
};
conf.say('spawn.c1', await conf.rcOf(spawnC1));
conf.say('spawn.path', c1.path === `${peerAddress}/user/c1` ? 'yes' : 'no');

// 3. It answers, from here and on the peer itself.
conf.say('ask.reply', await conf.askStr(c1, 'conf.Question', 'hello'));
conf.say('ask.again', await conf.askStr(peer.lookup('/user/c1'), 'conf.Question', 'again'));

// 4. The errors come back as codes.
conf.say('spawn.duplicate', await conf.rcOf(() => system.remoteSpawn(peerAddress, 'counter', 'c1')));
conf.say('spawn.unknown_kind', await conf.rcOf(() => system.remoteSpawn(peerAddress, 'nosuch', 'c2')));
conf.say('spawn.bad_name', await conf.rcOf(() => system.remoteSpawn(peerAddress, 'counter', 'a/b')));

// 5. A remote stop, then the name is free again.
c1.stop();
const deadline = Date.now() + 10000;
while (peer.lookup('/user/c1') !== null) {
  if (Date.now() > deadline) conf.fatal('the remote c1 did not stop');
  await new Promise((resolve) => setTimeout(resolve, 10));
}
conf.say('stop.c1', 'ok');
conf.say('spawn.after_stop', await conf.rcOf(spawnC1));
conf.say('ask.after_stop', await conf.askStr(c1, 'conf.Question', 'fresh'));

await conf.finish(system);
await peer.shutdown();
