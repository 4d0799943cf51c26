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

const decoders = new Map([
  ['akt.Bytes', (buf) => buf],
  ['akt.Json', (buf) => JSON.parse(buf.toString('utf8'))],
]);

/** Registers how messages of a type name become JS values: decode(buf: Buffer) => value. */
function registerType(type, { decode: fn }) {
  if (typeof type !== 'string' || typeof fn !== 'function')
    throw new TypeError('registerType(type: string, { decode: (buf) => value })');
  decoders.set(type, fn);
}

function decode(buf, type) {
  const fn = decoders.get(type);
  return fn === undefined ? new Message(type, buf) : fn(buf);
}

module.exports = { Message, registerType, decode };
