// Typed references (Pid<M>, Actor<M>), compiled (not run) by test/types.test.mjs with
// strict on. Each `@ts-expect-error` line must fail to compile: if typing is lost there,
// tsc reports the directive as unused and the test fails.
import { ActorSystem, Actor, Context, Pid, Terminated } from 'akt';

type Cmd = { kind: 'deposit'; amount: number } | { kind: 'balance' };

class Account extends Actor<Cmd> {
  total = 0;
  receive(ctx: Context, msg: Cmd): void {
    if (msg.kind === 'deposit') this.total += msg.amount;
    else ctx.respond(this.total);
  }
}

class Untyped extends Actor {
  receive(ctx: Context, msg: unknown): void {
    if (msg instanceof Terminated) ctx.stop();
    else ctx.respond(msg);
  }
}

export async function typedUse(system: ActorSystem): Promise<number> {
  const account: Pid<Cmd> = system.spawn(Account, { name: 'account' });
  account.tell({ kind: 'deposit', amount: 5 });
  account.tellBatch([{ kind: 'deposit', amount: 1 }, { kind: 'balance' }]);
  const total: number = await account.ask<number>({ kind: 'balance' }, { timeout: 100 });
  const [first] = account.askBatch<number>([{ kind: 'balance' }]);

  // @ts-expect-error: a Pid<Cmd> takes only Cmd
  account.tell('deposit 5');
  // @ts-expect-error: the ask's message too, whatever the reply type
  await account.ask<number>({ kind: 'withdraw', amount: 1 });
  // @ts-expect-error: and each message of a batch
  account.tellBatch([{ kind: 'balance' }, 42]);
  // @ts-expect-error: a deposit needs its amount
  account.tell({ kind: 'deposit' });

  // An instance and a receive function type their pids as well.
  const fromInstance = system.spawn(new Account());
  fromInstance.tell({ kind: 'balance' });
  // @ts-expect-error: spawn of an Actor<Cmd> instance gives a Pid<Cmd>
  fromInstance.tell(1);
  const counter = system.spawn((ctx: Context, by: number) => { ctx.respond(by + 1); });
  counter.tell(1);
  // @ts-expect-error: the function's msg type is the pid's
  counter.tell('one');

  // Untyped actors and bare pids take anything, as before.
  const any = system.spawn(Untyped);
  any.tell('x');
  any.tell(1);
  system.spawn((ctx, msg) => ctx.respond(msg.anything)).tell('y'); // msg: any, as before
  const bare: Pid = account; // a typed pid is a Pid
  bare.tell('anything');
  const looked = system.lookup('account') as Pid<Cmd> | null;
  looked?.tell({ kind: 'balance' });
  // @ts-expect-error: a Pid<Cmd> is no Pid<string>
  const strings: Pid<string> = account;
  void strings;

  // Inside an actor the context's sends are typed by the pid.
  system.spawn((ctx: Context, msg: string) => {
    ctx.tell(account, { kind: 'deposit', amount: msg.length });
    // @ts-expect-error: ctx.tell checks the message against the pid's type
    ctx.tell(account, msg);
    void ctx.ask(account, { kind: 'balance' });
    // @ts-expect-error: ctx.ask as well (R inferred)
    void ctx.ask(account, 7);
    // @ts-expect-error: ctx.request as well
    void ctx.request(account, [msg]);
    ctx.tell(ctx.self, 'anything'); // ctx.self is a bare Pid
    const child: Pid<Cmd> = ctx.spawn(Account);
    // @ts-expect-error: ctx.spawn types the child's pid
    child.tell(msg);
    ctx.watch(child); // typed pids go wherever a Pid does
  });
  return total + (await first);
}
