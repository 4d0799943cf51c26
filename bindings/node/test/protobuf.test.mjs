// Protobuf messages as the generated class (system.registerProtobuf): a protobufjs Type
// crosses to another node and back as an instance of its class, under its full name; what
// is not a protobufjs message class is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { Actor, ActorSystem, Message } from 'akt';

const Note = protobuf.parse('syntax = "proto3"; package jstest.pb; message Note { string text = 1; int32 n = 2; }')
  .root.lookupType('jstest.pb.Note');

class Echo extends Actor {
  receive(ctx, msg) {
    ctx.respond(msg);
  }
}

async function withNodes(fn) {
  const a = await ActorSystem.create('jspbalpha', { logger: null });
  const b = await ActorSystem.create('jspbbeta', { logger: null });
  try {
    assert.equal(a.registerProtobuf(Note), 'jstest.pb.Note');
    b.registerProtobuf(Note);
    const addrB = b.remoteStart();
    a.remoteStart();
    b.spawn(Echo, { name: 'echo' });
    await fn(a, a.remoteLookup(`${addrB}/user/echo`));
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
}

test('a protobufjs class crosses as itself', async () => {
  await withNodes(async (a, echo) => {
    assert.equal(a.serializerFor('jstest.pb.Note'), 'protobuf');
    const back = await echo.ask(Note.create({ text: 'héllo', n: -3 }), { timeout: 10000 });
    assert.ok(back instanceof Note.ctor);
    assert.deepEqual(Note.toObject(back), { text: 'héllo', n: -3 });
  });
});

test('bytes of the full name arrive as the class', async () => {
  await withNodes(async (a, echo) => {
    const raw = Note.encode(Note.create({ text: 'raw', n: 9 })).finish();
    const back = await echo.ask(new Message('jstest.pb.Note', raw), { timeout: 10000 });
    assert.ok(back instanceof Note.ctor);
    assert.equal(back.text, 'raw');
    assert.equal(back.n, 9);
  });
});

test('what is not a protobufjs class is refused', async () => {
  const s = await ActorSystem.create('jspbbad', { logger: null });
  try {
    for (const bad of [null, 42, {}, class Plain {}, { fullName: '.x.Y' }]) {
      assert.throws(() => s.registerProtobuf(bad), TypeError);
    }
  } finally {
    await s.shutdown();
  }
});
