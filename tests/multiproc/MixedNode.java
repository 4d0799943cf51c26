// mixed_node (Java): one of the four nodes of tests/multiproc/mixed.py, the Java one.
//
// System "jnode", remoting on 127.0.0.1 with an ephemeral port, akt.Json (Map, List,
// scalars) bound to CBOR. Actors /user/relay, /user/watcher, /user/victim; it prints
// "ready <address>", then obeys one command per stdin line (the protocol is in mixed.py).
// A JSON value arrives here as a java.util.Map. Its trace sink (Tracing.setSink, installed at
// start) reports each span of a "mixed.trace" message as a "span ..." line; the "otlp" command
// starts the OTLP exporter (Otlp.start, to $AKT_MIXED_OTLP, service.name "jnode"), which
// replaces that sink: from then on the spans go to mixed.py's receiver.
import dev.akt.*;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

public class MixedNode {
    static final String ME = "jnode";
    static final int RING = 4;
    /** A traced ring message: bytes, the nodes it passed, comma-separated. */
    static final String TRACE = "mixed.trace";
    static final Duration ASK = Duration.ofSeconds(10);
    /** The exporter's batch interval (and metric readings). */
    static final Duration OTLP_FLUSH = Duration.ofMillis(100);
    static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    static final Map<String, Object> PAYLOAD = payload();
    static volatile Pid nextRelay; // set before any round, read by the relay

