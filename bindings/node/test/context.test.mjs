import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Actor, Terminated, MisuseError, NotFoundError } from 'akt';
import { withSystem, collector } from './helpers.mjs';
import { TestProbe, testSystem } from 'akt/testkit';

test('sender, respond and ctx.tell between actors', async () => {
  await withSystem(async (system) => {
    const got = collector(1);
    const pong = system.spawn((ctx, msg) => ctx.respond(`pong:${msg}`), { name: 'pong' });
    const ping = system.spawn((ctx, msg) => {
      if (msg === 'go') ctx.tell(pong, 'hi');
      else got.push({ msg, from: ctx.sender && ctx.sender.path });
    }, { name: 'ping' });
    ping.tell('go');
    assert.deepEqual(await got.wait(), [{ msg: 'pong:hi', from: 'akt://test/user/pong' }]);
    // From outside there is no sender.
    const s = system.spawn((ctx) => ctx.respond(ctx.sender));
    assert.equal(await s.ask('x'), null);
  });
});

test('forward keeps the original asker', async () => {
  await withSystem(async (system) => {
    const back = system.spawn((ctx, msg) => ctx.respond(`back:${msg}`));
    const front = system.spawn((ctx) => ctx.forward(back));
    assert.equal(await front.ask('q'), 'back:q');
  });
});

test('ctx.ask from inside an actor resolves after the callback', async () => {
  await withSystem(async (system) => {
    const got = collector(1);
    const doubler = system.spawn((ctx, n) => ctx.respond(n * 2));
    const asker = system.spawn((ctx, n) => {
      ctx.ask(doubler, n, { timeout: 1000 }).then((r) => got.push(r));
    });
    asker.tell(21);
    assert.deepEqual(await got.wait(), [42]);
  });
});

test('children: paths, parent, stop order', async () => {
  await withSystem(async (system) => {
    const stops = collector(3);
    class Node extends Actor {
      constructor() { super(); }
      preStart(ctx) {
        this.path = ctx.self.path;
        if (this.path.endsWith('/root')) ctx.spawn(Node, { name: 'a' });
        if (this.path.endsWith('/a')) ctx.spawn(Node, { name: 'x' });
      }
      postStop() { stops.push(this.path); }
      receive(ctx, msg) {
        if (msg === 'parent') ctx.respond(ctx.parent.path);
        else if (msg === 'ping') ctx.respond('pong');
      }
    }
    const root = system.spawn(Node, { name: 'root' });
    await root.ask('ping');
    const a = system.lookup('root/a');
    await a.ask('ping');
    const x = system.lookup('root/a/x');
    assert.equal(await x.ask('parent'), 'akt://test/user/root/a');
    await root.stopGracefully({ timeout: 2000 });
    assert.deepEqual(await stops.wait(), [
      'akt://test/user/root/a/x', 'akt://test/user/root/a', 'akt://test/user/root']);
  });
});

test('ctx.stop stops self or a child, not others', async () => {
  await withSystem(async (system) => {
    const other = system.spawn(() => {});
    const pid = system.spawn((ctx, msg) => {
      if (msg === 'other') {
        try { ctx.stop(other); } catch (e) { ctx.respond(e.code); }
      } else if (msg === 'self') ctx.stop();
    });
    assert.equal(await pid.ask('other'), 'AKT_EINVAL');
    pid.tell('self');
    await new Promise((r) => { const t = setInterval(() => { if (!pid.alive) { clearInterval(t); r(); } }, 1); });
    assert.equal(pid.alive, false);
    assert.equal(other.alive, true);
  });
});

