// schedule_lifecycle: pause/resume, listing, sender, the end of a stopped actor's
// schedules, dead letters for a gone target, shutdown.
import akt, { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Worker extends Actor {
  preStart() {
    this.ticks = 0;
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Tick')) this.ticks += 1;
    else if (conf.is(msg, 'conf.Count')) ctx.respond(conf.msg('conf.Count', String(this.ticks)));
    else if (conf.is(msg, 'conf.Hello')) conf.log('hello', `from=${ctx.sender ? conf.path(ctx.sender) : '-'}`);
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

function show(system) {
  for (const info of system.schedules())
    conf.say('schedule', `${info.reference} ${info.kind} paused=${info.paused ? 'yes' : 'no'}`);
}

const system = await conf.createSystem();
const w = system.spawn(Worker, { name: 'worker' });
const g = system.spawn(Worker, { name: 'greeter' });

// 1. Pause keeps the reference and stops the fires; resume starts them again.
system.scheduleEvery(w, conf.msg('conf.Tick'), { intervalMs: 10, initialDelayMs: 0, reference: 'beat' });
await waitTicks(w, 2);
conf.say('pause', await conf.rcOf(() => system.pauseSchedule('beat')));
conf.say('pause.again', await conf.rcOf(() => system.pauseSchedule('beat')));
show(system);
const n1 = await count(w);
await sleep(60);
const n2 = await count(w);
conf.say('paused.quiet', n1 === n2 ? 'yes' : 'no');
conf.say('resume', await conf.rcOf(() => system.resumeSchedule('beat')));
await waitTicks(w, n1 + 1);
conf.say('resumed', 'yes');
show(system);

// 2. Unknown references.
conf.say('pause.unknown', await conf.rcOf(() => system.pauseSchedule('nope')));
conf.say('resume.unknown', await conf.rcOf(() => system.resumeSchedule('nope')));
conf.say('cancel.unknown', await conf.rcOf(() => system.cancelSchedule('nope')));
// ft begin: the schedule errors carry the reference
try {
  system.cancelSchedule('nope');
} catch (e) {
  if (e instanceof akt.ScheduleNotFoundError) conf.say('unknown.reference', e.reference);
}
try {
  system.scheduleOnce(w, conf.msg('conf.Tick'), { delayMs: 3600e3, reference: 'beat' });
} catch (e) {
  if (e instanceof akt.ScheduleExistsError) conf.say('taken', `${e.code} ${e.reference}`);
}
// ft end

// 3. The fires' sender.
system.scheduleOnce(w, conf.msg('conf.Hello'), { delayMs: 0, reference: 'hello', sender: g });
await conf.waitLog(1);
conf.flush();

// 4. The schedules of an actor that stops end with it, paused ones too.
system.scheduleOnce(w, conf.msg('conf.Tick'), { delayMs: 3600 * 1000, reference: 'later' });
system.pauseSchedule('later');
show(system);
conf.say('stop.worker', await conf.stopGraceful(w));
for (let i = 0; system.schedules().length !== 0; i++) {
  if (i === 5000) conf.fatal("the stopped worker's schedules did not end");
  await sleep(2);
}
conf.say('after.stop', '0 schedules');
conf.say('cancel.beat', await conf.rcOf(() => system.cancelSchedule('beat')));

// 5. A fire whose target is gone is a dead letter, and ends its schedule.
const subscription = system.subscribe('deadLetter', (ev) => {
  const m = ev.message;
  if (m instanceof Object && typeof m.type === 'string' && m.type.startsWith('conf.'))
    conf.log('dead_letter', `${m.type} ${m.text} to=${ev.pid && ev.pid.equals(w) ? 'worker' : 'other'}`);
});
conf.say('schedule.stopped', await conf.rcOf(() => system.scheduleOnce(w, conf.msg('conf.Late', 'gone'), { delayMs: 0, reference: 'ghost' })));
await conf.waitLog(1);
conf.flush();
conf.say('schedules', String(system.schedules().length));
subscription.unsubscribe();

// 6. A cron schedule (every second) pauses, resumes and cancels like the others.
conf.say('schedule.cron', system.scheduleCron(g, conf.msg('conf.Tick'), '* * * * * ?', { utc: true, reference: 'cron' }));
show(system);
await waitTicks(g, 1);
conf.say('pause.cron', await conf.rcOf(() => system.pauseSchedule('cron')));
show(system);
const c1 = await count(g);
await sleep(1500);
const c2 = await count(g);
conf.say('paused.quiet.cron', c1 === c2 ? 'yes' : 'no');
conf.say('resume.cron', await conf.rcOf(() => system.resumeSchedule('cron')));
await waitTicks(g, c1 + 1);
conf.say('resumed.cron', 'yes');
conf.say('cancel.cron', await conf.rcOf(() => system.cancelSchedule('cron')));
conf.say('after.cancel', `${system.schedules().length} schedules`);

// 7. Shutdown ends what is still pending.
system.scheduleOnce(g, conf.msg('conf.Tick'), { delayMs: 3600 * 1000, reference: 'pending' });
await conf.finish(system);
