import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSystem } from './helpers.mjs';
import akt from '../lib/index.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(cond, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(2);
  }
}

// Counts 'tick's and keeps their senders; 'get' answers the count.
function ticks(state, cancelRef) {
  return (ctx, msg) => {
    if (msg === 'get') return ctx.respond(state.n);
    state.n += 1;
    state.senders.push(ctx.sender);
    if (cancelRef && state.n === 1) ctx.system.cancelSchedule(cancelRef);
  };
}

test('scheduleOnce fires once with a generated reference', async () => {
  await withSystem(async (system) => {
    const st = { n: 0, senders: [] };
    const pid = system.spawn(ticks(st));
    const ref = system.scheduleOnce(pid, 'tick', { delayMs: 5 });
    assert.match(ref, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await until(async () => (await pid.ask('get')) === 1);
    assert.deepEqual(system.schedules(), []);
    await sleep(20);
    assert.equal(await pid.ask('get'), 1);
    assert.throws(() => system.cancelSchedule(ref), { name: 'ScheduleNotFoundError', reference: ref });
  });
});

test('scheduleEvery with a sender, listed, until cancelled', async () => {
  await withSystem(async (system) => {
    const st = { n: 0, senders: [] };
    const pid = system.spawn(ticks(st));
    const other = system.spawn(() => {});
    const ref = system.scheduleEvery(pid, 'tick', { intervalMs: 5, initialDelayMs: 0, reference: 'every', sender: other });
    assert.equal(ref, 'every');
    const [info] = system.schedules();
    assert.equal(info.reference, 'every');
    assert.equal(info.kind, 'every');
    assert.equal(info.paused, false);
    assert.equal(info.intervalMs, 5);
    assert.equal(info.target.toString(), pid.toString());
    assert.equal(info.sender.toString(), other.toString());
    await until(async () => (await pid.ask('get')) >= 3);
    system.cancelSchedule('every');
    const n = await pid.ask('get');
    await sleep(40);
    assert.equal(await pid.ask('get'), n);
    assert.equal(st.senders[0].toString(), other.toString());
    assert.deepEqual(system.schedules(), []);
  });
});

test('bad arguments and duplicate references', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(ticks({ n: 0, senders: [] }));
    system.scheduleOnce(pid, 'tick', { delayMs: 3600e3, reference: 'dup' });
    assert.throws(() => system.scheduleOnce(pid, 'tick', { reference: 'dup' }),
      (e) => e instanceof akt.ScheduleExistsError && e instanceof akt.ExistsError &&
        e.code === 'AKT_EEXIST' && e.reference === 'dup' && /dup/.test(e.message));
    assert.throws(() => system.scheduleOnce(pid, 'tick', { delayMs: -1 }), { name: 'InvalidArgumentError' });
    assert.throws(() => system.scheduleEvery(pid, 'tick', { intervalMs: 0 }), { name: 'InvalidArgumentError' });
    assert.throws(() => system.scheduleOnce(pid, 'tick', { reference: '' }), { name: 'InvalidArgumentError' });
    assert.throws(() => system.scheduleOnce('pid', 'tick'), { name: 'InvalidArgumentError' });
    for (const op of ['pauseSchedule', 'resumeSchedule', 'cancelSchedule'])
      assert.throws(() => system[op]('nope'),
        (e) => e instanceof akt.ScheduleNotFoundError && e instanceof akt.NotFoundError &&
          e.code === 'AKT_ENOTFOUND' && e.reference === 'nope' && /nope/.test(e.message));
    system.cancelSchedule('dup');
  });
});

test('pause keeps the reference; resume fires again without a burst', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(ticks({ n: 0, senders: [] }));
    system.scheduleEvery(pid, 'tick', { intervalMs: 5, initialDelayMs: 0, reference: 'p' });
    await until(async () => (await pid.ask('get')) >= 2);
    system.pauseSchedule('p');
    const n = await pid.ask('get');
    assert.deepEqual(system.schedules().map((i) => i.paused), [true]);
    await sleep(100);
    assert.equal(await pid.ask('get'), n);
    system.resumeSchedule('p');
    await until(async () => (await pid.ask('get')) >= n + 1);
    assert.ok((await pid.ask('get')) <= n + 6);
    system.cancelSchedule('p');
  });
});

test('cancel inside receive; a stopped actor loses its schedules; a gone target is a dead letter', async () => {
  await withSystem(async (system) => {
    const st = { n: 0, senders: [] };
    const pid = system.spawn(ticks(st, 'mine'));
    system.scheduleEvery(pid, 'tick', { intervalMs: 20, initialDelayMs: 0, reference: 'mine' });
    await until(async () => (await pid.ask('get')) === 1);
    await sleep(60);
    assert.equal(await pid.ask('get'), 1);

    const dead = [];
    system.on('deadLetter', (ev) => dead.push(ev));
    const victim = system.spawn(ticks({ n: 0, senders: [] }));
    system.scheduleEvery(victim, 'tick', { intervalMs: 3600e3, reference: 'a' });
    system.scheduleOnce(victim, 'tick', { delayMs: 3600e3, reference: 'b' });
    system.pauseSchedule('b');
    assert.equal(system.schedules().length, 2);
    await victim.stopGracefully();
    await until(() => system.schedules().length === 0);
    system.scheduleOnce(victim, 'late', { delayMs: 1, reference: 'to-the-dead' });
    await until(() => dead.length === 1);
    assert.equal(dead[0].message, 'late');
    assert.deepEqual(system.schedules(), []);
  });
});

test('scheduleCron every second: listed, paused, resumed, cancelled', async () => {
  await withSystem(async (system) => {
    const st = { n: 0, senders: [] };
    const pid = system.spawn(ticks(st));
    const other = system.spawn(ticks({ n: 0, senders: [] }));
    const ref = system.scheduleCron(pid, 'tick', '* * * * * ?', {
      utc: true, reference: 'cron', sender: other,
    });
    assert.equal(ref, 'cron');
    const [info] = system.schedules();
    assert.equal(info.kind, 'cron');
    assert.equal(info.expression, '* * * * * ?');
    assert.equal(info.utc, true);
    assert.equal(info.intervalMs, null);
    await until(async () => (await pid.ask('get')) >= 2);
    assert.equal(st.senders[0].toString(), other.toString());
    system.pauseSchedule('cron');
    const n = await pid.ask('get');
    assert.equal(system.schedules()[0].paused, true);
    await sleep(1500); // a tick missed
    assert.equal(await pid.ask('get'), n);
    system.resumeSchedule('cron');
    await until(async () => (await pid.ask('get')) >= n + 1);
    system.cancelSchedule('cron');
    const m = await pid.ask('get');
    await sleep(1200);
    assert.equal(await pid.ask('get'), m);
    assert.deepEqual(system.schedules(), []);
  });
});

test('scheduleCron errors: a bad expression names its column', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(ticks({ n: 0, senders: [] }));
    assert.throws(() => system.scheduleCron(pid, 'tick', '0 0 25 * * ?'),
      (e) => e.name === 'CronSyntaxError' && e.column === 5);
    assert.throws(() => system.scheduleCron(pid, 'tick', 5), TypeError);
    assert.throws(() => system.scheduleCron(pid, 'tick', '0 0 0 1 1 ? 1999'),
      { name: 'NotFoundError' });
    const ref = system.scheduleCron(pid, 'tick', '0 0 0 1 1 ?');
    assert.equal(ref.length, 36);
    const [info] = system.schedules();
    assert.equal(info.utc, false);
    system.cancelSchedule(ref);
  });
});
