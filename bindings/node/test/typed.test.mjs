// Registered message types: system.registerType, typeId, ctx.typeId, and the refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Actor, ActorSystem, Message, typeId } from 'akt';

class Tick {
  static aktType = 'test.node.typed.Tick';
}

// Answers 'get' with the type ids of the messages seen before it.
class Types extends Actor {
  preStart() {
    this.seen = [];
  }

  receive(ctx, msg) {
    if (msg === 'get') ctx.respond(this.seen.slice());
    else this.seen.push(ctx.typeId);
  }
}

test('one id per name, the same by class and by name; 0 for a name never registered', async () => {
  const system = await ActorSystem.create('typed1');
  try {
    const tid = system.registerType(Tick);
    assert.ok(tid >= 1 && tid <= 4095);
    assert.equal(system.registerType('test.node.typed.Tick'), tid);
    assert.equal(typeId('test.node.typed.Tick'), tid);
    assert.equal(typeId('test.node.typed.never'), 0);
  } finally {
    await system.shutdown();
  }
});

test('a receive sees the id of registered names, 0 before and for other names', async () => {
  const system = await ActorSystem.create('typed2');
  try {
    const pid = system.spawn(Types);
    pid.tell(new Message('test.node.typed.Late', 'x')); // not registered yet
    assert.deepEqual(await pid.ask('get'), [0]);
    const tid = system.registerType('test.node.typed.Late');
    pid.tell(new Message('test.node.typed.Late', 'x'));
    pid.tell(new Message('test.node.typed.other', 'x'));
    assert.deepEqual(await pid.ask('get'), [0, tid, 0]);
  } finally {
    await system.shutdown();
  }
});

test('bad arguments are refused', async () => {
  const system = await ActorSystem.create('typed3');
  try {
    assert.throws(() => system.registerType(3), TypeError);
    assert.throws(() => system.registerType({ aktType: 5 }), TypeError);
    assert.throws(() => system.registerType(''), { name: 'InvalidArgumentError' });
    assert.throws(() => system.registerType('x'.repeat(256)), { name: 'InvalidArgumentError' });
    assert.throws(() => typeId(5), { name: 'InvalidArgumentError' });
  } finally {
    await system.shutdown();
  }
});
