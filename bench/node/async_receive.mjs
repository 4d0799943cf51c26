// Async receive throughput: akt's Node binding against nact (whose handlers may be async and
// are awaited one message at a time), rounds interleaved in one process.
//
//   node async_receive.mjs [--n 100000] [--runs 5]
//
// variant "plain":   the handler is async but awaits nothing.
// variant "request": the handler awaits a round trip to a second actor (akt: await
//                    ctx.request(echo, msg); nact: await query(echo, ...)).
// Both keep one message at a time per actor. Output: one JSON line per (impl, variant) with
// the median msg/s over the runs, then one line per variant with akt's ratio to nact.

function parseArgs(argv) {
  const o = { n: 100_000, runs: 5 };
  for (let i = 0; i < argv.length; i++) if (argv[i].startsWith('--')) o[argv[i].slice(2)] = Number(argv[++i]);
  return o;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => process.hrtime.bigint();

async function aktNode() {
  const { ActorSystem, Actor } = await import('akt');
  const system = await ActorSystem.create('bench');
  class Echo extends Actor {
    receive(ctx, msg) { ctx.respond(msg); }
  }
  const echo = system.spawn(Echo);
  return {
    async round(n, request) {
      let done;
      const finished = new Promise((r) => { done = r; });
      class Worker extends Actor {
        preStart() { this.n = 0; }
        async receive(ctx, msg) {
          if (request) await ctx.request(echo, msg);
          if (++this.n === n) done();
        }
      }
      const w = system.spawn(Worker);
      const t0 = now();
      for (let i = 0; i < n; i++) w.tell(i);
      await finished;
      const t = now() - t0;
      w.stop();
      return t;
    },
    close: () => system.shutdown(),
  };
}

async function nact() {
  const { start, spawn, spawnStateless, dispatch, query, stop } = (await import('nact')).default;
  const system = start();
  const echo = spawnStateless(system, (msg) => dispatch(msg.sender, msg.i), 'echo');
  let k = 0;
  return {
    async round(n, request) {
      let done;
      const finished = new Promise((r) => { done = r; });
      const w = spawn(system, async (state = 0, msg) => {
        if (request) await query(echo, (sender) => ({ sender, i: msg }), 5000);
        const c = state + 1;
        if (c === n) done();
        return c;
      }, `worker${k++}`);
      const t0 = now();
      for (let i = 0; i < n; i++) dispatch(w, i);
      await finished;
      const t = now() - t0;
      stop(w);
      return t;
    },
    close: () => stop(system),
  };
}

const o = parseArgs(process.argv.slice(2));
const impls = { 'akt-node': await aktNode(), nact: await nact() };
for (const [variant, request] of [['plain', false], ['request', true]]) {
  const n = request ? Math.floor(o.n / 4) : o.n;
  const rates = { 'akt-node': [], nact: [] };
  for (let r = 0; r <= o.runs; r++) { // the first round of each is a warm-up
    for (const [name, impl] of Object.entries(impls)) {
      const ns = await impl.round(n, request);
      if (r) rates[name].push(n / (Number(ns) / 1e9));
    }
  }
  const med = {};
  for (const [name, xs] of Object.entries(rates)) {
    med[name] = median(xs);
    console.log(JSON.stringify({ impl: name, bench: 'async_receive', variant, n, rounds: xs.map(Math.round), msgs_per_s: Math.round(med[name]) }));
  }
  console.log(JSON.stringify({ bench: 'async_receive', variant, vs: 'nact', ratio: Math.round((med['akt-node'] / med.nact) * 100) / 100 }));
}
for (const impl of Object.values(impls)) await impl.close();
