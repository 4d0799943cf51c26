// ask: a reply, a timeout, unhandled and failed asks, asks to stopped actors.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

// echo: conf.Question "<t>" -> conf.Answer "re:<t>"; conf.Ignore -> handled, no reply;
// conf.Boom -> throws (the default supervisor restarts it).
class Echo extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Question')) ctx.respond(conf.msg('conf.Answer', `re:${msg.text}`));
    else if (conf.is(msg, 'conf.Ignore')) return;
    else if (conf.is(msg, 'conf.Boom')) throw new Error('boom');
    else ctx.unhandled();
  }
}

// keeper: stashes every conf.Question (never answers it); conf.Ping -> conf.Pong.
class Keeper extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Question')) ctx.stash();
    else if (conf.is(msg, 'conf.Ping')) ctx.respond(conf.msg('conf.Pong'));
    else ctx.unhandled();
  }
}

const system = await conf.createSystem();
const echo = system.spawn(Echo, { name: 'echo' });

// 1. The reply completes the ask.
conf.say('ask.reply', await conf.askStr(echo, 'conf.Question', 'hello'));

// 2. No reply within 100 ms: the ask fails with AKT_ETIMEDOUT.
conf.say('ask.timeout', await conf.askStr(echo, 'conf.Ignore', '', 100));

// 3. An unhandled message fails the ask with AKT_EUNHANDLED.
conf.say('ask.unhandled', await conf.askStr(echo, 'conf.Other'));

// 4. A failing receive fails the ask with AKT_EFAILED ...
conf.say('ask.failed', await conf.askStr(echo, 'conf.Boom'));
// ... and the restarted actor answers the next one.
conf.say('ask.after_failure', await conf.askStr(echo, 'conf.Question', 'again'));

// 5. Once the actor stopped, asking it fails with AKT_ENOTFOUND.
conf.say('stop.echo', await conf.stopGraceful(echo));
conf.say('ask.stopped_actor', await conf.askStr(echo, 'conf.Question', 'anyone?'));

// 6. An ask the actor never handled fails with AKT_ESTOPPED when the actor stops.
const keeper = system.spawn(Keeper, { name: 'keeper' });
let settled = false;
const held = keeper.ask(conf.msg('conf.Question', 'held'), { timeout: conf.ASK_MS });
held.then(() => { settled = true; }, () => { settled = true; });
// Same sender, same receiver: when the ping is answered the question is stashed.
conf.say('keeper.ping', await conf.askStr(keeper, 'conf.Ping'));
conf.say('ask.pending', settled ? 'no' : 'yes');
keeper.stop();
conf.say('ask.stopped_before_handling', await conf.futureStr(held));

await conf.finish(system);
