// akt's Node binding against nact and comedy (npm), side by side in one run.
//
//   node bench.mjs [--n 1000000] [--asks 50000] [--runs 5] [--impl akt-node,nact,comedy]
//
// Each measured run is its own child process (fresh heap), the implementations taking turns
// round after round. Two benches:
//   tell     one sender (the main program) tells N messages to one actor that counts them;
//            throughput = N / (time from the first send to the last message handled).
//   ask_rtt  sequential request-reply from the main program: await ask, one at a time;
//            mean, p50 and p99 of the round trip.
// Output: one JSON line per (impl, bench) with the median over the rounds, then one line
// per peer with akt's ratios. Progress goes to stderr.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const IMPLS = ['akt-node', 'nact', 'comedy'];

function parseArgs(argv) {
  const o = { n: 1_000_000, asks: 50_000, runs: 5, impl: IMPLS.join(','), child: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--child') o.child = true;
    else if (a.startsWith('--')) o[a.slice(2)] = argv[++i];
  }
  o.n = Number(o.n);
  o.asks = Number(o.asks);
  o.runs = Number(o.runs);
  return o;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const now = () => process.hrtime.bigint();

// ---------------------------------------------------------------- implementations

async function aktNode() {
  const { ActorSystem, Actor } = await import('akt');
  const system = await ActorSystem.create('bench');
  let done = null;
  let target = 0;
  class Sink extends Actor {
    preStart() { this.n = 0; }
    receive() { if (++this.n === target) done(); }
  }
  class Echo extends Actor {
    receive(ctx, msg) { ctx.respond(msg); }
  }
  const echo = system.spawn(Echo, { name: 'echo' });
  return {
    async tell(n) {
      target = n;
      const sink = system.spawn(Sink);
      const finished = new Promise((r) => { done = r; });
      const msg = { seq: 1 };
      const t0 = now();
      for (let i = 0; i < n; i++) sink.tell(msg);
      await finished;
      const t = now() - t0;
      sink.stop();
      return t;
    },
    ask: (i) => echo.ask(i, { timeout: 5000 }),
    close: () => system.shutdown(),
  };
}

async function nact() {
  const { start, spawn, spawnStateless, dispatch, query, stop } = (await import('nact')).default;
  const system = start();
  let done = null;
  let target = 0;
  let sinks = 0;
  const echo = spawnStateless(system, (msg) => dispatch(msg.sender, msg.i), 'echo');
  return {
    async tell(n) {
      target = n;
      const sink = spawn(system, (state = 0) => {
        const c = state + 1;
        if (c === target) done();
        return c;
      }, `sink${sinks++}`);
      const finished = new Promise((r) => { done = r; });
      const msg = { seq: 1 };
      const t0 = now();
      for (let i = 0; i < n; i++) dispatch(sink, msg);
      await finished;
      const t = now() - t0;
      stop(sink);
      return t;
    },
    ask: (i) => query(echo, (sender) => ({ sender, i }), 5000),
    close: () => stop(system),
  };
}

async function comedy() {
  const actors = (await import('comedy')).default;
  const system = actors({ test: true });
  system.getLog().setLevel(1); // silent
  const root = await system.rootActor();
  let done = null;
  let target = 0;
  class Sink {
    initialize() { this.n = 0; }
    hit() { if (++this.n === target) done(); }
  }
  class Echo {
    echo(x) { return x; }
  }
  const echo = await root.createChild(Echo);
  return {
    async tell(n) {
      target = n;
      const sink = await root.createChild(Sink);
      const finished = new Promise((r) => { done = r; });
      const msg = { seq: 1 };
      const t0 = now();
      for (let i = 0; i < n; i++) sink.send('hit', msg);
      await finished;
      const t = now() - t0;
      await sink.destroy();
      return t;
    },
    ask: (i) => echo.sendAndReceive('echo', i),
    close: () => system.destroy(),
  };
}

const FACTORIES = { 'akt-node': aktNode, nact, comedy };

// ---------------------------------------------------------------- one implementation

async function runChild(o) {
  const impl = await FACTORIES[o.impl]();
  // Warm-up, not measured: one full-size run (JIT, and first-touch memory of the queues and
  // allocators, which would otherwise land in the first measured run).
  await impl.tell(o.n);
  const rates = [];
  for (let r = 0; r < o.runs; r++) {
    const ns = Number(await impl.tell(o.n));
    rates.push(o.n / (ns / 1e9));
  }
  for (let i = 0; i < Math.min(o.asks, 20000); i++) await impl.ask(i);
  const means = [];
  let lat = [];
  for (let r = 0; r < o.runs; r++) {
    const run = new Float64Array(o.asks);
    const t0 = now();
    for (let i = 0; i < o.asks; i++) {
      const a = now();
      await impl.ask(i);
      run[i] = Number(now() - a) / 1000;
    }
    means.push(Number(now() - t0) / 1000 / o.asks);
    lat = run;
  }
  await impl.close();
  const sorted = Array.from(lat).sort((a, b) => a - b);
  const out = [
    { impl: o.impl, bench: 'tell', messages: o.n, runs: o.runs, msgs_per_s: Math.round(median(rates)),
      all: rates.map(Math.round) },
    { impl: o.impl, bench: 'ask_rtt', asks: o.asks, runs: o.runs, us_mean: +median(means).toFixed(3),
      us_p50: +pct(sorted, 50).toFixed(3), us_p99: +pct(sorted, 99).toFixed(3),
      all_means: means.map((m) => +m.toFixed(3)) },
  ];
  for (const line of out) process.stdout.write(`${JSON.stringify(line)}\n`);
  process.exit(0); // comedy keeps timers alive
}

// ---------------------------------------------------------------- driver

// Rounds alternate the implementations (akt, nact, comedy, akt, ...), one measured run per
// child process, so that load drifting on a shared machine hits all of them alike.
function runAll(o) {
  const self = fileURLToPath(import.meta.url);
  const impls = o.impl.split(',');
  const rounds = {};
  for (let r = 0; r < o.runs; r++) {
    for (const impl of impls) {
      process.stderr.write(`bench: round ${r + 1}/${o.runs} ${impl} ...\n`);
      const c = spawnSync(process.execPath, [self, '--child', '--impl', impl, '--n', String(o.n),
        '--asks', String(o.asks), '--runs', '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (c.status !== 0) {
        process.stderr.write(`bench: ${impl} failed (exit ${c.status})\n`);
        process.exitCode = 1;
        continue;
      }
      for (const line of c.stdout.trim().split('\n')) {
        const j = JSON.parse(line);
        ((rounds[impl] ||= {})[j.bench] ||= []).push(j);
      }
    }
  }
  const results = {};
  for (const impl of impls) {
    const t = rounds[impl] && rounds[impl].tell;
    const a = rounds[impl] && rounds[impl].ask_rtt;
    if (!t || !a) continue;
    const byMean = [...a].sort((x, y) => x.us_mean - y.us_mean)[Math.floor(a.length / 2)];
    results[impl] = {
      tell: { impl, bench: 'tell', messages: o.n, runs: t.length,
        msgs_per_s: median(t.map((j) => j.msgs_per_s)), all: t.map((j) => j.msgs_per_s) },
      ask_rtt: { impl, bench: 'ask_rtt', asks: o.asks, runs: a.length, us_mean: byMean.us_mean,
        us_p50: byMean.us_p50, us_p99: byMean.us_p99, all_means: a.map((j) => j.us_mean) },
    };
    process.stdout.write(`${JSON.stringify(results[impl].tell)}\n${JSON.stringify(results[impl].ask_rtt)}\n`);
  }
  const akt = results['akt-node'];
  if (!akt) return;
  for (const peer of Object.keys(results).filter((k) => k !== 'akt-node')) {
    const p = results[peer];
    // Per round (the two ran back to back): robust to load that drifts between rounds.
    const rounds = Math.min(akt.tell.all.length, p.tell.all.length);
    const perRound = Array.from({ length: rounds }, (_, i) => +(akt.tell.all[i] / p.tell.all[i]).toFixed(2));
    process.stdout.write(`${JSON.stringify({
      impl: 'akt-node', bench: 'ratio', vs: peer,
      tell: +(akt.tell.msgs_per_s / p.tell.msgs_per_s).toFixed(2),
      tell_per_round: perRound,
      ask_rtt: +(p.ask_rtt.us_mean / akt.ask_rtt.us_mean).toFixed(2),
    })}\n`);
  }
}

const opts = parseArgs(process.argv.slice(2));
if (opts.child) await runChild(opts);
else runAll(opts);
