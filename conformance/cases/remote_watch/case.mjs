// remote_watch: a watched remote actor that is stopped, one poisoned behind tells, and one
// whose node goes away: each sends Terminated to its watcher.
import { Actor, ActorSystem, Terminated } from 'akt';
import * as conf from 'akt/conformance';

// target, sink, other: conf.Note "<n>" -> journals it.
class Noter extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Note')) conf.log('peer.note', msg.text);
    else ctx.unhandled();
  }
}

// watcher: conf.Watch "<address>" -> watches that remote pid; Terminated -> journals the
// last segment of the path it had (a remote pid's path is its address).
class Watcher extends Actor {
  preStart() {
    this.names = []; // [pid, name]
  }

  receive(ctx, msg) {
    if (msg instanceof Terminated) {
      const hit = this.names.find(([pid]) => pid.equals(msg.pid));
      conf.log('terminated', hit ? hit[1] : '?');
    } else if (conf.is(msg, 'conf.Watch')) {
      let result = 'ok';
      try {
        const pid = ctx.system.remoteLookup(msg.text);
        this.names.push([pid, pid.path.slice(pid.path.lastIndexOf('/') + 1)]);
        ctx.watch(pid);
      } catch (e) {
        result = conf.rc(e);
      }
      ctx.respond(conf.msg('conf.Done', result));
    } else ctx.unhandled();
  }
}

const system = await conf.createSystem();
const peer = await ActorSystem.create('peer');

// 1. Remoting on both nodes; three actors on the peer.
system.remoteStart({ host: '127.0.0.1', port: 0 });
const peerAddress = peer.remoteStart({ host: '127.0.0.1', port: 0 });
conf.say('remote.start', 'ok');
for (const name of ['target', 'sink', 'other']) peer.spawn(Noter, { name });

// 2. The watcher watches the three remote pids.
const watcher = system.spawn(Watcher, { name: 'watcher' });
for (const name of ['target', 'sink', 'other']) {
  conf.say(`watch.${name}`, await conf.askStr(watcher, 'conf.Watch', `${peerAddress}/user/${name}`));
}

// 3. A remote stop: the peer stops its actor, the watcher gets Terminated.
const target = system.remoteLookup(`${peerAddress}/user/target`);
conf.say('stop.target', await conf.rcOf(() => target.stop()));
await conf.waitLog(1);
conf.flush();

// 4. A remote poison behind three tells.
const sink = system.remoteLookup(`${peerAddress}/user/sink`);
for (const n of ['1', '2', '3']) sink.tell(conf.msg('conf.Note', n));
conf.say('poison.sink', await conf.rcOf(() => sink.poison()));
await conf.waitLog(4);
conf.flush();

// 5. The peer goes away: its watched actor is terminated.
await peer.shutdown();
conf.say('peer.shutdown', 'ok');
await conf.waitLog(1);
conf.flush();

await conf.finish(system);
