package dev.akt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * akt's canonical scalar types (akt.h, AKT_TYPE_STRING ...): the one encoding of each, and
 * the Java values they map to. String, byte[], Long/Integer (Int64), Double, Boolean,
 * Map/List (Json, with the tiny writer and reader below) get the canonical names; a Java
 * actor still receives the object itself, the bytes are made only when a C actor or
 * another language asks. A payload that does not match its name throws
 * {@link IllegalArgumentException}, so that message fails.
 */
final class Scalars {
    private Scalars() {}

    /* Literals, as the switch below needs constants; ScalarsTest checks them against akt.h's
     * AKT_TYPE_* (SWIG's constants, read from the library). */
    static final String STRING = "akt.String";
    static final String BYTES = "akt.Bytes";
    static final String INT64 = "akt.Int64";
    static final String FLOAT64 = "akt.Float64";
    static final String BOOL = "akt.Bool";
    static final String NULL = "akt.Null";
    static final String JSON = "akt.Json";

    /** The canonical name of a class's values, or null. */
    static String typeOf(Class<?> c) {
        if (c == String.class) return STRING;
        if (c == byte[].class) return BYTES;
        if (c == Long.class || c == Integer.class) return INT64;
        if (c == Double.class) return FLOAT64;
        if (c == Boolean.class) return BOOL;
        if (Map.class.isAssignableFrom(c) || List.class.isAssignableFrom(c)) return JSON;
        return null;
    }

    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /** The canonical bytes of obj, or null if it is not a scalar (or not JSON-able). */
    static byte[] toBytes(Object obj) {
        if (obj instanceof Long l) return le64(l);
        if (obj instanceof Integer i) return le64(i.longValue());
        if (obj instanceof Double d) return le64(Double.doubleToRawLongBits(d));
        if (obj instanceof Boolean b) return new byte[] {(byte) (b ? 1 : 0)};
        if (obj instanceof Map<?, ?> || obj instanceof List<?>) {
            StringBuilder sb = new StringBuilder();
            try {
                writeJson(sb, obj);
            } catch (IllegalArgumentException e) {
                return null; /* not JSON-able: AKT_ENOTSUP for the reader */
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        return null;
    }

    private static IllegalArgumentException malformed(String type, byte[] d, String want) {
        return new IllegalArgumentException(
                "malformed " + type + " message: " + d.length + " bytes, expected " + want);
    }

    static String utf8(String type, byte[] d) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(d))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("malformed " + type + " message: invalid UTF-8", e);
        }
    }

    /** Marker for "not a canonical name" (null is the value of akt.Null). */
    static final Object NONE = new Object();

    /** The Java value of canonical bytes, NONE for other type names. */
    static Object fromBytes(String type, byte[] d) {
        switch (type) {
            case STRING:
                return utf8(type, d);
            case BYTES:
                return d;
            case INT64:
                if (d.length != 8) throw malformed(type, d, "8");
                return ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).getLong();
            case FLOAT64:
                if (d.length != 8) throw malformed(type, d, "8");
                return Double.longBitsToDouble(ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).getLong());
            case BOOL:
                if (d.length != 1 || (d[0] & 0xff) > 1) throw malformed(type, d, "1 byte, 0 or 1");
                return d[0] == 1;
            case NULL:
                if (d.length != 0) throw malformed(type, d, "0");
                return null;
            case JSON:
                return new JsonReader(utf8(type, d)).document();
            default:
                return NONE;
        }
    }

    /* ---- a tiny RFC 8259 writer and reader: Map<String,?>, List, String, Long, Double,
     * Integer, Boolean, null. Numbers read back as Long when integral and in range, else
     * Double. */

    static void writeJson(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            writeString(sb, s);
        } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer) {
            sb.append(v);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) throw new IllegalArgumentException("not JSON: " + d);
            if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append((long) (double) d).append(".0");
            else sb.append(d);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException("JSON keys are strings");
                if (!first) sb.append(',');
                first = false;
                writeString(sb, k);
                sb.append(':');
                writeJson(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            Iterator<?> it = l.iterator();
            while (it.hasNext()) {
                writeJson(sb, it.next());
                if (it.hasNext()) sb.append(',');
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("not JSON: " + v.getClass().getName());
        }
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    private static final class JsonReader {
        private final String s;
        private int i;

        JsonReader(String s) {
            this.s = s;
        }

        private IllegalArgumentException bad(String what) {
            return new IllegalArgumentException("malformed akt.Json message: " + what + " at " + i);
        }

        private void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
        }

        Object document() {
            Object v = value();
            ws();
            if (i != s.length()) throw bad("trailing text");
            return v;
        }

        private boolean lit(String w) {
            if (s.startsWith(w, i)) {
                i += w.length();
                return true;
            }
            return false;
        }

        private Object value() {
            ws();
            if (i >= s.length()) throw bad("end of text");
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (lit("}")) return m;
                for (;;) {
                    ws();
                    if (i >= s.length() || s.charAt(i) != '"') throw bad("a key");
                    String k = string();
                    ws();
                    if (!lit(":")) throw bad("':'");
                    m.put(k, value());
                    ws();
                    if (lit("}")) return m;
                    if (!lit(",")) throw bad("',' or '}'");
                }
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                ws();
                if (lit("]")) return l;
                for (;;) {
                    l.add(value());
                    ws();
                    if (lit("]")) return l;
                    if (!lit(",")) throw bad("',' or ']'");
                }
            }
            if (c == '"') return string();
            if (lit("true")) return Boolean.TRUE;
            if (lit("false")) return Boolean.FALSE;
            if (lit("null")) return null;
            return number();
        }

        private String string() {
            i++; /* the quote */
            StringBuilder sb = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c < 0x20) throw bad("a control character in a string");
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (i >= s.length()) break;
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) throw bad("a \\u escape");
                        try {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException x) {
                            throw bad("a \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw bad("an escape");
                }
            }
            throw bad("an unterminated string");
        }

        private Object number() {
            int start = i;
            if (i < s.length() && s.charAt(i) == '-') i++;
            int digits = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            if (i == digits) throw bad("a value");
            if (s.charAt(digits) == '0' && i - digits > 1) throw bad("a leading zero");
            boolean integral = true;
            if (i < s.length() && s.charAt(i) == '.') {
                integral = false;
                int f = ++i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
                if (i == f) throw bad("a fraction");
            }
            if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                integral = false;
                i++;
                if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
                int e = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
                if (i == e) throw bad("an exponent");
            }
            String t = s.substring(start, i);
            if (integral) {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException x) {
                    /* beyond int64: a Double */
                }
            }
            return Double.parseDouble(t);
        }
    }
}
