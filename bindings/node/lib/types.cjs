'use strict';
// Decoding of messages that arrive as bytes (from C or other languages): by type name.
// JS values sent between JS actors never come through here.

/** A typed message: an akt type name plus bytes, as C and other languages exchange them. */
class Message {
  constructor(type, data = '') {
    if (typeof type !== 'string') throw new TypeError('Message(type: string, data?: string | Uint8Array)');
    this.type = type;
    this.data = data;
  }

  /** The payload as UTF-8 text. */
  get text() {
    return typeof this.data === 'string' ? this.data : Buffer.from(this.data.buffer,
      this.data.byteOffset, this.data.byteLength).toString('utf8');
  }
}

// The canonical scalars (akt.h): well-formed payloads are decoded by the addon already;
// these run for the ones that do not match their name, and throw, so that message fails.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function malformed(type, buf, want) {
  return new TypeError(`malformed ${type} message: ${buf.length} bytes, expected ${want}`);
}
function fixed(type, n, read) {
  return (buf) => {
    if (buf.length !== n) throw malformed(type, buf, n);
    return read(buf);
  };
}
const decoders = new Map([
  ['akt.Bytes', (buf) => buf],
  ['akt.Json', (buf) => JSON.parse(strictUtf8.decode(buf))],
  ['akt.String', (buf) => strictUtf8.decode(buf)],
  ['akt.Int64', fixed('akt.Int64', 8, (buf) => {
    const i = buf.readBigInt64LE(0);
    return i >= -9007199254740991n && i <= 9007199254740991n ? Number(i) : i;
  })],
  ['akt.Float64', fixed('akt.Float64', 8, (buf) => buf.readDoubleLE(0))],
  ['akt.Bool', (buf) => {
    if (buf.length !== 1 || buf[0] > 1) throw malformed('akt.Bool', buf, '1 byte, 0 or 1');
    return buf[0] === 1;
  }],
  ['akt.Null', fixed('akt.Null', 0, () => null)],
]);

/**
 * Registers how messages of a type name arriving as bytes become JS values: decoder is
 * decode(buf: Buffer) => value, or { decode }. Nothing is interned: that is
 * ActorSystem.registerType.
 */
function registerDecoder(type, decoder) {
  const fn = typeof decoder === 'function' ? decoder : decoder?.decode;
  if (typeof type !== 'string' || typeof fn !== 'function')
    throw new TypeError('registerDecoder(type: string, decode: (buf) => value | { decode })');
  decoders.set(type, fn);
}

let warnedRegisterType = false;
/**
 * Deprecated alias of registerDecoder (the module-level name clashed with
 * ActorSystem.registerType, which interns a type): registerType(type, { decode }) still
 * registers a decoder, with a one-time DeprecationWarning. Called without a codec (as if
 * it were ActorSystem.registerType), it throws a TypeError that says which one to use.
 */
function registerType(type, codec) {
  if (codec === undefined) {
    throw new TypeError('the module-level registerType registers a decoder and is deprecated: '
      + 'use registerDecoder(type, decode) for decoders, system.registerType(nameOrClass) to '
      + 'intern a message type');
  }
  if (!warnedRegisterType) {
    warnedRegisterType = true;
    process.emitWarning('registerType(type, { decode }) is deprecated: use registerDecoder(type, decode)',
      { type: 'DeprecationWarning', code: 'AKT_DEP_REGISTER_TYPE' });
  }
  if (typeof type !== 'string' || typeof codec?.decode !== 'function')
    throw new TypeError('registerType(type: string, { decode: (buf) => value })');
  registerDecoder(type, codec);
}

function decode(buf, type) {
  const fn = decoders.get(type);
  return fn === undefined ? new Message(type, buf) : fn(buf);
}

// Serializers written in JS (ActorSystem.registerSerializer): a value of a registered class
// is encoded into a typed Message when it is sent, and decoded by its type when it arrives.
const encoders = new Map(); // class -> { type, encode }

function registerEncoder(cls, type, encode) {
  encoders.set(cls, { type, encode });
}

/** msg as it is sent: a Message of its serializer's type for a value of a registered class. */
function wire(msg) {
  if (encoders.size === 0 || msg === null || typeof msg !== 'object') return msg;
  const e = encoders.get(msg.constructor);
  if (e === undefined) return msg;
  const bytes = e.encode(msg);
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`the serializer of ${e.type} must encode to a Uint8Array`);
  return new Message(e.type, bytes);
}

module.exports = { Message, registerDecoder, registerType, decode, registerEncoder, wire };
