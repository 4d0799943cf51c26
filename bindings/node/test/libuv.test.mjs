// Node's own libuv and a library linked to the system's libuv.so.1 (as libakt's I/O layer
// is) in one process, under load: Node's loop serves HTTP, files and timers while akt's
// threads run C actors, one of which drives its own uv loop on its own thread
// (DESIGN.md section 1: libuv keeps its ABI within 1.x, each loop has its own thread).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { mkdtemp, writeFile, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Actor, Message } from 'akt';
import { withSystem } from './helpers.mjs';

const release = fileURLToPath(new URL('../build/Release/', import.meta.url));
const PROBE = path.join(release, 'libakt_uvprobe.so');
const PEER = path.join(release, 'libakt_conf_peer.so');

const mapped = (name) => readFileSync('/proc/self/maps', 'utf8').split('\n').some((l) => l.endsWith(name) || l.includes(`/${name}`));

test('the uv probe library was built (libuv1-dev installed)', () => {
  assert.ok(existsSync(PROBE), `${PROBE} is missing: install libuv1-dev and rebuild`);
});

test('Node\'s libuv and libuv.so.1 side by side, under load', async (t) => {
  const ldd = spawnSync('ldd', [path.join(release, 'libakt.so.0')], { encoding: 'utf8' });
  t.diagnostic(`node's libuv ${process.versions.uv}; libakt links libuv: ${/libuv\.so/.test(ldd.stdout)}`);
  await withSystem(async (system) => {
    const probe = system.spawnNative(PROBE, 'akt_uv_probe', { name: 'uvprobe' });
    const peer = system.spawnNative(PEER, 'akt_conf_peer', { name: 'peer' });
    const ask = async (pid, type, text = '') => (await pid.ask(new Message(type, text), { timeout: 10000 })).text;

    // Both copies are in the process; the probe's uv_* calls bind to one libuv 1.x.
    assert.ok(mapped('libuv.so.1'), 'libuv.so.1 is loaded');
    const [uvVersion, uvLib] = (await ask(probe, 'uv.Version')).split(' ');
    t.diagnostic(`the probe's uv_run is in ${uvLib} (libuv ${uvVersion})`);
    assert.match(uvVersion, /^1\.\d+\.\d+/);
    assert.ok(uvLib === process.execPath || uvLib.includes('libuv.so.1') || uvLib.endsWith('/node'), uvLib);

    // Node's loop: an HTTP server and client on loopback.
    const server = http.createServer((req, res) => res.end(`ok ${req.url}`));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const get = (i) => new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: `/${i}`, agent }, (res) => {
        let body = '';
        res.on('data', (d) => { body += d; });
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
    const HTTP_REQUESTS = 1500;
    const httpDone = (async () => {
      let ok = 0;
      for (let i = 0; i < HTTP_REQUESTS; i += 10) {
        const bodies = await Promise.all(Array.from({ length: 10 }, (_, k) => get(i + k)));
        ok += bodies.filter((b, k) => b === `ok /${i + k}`).length;
      }
      return ok;
    })();

    // Node's thread pool: files.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'akt-uv-'));
    const fsDone = (async () => {
      let ok = 0;
      for (let i = 0; i < 200; i++) {
        const f = path.join(dir, `f${i % 10}`);
        await writeFile(f, `content ${i}`);
        ok += (await readFile(f, 'utf8')) === `content ${i}` ? 1 : 0;
      }
      return ok;
    })();

    // Node's timers.
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);

    // akt: JS actors on this thread, C actors on akt's workers poking the probe's loop.
    let pongs = 0;
    let finishPongs;
    const pongsDone = new Promise((r) => { finishPongs = r; });
    const PINGS = 50000;
    class Ponger extends Actor {
      receive(ctx, msg) { ctx.respond(msg + 1); }
    }
    const ponger = system.spawn(Ponger);
    const pinger = system.spawn((ctx, msg) => {
      if (msg === 'go') { for (let i = 0; i < PINGS; i++) ctx.tell(ponger, i); }
      else if (++pongs === PINGS) finishPongs();
    });
    pinger.tell('go');
    const POKES = 20000;
    for (let i = 0; i < POKES; i += 100) probe.tellBatch(Array.from({ length: 100 }, () => new Message('uv.Poke')));
    const peerDone = (async () => {
      let ok = 0;
      for (let i = 0; i < 500; i++) ok += (await ask(peer, 'conf.Question', `${i}`)) === `peer:${i}` ? 1 : 0;
      return ok;
    })();

    const [httpOk, fsOk, peerOk] = await Promise.all([httpDone, fsDone, peerDone, pongsDone]);
    clearInterval(timer);
    agent.destroy();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });

    assert.equal(httpOk, HTTP_REQUESTS);
    assert.equal(fsOk, 200);
    assert.equal(peerOk, 500);
    assert.equal(pongs, PINGS);
    assert.ok(ticks > 0);
    const [probeTicks, asyncs, pokes] = (await ask(probe, 'uv.Count')).split(' ').map(Number);
    assert.equal(pokes, POKES);
    assert.ok(asyncs >= 1 && asyncs <= POKES, `async callbacks ${asyncs}`);
    assert.ok(probeTicks > 0, 'the probe loop\'s timer ran');
    t.diagnostic(`http ${httpOk}, node timer ticks ${ticks}, probe timer ticks ${probeTicks}, probe async callbacks ${asyncs} for ${pokes} pokes`);
  });
});
