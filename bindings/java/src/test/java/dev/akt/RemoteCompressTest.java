package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Frame compression: each method between two nodes, mixed nodes, bad options. */
class RemoteCompressTest {
    static final Duration LONG = Duration.ofSeconds(30);
    static final String BIG = "compress me, again and again; ".repeat(40000);

    @Test
    void tellAndAskWithEachMethodAndMixedNodes() throws Exception {
        for (RemoteCompression m : new RemoteCompression[] {RemoteCompression.ZSTD,
                RemoteCompression.GZIP, RemoteCompression.BROTLI}) {
            try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                    ActorSystem b = ActorSystem.builder("javabeta").workers(2).build()) {
                String addrB = b.remoteStart(null, 0, 0, m);
                a.remoteStart(null, 0, 64,
                        m == RemoteCompression.BROTLI ? RemoteCompression.NONE : m);
                b.spawn("echo", (ctx, msg) -> ctx.respond("re:" + msg));
                Pid echo = a.remoteLookup(addrB + "/user/echo");
                assertEquals("re:hi", Await.get(echo.ask("hi", LONG)));
                assertEquals("re:" + BIG, Await.get(echo.ask(BIG, LONG)));
            }
        }
    }

    @Test
    void badCompressionOptionsThrow() {
        try (ActorSystem a = ActorSystem.builder("javagamma").workers(1).build()) {
            assertThrows(NullPointerException.class, () -> a.remoteStart(null, 0, 0, null));
            assertThrows(IllegalArgumentException.class,
                    () -> a.remoteStart(null, 0, -1, RemoteCompression.ZSTD));
            assertTrue(a.remoteStart(null, 0, 0, RemoteCompression.GZIP)
                    .startsWith("akt://javagamma@"));
        }
    }
}
