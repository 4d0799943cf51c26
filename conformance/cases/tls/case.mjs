// tls: remoting over mutual TLS between two systems of one process; a node with a
// certificate of an untrusted CA and a plaintext node are refused.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Actor, ActorSystem } from 'akt';
import * as conf from 'akt/conformance';

// echo: conf.Note "<n>" -> journals it; conf.Question "<t>" -> conf.Answer "re:<t>".
class Echo extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Note')) conf.log('peer.note', msg.text);
    else if (conf.is(msg, 'conf.Question')) ctx.respond(conf.msg('conf.Answer', `re:${msg.text}`));
    else ctx.unhandled();
  }
}

// 1. The certificates, made for this run.
const certs = mkdtempSync(join(tmpdir(), 'akt-conf-tls-'));
if (spawnSync('sh', ['certs.sh', certs], { stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) {
  conf.fatal('certs.sh failed');
}
conf.say('certs', 'ok');

// The mutual TLS settings of `who` ("node" or "rogue").
const mutual = (who) => ({
  cert: join(certs, `${who}.pem`), key: join(certs, `${who}.key`), ca: join(certs, 'ca.pem'),
  requireClientCert: true,
});

// 2. Mutual TLS on both nodes.
const system = await conf.createSystem();
const peer = await ActorSystem.create('peer');
system.remoteStart({ host: '127.0.0.1', port: 0, tls: mutual('node') });
const peerAddress = peer.remoteStart({ host: '127.0.0.1', port: 0, tls: mutual('node') });
conf.say('remote.start', 'ok');
peer.spawn(Echo, { name: 'echo' });
const echoAddress = `${peerAddress}/user/echo`;

// 3. An ask over mutual TLS.
const echo = system.remoteLookup(echoAddress);
conf.say('ask.mtls', await conf.askStr(echo, 'conf.Question', 'hello'));

// 4. Tells arrive in the order sent.
for (const n of ['1', '2', '3']) echo.tell(conf.msg('conf.Note', n));
await conf.waitLog(3);
conf.flush();

// 5. A certificate of another CA: refused.
const rogue = await ActorSystem.create('rogue');
rogue.remoteStart({ host: '127.0.0.1', port: 0, tls: mutual('rogue') });
conf.say('ask.untrusted',
  await conf.askStr(rogue.remoteLookup(echoAddress), 'conf.Question', 'let me in'));

// 6. No TLS at all: refused.
const plain = await ActorSystem.create('plain');
plain.remoteStart({ host: '127.0.0.1', port: 0 });
conf.say('ask.plaintext',
  await conf.askStr(plain.remoteLookup(echoAddress), 'conf.Question', 'let me in'));

// 7. The peer still serves its own.
conf.say('ask.again', await conf.askStr(echo, 'conf.Question', 'still here'));

// 8. The other nodes go.
for (const node of [plain, rogue, peer]) await node.shutdown();
conf.say('peers.shutdown', 'ok');

await conf.finish(system);
rmSync(certs, { recursive: true, force: true });
