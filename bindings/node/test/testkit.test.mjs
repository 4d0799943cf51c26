// akt/testkit: each expectation holds when it should and fails when it should.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProbeError, TestProbe, testSystem, withTestSystem } from 'akt/testkit';

class Echo {
  receive(ctx, [to, value]) { to.tell(value); }
}

test('expectMessage gets what an actor told', async (t) => {
  const system = await testSystem(t);
  const probe = new TestProbe(system);
  system.spawn(Echo).tell([probe.pid, 'hello']);
  assert.equal(await probe.expectMessage({ within: 2000 }), 'hello');
});

test('expectMessage fails after its deadline', async (t) => {
  const probe = new TestProbe(await testSystem(t));
  const t0 = Date.now();
  await assert.rejects(probe.expectMessage({ within: 50 }),
    (e) => e instanceof ProbeError && e.message === 'expected a message within 50 ms, got none');
  assert.ok(Date.now() - t0 >= 45);
});

class Point { constructor(x) { this.x = x; } }

test('expectMessageOf checks the class', async (t) => {
  const probe = new TestProbe(await testSystem(t));
  probe.pid.tell('text');
  await assert.rejects(probe.expectMessageOf(Point), { message: 'expected a Point, got string "text"' });
  probe.pid.tell(new Point(3));
  assert.equal((await probe.expectMessageOf(Point)).x, 3);
});

test('expectMatch uses the predicate', async (t) => {
  const probe = new TestProbe(await testSystem(t));
  probe.pid.tell(1);
  probe.pid.tell(2);
  const even = (n) => n % 2 === 0;
  await assert.rejects(probe.expectMatch(even), { message: 'expected a message matching even, got number 1' });
  assert.equal(await probe.expectMatch(even), 2);
});

test('expectNoMessage', async (t) => {
  const probe = new TestProbe(await testSystem(t));
  await probe.expectNoMessage({ for: 20 });
  probe.pid.tell('late');
  await assert.rejects(probe.expectNoMessage({ for: 2000 }), { message: 'expected no message for 2000 ms, got string "late"' });
});

test('expectTerminated', () => withTestSystem(async (system) => {
  const probe = new TestProbe(system, { name: 'probe' });
  assert.equal(probe.pid.path, 'akt://test/user/probe');
  const pid = system.spawn({ receive() {} });
  await assert.rejects(probe.expectTerminated(pid, { within: 50 }), ProbeError); // still running
  pid.stop();
  await probe.expectTerminated(pid, { within: 2000 });
  await probe.expectTerminated(pid, { within: 2000 }); // gone already: at once
  const other = system.spawn({ receive() {} });
  probe.pid.tell('first');
  await assert.rejects(probe.expectTerminated(other), /expected the Terminated of akt:\/\/test\/user\/\$\d+, got string "first"/);
}));
