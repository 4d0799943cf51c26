// stream_remote: a stream's sink on another node (a remote Sink.actor) and a source
// reference (Source.actorRef) fed by a stream on another node.
import { ActorSystem, Source, Sink, STREAM_END } from 'akt';
import * as conf from 'akt/conformance';

// target (on peer): journals each element and answers it; 'done' ends.
function target(ctx, msg) {
  if (msg === 'done') {
    conf.log('peer.end', 'done');
    return;
  }
  conf.log('peer.got', String(msg));
  ctx.respond('ack');
}

async function ended(s) {
  try {
    await s.result();
    return 'ok';
  } catch (e) {
    return e.reason || String(e.message);
  }
}

async function results(s) {
  try {
    return (await s.result()).join(' ');
  } catch (e) {
    return e.reason || String(e.message);
  }
}

const system = await conf.createSystem();
const peer = await ActorSystem.create('peer');

// 1.
system.remoteStart({ host: '127.0.0.1', port: 0 });
const peerAddress = peer.remoteStart({ host: '127.0.0.1', port: 0 });
conf.say('remote.start', 'ok');
peer.spawn(target, { name: 'target' });

// 2. A remote sink.
const remote = system.remoteLookup(`${peerAddress}/user/target`);
const s = Source.range(1, 6).runWith(Sink.actor(remote, { inFlight: 2, onComplete: 'done' }), system);
conf.say('sink.stream', await ended(s));
await conf.waitLog(6);
conf.flush();

// 3. A source reference fed from the peer.
const consumer = Source.actorRef(2).runWith(Sink.collect(), system);
const src = peer.remoteLookup(consumer.sourceAddress);
const producer = Source.range(10, 15).runWith(Sink.actor(src, { inFlight: 2, onComplete: STREAM_END }), peer);
conf.say('ref.producer', await ended(producer));
conf.say('ref.result', await results(consumer));

// 4. An ask into a source reference.
const asked = Source.actorRef(1).runWith(Sink.collect(), system);
conf.say('ref.ask', (await asked.sourcePid.ask(7)).type);
asked.sourcePid.tell(STREAM_END);
conf.say('ref.asked', await results(asked));

// 5.
await peer.shutdown();
conf.say('peer.shutdown', 'ok');
await conf.finish(system);
