// pubsub: topics, counts, unsubscribe, a stopped subscriber, a callback subscription.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Sub extends Actor {
  receive(ctx, msg) {
    if (!conf.is(msg, 'conf.News')) return ctx.unhandled();
    const sender = ctx.sender ? conf.path(ctx.sender) : 'none';
    conf.log(conf.selfPath(ctx).split('/').pop(), `${msg.text} from ${sender}`);
  }
}

class Publisher extends Actor {
  receive(ctx, msg) {
    if (!conf.is(msg, 'conf.Publish')) return ctx.unhandled();
    const at = msg.text.indexOf(' ');
    let rc = 'ok';
    try {
      ctx.system.topic(msg.text.slice(0, at)).publish(conf.msg('conf.News', msg.text.slice(at + 1)));
    } catch (e) {
      rc = conf.rc(e);
    }
    ctx.respond(conf.msg('conf.Done', rc));
  }
}

const system = await conf.createSystem();
const [s1, s2, s3] = ['s1', 's2', 's3'].map((name) => system.spawn(Sub, { name }));
const pub = system.spawn(Publisher, { name: 'pub' });
const news = system.topic('news'), sport = system.topic('sport');

// 1. Subscriptions, acknowledged with the topic's count.
conf.say('subscribe.s1.news', String(await news.subscribe(s1)));
conf.say('subscribe.s2.news', String(await news.subscribe(s2)));
conf.say('subscribe.s1.news.again', String(await news.subscribe(s1)));
conf.say('subscribe.s3.sport', String(await sport.subscribe(s3)));

// 2. Publishing from outside: no sender; nobody listens to weather.
news.publish(conf.msg('conf.News', 'n1'));
news.publish(conf.msg('conf.News', 'n2'));
sport.publish(conf.msg('conf.News', 'goal'));
system.topic('weather').publish(conf.msg('conf.News', 'void'));
await conf.waitLog(5);
conf.flushSorted();

// 3. Counts.
for (const name of ['news', 'sport', 'weather'])
  conf.say(`count.${name}`, String(await system.topic(name).count()));

// 4. Publishing from an actor: it is the sender.
conf.say('publish.pub', await conf.askStr(pub, 'conf.Publish', 'sport kickoff'));
await conf.waitLog(1);
conf.flush();

// 5. Unsubscribe.
conf.say('unsubscribe.s2.news', String(await news.unsubscribe(s2)));
news.publish(conf.msg('conf.News', 'n3'));
await conf.waitLog(1);
conf.flush();

// 6. A callback subscription.
const alerts = system.topic('alerts');
alerts.onMessage((m) => conf.log('callback', m.text));
alerts.publish(conf.msg('conf.News', 'a1'));
alerts.publish(conf.msg('conf.News', 'a2'));
await conf.waitLog(2);
conf.flush();
conf.say('count.alerts', String(await alerts.count()));

// 7. A stopped subscriber leaves its topics.
conf.say('stop.s1', await conf.stopGraceful(s1));
const deadline = Date.now() + 10000;
let n;
while ((n = await news.count()) !== 0 && Date.now() < deadline)
  await new Promise((r) => setTimeout(r, 2));
if (n !== 0) conf.fatal('s1 did not leave news');
conf.say('count.news.after_stop', String(n));

await conf.finish(system);
