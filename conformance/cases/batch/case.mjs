// batch: tellBatch (in order, all or none) and askBatch (one promise per message).
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

// adder: conf.Add "<k>" appends k; conf.List answers conf.Items "<k1,k2,...>";
// conf.Double "<k>" answers conf.Doubled "<2k>".
class Adder extends Actor {
  preStart() {
    this.items = [];
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Add')) this.items.push(msg.text);
    else if (conf.is(msg, 'conf.List')) ctx.respond(conf.msg('conf.Items', this.items.join(',')));
    else if (conf.is(msg, 'conf.Double')) ctx.respond(conf.msg('conf.Doubled', String(2 * conf.num(msg))));
    else ctx.unhandled();
  }
}

const adds = (...texts) => texts.map((t) => conf.msg('conf.Add', t));

const system = await conf.createSystem();
const adder = system.spawn(Adder, { name: 'adder' });

// 1. A batch arrives in order.
conf.say('tell_batch', await conf.rcOf(() => adder.tellBatch(adds('1', '2', '3', '4', '5'))));
conf.say('list', await conf.askStr(adder, 'conf.List'));

// 2. A batch keeps its place among single tells from the same sender.
adder.tell(conf.msg('conf.Add', '6'));
conf.say('tell_batch', await conf.rcOf(() => adder.tellBatch(adds('7', '8'))));
adder.tell(conf.msg('conf.Add', '9'));
conf.say('list', await conf.askStr(adder, 'conf.List'));

// 3. One promise per question, each with its own result.
let answers = [];
conf.say('ask_batch', await conf.rcOf(() => {
  answers = adder.askBatch([conf.msg('conf.Double', '1'), conf.msg('conf.Nope', 'x'),
    conf.msg('conf.Double', '3')], { timeout: conf.ASK_MS });
}));
for (let i = 0; i < answers.length; i++) conf.say(`ask_batch.${i}`, await conf.futureStr(answers[i]));

// 4. To a stopped actor, nothing is taken.
const gone = system.spawn(Adder, { name: 'gone' });
conf.say('stop.gone', await conf.stopGraceful(gone));
conf.say('tell_batch.stopped', await conf.rcOf(() => gone.tellBatch(adds('1', '2'))));
conf.say('ask_batch.stopped', await conf.rcOf(() => gone.askBatch(adds('1', '2'), { timeout: conf.ASK_MS })));

await conf.finish(system);
