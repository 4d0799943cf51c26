// The remote mode of the conformance runner (run.py --remote), Node side: the counterpart of
// conformance/c/conf_split.h, with the same line protocol.
//
// With AKT_CONF_REMOTE=driver a case's program is node A: it keeps the main flow and starts
// a copy of itself (the same script, AKT_CONF_REMOTE=host) as node B, which hosts every
// actor the case spawns with system.spawn(Class, { name }). Both systems are named "conf".
// A class crosses by its name: node B evaluates the case's declarations (the module text
// before `await conf.createSystem()`: imports, helpers, classes) as a module of its own and
// takes the class of that name from it. B's journal lines come back over a FIFO, which A
// reads synchronously (in spawn, flush, waitLog, finish): a case's actors are all on B, so
// A's thread has nothing else to do while it waits for them.
//   A -> B (B's stdin):  spawn <name|-> <class name>, barrier <k>, finish
//   B -> A (B's stdout): address <addr>, spawned <ok|error name> <path>, log <line>,
//                        mark <k>, down
// Spawn options other than name, or an actor that is not a class declared at the top level
// before createSystem, are not remote-capable: the program ends saying so.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const MODE = process.env.AKT_CONF_REMOTE ?? '';
if (!['', 'driver', 'host'].includes(MODE)) {
  process.stderr.write(`conformance: AKT_CONF_REMOTE=${MODE}: expected driver or host\n`);
  process.exit(1);
}

const WAIT_MS = 10_000;

/** "akt://conf@host:port/..." written "akt://conf/...". */
export const localPath = (p) => p.replace(/^akt:\/\/([^/@]+)@[^/]+/, 'akt://$1');

// ------------------------------------------------------------------ node B

/** One whole line to A. */
export function hostSend(line) {
  fs.writeSync(1, `${line}\n`);
}

