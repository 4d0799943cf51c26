// spawn_started: spawn returns after preStart; its children are visible at once.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Child extends Actor {
  receive(ctx) { ctx.unhandled(); }
}

class Parent extends Actor {
  preStart(ctx) {
    conf.log('pre_start', conf.selfPath(ctx));
    const child = ctx.spawn(Child, { name: 'child' });
    conf.log('spawned', conf.path(child));
  }

  receive(ctx) { ctx.unhandled(); }
}

function spawnAndLook(system, name, step) {
  system.spawn(Parent, { name });
  conf.flush(); // preStart ran before the spawn returned
  const child = system.lookup(`${name}/child`);
  conf.say(step, child ? conf.path(child) : 'AKT_ENOTFOUND');
}

const system = await conf.createSystem();
spawnAndLook(system, 'parent', 'lookup.child');
spawnAndLook(system, 'other', 'lookup.other');
await conf.finish(system);
