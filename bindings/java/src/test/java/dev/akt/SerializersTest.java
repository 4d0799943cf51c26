package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Serializers for remoting: maps and lists as CBOR or JSON, a serializer written in Java,
 *  and the refusals (no bytes, unknown names). Two systems of this JVM over 127.0.0.1. */
class SerializersTest {
    static final Duration LONG = Duration.ofSeconds(30);

    @MessageType("java.Point")
    record Point(int x, int y) {}

    @MessageType("java.Here")
    record Here(int v) {}

    static final class Opaque {}

    static String errorOf(Throwable t) {
        while (t != null && !(t instanceof AktException)) t = t.getCause();
        assertNotNull(t, "an AktException");
        return ((AktException) t).errorName();
    }

    interface Body {
        void run(ActorSystem a, ActorSystem b, Pid echo) throws Exception;
    }

    static void withNodes(Body body) throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaseralpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javaserbeta").workers(2).build()) {
            for (ActorSystem s : new ActorSystem[] {a, b}) {
                if (s.serializerFor("java.Point") == null) {
                    s.registerSerializer("point", Point.class,
                            p -> new byte[] {(byte) p.x(), (byte) p.y()},
                            d -> new Point(d[0] & 0xff, d[1] & 0xff));
                }
            }
            String addrB = b.remoteStart(null, 0);
            a.remoteStart(null, 0);
            b.spawn("echo", (ctx, msg) -> ctx.respond(msg));
            body.run(a, b, a.remoteLookup(addrB + "/user/echo"));
        }
    }

    static Map<String, Object> doc() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", Arrays.asList(1L, 2.5, null, true, "é"));
        m.put("b", new LinkedHashMap<>());
        m.put("c", List.of(Long.MAX_VALUE, Long.MIN_VALUE));
        return m;
    }

    @Test
    void mapsCrossAsCborAndJson() throws Exception {
        for (String name : new String[] {"cbor", "json"}) {
            withNodes((a, b, echo) -> {
                a.bindSerializer("akt.Json", name);
                b.bindSerializer("akt.Json", name);
                assertEquals(name, a.serializerFor("akt.Json"));
                assertNull(a.serializerFor("akt.String"));
                assertEquals(doc(), Await.get(echo.ask(doc(), LONG)));
                assertEquals("text", Await.get(echo.ask("text", LONG)));
            });
        }
    }

    @Test
    void aSerializerWrittenInJavaCrossesBothWays() throws Exception {
        withNodes((a, b, echo) -> {
            assertEquals("point", a.serializerFor("java.Point"));
            assertEquals(new Point(3, 250), Await.get(echo.ask(new Point(3, 250), LONG)));
        });
    }

    @Test
    void refusals() throws Exception {
        withNodes((a, b, echo) -> {
            assertEquals("AKT_ENOTSUP", errorOf(Await.failure(echo.ask(new Opaque(), LONG))));
            assertEquals("AKT_ENOTFOUND", errorOf(assertThrows(RuntimeException.class,
                    () -> a.bindSerializer("java.Other", "nobody"))));
            assertEquals("AKT_EEXIST", errorOf(assertThrows(RuntimeException.class,
                    () -> a.registerSerializer("point", Here.class, h -> new byte[0], d -> new Here(0)))));
            assertThrows(IllegalArgumentException.class,
                    () -> a.registerSerializer("str", String.class, s -> new byte[0], d -> ""));
            // Registered on the sender only: the receiver's dead letter, and the ask fails.
            a.registerSerializer("only-here", Here.class, h -> new byte[] {(byte) h.v()}, d -> new Here(d[0]));
            String why = Await.failure(echo.ask(new Here(1), LONG)).toString();
            assertTrue(why.contains("no serializer named only-here"), why);
        });
    }
}
