// ask_failure: the asker of a failed receive gets the code and the failure's reason.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Overdrawn extends Error {}
class InvalidAmount extends Error {}

class Account extends Actor {
  preStart() {
    this.balance = 50;
  }

  receive(ctx, msg) {
    if (!conf.is(msg, 'conf.Withdraw')) {
      ctx.unhandled();
      return;
    }
    const n = conf.num(msg);
    if (n < 0) throw new InvalidAmount();
    if (n > this.balance) throw new Overdrawn(`balance ${this.balance}, asked ${n}`);
    this.balance -= n;
    ctx.respond(conf.msg('conf.Balance', String(this.balance)));
  }
}

// Asks conf.Withdraw and prints the reply, or the error name and the reason.
async function withdraw(account, amount) {
  try {
    const reply = await account.ask(conf.msg('conf.Withdraw', amount), { timeout: conf.ASK_MS });
    conf.say(`withdraw.${amount}`, conf.replyStr(reply));
  } catch (e) {
    conf.say(`withdraw.${amount}`, conf.rc(e));
    conf.say(`withdraw.${amount}.reason`, e.reason ?? '-');
  }
}

const system = await conf.createSystem();
const subscription = system.subscribe(['actorFailed'], (ev) => {
  if (ev.path && ev.path.startsWith('akt://conf/user/')) {
    conf.log('failed', `${ev.path} ${ev.code} reason=${ev.reason ?? '-'}`);
  }
});
const account = system.spawn(Account, { name: 'account' });

await withdraw(account, '80'); // 2. more than the balance
await withdraw(account, '-1'); // 3. an error without a message
await withdraw(account, '20'); // 4. the restarted account answers

// 5. The supervisor saw the same reasons, in order.
await conf.waitLog(2);
conf.flush();

subscription.unsubscribe();
await conf.finish(system);
