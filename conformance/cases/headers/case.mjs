// headers: metadata told with a message, read in receive, kept by forward, refused when bad.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

function headersText(headers) {
  const keys = Object.keys(headers).sort();
  return keys.length ? keys.map((k) => `${k}=${headers[k]}`).join(',') : 'none';
}

class Sink extends Actor {
  kept = 'none';
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Note')) this.kept = headersText(ctx.headers);
    else if (conf.is(msg, 'conf.Get')) ctx.respond(conf.msg('conf.Headers', this.kept));
    else ctx.unhandled();
  }
}

function note(pid, headers) {
  try {
    pid.tell(conf.msg('conf.Note'), { headers });
    return 'ok';
  } catch (e) {
    return conf.rc(e);
  }
}

const system = await conf.createSystem();
const sink = system.spawn(Sink, { name: 'sink' });
const relay = system.spawn((ctx) => ctx.forward(sink), { name: 'relay' });

note(sink, { trace: 't1', tenant: 'acme' });
conf.say('direct', await conf.askStr(sink, 'conf.Get'));
note(sink, {});
conf.say('none', await conf.askStr(sink, 'conf.Get'));
note(relay, { trace: 't2' });
conf.say('forwarded', await conf.askStr(relay, 'conf.Get'));
conf.say('bad.name', note(sink, { 'a key': 'v' }));
conf.say('bad.size', note(sink, { big: 'x'.repeat(8193) }));
conf.say('after_bad', await conf.askStr(sink, 'conf.Get'));

await conf.finish(system);
