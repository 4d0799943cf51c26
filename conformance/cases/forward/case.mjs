// forward: a forwarded message keeps its original sender and asker.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

const senderPath = (ctx) => (ctx.sender ? conf.path(ctx.sender) : '-');

class Back extends Actor {
  receive(ctx, msg) {
    if (!conf.is(msg, 'conf.Question')) {
      ctx.unhandled();
      return;
    }
    conf.log('back', `${msg.text} from=${senderPath(ctx)}`);
    ctx.respond(conf.msg('conf.Answer', `back:${msg.text}`));
  }
}

class Front extends Actor {
  receive(ctx, msg) {
    if (!conf.is(msg, 'conf.Question')) {
      ctx.unhandled();
      return;
    }
    conf.log('front', msg.text);
    ctx.forward(conf.lookup(ctx.system, 'back'));
  }
}

class Client extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Start')) {
      ctx.tell(conf.lookup(ctx.system, 'front'), conf.msg('conf.Question', msg.text));
      ctx.respond(conf.msg('conf.Started'));
    } else if (conf.is(msg, 'conf.Answer')) {
      conf.log('client', `${conf.replyStr(msg)} from=${senderPath(ctx)}`);
    } else {
      ctx.unhandled();
    }
  }
}

const system = await conf.createSystem();
system.spawn(Back, { name: 'back' });
const front = system.spawn(Front, { name: 'front' });
const client = system.spawn(Client, { name: 'client' });

// 1. The asker gets back's answer.
conf.say('ask.front', await conf.askStr(front, 'conf.Question', 'q1'));
conf.flush();

// 2. An actor's message forwarded: back answers the client directly.
conf.say('start.client', await conf.askStr(client, 'conf.Start', 'q2'));
await conf.waitLog(3);
conf.flush();

await conf.finish(system);
