// remote_reinstate: a child suspended on its node by the supervisor a remote spawn carried
// (directive suspend) refuses messages from both nodes until the reinstate of its remote pid
// (pid.reinstate()) reinstates it there.
import { Actor, ActorSystem } from 'akt';
import * as conf from 'akt/conformance';

// child: conf.Question "<t>" -> conf.Answer "c:<t>"; conf.Fail "<r>" throws r.
class Child extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Fail')) throw new Error(msg.text);
    if (conf.is(msg, 'conf.Question')) ctx.respond(conf.msg('conf.Answer', `c:${msg.text}`));
    else ctx.unhandled();
  }
}

// boss: conf.Question "<t>" -> conf.Answer "<name>:<t>"; conf.Spawn spawns the child "c".
class Boss extends Actor {
  constructor(name) {
    super();
    this.name = name;
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Spawn')) {
      let answer = 'spawned';
      try {
        ctx.spawn(Child, { name: 'c' });
      } catch (e) {
        answer = conf.rc(e);
      }
      ctx.respond(conf.msg('conf.Answer', answer));
    } else if (conf.is(msg, 'conf.Question')) {
      ctx.respond(conf.msg('conf.Answer', `${this.name}:${msg.text}`));
    } else {
      ctx.unhandled();
    }
  }
}

const pause10ms = () => new Promise((resolve) => setTimeout(resolve, 10));

// A tell of conf.Probe: "ok" or the error's code.
const probe = (pid) => conf.rcOf(() => pid.tell(conf.msg('conf.Probe')));

const system = await conf.createSystem();
const peer = await ActorSystem.create('peer');

// 1. Remoting on both nodes; the peer registers the kind.
system.remoteStart({ host: '127.0.0.1', port: 0 });
const peerAddress = peer.remoteStart({ host: '127.0.0.1', port: 0 });
conf.say('remote.start', 'ok');
peer.registerGrain('boss', Boss, { deactivateAfter: 0 });

// 2. A boss whose children are suspended when they fail; its child, by remote pid.
let keeper = null;
conf.say('spawn.keeper', await conf.rcOf(async () => {
  keeper = await system.remoteSpawn(peerAddress, 'boss', 'keeper', {
    timeout: 10000, supervisor: { strategy: 'oneForOne', directive: 'suspend' },
  });
}));
conf.say('child.keeper', await conf.askStr(keeper, 'conf.Spawn'));
let child = null;
conf.say('lookup.c', await conf.rcOf(() => {
  child = system.remoteLookup(`${peerAddress}/user/keeper/c`);
}));

// 3. It fails: suspended there.
child.tell(conf.msg('conf.Fail', 'boom'));
const here = conf.lookup(peer, '/user/keeper/c');
let rc;
for (let i = 0; (rc = await probe(here)) !== 'AKT_ESUSPENDED'; i++) {
  if (i > 1000) conf.fatal(`the child was not suspended: ${rc}`);
  await pause10ms();
}
conf.say('suspended.c', rc);

// 4. An ask from the other node is refused too.
conf.say('ask.suspended', await conf.askStr(child, 'conf.Question', 'while'));

// 5. Reinstated from the other node: it answers again.
conf.say('reinstate.c', await conf.rcOf(() => child.reinstate()));
for (let i = 0; (rc = await probe(here)) === 'AKT_ESUSPENDED'; i++) {
  if (i > 1000) conf.fatal('the child was not reinstated');
  await pause10ms();
}
conf.say('ask.reinstated', await conf.askStr(child, 'conf.Question', 'back'));

// 6. Reinstating an actor that is not suspended leaves it as it is.
conf.say('reinstate.running', await conf.rcOf(() => keeper.reinstate()));
conf.say('ask.running', await conf.askStr(keeper, 'conf.Question', 'still'));

await conf.finish(system);
await peer.shutdown();
