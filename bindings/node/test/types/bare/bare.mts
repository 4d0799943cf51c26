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
