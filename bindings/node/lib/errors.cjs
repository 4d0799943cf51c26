'use strict';
// akt error codes as JS errors: every failure is an AktError subclass whose `code` is the
// akt name (AKT_ENOTFOUND, ...) and `errno` the negative number of the C ABI.

const native = require('./addon.cjs');

class AktError extends Error {
  constructor(errno, message) {
    const [code, text] = native.errorInfo(errno);
    super(message ? `${text}: ${message}` : text);
    this.name = new.target.name;
    this.code = code;
    this.errno = errno;
  }
}

// One subclass per code; the names are what `instanceof` users write.
const classes = {
  InvalidArgumentError: -1, OutOfMemoryError: -2, NotFoundError: -3, StoppedError: -4,
  TimeoutError: -5, CanceledError: -6, ExistsError: -7, MailboxFullError: -8, MisuseError: -9,
  ClosedError: -10, UnhandledError: -11, ActorFailedError: -12, AgainError: -13,
  NotSupportedError: -14, MessageTypeError: -15, DeadlockError: -16, BufferRangeError: -17,
  BusyError: -18,
};

const byErrno = new Map();
const exported = { AktError };
for (const [name, errno] of Object.entries(classes)) {
  const cls = { [name]: class extends AktError {} }[name];
  byErrno.set(errno, cls);
  exported[name] = cls;
}

function makeError(errno, message) {
  const cls = byErrno.get(errno) || AktError;
  return new cls(errno, message);
}

const codeOf = (errno) => native.errorInfo(errno)[0];

module.exports = { ...exported, makeError, codeOf, errnos: classes };
