// hierarchy: children, their paths, lookups by relative and absolute path, stop order.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

const CHILDREN = { parent: ['a', 'b'], a: ['x'] };
const ranks = new Map(); // path -> stop rank
let stops = 0;

// node: one behaviour for every actor of the tree.
class Node extends Actor {
  preStart(ctx) {
    this.path = conf.selfPath(ctx);
    const name = this.path.slice(this.path.lastIndexOf('/') + 1);
    for (const child of CHILDREN[name] || []) ctx.spawn(Node, { name: child });
  }

  postStop() {
    ranks.set(this.path, ++stops);
    conf.log('post_stop', this.path);
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Ping')) ctx.respond(conf.msg('conf.Pong'));
    else if (conf.is(msg, 'conf.Parent')) ctx.respond(conf.msg('conf.Path', conf.path(ctx.parent)));
    else ctx.unhandled();
  }
}

const yesNo = (b) => (b ? 'yes' : 'no');
const same = (a, b) => (a && a.equals(b) ? 'same pid' : 'different pid');

const system = await conf.createSystem();

// 1. The parent's pre_start spawns a and b.
const parent = system.spawn(Node, { name: 'parent' });
conf.say('spawn.parent', conf.path(parent));
conf.say('ping.parent', await conf.askStr(parent, 'conf.Ping'));

// 2. Lookups: relative to /user, absolute, full address.
const a = conf.lookup(system, 'parent/a');
conf.say('path.a', conf.path(a));
conf.say('ping.a', await conf.askStr(a, 'conf.Ping'));
conf.say('path.b', conf.path(conf.lookup(system, '/user/parent/b')));
const x = conf.lookup(system, 'akt://conf/user/parent/a/x');
conf.say('path.x', conf.path(x));
conf.say('lookup.relative', same(system.lookup('parent/a/x'), x));
conf.say('lookup.absolute', same(system.lookup('/user/parent/a/x'), x));
conf.say('lookup.missing', system.lookup('parent/c') ? 'ok' : 'AKT_ENOTFOUND');

// 3. Parents.
conf.say('parent.of_x', await conf.askStr(x, 'conf.Parent'));
conf.say('parent.of_a', await conf.askStr(a, 'conf.Parent'));

// 4. Stopping the parent stops the tree, children first.
conf.say('stop.parent', await conf.stopGraceful(parent));
conf.flushSorted();
const rank = (p) => ranks.get(`akt://conf/user/${p}`) ?? 0;
conf.say('order.x_before_a', yesNo(rank('parent/a/x') < rank('parent/a')));
conf.say('order.a_before_parent', yesNo(rank('parent/a') < rank('parent')));
conf.say('order.b_before_parent', yesNo(rank('parent/b') < rank('parent')));
conf.say('alive.x', x.alive ? '1' : '0');
conf.say('lookup.after_stop', system.lookup('parent/a/x') ? 'ok' : 'AKT_ENOTFOUND');

await conf.finish(system);
