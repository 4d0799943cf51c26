// scalars: JS values through the C echo actor and back, as akt's canonical scalars.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

const VALUES = new Map([
  ['string.empty', ''],
  ['string.utf8', 'héllo ✓'],
  ['bytes.empty', Buffer.alloc(0)],
  ['bytes.data', Buffer.from([0x00, 0xff, 0x80])],
  ['int64.min', -(2n ** 63n)],
  ['int64.max', 2n ** 63n - 1n],
  ['float64.negzero', -0],
  ['float64.big', 1e308],
  ['float64.nan', NaN],
  ['bool.true', true],
  ['bool.false', false],
  ['null', conf.msg('conf.Null')], // Java cannot send null: the echo makes the Null
  ['json.nested', { a: [1, 'x', { b: null }] }],
]);

function f64Hex(x) {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  return b.toString('hex');
}

// The canonical text of a value that arrived as type (ctx.messageType).
function canonical(type, v) {
  switch (type) {
    case 'akt.String': return v;
    case 'akt.Bytes': return Buffer.from(v).toString('hex');
    case 'akt.Int64': return BigInt(v).toString();
    case 'akt.Float64': return f64Hex(v);
    case 'akt.Bool': return v ? 'true' : 'false';
    case 'akt.Null': return String(v);
    case 'akt.Json': return JSON.stringify(v);
    default: return conf.fatal(`an echo reply of no canonical type: ${type}`);
  }
}

class Host extends Actor {
  step = '';

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Run')) {
      this.step = msg.text;
      ctx.tell(conf.lookup(ctx.system, 'echo'), VALUES.get(this.step));
      ctx.respond(conf.msg('conf.Sent'));
    } else {
      const text = canonical(ctx.messageType, msg);
      conf.log(this.step, text ? `${ctx.messageType} ${text}` : ctx.messageType);
    }
  }
}

const system = await conf.createSystem();
system.spawnNative(conf.PEER_LIBRARY, 'akt_conf_echo', { name: 'echo' });
const host = system.spawn(Host, { name: 'host' });

for (const step of VALUES.keys()) {
  const reply = await conf.askStr(host, 'conf.Run', step);
  if (reply !== 'conf.Sent') conf.fatal(`conf.Run ${step}: ${reply}`);
  await conf.waitLog(1);
  conf.flush();
}

await conf.finish(system);
