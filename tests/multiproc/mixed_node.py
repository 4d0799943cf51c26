"""mixed_node (Python): one of the four nodes of tests/multiproc/mixed.py, the Python one.

System "pynode", remoting on 127.0.0.1 with an ephemeral port, akt.Json (dicts, lists,
scalars) bound to CBOR. Actors /user/relay, /user/watcher, /user/victim; it prints
"ready <address>", then obeys one command per stdin line (the protocol is in mixed.py).
A JSON value arrives here as a dict. Its trace sink (akt.tracing.set_sink, installed at
start) reports each span of a "mixed.trace" message as a "span ..." line; the "otlp" command
starts the OTLP exporter (akt.otlp.start, to $AKT_MIXED_OTLP, service.name "pynode"), which
replaces that sink: from then on the spans go to mixed.py's receiver."""
import json
import os
import sys
import threading

import akt
import akt.otlp
import akt.tracing

ME = "pynode"
RING = 4
TRACE = "mixed.trace"  # a traced ring message: bytes, the nodes it passed, comma-separated
ASK_S = 10.0
OTLP_FLUSH_S = 0.1  # the exporter's batch interval (and metric readings)
PAYLOAD = {"text": "h\u00e9llo w\u00f6rld", "n": 42, "neg": -7, "f": 2.5, "t": True, "nil": None,
           "list": [1, "two", 3.25, False], "nested": {"a": {"b": []}}}

_out = threading.Lock()
_next = {"relay": None}


def say(*parts):
    with _out:
        sys.stdout.write(" ".join(parts) + "\n")
        sys.stdout.flush()


def report(what, value):
    say(what, type(value).__name__, json.dumps(value, sort_keys=True, separators=(",", ":"),
                                              ensure_ascii=False))


class Relay(akt.Actor):
    """A ring message -> reported, forwarded until it has seen every node; an ask -> answered."""

    def receive(self, ctx, msg):
        if isinstance(msg, akt.Bytes) and msg.type == TRACE:
            # Forwarded with this node added until it passed every node; the tell carries
            # this span's traceparent (akt adds it).
            passed = msg.text.split(",")
            if len(passed) >= RING:
                say("trace-home", msg.text)
            else:
                ctx.tell(_next["relay"], akt.Bytes.of(TRACE, msg.text + "," + ME))
            return
        if not isinstance(msg, dict):
            say("bad", "not a dict:", type(msg).__name__)
            return
        if msg.get("payload") != PAYLOAD:
            report("bad payload differs", msg)
        if "q" in msg:
            ctx.respond({"a": msg["q"], "by": ME, "echo": msg})
            return
        report("got", msg)
        if len(msg["path"]) >= RING:
            report("home", msg)
            return
        msg["path"].append(ME)
        msg["hops"] = len(msg["path"]) - 1
        ctx.tell(_next["relay"], msg)


def trace_sink(span):
    """A "span <trace id> <span id> <parent id> <actor path> <message type> <flags>" line for
    each handled trace message (a root's parent id is 16 zeros, flags two hex digits)."""
    if span.message_type == TRACE:
        say("span", span.trace_id, span.span_id, span.parent_id or "0" * 16, span.actor_path,
            span.message_type, f"{span.flags:02x}")


class Watcher(akt.Actor):
    def __init__(self):
        self.paths = {}  # pid -> path: a gone pid may no longer tell its path

    def receive(self, ctx, msg):
        if isinstance(msg, akt.Terminated):
            say("terminated", self.paths.get(msg.pid, "?"))
        elif isinstance(msg, akt.Bytes) and msg.type == "watch":
            try:
                pid = ctx.system.remote_lookup(msg.text)
                self.paths[pid] = pid.path
                ctx.watch(pid)
                ctx.respond(akt.Bytes("watched", b"ok"))
            except akt.AktError as exc:
                ctx.respond(akt.Bytes("watched", str(exc).encode()))
        else:
            ctx.unhandled()


class Victim(akt.Actor):
    def receive(self, ctx, msg):
        ctx.unhandled()


def main():
    system = akt.ActorSystem(ME)
    system.serializer_bind("akt.Json", "cbor")
    akt.tracing.set_sink(system, trace_sink)
    address = system.remote_start("127.0.0.1", 0)
    system.spawn("relay", Relay())
    watcher = system.spawn("watcher", Watcher())
    victim = system.spawn("victim", Victim())
    say("ready", address)
    next_address = ""
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd == "next":
            next_address = arg
            _next["relay"] = system.remote_lookup(arg + "/user/relay")
            say("next", "ok")
        elif cmd == "round":
            for i in range(int(arg)):
                _next["relay"].tell({"origin": ME, "seq": i, "hops": 0, "path": [ME],
                                     "payload": PAYLOAD})
            say("told", arg)
        elif cmd == "trace":
            # A trace message into the ring, its parent span the one mixed.py chose.
            _next["relay"].tell(akt.Message(akt.Bytes.of(TRACE, ME), headers={akt.tracing.HEADER: arg}))
            say("traced", arg)
        elif cmd == "otlp":
            # The exporter installs the system's trace sink in place of trace_sink.
            try:
                akt.otlp.start(system, os.environ["AKT_MIXED_OTLP"], service_name=ME,
                               flush_interval=OTLP_FLUSH_S)
                say("otlp", "ok")
            except (KeyError, akt.AktError) as exc:
                say("bad", "otlp", repr(exc))
        elif cmd == "ask":
            for i in range(int(arg)):
                try:
                    answer = _next["relay"].ask_sync({"q": i, "from": ME, "payload": PAYLOAD}, ASK_S)
                except akt.AktError as exc:
                    say("bad", "ask", str(i), repr(exc))
                    continue
                report("answer", answer)
        elif cmd == "watch":
            reply = watcher.ask_sync(akt.Bytes("watch", (next_address + "/user/victim").encode()),
                                     ASK_S)
            say("watching", reply.text)
        elif cmd == "stop":
            victim.stop()
            say("stopped", "ok")
        elif cmd == "quit":
            break
        else:
            say("bad", "command", line.strip())
    ok = system.shutdown(timeout=ASK_S)
    say("bye", "ok" if ok else "AKT_ETIMEDOUT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
