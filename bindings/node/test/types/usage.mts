// Compiled (not run) by test/types.test.mjs: the declarations describe what users write.
import { ActorSystem, Actor, Context, Message, Pid, Terminated, TimeoutError, AktError, registerDecoder, registerType, ScheduleInfo, Source, Sink } from 'akt';

class Counter extends Actor {
  n = 0;
  preStart(ctx: Context): void { this.n = 0; }
  receive(ctx: Context, msg: unknown): void {
    if (msg === 'get') ctx.respond(this.n);
    else if (msg instanceof Terminated) ctx.stop();
    else if (typeof msg === 'number') this.n += msg;
    else ctx.unhandled();
  }
}

async function main(): Promise<number> {
  const system: ActorSystem = await ActorSystem.create('demo', { workers: 2, logger: console });
  const quiet = await ActorSystem.create('quiet', { logger: null });
  await quiet.shutdown();
  const pid: Pid = system.spawn(Counter, { name: 'counter', supervisor: { directive: 'restart' } });
  system.spawn((ctx, msg) => ctx.respond(msg), { dependencies: { db: {} } });
  system.spawn(Counter, { supervisor: { maxRetries: 3, within: 1000, onRetriesExhausted: 'suspend' } });
  system.spawn((ctx: Context, msg: unknown) => {
    ctx.request(pid, 'get', { timeout: 100, reentrancy: 'stash', then: (c, reply, error) => {
      if (error === null) c.tell(pid, reply);
    } });
    const p: Promise<number> = ctx.request<number>(pid, 'get');
    void p;
    const byName: Promise<number> = ctx.request<number>('counter', 'get', { timeout: 100 });
    void byName;
    ctx.request('/user/counter', 'get', { then: (c, reply) => { void c; void reply; } });
  }, { reentrancy: 'allowAll', maxInFlight: 8 });
  pid.tell(1);
  pid.tell(new Message('shop.Order', 'id=1'));
  pid.tellBatch([1, 2, 3]);
  const [a] = pid.askBatch<number>([1], { timeout: 100 });
  const n = await pid.ask<number>('get', { timeout: 1000, signal: AbortSignal.timeout(5000) });
  system.on('deadLetter', (ev) => console.log(ev.path, ev.message));
  const sub = system.subscribe(['unhandled'], (ev) => console.log(ev.kind));
  sub.unsubscribe();
  const cronRef: string = system.scheduleCron(pid, 'tick', '* * * * * ?', { utc: true, reference: 'c' });
  const cronInfo: ScheduleInfo | undefined = system.schedules().find((i) => i.kind === 'cron');
  const cronExpr: string | null = cronInfo ? cronInfo.expression : null;
  console.log(cronRef, cronExpr, cronInfo?.utc);
  registerDecoder('app.Text', (b) => b.toString());
  registerDecoder('app.Codec', { decode: (b) => b.byteLength });
  registerType('app.Old', { decode: (b) => b.toString() }); // the deprecated alias still types
  try {
    await pid.ask('x', { timeout: 1 });
  } catch (e) {
    if (e instanceof TimeoutError) console.log(e.code);
    if (e instanceof AktError) console.log(e.errno);
  }
  const found: Pid | null = system.lookup('counter');
  await system.shutdown();
  return n + (await a) + (found ? 1 : 0);
}

void main;

import { cronNext, validateCron, CronSyntaxError } from 'akt';
function nextRun(expr: string): Date | null {
  try {
    validateCron(expr);
  } catch (e) {
    if (e instanceof CronSyntaxError) console.log(`bad at column ${e.column}`);
    return null;
  }
  return cronNext(expr, new Date(), { utc: true });
}
nextRun('0 0 12 ? * MON-FRI');

// akt/testkit
import { TestProbe, ProbeError, testSystem, withTestSystem } from 'akt/testkit';
async function testkitUsage(system: ActorSystem): Promise<void> {
  const probe = new TestProbe(system, { name: 'probe' });
  const n: number = await probe.expectMessage<number>({ within: 100 });
  await probe.expectNoMessage({ for: 10 });
  await probe.expectTerminated(probe.pid);
  const e: ProbeError = new ProbeError();
  void n; void e;
  await withTestSystem(async (s: ActorSystem) => s.name);
  await testSystem({ after: () => {} });
}
void testkitUsage;

// Node streams at both ends of an akt stream.
async function nodeStreams(system: ActorSystem): Promise<number> {
  const { Readable, Writable } = await import('node:stream');
  const { pipeline } = await import('node:stream/promises');
  const readable = Readable.from(['a', 'b']);
  const lengths: Source<number> = Source.fromAsyncIterable<string>(readable).map((s) => s.length);
  const w = new Writable({ objectMode: true, write(_x, _e, cb) { cb(); } });
  const done: undefined = await lengths.runWith(Sink.toWritable(w, { end: true }), system).result();
  let total = 0;
  const it = Source.range(0, 3).toAsyncIterable(system, { bufferSize: 4 });
  for await (const x of it) total += x;
  it.stream.metrics();
  await pipeline(Source.of(1, 2).toAsyncIterable(system), process.stdout);
  return done === undefined ? total : -1;
}
void nodeStreams;

// Remote spawn with the options that cross.
async function remoteSpawnUsage(system: ActorSystem, address: string): Promise<void> {
  const p: Pid = await system.remoteSpawn(address, 'boss', 'b1', {
    timeout: 5000,
    supervisor: { directive: 'stop', rules: [['AKT_EBUSY', 'suspend']] },
    mailbox: { kind: 'bounded', capacity: 4, whenFull: 'fail' },
    passivation: { messages: 2 },
    reentrancy: 'allowAll',
    maxInFlight: 4,
  });
  p.reinstate();
  await system.remoteSpawn(address, 'boss', 'b2');
  await system.remoteSpawn(address, 'boss', 'b3', { timeoutMs: 1000 });
  // @ts-expect-error a decider cannot cross
  await system.remoteSpawn(address, 'boss', 'b4', { supervisor: { decide: () => 'stop' } });
  // @ts-expect-error a priority mailbox cannot cross
  await system.remoteSpawn(address, 'boss', 'b5', { mailbox: { kind: 'priority', compare: () => 0 } });
}
void remoteSpawnUsage;
