// scalars: Java values through the C echo actor and back, as akt's canonical scalars.
import dev.akt.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class Case {
    /** Step name -> the value sent, in step order. */
    static final Map<String, Object> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("string.empty", "");
        VALUES.put("string.utf8", "h\u00e9llo \u2713");
        VALUES.put("bytes.empty", new byte[0]);
        VALUES.put("bytes.data", new byte[] {0x00, (byte) 0xff, (byte) 0x80});
        VALUES.put("int64.min", Long.MIN_VALUE);
        VALUES.put("int64.max", Long.MAX_VALUE);
        VALUES.put("float64.negzero", -0.0);
        VALUES.put("float64.big", 1e308);
        VALUES.put("float64.nan", Double.NaN);
        VALUES.put("bool.true", true);
        VALUES.put("bool.false", false);
        VALUES.put("null", Conf.msg("conf.Null", "")); // tell(null) is rejected: the echo makes it
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("b", null);
        List<Object> list = new ArrayList<>(Arrays.asList(1L, "x", inner));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", list);
        VALUES.put("json.nested", nested);
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }

    /** Compact JSON of what an akt.Json message decodes to, keys in insertion order. */
    static void json(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            out.append('"');
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        } else if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) out.append(',');
                first = false;
                json(out, String.valueOf(e.getKey()));
                out.append(':');
                json(out, e.getValue());
            }
            out.append('}');
        } else if (v instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) out.append(',');
                json(out, l.get(i));
            }
            out.append(']');
        } else if (v instanceof Long || v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Double d) {
            // Integral numbers decode as Long; this case's JSON has no other number.
            out.append(d);
        } else {
            throw Conf.fatal("a JSON value of unexpected class: " + v.getClass());
        }
    }

    /** "<type>" and "<canonical text>" of what arrived (null arrives for akt.Null). */
    static String[] canonical(Object v) {
        if (v == null) return new String[] {"akt.Null", "null"};
        if (v instanceof String s) return new String[] {"akt.String", s};
        if (v instanceof byte[] b) return new String[] {"akt.Bytes", hex(b)};
        if (v instanceof Long l) return new String[] {"akt.Int64", Long.toString(l)};
        if (v instanceof Double d) {
            return new String[] {"akt.Float64", String.format("%016x", Double.doubleToRawLongBits(d))};
        }
        if (v instanceof Boolean b) return new String[] {"akt.Bool", b.toString()};
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            StringBuilder s = new StringBuilder();
            json(s, v);
            return new String[] {"akt.Json", s.toString()};
        }
        throw Conf.fatal("an echo reply of no canonical type: " + v.getClass());
    }

    /** host: conf.Run "<step>" -> tells echo that step's value as itself, responds conf.Sent;
     *  anything else is the echo's reply -> journals "<step>: <type> <value>". */
    static final class Host implements Actor {
        String step = "";

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Run")) {
                step = Conf.text(msg);
                ctx.system().lookup("echo").tell(VALUES.get(step)); // sender: this actor
                Conf.respond(ctx, "conf.Sent", "");
            } else {
                String[] c = canonical(msg);
                Conf.log(step, c[1].isEmpty() ? c[0] : c[0] + " " + c[1]);
            }
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        CPeer.spawnEcho(sys, "echo");
        Pid host = sys.spawn("host", new Host());

        for (String step : VALUES.keySet()) {
            String reply = Conf.askStr(host, "conf.Run", step);
            if (!reply.equals("conf.Sent")) {
                throw Conf.fatal("conf.Run " + step + ": " + reply);
            }
            Conf.waitLog(1);
            Conf.flush();
        }

        Conf.finish(sys);
    }
}
