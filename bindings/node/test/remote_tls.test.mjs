// Remoting over TLS 1.3: mutual TLS between two systems of this process, with a CA and
// certificates made for the test by the openssl CLI (tests/tools/tls_certs.sh).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ActorSystem, Actor, InvalidArgumentError, NotFoundError, UnreachableError,
} from 'akt';

const certsSh = fileURLToPath(new URL('../../../tests/tools/tls_certs.sh', import.meta.url));
let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'akt-tls-'));
  execFileSync('sh', [certsSh, dir], { timeout: 60000 });
});
after(() => rmSync(dir, { recursive: true, force: true }));

const mtls = (name = 'node') => ({
  cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`), ca: join(dir, 'ca.pem'),
  requireClientCert: true,
});

class Echo extends Actor {
  receive(ctx, msg) { ctx.respond(msg); }
}

async function pair(fn) {
  const a = await ActorSystem.create('jsalpha', { logger: null });
  const b = await ActorSystem.create('jsbeta', { logger: null });
  try {
    await fn(a, b);
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
}

test('an ask over mutual TLS', () => pair(async (a, b) => {
  const addrB = b.remoteStart({ tls: mtls() });
  a.remoteStart({ tls: mtls() });
  b.spawn(Echo, { name: 'echo' });
  const echo = a.remoteLookup(`${addrB}/user/echo`);
  assert.equal(await echo.ask('over mTLS', { timeout: 10000 }), 'over mTLS');
}));

test('a certificate from an untrusted CA is refused', () => pair(async (a, b) => {
  const addrB = b.remoteStart({ tls: mtls() });
  a.remoteStart({ tls: mtls('rogue') });
  b.spawn(Echo, { name: 'echo' });
  await assert.rejects(a.remoteLookup(`${addrB}/user/echo`).ask('x', { timeout: 10000 }),
    UnreachableError);
  // b refused a's certificate and says why.
  const deadline = Date.now() + 10000;
  while (b.remoteTlsFailures().count === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const { count, reason } = b.remoteTlsFailures();
  assert.ok(count >= 1);
  assert.match(reason, /certificate rejected/);
}));

test('TLS options are checked', () => pair(async (a) => {
  assert.throws(() => a.remoteTlsFailures(), NotFoundError);
  assert.throws(() => a.remoteStart({ tls: { cert: join(dir, 'node.pem') } }),
    InvalidArgumentError);
  assert.throws(() => a.remoteStart({ tls: { cert: join(dir, 'no.pem'), key: join(dir, 'node.key') } }),
    InvalidArgumentError);
  assert.throws(() => a.remoteStart({ tls: 'yes' }), TypeError);
  assert.throws(() => a.remoteStart({ tls: { ...mtls(), requireClientCert: 1 } }), TypeError);
  assert.throws(() => a.remoteStart({ tls: { cert: 7, key: 'k' } }), InvalidArgumentError);
  assert.match(a.remoteStart({ tls: mtls() }), /^akt:\/\/jsalpha@/);
  assert.deepEqual(a.remoteTlsFailures(), { count: 0, reason: '' });
}));