/** The case's classes: its declarations evaluated as a module of their own. */
async function caseClasses() {
  const source = fs.readFileSync(process.argv[1], 'utf8');
  const at = source.search(/^.*await conf\.createSystem\(/m);
  if (at < 0) throw new Error('no `await conf.createSystem()` in the case');
  const prefix = source
    .slice(0, at)
    .replaceAll("from 'akt/conformance'", `from '${new URL('./conf.mjs', import.meta.url)}'`)
    .replaceAll("from 'akt'", `from '${new URL('../lib/index.mjs', import.meta.url)}'`);
  const names = [...prefix.matchAll(/^class (\w+)/gm)].map((m) => m[1]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akt-conf-b-'));
  const file = path.join(dir, 'declarations.mjs');
  fs.writeFileSync(file, `${prefix}\nexport { ${names.join(', ')} };\n`);
  try {
    return await import(new URL(`file://${file}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Serves node B until A says finish, then ends the process; never resolves. */
export async function hostServe(system, fatal) {
  const address = system.remoteStart({ host: '127.0.0.1', port: 0 });
  const classes = await caseClasses();
  hostSend(`address ${address}`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', async (line) => {
    const [cmd, a, b] = line.trim().split(' ');
    if (cmd === 'spawn') {
      try {
        if (typeof classes[b] !== 'function') throw new Error(`no class ${b}`);
        const pid = system.spawn(classes[b], a === '-' ? {} : { name: a });
        hostSend(`spawned ok ${pid.path}`);
      } catch (e) {
        hostSend(`spawned ${typeof e.code === 'string' ? e.code : 'AKT_EFAILED'} -`);
      }
    } else if (cmd === 'barrier') {
      hostSend(`mark ${a}`);
    } else if (cmd === 'finish') {
      await system.shutdown();
      hostSend('down');
      process.exit(0);
    } else {
      fatal(`node B: unknown command '${line}'`);
    }
  });
  lines.on('close', () => process.exit(1)); // A went away
  return new Promise(() => {});
}

// ------------------------------------------------------------------ node A

export class Driver {
  constructor(system, append, fatal) {
    this.append = append;
    this.fatal = fatal;
    system.remoteStart({ host: '127.0.0.1', port: 0 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akt-conf-a-'));
    execFileSync('mkfifo', [path.join(dir, 'up'), path.join(dir, 'down')]);
    // Opened read-write first, so that neither open blocks waiting for the other side.
    this.up = fs.openSync(path.join(dir, 'up'), 'r+');
    const upW = fs.openSync(path.join(dir, 'up'), 'w');
    this.down = fs.openSync(path.join(dir, 'down'), 'r+');
    const downR = fs.openSync(path.join(dir, 'down'), 'r');
    this.child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: [downR, upW, 'inherit'],
      env: { ...process.env, AKT_CONF_REMOTE: 'host' },
    });
    fs.closeSync(upW);
    fs.closeSync(downR);
    fs.rmSync(dir, { recursive: true, force: true });
    this.buf = '';
    this.asked = 0;
    const first = this.readLine();
    if (!first.startsWith('address ')) fatal('node B did not start');
    this.address = first.slice(8);
    // run.py --remote checks for this line: a helper without the mode would run locally.
    process.stderr.write(`conformance: remote mode: the actors are on node B, ${this.address}\n`);
  }

  /** The next line from B, blocking. A journal line is appended here; with anyLine the
   *  call then returns null, else it reads on. */
  readLine(anyLine = false) {
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        if (line.startsWith('log ')) {
          this.append(line.slice(4));
          if (anyLine) return null;
          continue;
        }
        return line;
      }
      const chunk = Buffer.alloc(65536);
      const n = fs.readSync(this.up, chunk, 0, chunk.length, null);
      if (n === 0) this.fatal('node B ended');
      this.buf += chunk.subarray(0, n).toString('utf8');
    }
  }

  /** Reads until a line satisfies done (B's own lines come in order). */
  until(done, what) {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const line = this.readLine();
      if (done(line)) return line;
      if (Date.now() > deadline) this.fatal(`waited for node B's ${what}`);
    }
  }

  send(line) {
    fs.writeSync(this.down, `${line}\n`);
  }

  /** Everything B journaled before now is in this node's journal once this returns. */
  barrier() {
    const k = ++this.asked;
    this.send(`barrier ${k}`);
    this.until((l) => l === `mark ${k}`, 'journal barrier');
  }

  /** Reads B's lines until the journal holds n (called by waitLog). */
  waitLog(journal, n) {
    const deadline = Date.now() + WAIT_MS;
    while (journal.length < n) {
      if (Date.now() > deadline) return false;
      const line = this.readLine(true);
      if (line !== null) this.fatal(`node B said '${line}' while A waited for its journal`);
    }
    return true;
  }

  spawn(system, cls, opts = {}) {
    const extra = Object.keys(opts).filter((k) => k !== 'name');
    if (extra.length) this.fatal(`not remote-capable: spawn options ${extra.join(', ')}`);
    if (typeof cls !== 'function' || !cls.name) this.fatal('not remote-capable: the actor is not a named class');
    const name = opts.name ?? '-';
    this.send(`spawn ${name} ${cls.name}`);
    const [, rc, p] = this.until((l) => l.startsWith('spawned '), 'spawn').split(' ');
    if (rc !== 'ok') this.fatal(`spawning ${opts.name ?? '(anonymous)'} failed: ${rc}`);
    return system.remoteLookup(this.address + p.slice(p.indexOf('/user/')));
  }

  /** B's actors stop (their post_stop lines come first) and B exits. */
  async finish() {
    const exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.send('finish');
    this.until((l) => l === 'down', 'shutdown');
    const code = this.child.exitCode ?? (await exited);
    fs.closeSync(this.up);
    fs.closeSync(this.down);
    if (code !== 0) this.fatal('node B did not exit cleanly');
  }
}
