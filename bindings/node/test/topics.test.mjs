import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Topic, InvalidArgumentError, ClosedError, ActorSystem } from 'akt';
import { withSystem, collector } from './helpers.mjs';

const recorder = (c) => ({ receive: (ctx, msg) => c.push(msg) });

test('every subscriber gets each published message, in order', async () => {
  await withSystem(async (system) => {
    const ca = collector(3), cb = collector(3);
    const a = system.spawn(recorder(ca)), b = system.spawn(recorder(cb));
    const news = system.topic('news');
    assert.ok(news instanceof Topic);
    assert.equal(await news.subscribe(a), 1);
    assert.equal(await news.subscribe(b), 2);
    assert.equal(await news.subscribe(a), 2); // twice is once
    news.publish('n0');
    news.publish({ k: 1 });
    news.publish(3);
    assert.deepEqual(await ca.wait(), ['n0', { k: 1 }, 3]);
    assert.deepEqual(await cb.wait(), ['n0', { k: 1 }, 3]);
  });
});

test('unsubscribe, counts, and publishing to nobody', async () => {
  await withSystem(async (system) => {
    const c = collector(1);
    const pid = system.spawn(recorder(c));
    const t = system.topic('t');
    assert.equal(await t.count(), 0);
    t.publish('nobody');
    t.subscribe(pid); // not awaited: the publish below is queued after it
    t.publish('first');
    assert.deepEqual(await c.wait(), ['first']);
    assert.equal(await t.unsubscribe(pid), 0);
    assert.equal(await t.unsubscribe(pid), 0);
    assert.equal(await t.count(), 0);
  });
});

test('a stopped subscriber leaves its topics', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(recorder(collector(1)));
    const x = system.topic('x'), y = system.topic('y');
    await x.subscribe(pid);
    await y.subscribe(pid);
    await pid.stopGracefully();
    for (let i = 0; i < 500 && ((await x.count()) || (await y.count())); i++)
      await new Promise((r) => setTimeout(r, 2));
    assert.equal(await x.count(), 0);
    assert.equal(await y.count(), 0);
  });
});

test('onMessage subscriptions run on the JS thread and close', async () => {
  await withSystem(async (system) => {
    const c = collector(2);
    const t = system.topic('cb');
    const sub = t.onMessage((m) => c.push(m));
    t.publish('one');
    t.publish('two');
    assert.deepEqual(await c.wait(), ['one', 'two']);
    assert.equal(await t.count(), 1);
    sub.close();
    for (let i = 0; i < 500 && (await t.count()); i++) await new Promise((r) => setTimeout(r, 2));
    assert.equal(await t.count(), 0);
    sub.close(); // idempotent
  });
});

test('subscribers see the publishing actor as sender', async () => {
  await withSystem(async (system) => {
    const c = collector(1);
    const s = system.spawn({ receive: (ctx) => c.push(ctx.sender) });
    await system.topic('s').subscribe(s);
    const p = system.spawn({ receive: (ctx, msg) => ctx.system.topic('s').publish(msg) }, { name: 'pub' });
    p.tell('hi');
    const [sender] = await c.wait();
    assert.ok(sender.equals(p));
  });
});

test('bad arguments and a closed system', async () => {
  await withSystem(async (system) => {
    assert.throws(() => system.topic(3), InvalidArgumentError);
    assert.throws(() => system.topic('').publish('x'), InvalidArgumentError);
    assert.throws(() => system.topic('x'.repeat(300)).count(), InvalidArgumentError);
    assert.throws(() => system.topic('t').subscribe('nope'), InvalidArgumentError);
    assert.throws(() => system.topic('t').onMessage(42), InvalidArgumentError);
  });
  const s = await ActorSystem.create('closed', { logger: null });
  const t = s.topic('t');
  await s.shutdown();
  assert.throws(() => t.publish('x'), ClosedError);
});
