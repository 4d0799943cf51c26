package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** akt's canonical scalar types: one name and one encoding per Java value kind. */
class ScalarsTest {
    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static Map<String, Object> doc() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", Arrays.asList(1L, 2.5, null, true, "é\"\n"));
        m.put("b", new LinkedHashMap<>());
        return m;
    }

    /**
     * Scalars' names are literals (a switch needs compile-time constants); SWIG's constants
     * are akt.h's AKT_TYPE_* macros read from the library: they must agree, and every
     * AKT_TYPE_* that is not a system message must have its literal here.
     */
    @Test
    void typeNamesAreAktHsMacros() throws IllegalAccessException {
        Map<String, String> ours = new LinkedHashMap<>();
        ours.put("AKT_TYPE_STRING", Scalars.STRING);
        ours.put("AKT_TYPE_BYTES", Scalars.BYTES);
        ours.put("AKT_TYPE_INT64", Scalars.INT64);
        ours.put("AKT_TYPE_FLOAT64", Scalars.FLOAT64);
        ours.put("AKT_TYPE_BOOL", Scalars.BOOL);
        ours.put("AKT_TYPE_NULL", Scalars.NULL);
        ours.put("AKT_TYPE_JSON", Scalars.JSON);
        List<String> system = List.of("AKT_TYPE_TERMINATED", "AKT_TYPE_POISON_PILL");
        Map<String, String> header = new LinkedHashMap<>();
        for (java.lang.reflect.Field f : AktNativeConstants.class.getDeclaredFields()) {
            if (!f.getName().startsWith("AKT_TYPE_") || system.contains(f.getName())) continue;
            f.setAccessible(true);
            header.put(f.getName(), (String) f.get(null));
        }
        assertEquals(header, ours);
    }

    @Test
    void eachValueHasItsCanonicalNameAndBytes() {
        assertEquals("akt.String", Scalars.typeOf(String.class));
        assertEquals("akt.Bytes", Scalars.typeOf(byte[].class));
        assertEquals("akt.Int64", Scalars.typeOf(Long.class));
        assertEquals("akt.Int64", Scalars.typeOf(Integer.class));
        assertEquals("akt.Float64", Scalars.typeOf(Double.class));
        assertEquals("akt.Bool", Scalars.typeOf(Boolean.class));
        assertEquals("akt.Json", Scalars.typeOf(LinkedHashMap.class));
        assertEquals("akt.Json", Scalars.typeOf(List.of().getClass()));
        assertNull(Scalars.typeOf(Object.class));
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), Messages.toBytes("héllo"));
        assertArrayEquals(le64(Long.MIN_VALUE), Messages.toBytes(Long.MIN_VALUE));
        assertArrayEquals(le64(-5), Messages.toBytes(-5));
        assertArrayEquals(le64(Double.doubleToRawLongBits(-0.0)), Messages.toBytes(-0.0));
        assertArrayEquals(le64(Double.doubleToRawLongBits(Double.NaN)), Messages.toBytes(Double.NaN));
        assertArrayEquals(new byte[] {1}, Messages.toBytes(true));
        assertArrayEquals(new byte[] {0}, Messages.toBytes(false));
        assertEquals("{\"a\":[1,2.5,null,true,\"é\\\"\\n\"],\"b\":{}}",
                new String(Messages.toBytes(doc()), StandardCharsets.UTF_8));
        assertNull(Messages.toBytes(List.of(Double.NaN)), "NaN is not JSON: no bytes");
    }

    @Test
    void canonicalBytesDecodeToJavaValues() {
        assertEquals("", Scalars.fromBytes("akt.String", new byte[0]));
        assertEquals(Long.MAX_VALUE, Scalars.fromBytes("akt.Int64", le64(Long.MAX_VALUE)));
        assertEquals(1e308, Scalars.fromBytes("akt.Float64", le64(Double.doubleToRawLongBits(1e308))));
        assertEquals(Boolean.TRUE, Scalars.fromBytes("akt.Bool", new byte[] {1}));
        assertNull(Scalars.fromBytes("akt.Null", new byte[0]));
        assertEquals(doc(), Scalars.fromBytes("akt.Json", Messages.toBytes(doc())));
        assertEquals(List.of(Map.of("x", List.of())), Scalars.fromBytes("akt.Json", " [ {\"x\" : [ ] } ] ".getBytes()));
        assertSame(Scalars.NONE, Scalars.fromBytes("conf.Other", new byte[0]));
    }

    static final Object[][] MALFORMED = {
        {"akt.Int64", "1234567".getBytes()}, {"akt.Int64", "123456789".getBytes()},
        {"akt.Float64", new byte[0]}, {"akt.Bool", new byte[] {0, 1}}, {"akt.Bool", new byte[] {2}},
        {"akt.Null", "x".getBytes()}, {"akt.String", new byte[] {(byte) 0xff, (byte) 0xfe}},
        {"akt.Json", "{bad".getBytes()}, {"akt.Json", "[1,]".getBytes()}, {"akt.Json", "01".getBytes()},
        {"akt.Json", "[1] x".getBytes()},
    };

    @Test
    void malformedPayloadsAreRejected() {
        for (Object[] m : MALFORMED) {
            assertThrows(IllegalArgumentException.class, () -> Scalars.fromBytes((String) m[0], (byte[]) m[1]),
                    (String) m[0]);
        }
    }

    @Test
    void bytesUnderACanonicalNameArriveAsJavaValues() throws Exception {
        try (ActorSystem system = ActorSystem.builder("scalars").workers(2).build()) {
            Pid echo = system.spawn("echo", (ctx, msg) -> ctx.respond(msg));
            // A BytesMessage travels as a bytes message, as C and other languages send.
            assertEquals(Long.MIN_VALUE, Await.get(echo.ask(new BytesMessage("akt.Int64", le64(Long.MIN_VALUE)), Await.ASK)));
            assertEquals("é", Await.get(echo.ask(new BytesMessage("akt.String", "é".getBytes(StandardCharsets.UTF_8)), Await.ASK)));
            assertEquals(doc(), Await.get(echo.ask(new BytesMessage("akt.Json", Messages.toBytes(doc())), Await.ASK)));
            // Between Java actors the object itself still passes.
            Map<String, Object> d = doc();
            assertSame(d, Await.get(echo.ask(d, Await.ASK)));
        }
    }

    @Test
    void aMalformedPayloadFailsThatMessageOnly() throws Exception {
        try (ActorSystem system = ActorSystem.builder("malformed").workers(2).build()) {
            CompletableFuture<Object> seen = new CompletableFuture<>();
            Pid keep = system.spawn("keep", (ctx, msg) -> {
                if (!seen.isDone()) seen.complete(msg);
                ctx.respond("ok");
            });
            for (Object[] m : MALFORMED) {
                Throwable t = Await.failure(keep.ask(new BytesMessage((String) m[0], (byte[]) m[1]), Await.ASK));
                assertInstanceOf(ActorFailedException.class, t, (String) m[0]);
                assertTrue(t.getMessage().contains("malformed akt."), t.getMessage());
            }
            assertEquals("ok", Await.get(keep.ask(7L, Await.ASK)));
            assertEquals(7L, Await.get(seen));
        }
    }
}