    static Map<String, Object> payload() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "h\u00e9llo w\u00f6rld");
        m.put("n", 42L);
        m.put("neg", -7L);
        m.put("f", 2.5);
        m.put("t", true);
        m.put("nil", null);
        m.put("list", new ArrayList<>(Arrays.asList(1L, "two", 3.25, false)));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", new ArrayList<>());
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", a);
        m.put("nested", nested);
        return m;
    }

    static synchronized void say(String line) {
        OUT.println(line);
    }

    /** JSON with sorted keys, as the other nodes print it. */
    static String json(Object v) {
        if (v == null) return "null";
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
                if (b.length() > 1) b.append(',');
                b.append(json(String.valueOf(e.getKey()))).append(':').append(json(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (Object o : l) {
                if (b.length() > 1) b.append(',');
                b.append(json(o));
            }
            return b.append(']').toString();
        }
        if (v instanceof String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') b.append('\\').append(c);
                else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                else b.append(c);
            }
            return b.append('"').toString();
        }
        return String.valueOf(v);
    }

    static void report(String what, Object v) {
        say(what + " Map " + json(v));
    }

    /** A ring message -> reported, forwarded until it has seen every node; an ask -> answered. */
    static final class Relay implements Actor {
        @Override
        @SuppressWarnings("unchecked")
        public void receive(Context ctx, Object msg) {
            if (msg instanceof BytesMessage b && b.is(TRACE)) {
                // Forwarded with this node added until it passed every node; the tell
                // carries this span's traceparent (akt adds it).
                if (b.text().split(",").length >= RING) say("trace-home " + b.text());
                else ctx.tell(nextRelay, BytesMessage.of(TRACE, b.text() + "," + ME));
                return;
            }
            if (!(msg instanceof Map<?, ?> raw)) {
                say("bad not a Map: " + (msg == null ? "null" : msg.getClass().getName()));
                return;
            }
            Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) raw);
            if (!PAYLOAD.equals(m.get("payload"))) report("bad payload differs", m);
            if (m.containsKey("q")) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("a", m.get("q"));
                a.put("by", ME);
                a.put("echo", m);
                ctx.respond(a);
                return;
            }
            report("got", m);
            List<Object> path = new ArrayList<>((List<Object>) m.get("path"));
            if (path.size() >= RING) {
                report("home", m);
                return;
            }
            path.add(ME);
            m.put("path", path);
            m.put("hops", (long) (path.size() - 1));
            ctx.tell(nextRelay, m);
        }
    }

    static final class Watcher implements Actor {
        private final Map<Pid, String> paths = new HashMap<>();

        @Override
        public void receive(Context ctx, Object msg) {
            if (msg instanceof Terminated t) {
                say("terminated " + paths.getOrDefault(t.pid(), "?"));
            } else if (msg instanceof BytesMessage b && b.is("watch")) {
                String result = "ok";
                try {
                    Pid pid = ctx.system().remoteLookup(b.text());
                    paths.put(pid, pid.path());
                    ctx.watch(pid);
                } catch (AktException e) {
                    result = e.toString();
                }
                ctx.respond(BytesMessage.of("watched", result));
            } else {
                ctx.unhandled();
            }
        }
    }

    /**
     * A "span <trace id> <span id> <parent id> <actor path> <message type> <flags>" line for
     * each handled trace message (a root's parent id is 16 zeros, flags two hex digits).
     */
    static void traceSink(Span s) {
        if (s.messageType().equals(TRACE)) {
            String parent = s.parentId() == null ? "0".repeat(16) : s.parentId();
            say("span " + s.traceId() + " " + s.spanId() + " " + parent + " " + s.actorPath() + " "
                    + s.messageType() + String.format(" %02x", s.flags()));
        }
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = ActorSystem.create(ME);
        system.bindSerializer("akt.Json", "cbor");
        Tracing.setSink(system, MixedNode::traceSink);
        String address = system.remoteStart("127.0.0.1", 0);
        system.spawn("relay", new Relay());
        Pid watcher = system.spawn("watcher", new Watcher());
        Pid victim = system.spawn("victim", (ctx, msg) -> ctx.unhandled());
        say("ready " + address);
        String nextAddress = "";
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] parts = line.trim().split(" ", 2);
            String cmd = parts[0], arg = parts.length > 1 ? parts[1] : "";
            if (cmd.equals("next")) {
                nextAddress = arg;
                nextRelay = system.remoteLookup(arg + "/user/relay");
                say("next ok");
            } else if (cmd.equals("round")) {
                for (long i = 0; i < Long.parseLong(arg); i++) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("origin", ME);
                    m.put("seq", i);
                    m.put("hops", 0L);
                    m.put("path", new ArrayList<>(List.of(ME)));
                    m.put("payload", PAYLOAD);
                    nextRelay.tell(m);
                }
                say("told " + arg);
            } else if (cmd.equals("trace")) {
                // A trace message into the ring, its parent span the one mixed.py chose.
                nextRelay.tell(BytesMessage.of(TRACE, ME), Map.of(Tracing.HEADER, arg));
                say("traced " + arg);
            } else if (cmd.equals("otlp")) {
                // The exporter installs the system's trace sink in place of traceSink.
                String endpoint = System.getenv("AKT_MIXED_OTLP");
                try {
                    if (endpoint == null) throw new IllegalStateException("no AKT_MIXED_OTLP");
                    Otlp.start(system, Otlp.options(endpoint).serviceName(ME).flushInterval(OTLP_FLUSH));
                    say("otlp ok");
                } catch (RuntimeException e) {
                    say("bad otlp " + e);
                }
            } else if (cmd.equals("ask")) {
                for (long i = 0; i < Long.parseLong(arg); i++) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("q", i);
                    m.put("from", ME);
                    m.put("payload", PAYLOAD);
                    try {
                        Object answer = nextRelay.ask(m, ASK).get(20, TimeUnit.SECONDS);
                        if (answer instanceof Map<?, ?>) report("answer", answer);
                        else say("bad answer not a Map: " + answer);
                    } catch (Exception e) {
                        say("bad ask " + i + " " + e);
                    }
                }
            } else if (cmd.equals("watch")) {
                Object reply = watcher.ask(BytesMessage.of("watch", nextAddress + "/user/victim"), ASK)
                        .get(20, TimeUnit.SECONDS);
                say("watching " + (reply instanceof BytesMessage b ? b.text() : String.valueOf(reply)));
            } else if (cmd.equals("stop")) {
                victim.stop();
                say("stopped ok");
            } else if (cmd.equals("quit")) {
                break;
            } else {
                say("bad command " + line);
            }
        }
        system.shutdown().get(10, TimeUnit.SECONDS);
        system.close();
        say("bye ok");
    }
}
