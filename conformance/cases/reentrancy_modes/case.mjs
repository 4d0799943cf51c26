// reentrancy_modes: requests answered on the requester's turn; allowAll cycles, stash
// order, a stop cancels; requests by name.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Server extends Actor {
  preStart() {
    this.holding = false;
    this.served = 0;
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Hold')) {
      this.holding = true;
    } else if (conf.is(msg, 'conf.Release')) {
      this.holding = false;
      ctx.unstashAll();
    } else if (conf.is(msg, 'conf.Inc')) {
      if (this.holding) {
        ctx.stash();
      } else {
        this.served += 1;
        ctx.respond(conf.msg('conf.Done', `${msg.text}!`));
      }
    } else if (conf.is(msg, 'conf.Bounce')) {
      ctx.forward(ctx.sender);
    } else if (conf.is(msg, 'conf.Served')) {
      ctx.respond(conf.msg('conf.Count', String(this.served)));
    } else if (conf.is(msg, 'conf.Ping')) {
      ctx.respond(conf.msg('conf.Pong'));
    } else {
      ctx.unhandled();
    }
  }
}

let server;

class Client extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Go')) {
      ctx.request(server, conf.msg('conf.Inc', msg.text), {
        then: (c, reply, error) => conf.log('reply', error ? conf.rc(error) : reply.text),
      });
      conf.log('go', msg.text);
    } else if (conf.is(msg, 'conf.GoNamed')) {
      try {
        ctx.request(msg.text, conf.msg('conf.Inc', msg.text), {
          then: (c, reply, error) => conf.log('reply', error ? conf.rc(error) : reply.text),
        });
        conf.log('named', 'ok');
      } catch (e) {
        conf.log('named', conf.rc(e));
      }
    } else if (conf.is(msg, 'conf.GoBounce')) {
      ctx.request(server, conf.msg('conf.Bounce'), {
        then: (c, reply, error) => conf.log('bounce', error ? conf.rc(error) : reply.type),
      });
    } else if (conf.is(msg, 'conf.Bounce')) {
      conf.log('bounced', 'ok');
      ctx.respond(conf.msg('conf.Pong'));
    } else if (conf.is(msg, 'conf.Item')) {
      conf.log('item', msg.text);
    } else {
      ctx.unhandled();
    }
  }
}

const system = await conf.createSystem();
server = system.spawn(Server, { name: 'server' });
const tell = (pid, type, text = '') => pid.tell(conf.msg(type, text));

// 1. A -> B -> A completes with allowAll.
const allow = system.spawn(Client, { name: 'allow', reentrancy: 'allowAll' });
tell(allow, 'conf.GoBounce');
await conf.waitLog(2);
conf.flush();

// 2. stash: the items wait for the answer, in order.
const stash = system.spawn(Client, { name: 'stash', reentrancy: 'stash' });
tell(server, 'conf.Hold');
conf.say('ping', await conf.askStr(server, 'conf.Ping'));
tell(stash, 'conf.Go', 'a');
tell(stash, 'conf.Item', 'x');
tell(stash, 'conf.Item', 'y');
await conf.waitLog(1);
tell(server, 'conf.Release');
await conf.waitLog(4);
conf.flush();

// 3. allowAll: the items go first.
tell(server, 'conf.Hold');
tell(allow, 'conf.Go', 'b');
tell(allow, 'conf.Item', 'x');
tell(allow, 'conf.Item', 'y');
await conf.waitLog(3);
tell(server, 'conf.Release');
await conf.waitLog(4);
conf.flush();

// 4. A stop cancels: no continuation, and the server skips the abandoned ask.
tell(server, 'conf.Hold');
tell(allow, 'conf.Go', 'c');
await conf.waitLog(1);
conf.say('stop', await conf.stopGraceful(allow));
tell(server, 'conf.Release');
conf.say('served', await conf.askStr(server, 'conf.Served'));
conf.flush();

// 5. Requests by name: each path form, a name nobody has, a name gone with its actor.
tell(stash, 'conf.GoNamed', 'server');
await conf.waitLog(2);
tell(stash, 'conf.GoNamed', 'akt://conf/user/server');
await conf.waitLog(4);
tell(stash, 'conf.GoNamed', 'nobody');
await conf.waitLog(5);
conf.flush();
conf.say('stop', await conf.stopGraceful(server));
tell(stash, 'conf.GoNamed', 'server');
await conf.waitLog(1);
conf.flush();

await conf.finish(system);
