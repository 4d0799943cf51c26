// respond_without_asker: a reply nobody waits for is a dead letter; the actor goes on.
import { Actor, Message } from 'akt';
import * as conf from 'akt/conformance';

const yesNo = (ctx) => (ctx.replyExpected ? 'yes' : 'no');

class Account extends Actor {
  preStart() {
    this.balance = 0;
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Deposit')) {
      const n = conf.num(msg);
      this.balance += n;
      conf.log('deposit', `${n} reply_expected=${yesNo(ctx)}`);
    } else if (conf.is(msg, 'conf.Balance')) {
      conf.log('balance', `reply_expected=${yesNo(ctx)}`);
    } else {
      ctx.unhandled();
      return;
    }
    // Answered whether or not someone asked: a reply to a tell is a dead letter.
    ctx.respond(conf.msg('conf.Balance', String(this.balance)));
  }
}

const system = await conf.createSystem();
const subscription = system.subscribe(['deadLetter'], (ev) => {
  if (!(ev.message instanceof Message) || !ev.message.type.startsWith('conf.')) return;
  const from = ev.sender ? conf.path(ev.sender) : '-';
  conf.log('dead_letter', `${conf.replyStr(ev.message)} to=${ev.path ?? '-'} from=${from} reason=${ev.reason ?? '-'}`);
});
const account = system.spawn(Account, { name: 'account' });

// 2. Five deposits told from outside: nobody asked, so every reply is a dead letter.
for (let i = 0; i < 5; i++) account.tell(conf.msg('conf.Deposit', '10'));

// 3. The account kept every deposit.
conf.say('balance', await conf.askStr(account, 'conf.Balance'));

// 4. Five deposits, five dead letters and the balance.
await conf.waitLog(11);
conf.flushSorted();

subscription.unsubscribe();
await conf.finish(system);
