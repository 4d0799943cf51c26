"""The remote mode of the conformance runner (run.py --remote), Python side: the
counterpart of conformance/c/conf_split.h, with the same protocol.

With AKT_CONF_REMOTE=driver a case's program is node A: it keeps the main flow and starts
a copy of itself (the same interpreter and script, AKT_CONF_REMOTE=host) as node B, which
hosts every actor the case spawns with system.spawn(name, actor). Both systems are named
"conf". The actor object crosses pickled: node B runs the same script, stopped inside
conf.system_create(), so the classes defined above that call exist there too. A's pid is a
remote pid of B's actor. B sends its journal lines to A over a pipe:
    A -> B (B's stdin):  spawn <name|-> <base64 pickle>, barrier <k>, finish
    B -> A (B's stdout): address <addr>, spawned <ok|error name> <path>, log <line>,
                         mark <k>, down
A spawn with options (mailbox, supervisor, ...) or an actor that does not pickle is not
remote-capable: it ends the program.
"""

from __future__ import annotations

import base64
import os
import pickle
import re
import subprocess
import sys
import threading
from typing import Any, Callable, Optional

import akt

WAIT_S = 10.0
MODE = os.environ.get("AKT_CONF_REMOTE", "")
if MODE not in ("", "driver", "host"):
    raise SystemExit(f"AKT_CONF_REMOTE={MODE}: expected driver or host")
_REMOTE_PATH = re.compile(r"^akt://([^/@]+)@[^/]+")


def local_path(path: str) -> str:
    """"akt://conf@host:port/..." written "akt://conf/..."."""
    return _REMOTE_PATH.sub(r"akt://\1", path)


# ---------------------------------------------------------------------------- node B

_out = threading.Lock()


def host_send(line: str) -> None:
    with _out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def host_serve(system: akt.ActorSystem, fatal: Callable[[str], None]) -> None:
    """Serves node B until A says finish, then ends the process; never returns."""
    host_send("address " + system.remote_start("127.0.0.1", 0))
    for raw in sys.stdin:
        cmd, _, arg = raw.strip().partition(" ")
        if cmd == "spawn":
            name, _, data = arg.partition(" ")
            try:
                actor = pickle.loads(base64.b64decode(data))
                pid = system.spawn(None if name == "-" else name, actor)
                host_send("spawned ok " + pid.path)
            except akt.AktError as e:
                host_send(f"spawned {e.name} -")
        elif cmd == "barrier":
            host_send("mark " + arg)
        elif cmd == "finish":
            if not system.shutdown(timeout=WAIT_S):
                fatal("node B: the shutdown did not complete")
            host_send("down")
            os._exit(0)
        else:
            fatal(f"node B: unknown command {raw.strip()!r}")
    os._exit(1)  # A went away


# ---------------------------------------------------------------------------- node A


class Driver:
    """Node A's side: node B's process, the reader of its lines, the waits on them."""

    def __init__(self, system: akt.ActorSystem, append: Callable[[str], None],
                 fatal: Callable[[str], None]):
        self.append, self.fatal = append, fatal
        system.remote_start("127.0.0.1", 0)
        env = dict(os.environ, AKT_CONF_REMOTE="host")
        self.proc = subprocess.Popen([sys.executable] + sys.argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env)
        first = self.proc.stdout.readline().decode().strip()
        if not first.startswith("address "):
            fatal("node B did not start")
        self.address = first.split(" ", 1)[1]
        self.cond = threading.Condition()
        self.mark = self.asked = 0
        self.spawned: Optional[tuple[str, str]] = None
        self.down = self.eof = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        # run.py --remote checks for this line: a helper without the mode would run locally.
        print(f"conformance: remote mode: the actors are on node B, {self.address}",
              file=sys.stderr, flush=True)

    def _read(self) -> None:
        for raw in self.proc.stdout:
            line = raw.decode().rstrip("\n")
            if line.startswith("log "):
                self.append(line[4:])
                continue
            with self.cond:
                cmd, _, arg = line.partition(" ")
                if cmd == "mark":
                    self.mark = int(arg)
                elif cmd == "spawned":
                    rc, _, path = arg.partition(" ")
                    self.spawned = (rc, path)
                elif cmd == "down":
                    self.down = True
                self.cond.notify_all()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def _send(self, line: str) -> None:
        try:
            self.proc.stdin.write((line + "\n").encode())
            self.proc.stdin.flush()
        except OSError:
            self.fatal("node B does not read its commands")

    def _wait(self, done: Callable[[], bool], what: str) -> None:
        """Waits (self.cond held) until done(); B gone or WAIT_S passed: the program fails."""
        if not self.cond.wait_for(lambda: done() or self.eof, timeout=WAIT_S) or not done():
            self.fatal(f"waited for node B's {what}: " + ("it ended" if self.eof else "too long"))

    def barrier(self) -> None:
        """Everything B journaled before now is in this node's journal once this returns."""
        with self.cond:
            self.asked += 1
            k = self.asked
            self._send(f"barrier {k}")
            self._wait(lambda: self.mark >= k, "journal barrier")

    def spawn(self, system: akt.ActorSystem, name: Optional[str], actor: Any) -> akt.Pid:
        if name is not None and (" " in name or not name):
            self.fatal(f"not remote-capable: the name {name!r}")
        try:
            data = base64.b64encode(pickle.dumps(actor)).decode()
        except Exception as e:  # noqa: BLE001 - any reason it cannot cross is the same failure
            self.fatal(f"not remote-capable: the actor does not pickle: {e}")
        with self.cond:
            self.spawned = None
            self._send(f"spawn {name or '-'} {data}")
            self._wait(lambda: self.spawned is not None, "spawn")
            rc, path = self.spawned
        if rc != "ok":  # as the C helper: a spawn that must not fail ends the program
            self.fatal(f"spawning {name or '(anonymous)'} failed: {rc}")
        return system.remote_lookup(self.address + path[path.index("/user/"):])

    def finish(self) -> None:
        """B's actors stop (their post_stop lines come first) and B exits."""
        with self.cond:
            self._send("finish")
            self._wait(lambda: self.down, "shutdown")
        self.reader.join(WAIT_S)
        self.proc.stdin.close()
        if self.proc.wait(timeout=WAIT_S) != 0:
            self.fatal("node B did not exit cleanly")


def driver_system(name: str, driver_box: list) -> akt.ActorSystem:
    """A system whose spawn(name, actor) goes to node B (driver_box[0], set once made)."""

    class DriverSystem(akt.ActorSystem):
        def spawn(self, name, actor, **options):  # type: ignore[override]
            if options:
                driver_box[0].fatal(f"not remote-capable: spawn options {sorted(options)}")
            return driver_box[0].spawn(self, name, actor)

    return DriverSystem(name)
