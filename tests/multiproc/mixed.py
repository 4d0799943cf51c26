#!/usr/bin/env python3
"""Mixed-language multi-process test (issue 14): a C, a Python, a Node.js and a Java node,
four processes on 127.0.0.1, each with an ephemeral port it reports.

Ring: cnode -> pynode -> jsnode -> jnode -> cnode. Every node hosts /user/relay,
/user/watcher and /user/victim (mixed_node.c, mixed_node.py, mixed_node.mjs,
MixedNode.java) and speaks this line protocol, commands on stdin, reports on stdout:

    (start)        -> "ready <address>"
    next <address> -> "next ok": the next node's relay is <address>/user/relay
    round <n>      -> "told <n>": n tells to the next relay, each a JSON map (akt.Json over
                      CBOR) {"origin", "seq", "hops", "path": [origin], "payload"}; every
                      relay reports "got <native type> <json>" and appends itself to path and
                      forwards it, until the message is back at its origin: "home ...".
    ask <n>        -> n asks to the next relay, one at a time: "answer <type> <json>", the
                      answer {"a": q, "by": <relay's node>, "echo": <the question>}
    trace <tp>     -> "traced <tp>": a "mixed.trace" bytes message (text: the nodes it
                      passed, comma-separated, first the origin) told to the next relay with
                      the traceparent header <tp> that this script chose; every relay adds
                      itself and forwards it (its tell made inside receive, so akt gives it
                      the relay's span as traceparent) until it is back at its origin:
                      "trace-home <the four nodes>".
    otlp           -> "otlp ok": the node starts its language's OTLP exporter (C akt_otlp_start,
                      Python akt.otlp.start, Node otlp.start, Java Otlp.start) to the URL in
                      its environment's AKT_MIXED_OTLP, service.name its node name, a batch
                      and a metric reading every 100 ms
    watch          -> "watching ok": the watcher watches <next address>/user/victim
    stop           -> "stopped ok": the node stops its own victim; the previous node's
                      watcher reports "terminated <the victim's path>"
    quit           -> "bye ok", exit 0
Every node installs its language's trace sink at start (C akt_trace_set_sink, Python
akt.tracing.set_sink, Node tracing.setTraceSink, Java Tracing.setSink); the sink reports
each span of a "mixed.trace" message, as it ends, with
"span <trace id> <span id> <parent id> <actor path> <message type> <flags>" (ids in lowercase
hex, 16 zeros for a root's parent, the flags two hex digits; the spans of the other messages
are made and not reported).

Any "bad ..." line (a value of the wrong native type, a payload that differs, a failed send)
fails the test. The checks here: every message went round all four nodes with its content
exact, the native type at each node (Python dict, Node object, Java Map, C akt.Json), per
(origin, node) order, the asks' answers, the four Terminated; and the cross-language trace
(issue 15): for each trace started at each node, one span per node, all of the trace id
and flags chosen (sampled or not), each hop's span the child of the previous hop's (the first one's parent the chosen
span), so the parent chain crosses the four processes and languages in ring order, and no
span of a trace message with another trace id.

OTLP (issue 15): this script runs an OTLP/HTTP receiver in a thread (tests/otlp/receiver.py,
which decodes the requests with opentelemetry-proto) on 127.0.0.1 with an ephemeral port and
gives its URL to every node in AKT_MIXED_OTLP. After the sink's traces, every node gets
`otlp`. The exporter installs the system's trace sink, and a system has one sink, so in no
language can a node keep its printing sink alongside the exporter: from then on its spans go
only over OTLP (the sinks print no line for them, and that is checked). Then TRACES more
traces start from each node, and this script waits (bounded) until the receiver has the span
of every hop of each of them and a metric reading of every node. From the decoded data it
checks, as core/otlp/encode.c encodes them: the resource (service.name the node's name,
telemetry.sdk.name "akt", telemetry.sdk.language "c", a telemetry.sdk.version), scope "akt",
kind CONSUMER, and the attributes actor.system (the node), actor.address (its relay's path)
and message.type ("mixed.trace") of each span; one trace id per trace across the four
services, with the chain check that the sinks' lines pass too (the flags chosen, each hop's
parent the previous hop's span in ring order, the first one's the chosen span); and the
instruments of OTLP_INSTRUMENTS in every node's readings. After quit it checks again (the
exporters' last requests at shutdown add no duplicate). Everything is bounded (the whole
test < 60 s) and every process is killed at the end, also on failure.

A binding that is not built, or a receiver without opentelemetry-proto, is a failure with a
message saying what installs it (the test never skips): Python needs `import akt` (make test-python), Node `import('akt')`
from the repository (make test-node), Java the jar in bindings/java/target (make test-java).
"""
import argparse
import json
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests/otlp"))
try:  # tests/otlp/receiver.py decodes with opentelemetry-proto (scripts/setup.sh installs it)
    from receiver import Receiver, attrs, spans_of
    RECEIVER_MISSING = None
