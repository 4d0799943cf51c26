// Compiled (not run) by test/types.test.mjs without @types/node or the DOM lib: index.d.ts
// must stand on its own, and its default export must type every runtime member.
import akt, { ActorSystem, Actor, Context, Pid, BufferLike } from 'akt';

class Echo extends Actor {
  receive(ctx: Context, msg: unknown): void { ctx.respond(msg); }
}

async function main(): Promise<unknown> {
  const system: ActorSystem = await akt.ActorSystem.create('bare', { logger: null });
  const pid: Pid = system.spawn(Echo);
  system.on('deadLetter', (ev) => ev.path);
  akt.registerDecoder('app.Raw', (b: BufferLike) => b.byteLength);
  akt.registerType('app.Old', { decode: (b: BufferLike) => b.byteLength }); // deprecated alias
  try {
    return await pid.ask('x', { timeout: 100 });
  } catch (e) {
    if (e instanceof akt.TimeoutError || e instanceof akt.BusyError) return e.code;
    throw e;
  } finally {
    await system[Symbol.asyncDispose]();
  }
}

void main;
void akt.version;

// The Node stream adapters' types stand without @types/node too.
async function streams(system: ActorSystem): Promise<number> {
  async function* gen(): AsyncGenerator<number> { yield 1; yield 2; }
  let total = 0;
  for await (const x of akt.Source.fromAsyncIterable(gen()).toAsyncIterable(system, { bufferSize: 2 })) total += x;
  const sink = {
    write: (_c: unknown): boolean => true, end: (): void => {}, destroy: (): void => {},
    on: (): void => {}, off: (): void => {},
  };
  await akt.Source.of(1).runWith(akt.Sink.toWritable(sink), system).result();
  return total;
}
void streams;
