// remote_tell_ask: two systems of one process over 127.0.0.1; ordered tells, an ask, an
// unknown path, an ask after the peer shut down.
import { Actor, ActorSystem, Pid } from 'akt';
import * as conf from 'akt/conformance';

const senderIs = (pid, prefix, suffix) =>
  pid !== null && pid.path.startsWith(prefix) && pid.path.endsWith(suffix);

// echo: conf.Note "<n>" -> journals it; conf.Question "<t>" -> conf.Answer "re:<t>";
// conf.Ping -> journals whether its sender is the remote pinger, responds conf.Pong.
class Echo extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Note')) conf.log('peer.note', msg.text);
    else if (conf.is(msg, 'conf.Question')) ctx.respond(conf.msg('conf.Answer', `re:${msg.text}`));
    else if (conf.is(msg, 'conf.Ping')) {
      conf.log('sender.remote', senderIs(ctx.sender, 'akt://conf@', '/user/pinger') ? 'yes' : 'no');
      ctx.respond(conf.msg('conf.Pong'));
    } else ctx.unhandled();
  }
}

// pinger: the remote echo pid -> tells it conf.Ping as itself; conf.Pong -> journals
// whether it came from the remote echo.
class Pinger extends Actor {
  receive(ctx, msg) {
    if (msg instanceof Pid) ctx.tell(msg, conf.msg('conf.Ping'));
    else if (conf.is(msg, 'conf.Pong')) {
      conf.log('sender.reply', senderIs(ctx.sender, 'akt://peer@', '/user/echo') ? 'yes' : 'no');
    } else ctx.unhandled();
  }
}

const system = await conf.createSystem();
const peer = await ActorSystem.create('peer');

// 1. Remoting on both nodes, 127.0.0.1, an ephemeral port.
system.remoteStart({ host: '127.0.0.1', port: 0 });
const peerAddress = peer.remoteStart({ host: '127.0.0.1', port: 0 });
conf.say('remote.start', 'ok');
peer.spawn(Echo, { name: 'echo' });

// 2. One pid per address, and its path is the address.
const echo = system.remoteLookup(`${peerAddress}/user/echo`);
const again = system.remoteLookup(`${peerAddress}/user/echo`);
conf.say('lookup.same', echo.equals(again) ? 'same pid' : 'different pid');
conf.say('lookup.path', echo.path === `${peerAddress}/user/echo` ? 'yes' : 'no');

// 3. Tells arrive in the order sent.
for (const n of ['1', '2', '3']) echo.tell(conf.msg('conf.Note', n));
await conf.waitLog(3);
conf.flush();

// 4. An ask round trip.
conf.say('ask.reply', await conf.askStr(echo, 'conf.Question', 'hello'));

// The sender crosses both ways: the echo sees the pinger, the pinger the echo.
system.spawn(Pinger, { name: 'pinger' }).tell(echo);
await conf.waitLog(2);
conf.flush();

// 5. An unknown path: the peer answers AKT_ENOTFOUND.
const nobody = system.remoteLookup(`${peerAddress}/user/nobody`);
conf.say('ask.unknown', await conf.askStr(nobody, 'conf.Question', 'anyone?'));

// 6. The peer goes away ...
await peer.shutdown();
conf.say('peer.shutdown', 'ok');

// 7. ... and an ask to it fails with AKT_EUNREACHABLE.
conf.say('ask.after_shutdown', await conf.askStr(echo, 'conf.Question', 'still there?'));

await conf.finish(system);
