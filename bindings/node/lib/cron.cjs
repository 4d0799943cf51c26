'use strict';
// Cron expressions in Quartz syntax (akt.h, "Cron expressions"): validateCron throws a
// CronSyntaxError naming the column of the first bad character; cronNext gives the next
// fire time after a Date, or null when the expression never fires again.

const native = require('./addon.cjs');
const { InvalidArgumentError, makeError, errnos } = require('./errors.cjs');

const AKT_CRON_UTC = 1;
const EINVAL = errnos.InvalidArgumentError;
const ENOTFOUND = errnos.NotFoundError;

class CronSyntaxError extends InvalidArgumentError {
  constructor(expression, column) {
    super(EINVAL, `invalid cron expression at column ${column}: ${JSON.stringify(expression)}`);
    /** 1-based column (in UTF-8 bytes) of the first character that cannot be accepted. */
    this.column = column;
    this.expression = expression;
  }
}

function checkExpr(expr) {
  if (typeof expr !== 'string') {
    throw new TypeError(`a cron expression is a string, not ${expr === null ? 'null' : typeof expr}`);
  }
  const nul = expr.indexOf('\0'); // C stops at it: the expression would be cut short
  if (nul >= 0) throw new CronSyntaxError(expr, Buffer.byteLength(expr.slice(0, nul)) + 1);
}

function validateCron(expr) {
  checkExpr(expr);
  const column = native.cronValidate(expr);
  if (column !== 0) throw new CronSyntaxError(expr, column);
}

function cronNext(expr, after, { utc = false } = {}) {
  checkExpr(expr);
  if (!(after instanceof Date) || Number.isNaN(after.getTime())) {
    throw new TypeError('cronNext: after must be a valid Date');
  }
  const [rc, nextNs, column] = native.cronNext(
    expr, BigInt(after.getTime()) * 1000000n, utc ? AKT_CRON_UTC : 0);
  if (rc === 0) return new Date(Number(nextNs / 1000000n));
  if (rc === ENOTFOUND) return null;
  if (rc === EINVAL && column > 0) throw new CronSyntaxError(expr, column);
  throw makeError(rc, 'cronNext');
}

module.exports = { CronSyntaxError, validateCron, cronNext };
