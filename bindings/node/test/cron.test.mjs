// Cron expressions: next fire times (UTC and local across DST), null when never again, and
// CronSyntaxError with the column of the first bad character.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import akt, { cronNext, validateCron, CronSyntaxError, InvalidArgumentError } from 'akt';

const utc = (s) => new Date(`${s}Z`);

test('next fire times in UTC', () => {
  const rows = [
    ['0 0 12 ? * MON-FRI', '2024-01-05T12:00:00', '2024-01-08T12:00:00'],
    ['0 0 0 L * ?', '2024-02-01T00:00:00', '2024-02-29T00:00:00'],
    ['0 0 0 1W * ?', '2024-05-15T00:00:00', '2024-06-03T00:00:00'],
    ['0 0 0 ? * 6#3', '2024-01-01T00:00:00', '2024-01-19T00:00:00'],
    ['* * * * * ?', '2024-01-01T00:00:00.250', '2024-01-01T00:00:01'],
  ];
  for (const [expr, after, want] of rows) {
    assert.deepEqual(cronNext(expr, utc(after), { utc: true }), utc(want), expr);
  }
  assert.equal(akt.cronNext, cronNext);
});

test('local time follows TZ across spring forward', () => {
  const old = process.env.TZ;
  process.env.TZ = 'America/New_York';
  try {
    // 02:30 does not exist on 2024-03-10: the first instant after the gap, 03:00 EDT
    assert.deepEqual(cronNext('0 30 2 * * ?', utc('2024-03-09T17:00:00')),
      utc('2024-03-10T07:00:00'));
  } finally {
    if (old === undefined) delete process.env.TZ;
    else process.env.TZ = old;
  }
});

test('never again is null', () => {
  assert.equal(cronNext('0 0 0 30 2 ?', utc('2024-01-01T00:00:00'), { utc: true }), null);
  assert.equal(cronNext('0 0 0 1 1 ? 2020', utc('2024-01-01T00:00:00')), null);
});

test('syntax errors carry the column', () => {
  const rows = [['', 1], ['* * * * *', 10], ['60 * * * * ?', 1], ['* * * ? * ?', 11],
    ['* * * ? * 6#6', 13], ['0 0 0 * * ? 2200', 13], ['0 0\0 0 * * ?', 4]];
  for (const [expr, column] of rows) {
    for (const call of [() => validateCron(expr), () => cronNext(expr, new Date(0))]) {
      assert.throws(call, (e) => e instanceof CronSyntaxError && e instanceof InvalidArgumentError &&
        e.column === column && e.code === 'AKT_EINVAL', JSON.stringify(expr));
    }
  }
  validateCron('0 0 0 ? * FRIL');
  assert.throws(() => validateCron(42), TypeError);
  assert.throws(() => cronNext('* * * * * ?', 'yesterday'), TypeError);
  assert.throws(() => cronNext('* * * * * ?', new Date(NaN)), TypeError);
});
