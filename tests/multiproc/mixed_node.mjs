// mixed_node (Node): one of the four nodes of tests/multiproc/mixed.py, the Node.js one.
//
// System "jsnode", remoting on 127.0.0.1 with an ephemeral port, akt.Json (plain objects,
// arrays, scalars) bound to CBOR. Actors /user/relay, /user/watcher, /user/victim; it prints
// "ready <address>", then obeys one command per stdin line (the protocol is in mixed.py).
// A JSON value arrives here as a plain object. Its trace sink (tracing.setTraceSink,
// installed at start) reports each span of a "mixed.trace" message as a "span ..." line; the
// "otlp" command starts the OTLP exporter (otlp.start, to $AKT_MIXED_OTLP, service.name
// "jsnode"), which replaces that sink: from then on the spans go to mixed.py's receiver.
import { createInterface } from 'node:readline';
import { isDeepStrictEqual } from 'node:util';
import { Actor, ActorSystem, Message, Terminated, otlp, tracing } from 'akt';

const ME = 'jsnode';
const RING = 4;
const TRACE = 'mixed.trace'; // a traced ring message: bytes, the nodes it passed, comma-separated
const ASK_MS = 10000;
const OTLP_FLUSH_MS = 100; // the exporter's batch interval (and metric readings)
const PAYLOAD = {
  text: 'h\u00e9llo w\u00f6rld', n: 42, neg: -7, f: 2.5, t: true, nil: null,
  list: [1, 'two', 3.25, false], nested: { a: { b: [] } },
};

const say = (...parts) => process.stdout.write(parts.join(' ') + '\n');

// JSON with sorted keys (what the other nodes print, so that lines compare as text too).
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const isPlainObject = (v) =>
  v !== null && typeof v === 'object' && !(v instanceof Message) && Object.getPrototypeOf(v) === Object.prototype;

const report = (what, v) => say(what, 'object', canonical(v));

let nextRelay = null;

// A ring message -> reported, forwarded until it has seen every node; an ask -> answered.
class Relay extends Actor {
  receive(ctx, msg) {
    if (msg instanceof Message && msg.type === TRACE) {
      // Forwarded with this node added until it passed every node; the tell carries this
      // span's traceparent (akt adds it).
      if (msg.text.split(',').length >= RING) say('trace-home', msg.text);
      else ctx.tell(nextRelay, new Message(TRACE, `${msg.text},${ME}`));
      return;
    }
    if (!isPlainObject(msg)) {
      say('bad', 'not a plain object:', msg?.constructor?.name ?? typeof msg);
      return;
    }
    if (!isDeepStrictEqual(msg.payload, PAYLOAD)) report('bad payload differs', msg);
    if ('q' in msg) {
      ctx.respond({ a: msg.q, by: ME, echo: msg });
      return;
    }
    report('got', msg);
    if (msg.path.length >= RING) {
      report('home', msg);
      return;
    }
    msg.path.push(ME);
    msg.hops = msg.path.length - 1;
    ctx.tell(nextRelay, msg);
  }
}

class Watcher extends Actor {
  preStart() {
    this.paths = []; // [pid, path]: a gone pid may no longer tell its path
  }

  receive(ctx, msg) {
    if (msg instanceof Terminated) {
      const hit = this.paths.find(([pid]) => pid.equals(msg.pid));
      say('terminated', hit ? hit[1] : '?');
    } else if (msg instanceof Message && msg.type === 'watch') {
      let result = 'ok';
      try {
        const pid = ctx.system.remoteLookup(msg.text);
        this.paths.push([pid, pid.path]);
        ctx.watch(pid);
      } catch (e) {
        result = String(e);
      }
      ctx.respond(new Message('watched', result));
    } else ctx.unhandled();
  }
}

class Victim extends Actor {
  receive(ctx) {
    ctx.unhandled();
  }
}

const system = await ActorSystem.create(ME);
system.bindSerializer('akt.Json', 'cbor');
// A "span <trace id> <span id> <parent id> <actor path> <message type> <flags>" line for
// each handled trace message (a root's parent id is 16 zeros, flags two hex digits).
tracing.setTraceSink(system, (s) => {
  if (s.messageType === TRACE) {
    say('span', s.traceId, s.spanId, s.parentId ?? '0'.repeat(16), s.actorPath, s.messageType,
      s.flags.toString(16).padStart(2, '0'));
  }
});
const address = system.remoteStart({ host: '127.0.0.1', port: 0 });
system.spawn(Relay, { name: 'relay' });
const watcher = system.spawn(Watcher, { name: 'watcher' });
const victim = system.spawn(Victim, { name: 'victim' });
say('ready', address);

let nextAddress = '';
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const sp = line.indexOf(' ');
  const cmd = sp < 0 ? line.trim() : line.slice(0, sp);
  const arg = sp < 0 ? '' : line.slice(sp + 1).trim();
  if (cmd === 'next') {
    nextAddress = arg;
    nextRelay = system.remoteLookup(`${arg}/user/relay`);
    say('next', 'ok');
  } else if (cmd === 'round') {
    for (let i = 0; i < Number(arg); i++) {
      nextRelay.tell({ origin: ME, seq: i, hops: 0, path: [ME], payload: PAYLOAD });
    }
    say('told', arg);
  } else if (cmd === 'trace') {
    // A trace message into the ring, its parent span the one mixed.py chose.
    nextRelay.tell(new Message(TRACE, ME), { headers: { [tracing.HEADER]: arg } });
    say('traced', arg);
  } else if (cmd === 'otlp') {
    // The exporter installs the system's trace sink in place of the one above.
    try {
      otlp.start(system, { endpoint: process.env.AKT_MIXED_OTLP, serviceName: ME, flushIntervalMs: OTLP_FLUSH_MS });
      say('otlp', 'ok');
    } catch (e) {
      say('bad', 'otlp', String(e));
    }
  } else if (cmd === 'ask') {
    for (let i = 0; i < Number(arg); i++) {
      try {
        report('answer', await nextRelay.ask({ q: i, from: ME, payload: PAYLOAD }, { timeout: ASK_MS }));
      } catch (e) {
        say('bad', 'ask', String(i), String(e));
      }
    }
  } else if (cmd === 'watch') {
    const reply = await watcher.ask(new Message('watch', `${nextAddress}/user/victim`), { timeout: ASK_MS });
    say('watching', reply.text);
  } else if (cmd === 'stop') {
    victim.stop();
    say('stopped', 'ok');
  } else if (cmd === 'quit') {
    break;
  } else {
    say('bad', 'command', line);
  }
}
lines.close();
await system.shutdown();
say('bye', 'ok');
