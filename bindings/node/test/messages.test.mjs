import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Actor, Message, registerDecoder, registerType, typeId } from 'akt';
import { withSystem } from './helpers.mjs';

// Replies with exactly what it got, and what akt type it came as.
class Mirror extends Actor {
  receive(ctx, msg) {
    if (msg instanceof Message && msg.type === 'mirror.Type') ctx.respond(ctx.messageType);
    else ctx.respond({ msg, type: ctx.messageType });
  }
}

test('JS objects pass between JS actors by reference, not serialized', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(Mirror);
    const obj = { a: 1, nested: { b: [1, 2] }, fn() { return 7; } };
    const r = await pid.ask(obj);
    assert.equal(r.msg, obj); // the same object
    assert.equal(r.msg.fn(), 7);
    assert.equal(r.type, 'akt.js.Value');
    class Point { constructor(x) { this.x = x; } }
    const p = new Point(3);
    assert.equal((await pid.ask(p)).msg, p);
    const m = new Map([[1, 2]]);
    assert.equal((await pid.ask(m)).msg, m);
    const f = () => 1;
    assert.equal((await pid.ask(f)).msg, f);
    const s = Symbol('s');
    assert.equal((await pid.ask(s)).msg, s);
    assert.equal((await pid.ask(12n)).msg, 12n);
  });
});

test('primitives and strings round-trip with their akt types', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(Mirror);
    const cases = [
      [42, 'akt.Float64'], [-0.5, 'akt.Float64'], [Number.NaN, 'akt.Float64'], [true, 'akt.Bool'],
      [false, 'akt.Bool'], [null, 'akt.Null'], [undefined, 'akt.Undefined'],
      ['héllo ☃', 'akt.String'], ['', 'akt.String'],
    ];
    for (const [v, type] of cases) {
      const r = await pid.ask(v);
      assert.deepEqual(r.msg, v);
      assert.equal(r.type, type);
    }
  });
});

test('Buffers and typed arrays keep their identity and carry bytes', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(Mirror);
    const buf = Buffer.from('bytes!');
    const r = await pid.ask(buf);
    assert.equal(r.msg, buf);
    assert.equal(r.type, 'akt.Bytes');
    const u16 = new Uint16Array([1, 2, 3]);
    assert.equal((await pid.ask(u16)).msg, u16);
  });
});

test('a Message travels as type + bytes and arrives as a Message', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(Mirror);
    const r = await pid.ask(new Message('shop.Order', 'id=7'));
    assert.ok(r.msg instanceof Message);
    assert.equal(r.msg.type, 'shop.Order');
    assert.equal(r.msg.text, 'id=7');
    assert.ok(Buffer.isBuffer(r.msg.data));
    assert.equal(r.type, 'shop.Order');
    assert.equal(await pid.ask(new Message('mirror.Type')), 'mirror.Type');
    assert.throws(() => new Message(1), TypeError);
  });
});

test('an explicit type name on a send', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(Mirror);
    const obj = { k: 1 };
    const r = await pid.ask(obj, { type: 'app.Thing' });
    assert.equal(r.msg, obj);
    assert.equal(r.type, 'app.Thing');
  });
});

test('registerDecoder decodes bytes of a type into JS values', async () => {
  registerDecoder('test.Upper', (buf) => buf.toString().toUpperCase());
  registerDecoder('test.Lower', { decode: (buf) => buf.toString().toLowerCase() });
  await withSystem(async (system) => {
    const pid = system.spawn(Mirror);
    assert.equal((await pid.ask('abc', { type: 'test.Upper' })).msg, 'ABC');
    assert.equal((await pid.ask('XYZ', { type: 'test.Lower' })).msg, 'xyz');
    // A decoder interns nothing: the name has no registered type.
    assert.equal(typeId('test.Upper'), 0);
  });
  assert.throws(() => registerDecoder('x', {}), TypeError);
  assert.throws(() => registerDecoder('x'), TypeError);
  assert.throws(() => registerDecoder(5, () => 1), TypeError);
});

test('the deprecated module-level registerType still registers a decoder, with one warning', async () => {
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    registerType('test.Dep', { decode: (buf) => `dep:${buf.toString()}` });
    registerType('test.Dep2', { decode: (buf) => `dep2:${buf.toString()}` });
    await withSystem(async (system) => {
      const pid = system.spawn(Mirror);
      assert.equal((await pid.ask('a', { type: 'test.Dep' })).msg, 'dep:a');
      assert.equal((await pid.ask('b', { type: 'test.Dep2' })).msg, 'dep2:b');
    });
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    const ours = warnings.filter((w) => w.code === 'AKT_DEP_REGISTER_TYPE');
    assert.equal(ours.length, 1);
    assert.equal(ours[0].name, 'DeprecationWarning');
    assert.match(ours[0].message, /registerDecoder/);
  } finally {
    process.off('warning', onWarning);
  }
  assert.throws(() => registerType('x', {}), TypeError);
  // Called as if it were ActorSystem.registerType: a TypeError naming both.
  assert.throws(() => registerType('test.Interned'), /registerDecoder.*system\.registerType/);
});

test('values in flight are released: the table does not grow without bound', async () => {
  const { values } = await import('../lib/values.cjs');
  await withSystem(async (system) => {
    let seen = 0;
    const pid = system.spawn((ctx, m) => {
      seen++;
      if (m.sync) ctx.respond(true);
    });
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 10000; i++) pid.tell({ i });
      assert.equal(await pid.ask({ sync: true }), true);
    }
    assert.equal(seen, 50005);
    assert.ok(values.length <= 20002, `value table grew to ${values.length}`);
    assert.ok(values.filter((v) => v !== undefined).length < 100, 'released values are cleared');
  });
});
