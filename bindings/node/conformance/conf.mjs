// The Node side of conformance/c/conf.h: the same helpers, in Node's idiom, so that every
// conformance/cases/<feature>/case.mjs prints the same transcript as its case.c.
//
// Callbacks (receive, preStart, postStop, events, deciders) never print: they journal a
// line (log), and the main flow prints the journal once it has waited for the effects.
import { ActorSystem, Message } from 'akt';
import { fileURLToPath } from 'node:url';
import * as split from './split.mjs';

/** The interop case's C actor, built by scripts/build.mjs from its peer.h. */
export const PEER_LIBRARY = fileURLToPath(new URL('../build/Release/libakt_conf_peer.so', import.meta.url));
export const PEER_SYMBOL = 'akt_conf_peer';

export const SYSTEM = 'conf';
export const ASK_MS = 5000;
const WAIT_LIMIT_MS = 10_000;

/** Ends the program (exit 1, message on stderr): the scenario was violated. */
export function fatal(text) {
  process.stderr.write(`conformance: ${text}\n`);
  process.exit(1);
}

/** "ok" for no error, else the error's akt code name. */
export function rc(err) {
  if (err === undefined || err === null) return 'ok';
  if (typeof err.code === 'string' && err.code.startsWith('AKT_')) return err.code;
  fatal(`unexpected error: ${err && err.stack ? err.stack : err}`);
}

/** Runs fn (sync or async); "ok" or the error's code. */
export async function rcOf(fn) {
  try {
    await fn();
    return 'ok';
  } catch (e) {
    return rc(e);
  }
}

// ------------------------------------------------------------------ journal

const journal = [];
let waiter = null;

export function say(step, text) {
  process.stdout.write(`${step}: ${text}\n`);
}

export function log(step, text) {
  if (split.MODE === 'host') {
    split.hostSend(`log ${step}: ${text}`); // run.py --remote, node B: to the driver
    return;
  }
  append(`${step}: ${text}`);
}

function append(line) {
  journal.push(line);
  if (waiter && journal.length >= waiter.n) {
    const w = waiter;
    waiter = null;
    clearTimeout(w.timer);
    w.resolve();
  }
}

export function logCount() {
  return journal.length;
}

/** Resolves once the journal holds at least n lines (ends the program after 10 s). */
export function waitLog(n) {
  if (journal.length >= n) return Promise.resolve();
  if (driver) {
    if (!driver.waitLog(journal, n)) {
      journal.forEach((l, i) => process.stderr.write(`journal[${i}] = ${l}\n`));
      fatal(`waited 10 s for ${n} journal lines, have ${journal.length}`);
    }
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      journal.forEach((l, i) => process.stderr.write(`journal[${i}] = ${l}\n`));
      fatal(`waited 10 s for ${n} journal lines, have ${journal.length}`);
    }, WAIT_LIMIT_MS);
    waiter = { n, resolve, timer };
  });
}

function flushLines(sorted) {
  const lines = journal.splice(0);
  if (sorted) lines.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const l of lines) process.stdout.write(`${l}\n`);
}

// run.py --remote: the lines node B journaled before now are in first.
const barrier = () => driver?.barrier();
export const flush = () => {
  barrier();
  flushLines(false);
};
export const flushSorted = () => {
  barrier();
  flushLines(true);
};

// ------------------------------------------------------------------ system

// run.py --remote, node A: the driver of node B (split.mjs).
let driver = null;

/** A system named "conf". In run.py's remote mode node B serves here and never resolves;
 *  node A starts B and gets a system whose spawn goes to B. */
export async function createSystem() {
  const system = await ActorSystem.create(SYSTEM);
  if (split.MODE === 'host') return split.hostServe(system, fatal);
  if (split.MODE === 'driver') {
    driver = new split.Driver(system, append, fatal);
    system.spawn = (cls, opts) => driver.spawn(system, cls, opts);
  }
  return system;
}

/** Shuts down, prints the journal sorted (shutdown stops actors concurrently), then end. */
export async function finish(system) {
  if (driver) await driver.finish(); // node B's actors stop first
  await system.shutdown();
  flushLines(true);
  say('end', 'shutdown complete');
}

// ------------------------------------------------------------------ messages

export const msg = (type, text = '') => new Message(type, text);
export const is = (m, type) => m instanceof Message && m.type === type;
export const num = (m) => {
  const n = Number.parseInt(m.text, 10);
  return Number.isNaN(n) ? 0 : n;
};

/** "<type> <text>", or just the type when the text is empty. */
export function replyStr(reply) {
  const text = reply.text;
  return text === '' ? reply.type : `${reply.type} ${text}`;
}

/** Asks type/text and formats the reply (or the error's code). */
export async function askStr(pid, type, text = '', timeout = ASK_MS) {
  try {
    return replyStr(await pid.ask(msg(type, text), { timeout }));
  } catch (e) {
    return rc(e);
  }
}

/** Formats how a pending ask ends. */
export async function futureStr(promise) {
  try {
    return replyStr(await promise);
  } catch (e) {
    return rc(e);
  }
}

// ------------------------------------------------------------------ paths

// Anonymous names carry a counter: "$N" keeps transcripts equal across languages.
const normalize = (path) => path.replace(/\$[0-9]+/g, '$N');

export function path(pid) {
  try {
    return normalize(driver ? split.localPath(pid.path) : pid.path);
  } catch (e) {
    return rc(e);
  }
}

export const selfPath = (ctx) => path(ctx.self);

/** Lookup that ends the program when the actor is not found. */
export function lookup(system, p) {
  const pid = system.lookup(p);
  if (!pid) fatal(`lookup of ${p} failed: AKT_ENOTFOUND`);
  return pid;
}

/** Graceful stop, waited for: "ok" or the error's code. */
export function stopGraceful(pid) {
  return rcOf(() => pid.stopGracefully({ timeout: ASK_MS }));
}
