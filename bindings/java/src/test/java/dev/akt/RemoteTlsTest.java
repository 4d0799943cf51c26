package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remoting over mutual TLS 1.3, with a CA made for the test by tests/tools/tls_certs.sh. */
class RemoteTlsTest {
    static final Duration LONG = Duration.ofSeconds(30);
    @TempDir static Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Path script = Path.of(System.getProperty("user.dir"))
                .resolve("../../tests/tools/tls_certs.sh").normalize();
        assertTrue(Files.exists(script), script.toString());
        Process p = new ProcessBuilder("sh", script.toString(), dir.toString())
                .inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tls_certs.sh finished");
        assertEquals(0, p.exitValue());
    }

    static RemoteTls mtls(String name) {
        return RemoteTls.builder(dir.resolve(name + ".pem"), dir.resolve(name + ".key"))
                .trust(dir.resolve("ca.pem")).requireClientCertificate(true).build();
    }

    @Test
    void askOverMutualTlsAndAnUntrustedNodeIsRefused() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javabeta").workers(2).build();
                ActorSystem c = ActorSystem.builder("javagamma").workers(2).build()) {
            String addrB = b.remoteStart(null, 0, mtls("node"));
            a.remoteStart(null, 0, mtls("node"));
            c.remoteStart(null, 0, mtls("rogue"));
            b.spawn("echo", (ctx, msg) -> ctx.respond("re:" + msg));
            assertEquals("re:hi", Await.get(a.remoteLookup(addrB + "/user/echo").ask("hi", LONG)));
            Throwable t = Await.failure(c.remoteLookup(addrB + "/user/echo").ask("x", LONG));
            assertEquals("AKT_EUNREACHABLE", RemoteTest.errorOf(t));
            // b refused c's certificate and says why.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (b.remoteTlsFailures().count() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            RemoteTls.Failures f = b.remoteTlsFailures();
            assertTrue(f.count() >= 1);
            assertTrue(f.reason().contains("certificate rejected"), f.reason());
        }
    }

    @Test
    void badTlsSettingsAreRefused() {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(1).build()) {
            assertEquals("AKT_ENOTFOUND", RemoteTest.errorOf(assertThrows(RuntimeException.class,
                    a::remoteTlsFailures)));
            RemoteTls missing = RemoteTls.builder(dir.resolve("none.pem"), dir.resolve("node.key"))
                    .build();
            assertEquals("AKT_EINVAL", RemoteTest.errorOf(assertThrows(RuntimeException.class,
                    () -> a.remoteStart(null, 0, missing))));
            assertThrows(IllegalArgumentException.class,
                    () -> RemoteTls.builder(dir.resolve("node.pem"), dir.resolve("node.key"))
                            .peerName(""));
            assertThrows(NullPointerException.class, () -> a.remoteStart(null, 0, (RemoteTls) null));
            assertTrue(a.remoteStart(null, 0, mtls("node")).startsWith("akt://javaalpha@"));
            assertEquals(new RemoteTls.Failures(0, ""), a.remoteTlsFailures());
        }
    }
}
