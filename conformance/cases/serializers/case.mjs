// serializers: JSON, CBOR, protobuf and a custom serializer across two systems of one
// process over 127.0.0.1, and a value that cannot cross.
import { Actor, ActorSystem, Message } from 'akt';
import * as conf from 'akt/conformance';

// A point (x, y), each 0..255; crosses with the custom "point" serializer.
class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
}

// A value with no serializer and no bytes: it refers to itself, so JSON cannot hold it.
class Opaque {
  constructor() {
    this.self = this;
  }
}

const typeOf = (m) => (m instanceof Message ? m.type : m instanceof Point ? 'conf.Point' : 'akt.Json');

// echo: journals the type of what it got and responds with it.
class Echo extends Actor {
  receive(ctx, msg) {
    conf.log('peer.got', typeOf(msg));
    ctx.respond(msg);
  }
}

function serializers(system) {
  system.bindSerializer('akt.Json', 'cbor');
  system.bindSerializer('conf.Doc', 'json');
  system.bindSerializer('akt.remote.Failure', 'protobuf');
  system.registerSerializer('point', {
    type: 'conf.Point',
    cls: Point,
    encode: (p) => Uint8Array.of(p.x, p.y),
    decode: (buf) => new Point(buf[0], buf[1]),
  });
}

const system = await conf.createSystem();
const peer = await ActorSystem.create('peer');

// 1. The same serializers on both nodes, then remoting.
serializers(system);
serializers(peer);
system.remoteStart({ host: '127.0.0.1', port: 0 });
const peerAddress = peer.remoteStart({ host: '127.0.0.1', port: 0 });
conf.say('remote.start', 'ok');
peer.spawn(Echo, { name: 'echo' });
const echo = system.remoteLookup(`${peerAddress}/user/echo`);

// 2. An object as CBOR.
conf.say('cbor.serializer', system.serializerFor('akt.Json') ?? 'none');
const doc = { name: 'akt', list: [1, 2.5, null, true], nested: {} };
const back = await echo.ask(doc, { timeout: conf.ASK_MS });
conf.say('cbor.equal', JSON.stringify(back) === JSON.stringify(doc) && !(back instanceof Message) ? 'yes' : 'no');

// 3. JSON text, sent compact.
conf.say('json.reply', (await echo.ask(conf.msg('conf.Doc', '{ "b" : [true, "x"] }'), { timeout: conf.ASK_MS })).text);

// 4. The bytes of a protobuf message.
const pb = Buffer.from([0x08, 0x09, 0x12, 0x04, ...Buffer.from('gone')]);
const pbBack = await echo.ask(new Message('akt.remote.Failure', pb), { timeout: conf.ASK_MS });
conf.say('protobuf.equal', Buffer.from(pbBack.data).equals(pb) ? 'yes' : 'no');

// 5. A custom serializer.
const p = await echo.ask(new Point(3, 4), { timeout: conf.ASK_MS });
conf.say('custom.reply', p instanceof Point ? `${p.x},${p.y}` : 'not a point');

// 6. No serializer and no bytes: refused here.
conf.say('refused.ask', await conf.rcOf(() => echo.ask(new Opaque(), { timeout: conf.ASK_MS })));

// 7. What reached the echo, in order.
await conf.waitLog(4);
conf.flush();

// 8.
await peer.shutdown();
await conf.finish(system);
