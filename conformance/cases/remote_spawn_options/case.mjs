// remote_spawn_options: a remote spawn carries the supervisor, the mailbox, the passivation
// and the reentrancy to the spawning node (remoteSpawn's options, as a local spawn's); a
// function (a decider, a priority compare) cannot cross and is refused here, leaving
// nothing there.
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

// Waits until peer has no actor at path.
async function waitGone(peer, path) {
  const deadline = Date.now() + 10000;
  while (peer.lookup(path) !== null) {
    if (Date.now() > deadline) conf.fatal(`${path} did not stop`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const system = await conf.createSystem();
const peer = await ActorSystem.create('peer');
const timeout = 10000;

// 1. Remoting on both nodes; the peer registers the kind.
system.remoteStart({ host: '127.0.0.1', port: 0 });
const peerAddress = peer.remoteStart({ host: '127.0.0.1', port: 0 });
conf.say('remote.start', 'ok');
peer.registerGrain('boss', Boss, { deactivateAfter: 0 });

// Spawns boss `name` on the peer with opts: [result, pid].
async function spawn(name, opts) {
  let pid = null;
  const result = await conf.rcOf(async () => {
    pid = await system.remoteSpawn(peerAddress, 'boss', name, opts);
  });
  return [result, pid];
}

// 2. A supervisor that stops, against the default that restarts.
const [strictRc, strict] = await spawn('strict', { timeout, supervisor: { strategy: 'oneForOne', directive: 'stop' } });
conf.say('spawn.strict', strictRc);
const [lenientRc, lenient] = await spawn('lenient');
conf.say('spawn.lenient', lenientRc);
conf.say('child.strict', await conf.askStr(strict, 'conf.Spawn'));
conf.say('child.lenient', await conf.askStr(lenient, 'conf.Spawn'));
conf.lookup(peer, '/user/strict/c').tell(conf.msg('conf.Fail', 'boom'));
conf.lookup(peer, '/user/lenient/c').tell(conf.msg('conf.Fail', 'boom'));
await waitGone(peer, '/user/strict/c');
conf.say('supervise.strict', 'stopped');
conf.say('supervise.lenient',
  await conf.askStr(conf.lookup(peer, '/user/lenient/c'), 'conf.Question', 'after'));

// 3. Passivated after two messages.
const [briefRc, brief] = await spawn('brief', { timeout, passivation: { messages: 2 } });
conf.say('spawn.brief', briefRc);
conf.say('brief.first', await conf.askStr(brief, 'conf.Question', 'one'));
conf.say('brief.second', await conf.askStr(brief, 'conf.Question', 'two'));
await waitGone(peer, '/user/brief');
conf.say('passivate.brief', 'ok');

// 4. A bounded mailbox crosses; a priority one (a compare function) cannot.
const [boundedRc, bounded] = await spawn('bounded', {
  timeout, mailbox: { kind: 'bounded', capacity: 4, whenFull: 'fail' },
});
conf.say('spawn.bounded', boundedRc);
conf.say('ask.bounded', await conf.askStr(bounded, 'conf.Question', 'hi'));
const [priorityRc] = await spawn('ranked', { timeout, mailbox: { kind: 'priority', compare: () => 0 } });
conf.say('spawn.priority', priorityRc);

// 5. Reentrancy.
const [reentrantRc, reentrant] = await spawn('reentrant', { timeout, reentrancy: 'allowAll', maxInFlight: 4 });
conf.say('spawn.reentrant', reentrantRc);
conf.say('ask.reentrant', await conf.askStr(reentrant, 'conf.Question', 'hi'));

// 6. A decider cannot cross: refused here, nothing there.
const [decidedRc] = await spawn('decided', { timeout, supervisor: { decide: () => 'restart' } });
conf.say('spawn.decided', decidedRc);
conf.say('decided.there', peer.lookup('/user/decided') === null ? 'AKT_ENOTFOUND' : 'ok');

await conf.finish(system);
await peer.shutdown();
