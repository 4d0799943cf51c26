// pipe_to: results delivered with the piping actor as sender (to self, a pid, a name);
// failures, timeouts, gone targets and an open breaker as dead letters or refusals.
import { Actor, CircuitBreaker } from 'akt';
import * as conf from 'akt/conformance';

const system = await conf.createSystem();
const breaker = new CircuitBreaker({ minRequests: 1, halfOpenMaxCalls: 1, openTimeout: 60000 });
const goAheads = []; // resolvers of the tasks waiting for the main flow
const goAhead = () => goAheads.shift()();
const waitGo = () => new Promise((resolve) => goAheads.push(resolve));
let sink;
let target;

function journalResult(ctx, msg, who) {
  conf.log(who, `${msg.data} from ${conf.path(ctx.sender)}`);
}

class Sink extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Result')) journalResult(ctx, msg, 'sink');
    else if (conf.is(msg, 'conf.Sync')) ctx.respond(conf.msg('conf.Done'));
    else ctx.unhandled();
  }
}

class Piper extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Result')) return journalResult(ctx, msg, 'piper');
    if (!conf.is(msg, 'conf.Pipe')) return ctx.unhandled();
    const [how, value] = String(msg.data).split(' ');
    const result = () => conf.msg('conf.Result', value);
    const opts = { to: sink };
    let task = async () => result();
    if (how === 'self') opts.to = ctx.self;
    if (how === 'name') {
      delete opts.to;
      opts.name = '/user/sink';
    }
    if (how === 'fail') task = async () => { throw new Error('the task failed'); };
    if (how === 'slow') {
      opts.timeout = 50;
      task = async () => { await waitGo(); return result(); };
    }
    if (how === 'gone') {
      opts.to = target;
      task = async () => { await waitGo(); return result(); };
    }
    if (how === 'breaker') {
      opts.breaker = breaker;
      task = async () => { throw new Error('the task failed'); };
    }
    let rc = 'ok';
    try {
      ctx.pipeTo(task, opts);
    } catch (e) {
      rc = conf.rc(e);
    }
    ctx.respond(conf.msg('conf.Piped', rc));
  }
}

const subscription = system.subscribe(['deadLetter'], (ev) => {
  if (ev.path !== 'akt://conf/user/sink' && ev.path !== 'akt://conf/user/target') return;
  conf.log('dead', `${ev.path} ${ev.reason || '-'} ${ev.message ? ev.message.type : '-'}`);
});

sink = system.spawn(Sink, { name: 'sink' });
target = system.spawn(Sink, { name: 'target' });
const piper = system.spawn(Piper, { name: 'piper' });
const pipe = async (step, cmd) => conf.say(step, await conf.askStr(piper, 'conf.Pipe', cmd));

await pipe('pipe.self', 'self 1');
await conf.waitLog(1);
conf.flush();
await pipe('pipe.pid', 'pid 2');
await pipe('pipe.name', 'name 3');
await conf.waitLog(2);
conf.flushSorted();

await pipe('pipe.fail', 'fail 4');
await conf.waitLog(1);
conf.flush();

await pipe('pipe.slow', 'slow 5');
await conf.waitLog(1);
conf.flush();
goAhead();
conf.say('sync', await conf.askStr(sink, 'conf.Sync'));

await pipe('pipe.gone', 'gone 6');
await conf.stopGraceful(target);
goAhead();
await conf.waitLog(1);
conf.flush();

await pipe('pipe.breaker', 'breaker 7');
await conf.waitLog(1);
conf.flush();
await pipe('pipe.breaker.open', 'breaker 8');

subscription.unsubscribe();
await conf.finish(system);