test('become, become stacked, unbecome', async () => {
  await withSystem(async (system) => {
    const mood = (name) => function (ctx, msg) {
      if (msg === 'get') ctx.respond(name);
      else if (msg.push) ctx.become(mood(msg.push), { stacked: true });
      else if (msg.become) ctx.become(mood(msg.become));
      else if (msg === 'pop') {
        try { ctx.unbecomeStacked(); } catch (e) { ctx.respond(e.code); return; }
      } else if (msg === 'reset') ctx.unbecome();
    };
    class Mood extends Actor {
      receive(ctx, msg) { mood('happy').call(this, ctx, msg); }
    }
    const pid = system.spawn(Mood);
    const get = () => pid.ask('get');
    assert.equal(await get(), 'happy');
    pid.tell({ push: 'sad' });
    pid.tell({ push: 'angry' });
    assert.equal(await get(), 'angry');
    pid.tell('pop');
    assert.equal(await get(), 'sad');
    pid.tell('pop');
    assert.equal(await get(), 'happy');
    assert.equal(await pid.ask('pop'), 'AKT_EMISUSE');
    pid.tell({ become: 'calm' });
    assert.equal(await get(), 'calm');
    pid.tell('reset');
    assert.equal(await get(), 'happy');
  });
});

test('stash, unstash, unstashAll', async () => {
  await withSystem(async (system) => {
    const seen = [];
    class Gate extends Actor {
      preStart() { this.open = false; }
      receive(ctx, msg) {
        if (msg === 'open') { this.open = true; ctx.unstashAll(); }
        else if (msg === 'one') ctx.respond(ctx.unstash());
        else if (msg === 'list') ctx.respond(seen.slice());
        else if (!this.open) ctx.stash();
        else seen.push(msg);
      }
    }
    const pid = system.spawn(Gate);
    for (const m of ['a', 'b', 'c']) pid.tell(m);
    // a comes back in front of the mailbox, and the closed gate stashes it again, last.
    assert.equal(await pid.ask('one'), true);
    pid.tell('open');
    pid.tell('d');
    assert.deepEqual(await pid.ask('list'), ['b', 'c', 'a', 'd']);
    assert.equal(await pid.ask('one'), false);
  });
});

test('watch delivers Terminated once; unwatch stops it', async (t) => {
  const system = await testSystem(t);
  const probe = new TestProbe(system);
  const w1 = system.spawn(() => {});
  const w2 = system.spawn(() => {});
  const watcher = system.spawn((ctx, msg) => {
    if (msg instanceof Terminated) probe.pid.tell(msg.pid.equals(w1) ? 'w1' : 'other');
    else if (msg === 'watch') { ctx.watch(w1); ctx.watch(w1); ctx.watch(w2); ctx.unwatch(w2); ctx.respond('ok'); }
  });
  assert.equal(await watcher.ask('watch'), 'ok');
  await w2.stopGracefully();
  await w1.stopGracefully();
  assert.equal(await probe.expectMessage({ within: 5000 }), 'w1');
  await probe.expectNoMessage({ for: 50 }); // once, and none for the unwatched w2
  await probe.expectTerminated(w1); // watching the dead: Terminated at once
});

test('dependencies: the very objects, by name', async () => {
  await withSystem(async (system) => {
    const db = { rows: [] };
    const pid = system.spawn((ctx, msg) => {
      if (msg === 'missing') {
        try { ctx.dependency('nope'); } catch (e) { ctx.respond(e instanceof NotFoundError); }
        return;
      }
      ctx.dependency('db').rows.push(msg);
      ctx.respond(ctx.dependency('limit'));
    }, { dependencies: { db, limit: 10 } });
    assert.equal(await pid.ask('r1'), 10);
    assert.deepEqual(db.rows, ['r1']);
    assert.equal(await pid.ask('missing'), true);
  });
});

test('a context used after its callback throws MisuseError', async () => {
  await withSystem(async (system) => {
    let saved;
    const pid = system.spawn((ctx, msg) => { saved = ctx; ctx.respond('ok'); });
    await pid.ask('x');
    assert.throws(() => saved.respond('late'), MisuseError);
    assert.throws(() => saved.sender, MisuseError);
    assert.throws(() => saved.stash(), MisuseError);
  });
});

test('messageType names the akt type of the current message', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn((ctx) => ctx.respond(ctx.messageType));
    assert.equal(await pid.ask({}), 'akt.js.Value');
    assert.equal(await pid.ask('s'), 'akt.String');
    assert.equal(await pid.ask(1, { type: 'n.Custom' }), 'n.Custom');
  });
});
