// remote_compress: frame compression between a zstd node and peers of each method.
import { Actor, ActorSystem } from 'akt';
import * as conf from 'akt/conformance';

const T = 'compress me '.repeat(250);

class Echo extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Question')) ctx.respond(conf.msg('conf.Answer', `re:${msg.text}`));
    else ctx.unhandled();
  }
}

const system = await conf.createSystem();
system.remoteStart({ host: '127.0.0.1', port: 0, compression: 'zstd' });
conf.say('remote.start', 'ok');
for (const method of ['zstd', 'gzip', 'brotli', 'none']) {
  const peer = await ActorSystem.create('peer');
  const address = peer.remoteStart({ host: '127.0.0.1', port: 0, compression: method });
  peer.spawn(Echo, { name: 'echo' });
  const got = await conf.askStr(system.remoteLookup(`${address}/user/echo`), 'conf.Question', T);
  conf.say(`ask.${method}`, got === `conf.Answer re:${T}` ? 'intact' : got);
  await peer.shutdown();
}
try {
  system.remoteStart({ host: '127.0.0.1', port: 0, compression: 'lz4' });
  conf.say('start.bad_method', 'accepted');
} catch (e) {
  conf.say('start.bad_method', e instanceof TypeError ? 'refused' : String(e));
}
await conf.finish(system);
