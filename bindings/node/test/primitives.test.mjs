// The core primitives the binding relies on: the implicit sender of a send made inside a
// callback (one send path for Pid and Context), and by-reference passing decided by where
// the receiver runs (akt_pid_runs_on).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Message } from 'akt';
import { withSystem, collector } from './helpers.mjs';

const PEER = fileURLToPath(new URL('../build/Release/libakt_conf_peer.so', import.meta.url));

test('a send from inside receive has the sending actor as sender (ctx.tell, Pid.tell, ask)', async () => {
  await withSystem(async (system) => {
    const seen = collector(5);
    const target = system.spawn((ctx, msg) => {
      seen.push(`${msg} from=${ctx.sender ? ctx.sender.path : 'none'}`);
      if (msg.startsWith('ask')) ctx.respond('ok');
    }, { name: 'target' });
    const replies = collector(2);
    const source = system.spawn((ctx, msg) => {
      if (msg !== 'go') return;
      ctx.tell(target, 'ctx.tell');
      target.tell('pid.tell'); // a Pid send: akt makes the running actor the sender
      ctx.ask(target, 'ask ctx').then((r) => replies.push(r));
      target.ask('ask pid').then((r) => replies.push(r));
    }, { name: 'source' });
    source.tell('go');
    assert.deepEqual(await replies.wait(), ['ok', 'ok']);
    target.tell('outside'); // outside any callback: no sender
    const got = (await seen.wait()).sort();
    assert.deepEqual(got, [
      'ask ctx from=akt://test/user/source',
      'ask pid from=akt://test/user/source',
      'ctx.tell from=akt://test/user/source',
      'outside from=none',
      'pid.tell from=akt://test/user/source',
    ]);
  });
});

test('by reference only to JS actors: a C actor gets the JSON bytes of the same object', async () => {
  await withSystem(async (system) => {
    const peer = system.spawnNative(PEER, 'akt_conf_peer', { name: 'peer' });
    const obj = { a: [1, 'x'] };
    const got = collector(3);
    const js = system.spawn((ctx, msg) => got.push(['js', msg === obj, msg]));
    const host = system.spawn((ctx, msg) => {
      if (msg === 'start') {
        js.tell(obj); // JS actor, this thread: the very object
        ctx.tell(peer, obj); // C actor: bytes (JSON); it echoes them to its sender
        peer.tell(obj);
      } else {
        got.push(['c', msg instanceof Message, msg.text]);
      }
    });
    host.tell('start');
    const items = await got.wait();
    assert.deepEqual(items.filter((i) => i[0] === 'js'), [['js', true, obj]]);
    assert.deepEqual(items.filter((i) => i[0] === 'c'),
      [['c', true, '{"a":[1,"x"]}'], ['c', true, '{"a":[1,"x"]}']]);
  });
});
