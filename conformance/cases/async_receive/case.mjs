// async_receive: an async receive keeps its message while it awaits a request; the order
// around the await, a failure after it, an A -> B -> A cycle under allowAll.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

let server;

class Server extends Actor {
  preStart() {
    this.holding = false;
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Hold')) {
      this.holding = true;
    } else if (conf.is(msg, 'conf.Release')) {
      this.holding = false;
      ctx.unstashAll();
    } else if (conf.is(msg, 'conf.Inc')) {
      if (this.holding) ctx.stash();
      else ctx.respond(conf.msg('conf.Done', `${msg.text}!`));
    } else if (conf.is(msg, 'conf.Bounce')) {
      ctx.forward(ctx.sender);
    } else {
      ctx.unhandled();
    }
  }
}

class Worker extends Actor {
  preStart() {
    conf.log('pre_start', 'ok');
  }

  async receive(ctx, msg) {
    if (conf.is(msg, 'conf.Work')) {
      conf.log('start', msg.text);
      const reply = await ctx.request(server, conf.msg('conf.Inc', msg.text));
      conf.log('end', `${msg.text} ${reply.text}`);
      ctx.respond(conf.msg('conf.Done', reply.text));
    } else if (conf.is(msg, 'conf.Item')) {
      conf.log('item', msg.text);
    } else if (conf.is(msg, 'conf.Boom')) {
      await ctx.request(server, conf.msg('conf.Inc', 'boom'));
      throw new Error('boom after await');
    } else if (conf.is(msg, 'conf.Bounce')) {
      conf.log('bounced', 'ok');
      ctx.respond(conf.msg('conf.Pong'));
    } else if (conf.is(msg, 'conf.Cycle')) {
      const reply = await ctx.request(server, conf.msg('conf.Bounce'));
      ctx.respond(conf.msg('conf.Done', reply.type));
    } else {
      ctx.unhandled();
    }
  }
}

const system = await conf.createSystem();
server = system.spawn(Server, { name: 'server' });
const tell = (pid, type, text = '') => pid.tell(conf.msg(type, text));

// 1. The item waits for the end of the work.
const worker = system.spawn(Worker, { name: 'worker' });
await conf.waitLog(1);
conf.flush();
tell(server, 'conf.Hold');
tell(worker, 'conf.Work', 'a');
tell(worker, 'conf.Item', 'x');
await conf.waitLog(1);
tell(server, 'conf.Release');
await conf.waitLog(3);
conf.flush();

// 2. The answer comes after the await.
conf.say('work', await conf.askStr(worker, 'conf.Work', 'b'));
await conf.waitLog(2);
conf.flush();

// 3. A failure after the await restarts the worker.
conf.say('boom', await conf.askStr(worker, 'conf.Boom'));
conf.say('work', await conf.askStr(worker, 'conf.Work', 'c'));
await conf.waitLog(3);
conf.flush();

// 4. allowAll: the bounce runs while the cycle awaits.
const allow = system.spawn(Worker, { name: 'allow', reentrancy: 'allowAll' });
conf.say('cycle', await conf.askStr(allow, 'conf.Cycle'));
await conf.waitLog(2);
conf.flush();

await conf.finish(system);
