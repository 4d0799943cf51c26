// serializers_protobuf: a protobuf message (conf.proto, as protobufjs's class for it)
// crosses as itself between two systems of one process over 127.0.0.1.
import { Actor, ActorSystem } from 'akt';
import * as conf from 'akt/conformance';
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';

const Greeting = protobuf.loadSync(fileURLToPath(new URL('conf.proto', import.meta.url)))
  .lookupType('conf.Greeting');

// echo: journals the Greeting it got and responds with a new one made here.
class Echo extends Actor {
  receive(ctx, msg) {
    if (!(msg instanceof Greeting.ctor)) {
      conf.log('peer.got', `other ${msg?.type ?? typeof msg}`);
      return;
    }
    conf.log('peer.got', `conf.Greeting ${msg.text} ${msg.count}`);
    ctx.respond(Greeting.create({ text: `${msg.text} back`, count: Number(msg.count) + 1, tags: [...msg.tags, 'peer'] }));
  }
}

const system = await conf.createSystem();
const peer = await ActorSystem.create('peer');

// 1. The class on both nodes, then remoting.
system.registerProtobuf(Greeting);
peer.registerProtobuf(Greeting);
system.remoteStart({ host: '127.0.0.1', port: 0 });
const peerAddress = peer.remoteStart({ host: '127.0.0.1', port: 0 });
conf.say('remote.start', 'ok');
conf.say('protobuf.serializer', system.serializerFor('conf.Greeting') ?? 'none');
peer.spawn(Echo, { name: 'echo' });
const echo = system.remoteLookup(`${peerAddress}/user/echo`);

// 2. The Greeting and its encoding.
const g = Greeting.create({ text: 'hello', count: 41, tags: ['a', 'b'] });
conf.say('encoded', Buffer.from(Greeting.encode(g).finish()).toString('hex'));

// 3. Ask the remote echo.
const r = await echo.ask(g, { timeout: conf.ASK_MS });
conf.say('reply.generated', r instanceof Greeting.ctor ? 'yes' : 'no');
conf.say('reply', `text=${r.text} count=${r.count} tags=${r.tags.join(',')}`);

// 4. A tell, then the journal in order.
echo.tell(Greeting.create({ text: 'told', count: 7 }));
await conf.waitLog(2);
conf.flush();

// 5.
await peer.shutdown();
await conf.finish(system);