except ImportError as exc:
    RECEIVER_MISSING = exc
TOTAL_S = 55.0
ROUND = 40
ASKS = 10
TRACES = 2  # traces started at each node
TRACE_TYPE = "mixed.trace"
ZERO_SPAN = "0" * 16
# Instruments every node's metric readings must name (GoAkt's actor.* from akt_metrics_collect,
# the exporter's own akt.otlp.*).
OTLP_INSTRUMENTS = {"actor.processed.count", "akt.otlp.spans.exported"}
PAYLOAD = {"text": "h\u00e9llo w\u00f6rld", "n": 42, "neg": -7, "f": 2.5, "t": True, "nil": None,
           "list": [1, "two", 3.25, False], "nested": {"a": {"b": []}}}
# Node name -> the type name its relay reports for a map: the language's native one.
NATIVE = {"cnode": "akt.Json", "pynode": "dict", "jsnode": "object", "jnode": "Map"}
RING = ["cnode", "pynode", "jsnode", "jnode"]
T0 = time.monotonic()


class Failure(Exception):
    pass


def left():
    return TOTAL_S - (time.monotonic() - T0)


class NodeProc:
    def __init__(self, name, argv, cwd, log_dir):
        self.name = name
        self.lines = queue.Queue()
        self.seen = []  # every line, for the checks and the failure report
        self.err_path = log_dir / f"{name}.stderr"
        self.err = open(self.err_path, "wb")
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.err, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            self.lines.put(raw.decode("utf-8", errors="replace").rstrip("\n"))
        self.lines.put(None)

    def send(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def expect(self, pred, what):
        """Lines until one satisfies pred (returned); every line is kept in self.seen."""
        while True:
            remaining = left()
            if remaining <= 0:
                raise Failure(f"{self.name}: timed out waiting for {what}")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                raise Failure(f"{self.name}: timed out waiting for {what}") from None
            if line is None:
                raise Failure(f"{self.name}: exited ({self.proc.poll()}) while waiting for {what}")
            self.seen.append(line)
            if line.startswith("bad"):
                raise Failure(f"{self.name}: {line}")
            if pred(line):
                return line

    def count(self, prefix, n, what):
        got = [l for l in self.seen if l.startswith(prefix + " ")]
        while len(got) < n:
            got.append(self.expect(lambda l: l.startswith(prefix + " "), f"{n} x {what}"))
        return got

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()
        self.err.close()


def java_jar():
    pom = (REPO / "bindings/java/pom.xml").read_text()
    version = re.search(r"^  <version>(.*)</version>", pom, re.M).group(1)
    return REPO / "bindings/java/target" / f"akt-{version}.jar"


def check_runtimes(py, js):
    """Fails (never skips) when a binding is not built."""
    problems = []
    if subprocess.run(py + ["-c", "import akt"], capture_output=True, cwd="/").returncode != 0:
        problems.append(f"the Python binding is not importable by {' '.join(py)} (make test-python)")
    probe = subprocess.run(js + ["--input-type=module", "-e", "await import('akt')"],
                           capture_output=True, cwd=HERE)
    if probe.returncode != 0:
        problems.append("the Node binding is not importable from the repository (make test-node)")
    if not java_jar().is_file():
        problems.append(f"the Java binding's jar {java_jar()} is missing (make test-java)")
    if problems:
        raise Failure("; ".join(problems))


def check_ring(nodes, addresses):
    for i, name in enumerate(RING):
        node = nodes[name]
        got = [l for l in node.seen if l.startswith("got ")]
        homes = [l for l in node.seen if l.startswith("home ")]
        if len(got) != ROUND * len(RING) or len(homes) != ROUND:
            raise Failure(f"{name}: {len(got)} got (want {ROUND * len(RING)}), "
                          f"{len(homes)} home (want {ROUND})")
        last = {}
        for line in got:
            _, native, text = line.split(" ", 2)
            if native != NATIVE[name]:
                raise Failure(f"{name}: a map arrived as {native}, not {NATIVE[name]}")
            m = json.loads(text)
            origin = m["origin"]
            k = RING.index(origin)
            hops = (i - k) % len(RING)  # how many nodes it passed to get here
            want_path = [RING[(k + j) % len(RING)] for j in range(hops if hops else len(RING))]
            if m["path"] != want_path or m["payload"] != PAYLOAD:
                raise Failure(f"{name}: wrong content {text}")
            if m["hops"] != len(want_path) - 1:
                raise Failure(f"{name}: wrong hop count {text}")
            if m["seq"] != last.get(origin, -1) + 1:
                raise Failure(f"{name}: from {origin}: seq {m['seq']} after {last.get(origin)}")
            last[origin] = m["seq"]
        for line in homes:
            m = json.loads(line.split(" ", 2)[2])
            if m["origin"] != name or m["path"] != [RING[(i + j) % 4] for j in range(4)]:
                raise Failure(f"{name}: a message came home wrong: {line}")


def check_asks(nodes):
    for i, name in enumerate(RING):
        nxt = RING[(i + 1) % len(RING)]
        answers = [l for l in nodes[name].seen if l.startswith("answer ")]
        if len(answers) != ASKS:
            raise Failure(f"{name}: {len(answers)} answers, want {ASKS}")
        for q, line in enumerate(answers):
            _, native, text = line.split(" ", 2)
            a = json.loads(text)
            want = {"a": q, "by": nxt, "echo": {"q": q, "from": name, "payload": PAYLOAD}}
            if native != NATIVE[name] or a != want:
                raise Failure(f"{name}: answer {q} is {native} {text}, want {NATIVE[name]} {want}")


def check_chains(spans, chosen, where):
    """spans: trace id -> {node: (span id, parent id, flags)}, from the sinks or from OTLP;
    chosen: origin -> [(trace id, span id, flags)] of the traceparents it was given. Each
    trace is one span per node, all of the trace id and flags chosen, each hop's span the
    child of the previous hop's (the first one's parent the chosen span), in ring order."""
    want = {t for pairs in chosen.values() for t, _, _ in pairs}
    if set(spans) != want:
        raise Failure(f"{where}: spans of trace ids {sorted(set(spans) - want)} that no node was "
                      f"given (a hop lost the trace context); no span of {sorted(want - set(spans))}")
    ids = set()
    for origin, pairs in chosen.items():
        k = RING.index(origin)
        for trace, root, want_flags in pairs:
            if set(spans[trace]) != set(RING):
                raise Failure(f"{where}: trace {trace} from {origin} has spans of "
                              f"{sorted(spans[trace])}, want one of each of {RING}")
            parent = root
            for j in range(1, len(RING) + 1):  # the hops, in ring order, back to the origin
                hop = RING[(k + j) % len(RING)]
                span, got, flags = spans[trace][hop]
                if flags != want_flags:
                    raise Failure(f"{where}: trace {trace} from {origin}: flags {flags} at {hop}, "
                                  f"want {want_flags}")
                if got != parent:
                    raise Failure(f"{where}: trace {trace} from {origin}: the span at {hop} has "
                                  f"parent {got}, want {parent} (the span of the hop before)")
                if span in ids or span == root:
                    raise Failure(f"{where}: trace {trace}: span id {span} at {hop} is not new")
                ids.add(span)
                parent = span


def check_traces(nodes, chosen, homes_per_origin=TRACES):
    """The sinks' "span" lines. chosen: origin -> [(trace id, span id, flags)] of the
    traceparents it was given while the sinks were installed."""
    spans = {}  # trace id -> {node: (span id, parent id, flags)}
    for name in RING:
        relay = f"akt://{name}/user/relay"  # a span's actor path is the local one
        lines = [l for l in nodes[name].seen if l.startswith("span ")]
        if len(lines) != TRACES * len(RING):
            raise Failure(f"{name}: {len(lines)} spans of trace messages, want {TRACES * len(RING)}")
        for line in lines:
            parts = line.split(" ")
            if len(parts) != 7:
                raise Failure(f"{name}: a malformed span line: {line}")
            _, trace, span, parent, path, mtype, flags = parts
            if path != relay or mtype != TRACE_TYPE:
                raise Failure(f"{name}: a span of {path} {mtype}, want {relay} {TRACE_TYPE}")
            if not re.fullmatch(r"[0-9a-f]{32}", trace) or not re.fullmatch(r"[0-9a-f]{16}", span) \
                    or span == ZERO_SPAN or not re.fullmatch(r"[0-9a-f]{16}", parent):
                raise Failure(f"{name}: bad ids in {line}")
            if name in spans.setdefault(trace, {}):
                raise Failure(f"{name}: two spans of trace {trace}")
            spans[trace][name] = (span, parent, flags)
    check_chains(spans, chosen, "sink")
    for origin in RING:
        k = RING.index(origin)
        homes = [l for l in nodes[origin].seen if l.startswith("trace-home ")]
        path = ",".join(RING[(k + j) % len(RING)] for j in range(len(RING)))
        if homes != [f"trace-home {path}"] * homes_per_origin:
            raise Failure(f"{origin}: trace messages came home as {homes}, want "
                          f"{homes_per_origin} x {path}")


def otlp_trace_spans(receiver):
    """(resource attributes, scope name, span) of every "mixed.trace" span received."""
    return [(res, scope, sp) for res, scope, sp in spans_of(receiver.traces())
            if attrs(sp.attributes).get("message.type") == TRACE_TYPE]


def otlp_metric_names(receiver):
    """service.name -> the instrument names of its metric readings."""
    names = {}
    for req in receiver.metrics():
        for rm in req.resource_metrics:
            svc = {kv.key: kv.value.string_value for kv in rm.resource.attributes}.get("service.name")
            for sm in rm.scope_metrics:
                names.setdefault(svc, set()).update(m.name for m in sm.metrics)
    return names


def wait_otlp(receiver, chosen):
    """Until the receiver has a span of every hop of every chosen trace and a metric reading
    of every node with the instruments checked (bounded by the test's time)."""
    want = {t for pairs in chosen.values() for t, _, _ in pairs}
    while True:
        got = [sp for _, _, sp in otlp_trace_spans(receiver) if sp.trace_id.hex() in want]
        names = otlp_metric_names(receiver)
        if len(got) >= len(want) * len(RING) and \
                all(OTLP_INSTRUMENTS <= names.get(n, set()) for n in RING):
            return
        if left() <= 1.0:
            raise Failure(f"OTLP: after waiting, {len(got)} spans of the {len(want)} traces "
                          f"(want {len(want) * len(RING)}), instruments per service "
                          f"{ {n: sorted(OTLP_INSTRUMENTS & names.get(n, set())) for n in RING} } "
                          f"(want {sorted(OTLP_INSTRUMENTS)})")
        time.sleep(0.05)


def check_otlp(receiver, chosen):
    """The decoded OTLP requests (core/otlp/encode.c): each "mixed.trace" span with its
    resource (service.name the node, telemetry.sdk.* akt's), scope "akt", kind CONSUMER and
    attributes actor.system (the node), actor.address (its relay's path), message.type; then
    the chains as check_chains (one trace id per trace across the four services, parents in
    ring order); and every node's metric readings name the instruments of OTLP_INSTRUMENTS."""
    spans = {}  # trace id -> {node: (span id, parent id, flags)}
    for res, scope, sp in otlp_trace_spans(receiver):
        name = res.get("service.name")
        a = attrs(sp.attributes)
        if name not in RING:
            raise Failure(f"OTLP: a span of service.name {name!r}, not one of {RING}")
        want_res = {"service.name": name, "telemetry.sdk.name": "akt",
                    "telemetry.sdk.language": "c"}
        if any(res.get(k) != v for k, v in want_res.items()) or not res.get("telemetry.sdk.version"):
            raise Failure(f"OTLP: {name}: resource attributes {res}, want {want_res} and a version")
        want_attrs = {"actor.system": name, "actor.address": f"akt://{name}/user/relay",
                      "message.type": TRACE_TYPE}
        if a != want_attrs:
            raise Failure(f"OTLP: {name}: span attributes {a}, want {want_attrs}")
        if scope != "akt" or sp.kind != sp.SPAN_KIND_CONSUMER:
            raise Failure(f"OTLP: {name}: scope {scope!r}, kind {sp.kind}: want akt, CONSUMER")
        if len(sp.trace_id) != 16 or len(sp.span_id) != 8 or len(sp.parent_span_id) not in (0, 8):
            raise Failure(f"OTLP: {name}: bad ids in {sp}")
        if sp.start_time_unix_nano == 0 or sp.end_time_unix_nano < sp.start_time_unix_nano:
            raise Failure(f"OTLP: {name}: bad times {sp.start_time_unix_nano} "
                          f"{sp.end_time_unix_nano}")
        trace = sp.trace_id.hex()
        if name in spans.setdefault(trace, {}):
            raise Failure(f"OTLP: {name}: two spans of trace {trace}")
        spans[trace][name] = (sp.span_id.hex(), sp.parent_span_id.hex() or ZERO_SPAN,
                              f"{sp.flags & 0xff:02x}")
    check_chains(spans, chosen, "OTLP")
    names = otlp_metric_names(receiver)
    for name in RING:
        if not OTLP_INSTRUMENTS <= names.get(name, set()):
            raise Failure(f"OTLP: {name}: instruments {sorted(names.get(name, set()))}, want "
                          f"{sorted(OTLP_INSTRUMENTS)} among them")


def start_traces(nodes):
    """TRACES traces from each node round the ring, all at once, each with a traceparent
    chosen here (sampled, then not). Returns origin -> [(trace id, span id, flags)]."""
    chosen = {name: [] for name in RING}
    for t in range(TRACES):
        for name in RING:
            trace, span, flags = os.urandom(16).hex(), os.urandom(8).hex(), f"{(t + 1) % 2:02x}"
            chosen[name].append((trace, span, flags))
            nodes[name].send(f"trace 00-{trace}-{span}-{flags}")
    for name in RING:
        for trace, span, flags in chosen[name]:
            want = f"traced 00-{trace}-{span}-{flags}"
            nodes[name].expect(lambda l, w=want: l == w, want)
    return chosen


def main():
    ap = argparse.ArgumentParser(description="mixed-language remoting test")
    ap.add_argument("--c-node", required=True, type=Path, help="the built multiproc_mixed_node")
    ap.add_argument("--build-dir", required=True, type=Path, help="where Java classes go")
    args = ap.parse_args()
    py = shlex.split(os.environ.get("AKT_PYTHON", "python3"))
    js = shlex.split(os.environ.get("AKT_NODE", "node"))
    java = shlex.split(os.environ.get("AKT_JAVA", "java"))
    javac = shlex.split(os.environ.get("AKT_JAVAC", "javac"))
    out = args.build_dir.resolve() / "multiproc-mixed"
    out.mkdir(parents=True, exist_ok=True)
    nodes = {}
    receiver = None
    try:
        if RECEIVER_MISSING is not None:
            raise Failure(f"tests/otlp/receiver.py cannot be imported ({RECEIVER_MISSING}): "
                          "opentelemetry-proto is installed by scripts/setup.sh")
        check_runtimes(py, js)
        # The OTLP/HTTP receiver, in a thread of this process on an ephemeral port; every
        # node gets its URL in AKT_MIXED_OTLP.
        receiver = Receiver().__enter__()
        os.environ["AKT_MIXED_OTLP"] = receiver.endpoint
        jar = str(java_jar())
        classes = out / "classes"
        done = subprocess.run(javac + ["-Xlint:all", "-Werror", "-cp", jar, "-d", str(classes),
                                       str(HERE / "MixedNode.java")], capture_output=True,
                              timeout=max(1.0, left()))
        if done.returncode != 0:
            raise Failure("javac MixedNode.java failed:\n" + done.stderr.decode(errors="replace"))
        argv = {
            "cnode": [str(args.c_node.resolve())],
            "pynode": py + [str(HERE / "mixed_node.py")],
            "jsnode": js + [str(HERE / "mixed_node.mjs")],
            "jnode": java + ["-cp", f"{jar}{os.pathsep}{classes}", "MixedNode"],
        }
        for name in RING:
            nodes[name] = NodeProc(name, argv[name], HERE, out)
        addresses = {}
        for name in RING:
            line = nodes[name].expect(lambda l: l.startswith("ready "), "its address")
            addresses[name] = line.split(" ", 1)[1]
            if not addresses[name].startswith(f"akt://{name}@127.0.0.1:"):
                raise Failure(f"{name}: unexpected address {addresses[name]}")
        started = time.monotonic() - T0
        for i, name in enumerate(RING):
            nodes[name].send("next " + addresses[RING[(i + 1) % len(RING)]])
        for name in RING:
            nodes[name].expect(lambda l: l == "next ok", "next ok")

        # Tells: every node starts a round at once, so each relay forwards four streams.
        for name in RING:
            nodes[name].send(f"round {ROUND}")
        for name in RING:
            nodes[name].count("home", ROUND, "home")
            nodes[name].count("got", ROUND * len(RING), "got")
        check_ring(nodes, addresses)

        # Asks to the next node, from each.
        for name in RING:
            nodes[name].send(f"ask {ASKS}")
        for name in RING:
            nodes[name].count("answer", ASKS, "answer")
        check_asks(nodes)

        # Traces round the ring; every relay's span reported by its node's sink.
        chosen = start_traces(nodes)
        for name in RING:
            nodes[name].count("span", TRACES * len(RING), "span of a trace message")
            nodes[name].count("trace-home", TRACES, "trace-home")
        check_traces(nodes, chosen)

        # OTLP: every node starts its exporter (to the receiver; it replaces the node's sink,
        # one sink per system), then as many traces again, checked from the decoded requests.
        for name in RING:
            nodes[name].send("otlp")
        for name in RING:
            nodes[name].expect(lambda l: l == "otlp ok", "otlp ok")
        chosen_otlp = start_traces(nodes)
        for name in RING:
            nodes[name].count("trace-home", 2 * TRACES, "trace-home")
        wait_otlp(receiver, chosen_otlp)
        check_otlp(receiver, chosen_otlp)
        check_traces(nodes, chosen, 2 * TRACES)  # no sink line of an exported trace

        # Remote watch: each watches the next node's victim, then every victim stops.
        for name in RING:
            nodes[name].send("watch")
        for name in RING:
            nodes[name].expect(lambda l: l == "watching ok", "watching ok")
        for name in RING:
            nodes[name].send("stop")
        for i, name in enumerate(RING):
            want = f"terminated {addresses[RING[(i + 1) % len(RING)]]}/user/victim"
            nodes[name].expect(lambda l, w=want: l == w, want)

        for name in RING:
            nodes[name].send("quit")
        for name in RING:
            nodes[name].expect(lambda l: l == "bye ok", "bye ok")
            code = nodes[name].proc.wait(timeout=max(0.1, left()))
            if code != 0:
                raise Failure(f"{name}: exit status {code}")
        check_traces(nodes, chosen, 2 * TRACES)  # again, with every line: no span came late
        check_otlp(receiver, chosen_otlp)  # and the exporters' last requests duplicated none
        print(f"mixed: PASS: 4 nodes (C, Python, Node, Java), {ROUND * 4} ring messages x 4 hops, "
              f"{ASKS * 4} asks, {TRACES * 4} traces of 4 spans across the 4 languages from "
              f"the sinks and {TRACES * 4} from the decoded OTLP requests, "
              f"4 remote watches; nodes up after {started:.2f} s, "
              f"total {time.monotonic() - T0:.2f} s")
        return 0
    except (Failure, subprocess.TimeoutExpired, OSError) as exc:
        print(f"mixed: FAIL: {exc}", file=sys.stderr)
        for name, node in nodes.items():
            tail = node.seen[-5:]
            print(f"--- {name} (last lines: {tail}; stderr in {node.err_path})", file=sys.stderr)
        return 1
    finally:
        for node in nodes.values():
            node.kill()
        if receiver is not None:
            receiver.__exit__(None, None, None)
        for node in nodes.values():
            err = node.err_path.read_text(errors="replace").strip()
            if err:
                print(f"--- {node.name} stderr:\n{err[-2000:]}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
