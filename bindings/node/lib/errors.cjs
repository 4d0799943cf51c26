'use strict';
// akt error codes as JS errors: every failure is an AktError subclass whose `code` is the
// akt name (AKT_ENOTFOUND, ...) and `errno` the negative number of the C ABI.
//
// The codes come from the header's table (AKT_ERRNO_MAP in akt.h), which the addon
// expands into native.errors: { name, code, text } per code. Nothing here lists a number,
// so a code added to the header gets its class here by a rebuild of the addon.

const native = require('./addon.cjs');

// The JS class name of each code, by its name in the header. A code missing here still
// gets a class, named after its description ("address unreachable" ->
// AddressUnreachableError).
const CLASS_NAMES = {
  AKT_EINVAL: 'InvalidArgumentError',
  AKT_ENOMEM: 'OutOfMemoryError',
  AKT_ENOTFOUND: 'NotFoundError',
  AKT_ESTOPPED: 'StoppedError',
  AKT_ETIMEDOUT: 'TimeoutError',
  AKT_ECANCELED: 'CanceledError',
  AKT_EEXIST: 'ExistsError',
  AKT_EFULL: 'MailboxFullError',
  AKT_EMISUSE: 'MisuseError',
  AKT_ECLOSED: 'ClosedError',
  AKT_EUNHANDLED: 'UnhandledError',
  AKT_EFAILED: 'ActorFailedError',
  AKT_EAGAIN: 'AgainError',
  AKT_ENOTSUP: 'NotSupportedError',
  AKT_ETYPE: 'MessageTypeError',
  AKT_EDEADLK: 'DeadlockError',
  AKT_ERANGE: 'BufferRangeError',
  AKT_EBUSY: 'BusyError',
  AKT_EUNREACHABLE: 'UnreachableError',
  AKT_EPROTO: 'ProtocolError',
  AKT_ESUSPENDED: 'SuspendedError',
};

// The code's name and description; the library's words for a code it does not know.
const rows = new Map(native.errors.map((r) => [r.code, r]));
const infoOf = (errno) => {
  const r = rows.get(errno);
  return r === undefined ? native.errorInfo(errno) : [r.name, r.text];
};

class AktError extends Error {
  constructor(errno, message) {
    const [code, text] = infoOf(errno);
    super(message ? `${text}: ${message}` : text);
    this.name = new.target.name;
    this.code = code;
    this.errno = errno;
  }
}

function classNameOf(row, taken) {
  const known = CLASS_NAMES[row.name];
  if (known !== undefined) return known;
  const words = row.text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = `${words.map((w) => w[0].toUpperCase() + w.slice(1)).join('')}Error`;
  if (words.length && /^[A-Za-z]/.test(name) && !Object.hasOwn(taken, name)) return name;
  return `Akt${row.name.slice(4)}Error`; // AKT_EXYZ -> AktEXYZError
}

// One subclass per code; the names are what `instanceof` users write.
const byErrno = new Map();
const classes = { AktError };
const errnos = {}; // class name -> errno, for this package's own throws
for (const row of native.errors) {
  const name = classNameOf(row, classes);
  const cls = { [name]: class extends AktError {} }[name];
  byErrno.set(row.code, cls);
  classes[name] = cls;
  errnos[name] = row.code;
}

function makeError(errno, message) {
  const cls = byErrno.get(errno) || AktError;
  return new cls(errno, message);
}

const codeOf = (errno) => infoOf(errno)[0];

// The errno of an akt error class (TimeoutError) or code name ('AKT_ETIMEDOUT'), else undefined.
const byName = new Map(native.errors.map((r) => [r.name, r.code]));
function errnoOfRuleKey(key) {
  if (typeof key === 'string') return byName.get(key);
  if (typeof key === 'function' && classes[key.name] === key && key !== AktError) return errnos[key.name];
  return undefined;
}

module.exports = { ...classes, makeError, codeOf, errnos, errnoOfRuleKey };
