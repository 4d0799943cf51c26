// circuit_breaker: the public breaker's states, window and trial calls on a fake clock.
import { CircuitBreaker, ManualClock, BreakerOpenError } from 'akt';
import * as conf from 'akt/conformance';

const STATE = { closed: 'closed', open: 'open', halfOpen: 'half_open' };

const clock = new ManualClock(1000000);
const breaker = new CircuitBreaker({
  failureRate: 0.5, minRequests: 4, openTimeout: 5000, window: 10000, windowBuckets: 10,
  halfOpenMaxCalls: 2, clock,
});

class TaskFailed extends Error {}

async function call(step, ok) {
  try {
    conf.say(step, await breaker.call(async () => {
      if (!ok) throw new TaskFailed('the task failed');
      return 'ok';
    }));
  } catch (e) {
    if (e instanceof TaskFailed) conf.say(step, 'failed');
    else if (e instanceof BreakerOpenError) conf.say(step, 'rejected');
    else throw e;
  }
}

async function calls(prefix, first, last, ok) {
  for (let i = first; i <= last; i++) await call(`${prefix}.${i}`, ok);
}

function metrics() {
  const m = breaker.metrics();
  conf.say('metrics', `${STATE[m.state]} successes=${m.successes} failures=${m.failures} ` +
    `rate=${Math.floor(m.failureRate * 100 + 0.5)}% rejected=${m.rejected}`);
}

function advance(ms, label) {
  clock.advance(ms);
  conf.say('clock', `${label} ${STATE[breaker.state]}`);
}

conf.say('create', STATE[breaker.state]);
await call('call.1', true);
await call('call.2', false);
await call('call.3', true);
metrics();
await call('call.4', false);
conf.say('state', STATE[breaker.state]);
await call('call.5', true);
metrics();

advance(4999, '+4.999s');
advance(1, '+0.001s');
await call('trial.1', true);
conf.say('state', STATE[breaker.state]);
await call('trial.2', true);
conf.say('state', STATE[breaker.state]);

await calls('call', 6, 8, false);
metrics();
advance(10000, '+10s');
metrics();

await calls('call', 9, 12, false);
conf.say('trip', STATE[breaker.state]);
advance(5000, '+5s');
await call('trial.3', false);
conf.say('state', STATE[breaker.state]);
await call('call.13', true);
metrics();
