// timers: once and every schedules, in deadline order, cancelled by reference.
import { Actor, CronSyntaxError } from 'akt';
import * as conf from 'akt/conformance';

class Ticker extends Actor {
  preStart() {
    this.ticks = 0;
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Once')) conf.log('once', msg.text);
    else if (conf.is(msg, 'conf.Tick')) this.ticks += 1;
    else if (conf.is(msg, 'conf.Count')) ctx.respond(conf.msg('conf.Count', String(this.ticks)));
    else ctx.unhandled();
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const count = async (pid) => conf.num(await pid.ask(conf.msg('conf.Count'), { timeout: conf.ASK_MS }));

async function waitTicks(pid, k) {
  for (let i = 0; i < 5000; i++) {
    if ((await count(pid)) >= k) return;
    await sleep(2);
  }
  conf.fatal(`waited 10 s for ${k} ticks`);
}

function once(system, pid, text, delayMs, reference) {
  try {
    return system.scheduleOnce(pid, conf.msg('conf.Once', text), { delayMs, reference });
  } catch (e) {
    return conf.rc(e);
  }
}

const system = await conf.createSystem();
const t = system.spawn(Ticker, { name: 'ticker' });

// 1. Fires come in deadline order, not in the order they were made.
conf.say('schedule.once', once(system, t, 'a', 600, 'once-a'));
conf.say('schedule.once', once(system, t, 'b', 200, 'once-b'));
conf.say('schedule.once', once(system, t, 'c', 400, 'once-c'));
await conf.waitLog(3);
conf.flush();

// 2. A generated reference is a UUID.
const ref = once(system, t, 'd', 0);
conf.say('reference.generated', `${ref.length} chars`);
await conf.waitLog(1);
conf.flush();

// 3. Every interval until cancelled; nothing after the cancel returned.
conf.say('schedule.every', system.scheduleEvery(t, conf.msg('conf.Tick'), { intervalMs: 10, initialDelayMs: 0, reference: 'every' }));
await waitTicks(t, 3);
conf.say('every.fired', 'at least 3');
conf.say('cancel.every', await conf.rcOf(() => system.cancelSchedule('every')));
const n1 = await count(t);
await sleep(50);
const n2 = await count(t);
conf.say('every.after_cancel', n1 === n2 ? 'same' : 'more');
conf.say('cancel.again', await conf.rcOf(() => system.cancelSchedule('every')));

// 4. A cancelled schedule never fires: the later one comes first.
once(system, t, 'never', 100, 'never');
conf.say('cancel.never', await conf.rcOf(() => system.cancelSchedule('never')));
once(system, t, 'e', 150, 'once-e');
await conf.waitLog(1);
conf.flush();

// 5. References are unique.
const r = once(system, t, 'x', 3600 * 1000, 'dup');
conf.say('schedule.dup', r === 'dup' ? 'ok' : r);
conf.say('duplicate', once(system, t, 'x', 0, 'dup'));
conf.say('schedules', String(system.schedules().length));
conf.say('cancel.dup', await conf.rcOf(() => system.cancelSchedule('dup')));
conf.say('schedules', String(system.schedules().length));

// 6. On a cron expression, every second: listed with it, fires, cancelled; a bad one names
// its column.
const c0 = await count(t);
conf.say('schedule.cron', system.scheduleCron(t, conf.msg('conf.Tick'), '* * * * * ?', { utc: true, reference: 'cron' }));
for (const info of system.schedules()) {
  if (info.kind === 'cron') conf.say('cron.listed', `cron "${info.expression}" ${info.utc ? 'utc' : 'local'}`);
}
await waitTicks(t, c0 + 2);
conf.say('cron.fired', 'at least 2');
conf.say('cancel.cron', await conf.rcOf(() => system.cancelSchedule('cron')));
try {
  system.scheduleCron(t, conf.msg('conf.Tick'), '0 0 25 * * ?');
  conf.say('cron.bad', 'ok');
} catch (e) {
  if (!(e instanceof CronSyntaxError)) throw e;
  conf.say('cron.bad', `${conf.rc(e)} at column ${e.column}`);
}
conf.say('schedules', String(system.schedules().length));

await conf.finish(system);
