// cron: validation with the error column, and next fire times in UTC.
import { validateCron, cronNext, CronSyntaxError } from 'akt';
import * as conf from 'akt/conformance';

const GOOD = [
  '0 0 12 ? * MON-FRI', '0 */15 9-17 ? * 2-6', '30 5 10 * * ?', '0 0 0 L * ?',
  '0 0 0 L-3 * ?', '0 0 0 1W * ?', '0 0 0 LW * ?', '0 0 0 ? * 6L', '0 0 0 ? * FRI#3',
  '0 0 0 29 2 ?', '0 0 8 1 jan,JUL ?', '0 0 22-2 * * ?', '0 0 0 1 1 ? 2030',
  '0 0 0 1 1 ? 2020',
];
const BAD = [
  '', '* * * * *', '60 * * * * ?', '* * * ? * ?', '* * * 1 * MON', '* * * ? * 6#6',
  '* * * ? * MONDAY', '0 0 0 * * ? 2200', '*/0 * * * * ?', '0 0 0 L-31 * ?',
];
const START = new Date('2024-01-15T10:07:30Z');

// Whole seconds: toISOString's milliseconds are always .000 here.
const iso = (d) => (d === null ? 'never' : d.toISOString().replace('.000Z', 'Z'));

for (const expr of [...GOOD, ...BAD]) {
  try {
    validateCron(expr);
    conf.say('validate', `"${expr}": ok`);
  } catch (e) {
    if (!(e instanceof CronSyntaxError)) throw e;
    conf.say('validate', `"${expr}": ${e.code} column ${e.column}`);
  }
}
for (const expr of GOOD) {
  const first = cronNext(expr, START, { utc: true });
  if (first === null) {
    conf.say('next', `"${expr}": never`);
    continue;
  }
  conf.say('next', `"${expr}": ${iso(first)} ${iso(cronNext(expr, first, { utc: true }))}`);
}
