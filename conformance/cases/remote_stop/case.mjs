// remote_stop: graceful stop of a remote pid (ok, AKT_ETIMEDOUT, AKT_EUNREACHABLE) and a
// Close frame's reason reaching the peer (a tell's dead letter, an ask's failure).
import { Actor, ActorSystem } from 'akt';
import * as conf from 'akt/conformance';

const BIG = 'x'.repeat(16384);

// sink: conf.Note "<n>" -> journals it.
class Sink extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Note')) conf.log('peer.note', msg.text);
    else ctx.unhandled();
  }
}

// holder: conf.Hold -> journals it, then takes 1 s (the thread blocks, as a busy actor).
class Holder extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Hold')) {
      conf.log('peer.hold', 'started');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    } else ctx.unhandled();
  }
}

// echo: answers a message with itself.
class Echo extends Actor {
  receive(ctx, msg) {
    ctx.respond(msg);
  }
}

// A close reason as the transcript writes it: its fixed part, or the reason as it is.
function closeReason(reason) {
  if (typeof reason === 'string' && reason.includes('remote peer closed the connection: ') &&
      reason.includes("over this node's message limit of 2048")) {
    return "closed by peer: over this node's message limit of 2048";
  }
  return reason ? String(reason) : '(none)';
}

// A graceful stop with a timeout (ms), waited for: "ok" or the error's code.
const stopGraceful = (pid, timeout) => conf.rcOf(() => pid.stopGracefully({ timeout }));

const system = await conf.createSystem();
const peer = await ActorSystem.create('peer');

// 1. Remoting on both nodes: conf chunks at 1024 bytes, the peer takes 2048 at most.
system.remoteStart({ host: '127.0.0.1', port: 0, heartbeatInterval: 0, chunkBytes: 1024 });
const peerAddress = peer.remoteStart({ host: '127.0.0.1', port: 0, heartbeatInterval: 0,
  maxFrameBytes: 2048, maxMessageBytes: 2048 });
conf.say('remote.start', 'ok');
peer.spawn(Sink, { name: 'sink' });
peer.spawn(Holder, { name: 'holder' });
peer.spawn(Echo, { name: 'echo' });
const sub = system.subscribe('deadLetter', (ev) => {
  if (conf.is(ev.message, 'conf.Big')) conf.log('dead.letter', `conf.Big (${closeReason(ev.reason)})`);
});

// 2. A graceful stop after three tells.
const sink = system.remoteLookup(`${peerAddress}/user/sink`);
for (const n of ['1', '2', '3']) sink.tell(conf.msg('conf.Note', n));
conf.say('stop.sink', await stopGraceful(sink, 10000));
await conf.waitLog(3);
conf.flush();

// 3. A graceful stop that times out behind a message that takes 1 s.
const holder = system.remoteLookup(`${peerAddress}/user/holder`);
holder.tell(conf.msg('conf.Hold'));
conf.say('stop.holder', await stopGraceful(holder, 100));
await conf.waitLog(1);
conf.flush();

// 4. No such actor there: nothing to stop.
conf.say('stop.nobody', await stopGraceful(system.remoteLookup(`${peerAddress}/user/nobody`), 10000));

// 5. A tell too large for the peer: its Close frame's reason reaches the dead letter.
const echo = system.remoteLookup(`${peerAddress}/user/echo`);
echo.tell(conf.msg('conf.Big', BIG));
await conf.waitLog(1);
conf.flush();

// 6. An ask too large for the peer fails with the Close frame's reason.
try {
  await echo.ask(conf.msg('conf.Big', BIG), { timeout: 10000 });
  conf.say('ask.big', 'ok');
} catch (e) {
  conf.say('ask.big', `${conf.rc(e)} (${closeReason(e.reason ?? e.message)})`);
}

// 7. The connection comes back.
conf.say('ask.small', await conf.askStr(echo, 'conf.Small', 'hi'));

// 8. The peer goes away: a graceful stop of its pid cannot reach it.
await peer.shutdown();
conf.say('peer.shutdown', 'ok');
conf.say('stop.gone', await stopGraceful(echo, 10000));

sub.unsubscribe();
await conf.finish(system);
