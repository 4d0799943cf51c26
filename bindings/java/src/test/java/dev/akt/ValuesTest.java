package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: a Java object a C actor cannot read is refused at the sender (tell, ask and the
 *  batches throw, nothing is delivered); readable values still arrive as bytes, and Java
 *  actors still get the objects themselves. */
class ValuesTest {
    record Opaque(int n) {}

    @Test
    void aValueWithoutBytesIsRefusedAtTheSender(@TempDir Path dir) throws Exception {
        String lib = UsersTest.echoLibrary(dir);
        try (ActorSystem system = ActorSystem.create("values-c")) {
            Pid echo = system.spawnNative(lib, "echo_factory", "echo", "c:");
            AktException e = assertThrows(AktException.class, () -> echo.tell(new Opaque(1)));
            assertEquals("AKT_ENOTSUP", Errors.name(e.code()), e.getMessage());
            assertTrue(e.getMessage().startsWith("tell of a dev.akt.ValuesTest$Opaque to "
                    + "akt://values-c/user/echo refused: that actor is not a Java actor"), e.getMessage());
            assertThrows(AktException.class, () -> echo.tell(new Object(), Map.of("k", "v")));
            AktException a = assertThrows(AktException.class, () -> echo.ask(new Opaque(2), Await.ASK));
            assertTrue(a.getMessage().startsWith("ask of a dev.akt.ValuesTest$Opaque"), a.getMessage());
            AktException b = assertThrows(AktException.class,
                    () -> echo.tellBatch(List.of("first", new Opaque(3))));
            assertTrue(b.getMessage().startsWith("tellBatch of a dev.akt.ValuesTest$Opaque"), b.getMessage());
            assertThrows(AktException.class, () -> echo.askBatch(List.of(new Opaque(4)), Await.ASK));
            // Nothing of the refused sends arrived; readable values still do.
            assertEquals("c:after", Await.get(echo.ask("after", Await.ASK)));
            assertEquals("c:raw", Await.get(echo.ask("raw".getBytes(StandardCharsets.UTF_8), Await.ASK)));
            assertEquals("c:{\"k\":[1,2]}", Await.get(echo.ask(Map.of("k", List.of(1L, 2L)), Await.ASK)));
            echo.tell("accepted");
            // From inside a Java actor too.
            CompletableFuture<String> inside = new CompletableFuture<>();
            Pid sender = system.spawn("sender", (ctx, msg) -> {
                try {
                    ctx.tell(echo, new Opaque(5));
                    inside.complete("accepted");
                } catch (AktException x) {
                    inside.complete(Errors.name(x.code()));
                }
            });
            sender.tell("go");
            assertEquals("AKT_ENOTSUP", inside.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void javaActorsStillGetTheObjectsThemselves() throws Exception {
        try (ActorSystem system = ActorSystem.create("values-java")) {
            List<Object> got = new ArrayList<>();
            Pid keep = system.spawn("keep", (ctx, msg) -> {
                synchronized (got) {
                    got.add(msg);
                }
                ctx.respond("kept");
            });
            Opaque o = new Opaque(1);
            Object plain = new Object();
            assertEquals("kept", Await.get(keep.ask(o, Await.ASK)));
            assertEquals("kept", Await.get(keep.ask(plain, Await.ASK)));
            synchronized (got) {
                assertSame(o, got.get(0));
                assertSame(plain, got.get(1));
            }
        }
    }

    @Test
    void relaysAreNotJudged() throws Exception {
        try (ActorSystem system = ActorSystem.create("values-router")) {
            CompletableFuture<Object> got = new CompletableFuture<>();
            Pid w = system.spawn("w", (ctx, msg) -> got.complete(msg));
            Router r = system.spawnRouter(List.of(w), new Router.Options());
            Opaque o = new Opaque(7);
            r.tell(o);
            assertSame(o, got.get(5, TimeUnit.SECONDS));
        }
    }
}
