// akt streams against node:stream's pipeline, the same 5 stages in one run:
// range -> map(x+1) -> filter(even) -> map(x*3) -> fold(sum), in object mode with the
// same high-water mark as akt's window. Prints JSON lines and the ratio akt/pipeline; then
// the same with a Readable in and a Writable out of akt (the Node stream adapters).
// Usage: node bench/stream/stream_node.mjs [N] (default 1000000), with 'akt' resolvable.
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ActorSystem, Source, Sink } from 'akt';

const n = Number(process.argv[2] || 1000000);
const emit = (bench, value, unit) =>
  console.log(JSON.stringify({ impl: 'akt-node', bench, value: Math.round(value * 1000) / 1000, unit, n }));

async function runAkt(system, fusion) {
  const src = Source.range(0, n).map((x) => x + 1).filter((x) => x % 2 === 0).map((x) => x * 3)
    .window(256).fusion(fusion);
  const t0 = performance.now();
  const total = await src.runWith(Sink.fold(0, (a, x) => a + x), system).result();
  return [n / ((performance.now() - t0) / 1000), total];
}

async function runPipeline() {
  const opts = { objectMode: true, highWaterMark: 256 };
  let total = 0;
  function* range() { for (let i = 0; i < n; i++) yield i; }
  const t0 = performance.now();
  await pipeline(
    Readable.from(range(), opts),
    new Transform({ ...opts, transform(x, _, cb) { cb(null, x + 1); } }),
    new Transform({ ...opts, transform(x, _, cb) { if (x % 2 === 0) cb(null, x); else cb(); } }),
    new Transform({ ...opts, transform(x, _, cb) { cb(null, x * 3); } }),
    new Writable({ ...opts, write(x, _, cb) { total += x; cb(); } }),
  );
  return [n / ((performance.now() - t0) / 1000), total];
}

// Node streams at the ends: a Readable in (Source.fromAsyncIterable), a Writable out
// (Sink.toWritable), the three middle stages in akt; against the same pipeline.
async function runAktIo(system) {
  const opts = { objectMode: true, highWaterMark: 256 };
  let total = 0;
  function* range() { for (let i = 0; i < n; i++) yield i; }
  const t0 = performance.now();
  await Source.fromAsyncIterable(Readable.from(range(), opts))
    .map((x) => x + 1).filter((x) => x % 2 === 0).map((x) => x * 3).window(256)
    .runWith(Sink.toWritable(new Writable({ ...opts, write(x, _, cb) { total += x; cb(); } })), system)
    .result();
  return [n / ((performance.now() - t0) / 1000), total];
}

const system = await ActorSystem.create('stream-bench', { logger: null });
const [fused, r1] = await runAkt(system, true);
const [unfused, r2] = await runAkt(system, false);
const [io, r4] = await runAktIo(system);
await system.shutdown();
const [peer, r3] = await runPipeline();
if (r4 !== r3) throw new Error(`results differ: ${r4} ${r3}`);
emit('stream5_io_readable_writable', io, 'elements/s');
emit('stream5_io_over_pipeline', io / peer, 'ratio');
if (r1 !== r2 || r2 !== r3) throw new Error(`results differ: ${r1} ${r2} ${r3}`);
emit('stream5_fused', fused, 'elements/s');
emit('stream5_unfused', unfused, 'elements/s');
emit('stream5_node_pipeline', peer, 'elements/s');
emit('stream5_fused_over_pipeline', fused / peer, 'ratio');
emit('stream5_unfused_over_pipeline', unfused / peer, 'ratio');
