// akt in one page, in JavaScript: spawn, tell, ask, a crashing child restarted by its
// supervisor, become, and death watch. The same steps as examples/c/demo.c.
//
// Run it from the repository root after bindings/node/test.sh (which links node_modules/akt):
//   node examples/node/demo.mjs
import { ActorSystem, Actor, Terminated, Pid, AktError, NotFoundError, version } from 'akt';

// ---- a counter: tell 'incr', ask 'get' ------------------------------------------------------
class Counter extends Actor {
  preStart(ctx) { this.n = 0; }
  receive(ctx, msg) {
    if (msg === 'incr') this.n++;
    else if (msg === 'get') ctx.respond(this.n);
    else ctx.unhandled();
  }
}

// ---- a worker that fails on 'boom'; its parent restarts it ----------------------------------
class Worker extends Actor {
  starts = 0; // spawned as an instance, the worker keeps it across restarts
  preStart(ctx) { console.log(`  worker: preStart (start #${++this.starts})`); }
  postStop(ctx) { console.log('  worker: postStop'); }
  receive(ctx, msg) {
    // A throw is a failure: the asker's promise rejects with ActorFailedError, and the
    // parent's supervisor (one-for-one 'restart' by default) runs postStop, then preStart.
    if (msg === 'boom') throw new Error('boom requested');
    console.log(`  worker: got ${msg}`);
    ctx.respond('ok');
  }
}

// The supervisor spawns the worker as its child and passes work on to it.
class Supervisor extends Actor {
  preStart(ctx) { this.worker = ctx.spawn(new Worker(), { name: 'worker' }); }
  postStop(ctx) { console.log('  supervisor: postStop (its child stopped first)'); }
  receive(ctx, msg) { ctx.forward(this.worker); } // the worker answers the original asker
}

// ---- become: a light switch -----------------------------------------------------------------
class Switch extends Actor {
  receive(ctx, msg) { // starts off
    ctx.respond('was off, now on');
    ctx.become(this.on); // called with this = the actor
  }
  on(ctx, msg) {
    ctx.respond('was on, now off');
    ctx.unbecome(); // back to receive
  }
}

// ---- a watcher: reports when the watched actor terminates -----------------------------------
class Watcher extends Actor {
  paths = new Map(); // a stopped actor has no path any more: remember it while alive
  receive(ctx, msg) {
    if (msg instanceof Terminated) {
      const key = msg.pid.id; // pids are values: compare them by id (or pid.equals)
      console.log(`  watcher: ${this.paths.get(key)} terminated`);
      this.paths.delete(key);
    } else if (msg instanceof Pid) { // JS values travel as themselves, pids too
      this.paths.set(msg.id, msg.path);
      ctx.watch(msg);
      ctx.respond('yes');
    } else if (msg === 'report') {
      ctx.respond('watcher is up to date');
    } else {
      ctx.unhandled();
    }
  }
}

async function askPrint(pid, msg, label) {
  try {
    console.log(`${label}: ${await pid.ask(msg, { timeout: 1000 })}`);
  } catch (e) {
    if (!(e instanceof AktError)) throw e;
    console.log(`${label}: ${e.constructor.name} (${e.code})`);
  }
}

console.log(`akt ${version} demo\n`);
// JS actors run on this thread; the process may exit once the system is shut down.
// A failing actor's stack goes to console.error by default; this demo prints the failure
// event instead, so it logs nowhere (`logger: null`).
const system = await ActorSystem.create('demo', { logger: null });
system.on('actorFailed', (ev) => console.log(`  event: ${ev.path} failed (${ev.reason})`));
system.on('actorRestarted', (ev) => console.log(`  event: restarted ${ev.path}`));

console.log('1. spawn a counter, tell it 1000 times, ask for the count');
const counter = system.spawn(Counter, { name: 'counter' });
for (let i = 0; i < 1000; i++) counter.tell('incr');
// Messages from one sender arrive in order: the ask sees all 1000 increments.
await askPrint(counter, 'get', 'count');

console.log('\n2. a supervisor with a worker child; the child crashes and is restarted');
const supervisor = system.spawn(Supervisor, { name: 'supervisor' });
await askPrint(supervisor, 'job-1', 'job-1');
await askPrint(supervisor, 'boom', 'boom');
await askPrint(supervisor, 'job-2', 'job-2');
console.log(`lookup: ${system.lookup('supervisor/worker').path} is still alive`);

console.log('\n3. become: a switch changes its behaviour with each message');
const light = system.spawn(Switch, { name: 'switch' });
for (let i = 0; i < 3; i++) await askPrint(light, 'flip', 'flip');

console.log('\n4. watch: a watcher learns that the counter stopped');
const watcher = system.spawn(Watcher, { name: 'watcher' });
await askPrint(watcher, counter, 'watching');
await counter.stopGracefully({ timeout: 1000 });
// The Terminated was queued before the stop completed, so it is handled first.
await askPrint(watcher, 'report', 'report');
try {
  counter.tell('incr');
} catch (e) {
  if (!(e instanceof NotFoundError)) throw e;
  console.log(`tell to the stopped counter: NotFoundError (${e.code})`);
}

console.log('\n5. shutdown: children stop before parents');
await system.shutdown();
console.log('done');
