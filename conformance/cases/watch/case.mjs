// watch: Terminated for watched actors, not for unwatched ones, once per watch, at once
// for an actor already gone.
import { Actor, Terminated } from 'akt';
import * as conf from 'akt/conformance';

class Idle extends Actor {}

class Watcher extends Actor {
  preStart() {
    this.entries = new Map(); // name -> { pid, path }
  }

  receive(ctx, msg) {
    if (msg instanceof Terminated) {
      for (const { pid, path } of this.entries.values())
        if (pid.equals(msg.pid)) conf.log('terminated', path);
    } else if (conf.is(msg, 'conf.Watch')) {
      const pid = ctx.system.lookup(msg.text);
      if (!pid) {
        ctx.respond(conf.msg('conf.Done', 'AKT_ENOTFOUND'));
        return;
      }
      this.entries.set(msg.text, { pid, path: conf.path(pid) });
      this.reply(ctx, () => ctx.watch(pid));
    } else if (conf.is(msg, 'conf.Unwatch')) {
      this.reply(ctx, () => ctx.unwatch(this.entries.get(msg.text).pid));
    } else if (conf.is(msg, 'conf.Rewatch')) {
      this.reply(ctx, () => ctx.watch(this.entries.get(msg.text).pid));
    } else if (conf.is(msg, 'conf.Ping')) {
      ctx.respond(conf.msg('conf.Pong'));
    } else {
      ctx.unhandled();
    }
  }

  reply(ctx, fn) {
    let result = 'ok';
    try {
      fn();
    } catch (e) {
      result = conf.rc(e);
    }
    ctx.respond(conf.msg('conf.Done', result));
  }
}

const system = await conf.createSystem();
const watcher = system.spawn(Watcher, { name: 'watcher' });
const w1 = system.spawn(Idle, { name: 'w1' });
const w2 = system.spawn(Idle, { name: 'w2' });
const w3 = system.spawn(Idle, { name: 'w3' });

// 1. Watch w1 and w2, unwatch w2; nobody cannot be watched.
conf.say('watch.w1', await conf.askStr(watcher, 'conf.Watch', 'w1'));
conf.say('watch.w2', await conf.askStr(watcher, 'conf.Watch', 'w2'));
conf.say('unwatch.w2', await conf.askStr(watcher, 'conf.Unwatch', 'w2'));
conf.say('watch.nobody', await conf.askStr(watcher, 'conf.Watch', 'nobody'));

// 2. Only w1's stop is reported.
conf.say('stop.w2', await conf.stopGraceful(w2));
conf.say('stop.w1', await conf.stopGraceful(w1));
await conf.waitLog(1);
conf.say('ping', await conf.askStr(watcher, 'conf.Ping'));
conf.flush();

// 3. Watching twice is one watch.
conf.say('watch.w3', await conf.askStr(watcher, 'conf.Watch', 'w3'));
conf.say('rewatch.w3', await conf.askStr(watcher, 'conf.Rewatch', 'w3'));
w3.stop();
conf.say('stop.w3', 'ok');
await conf.waitLog(1);
conf.say('ping', await conf.askStr(watcher, 'conf.Ping'));
conf.flush();

// 4. Watching an actor that is already gone reports it at once.
conf.say('rewatch.w1', await conf.askStr(watcher, 'conf.Rewatch', 'w1'));
await conf.waitLog(1);
conf.flush();

await conf.finish(system);
