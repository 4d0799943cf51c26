package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OTLP exporter from Java (dev.akt.Otlp) against an HTTP receiver in the test (the
 * Python receiver of tests/otlp decodes the protobuf; here: requests, headers, answers).
 */
class OtlpTest {
    static final Duration T = Duration.ofSeconds(10);
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("otlpj").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    /** A minimal HTTP/1.1 server on loopback: records "path header-lines", answers status. */
    static final class Receiver implements AutoCloseable {
        final ServerSocket server;
        final List<String> got = new CopyOnWriteArrayList<>();
        final int status;

        Receiver(int status) throws IOException {
            this.status = status;
            server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::acceptAll, "otlp-receiver");
            t.setDaemon(true);
            t.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void acceptAll() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> serve(s), "otlp-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') b.write(c);
            return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                for (;;) {
                    String request = line(in);
                    if (request == null) return;
                    StringBuilder heads = new StringBuilder();
                    int length = 0;
                    for (String h; (h = line(in)) != null && !h.isEmpty();) {
                        heads.append(h.toLowerCase(Locale.ROOT)).append('\n');
                        if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(h.substring(15).trim());
                        }
                    }
                    assertEquals(length, in.readNBytes(length).length);
                    got.add(request.split(" ")[1] + " " + length + "\n" + heads);
                    out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException e) {
                // the client closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static final Actor PROBE = (ctx, msg) -> {
        if ("probe".equals(msg)) ctx.respond("probed");
    };

    @Test
    void exportsSpansAndMetrics() throws Exception {
        try (Receiver r = new Receiver(200)) {
            Otlp.start(system, Otlp.options(r.endpoint()).header("X-Tenant", "t1")
                    .serviceName("java-svc").batchSize(8).flushInterval(Duration.ofMillis(100)));
            Pid b = system.spawn("b", PROBE);
            Pid a = system.spawn("a", (ctx, msg) -> ctx.tell(b, msg));
            for (int i = 0; i < 10; i++) a.tell("m" + i);
            assertEquals("probed", Await.get(b.ask("probe", T)));
            for (int i = 0; i < 1000 && b.metrics().processed() < 11; i++) Thread.sleep(5);
            assertTrue(Otlp.flush(system, T));
            Otlp.Stats st = Otlp.stats(system);
            assertEquals(21, st.spansQueued(), st.toString());
            assertEquals(21, st.spansExported(), st.toString());
            assertEquals(0, st.spansDropped());
            assertEquals(200, st.lastHttpStatus());
            assertTrue(st.pointsExported() > 0);
            assertTrue(r.got.stream().anyMatch(g -> g.startsWith("/v1/traces ")), r.got.toString());
            assertTrue(r.got.stream().anyMatch(g -> g.startsWith("/v1/metrics ")), r.got.toString());
            for (String g : r.got) {
                assertTrue(g.contains("x-tenant: t1\n"), g);
                assertTrue(g.contains("content-type: application/x-protobuf\n"), g);
            }
        }
    }

    @Test
    void aCollectorDownOrAnswering500DropsAndCounts() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Otlp.start(system, Otlp.options("http://127.0.0.1:" + port).queueCapacity(16).batchSize(4)
                .timeout(Duration.ofSeconds(1)).maxRetries(1));
        Pid p = system.spawn("p", PROBE);
        for (int i = 0; i < 100; i++) p.tell(i);
        assertEquals("probed", Await.get(p.ask("probe", T))); // the runtime goes on
        assertFalse(Otlp.flush(system, Duration.ofSeconds(20)));
        Otlp.Stats st = Otlp.stats(system);
        assertEquals(0, st.spansExported());
        assertTrue(st.spansDropped() > 0 && st.spansDroppedFull() > 0 && st.retries() > 0, st.toString());
        assertTrue(st.queueSize() <= 16);

        try (Receiver r = new Receiver(500); ActorSystem other = ActorSystem.builder("o500").build()) {
            Otlp.start(other, Otlp.options(r.endpoint()).maxRetries(3));
            Pid q = other.spawn("q", PROBE);
            assertEquals("probed", Await.get(q.ask("probe", T)));
            assertFalse(Otlp.flush(other, T));
            Otlp.Stats s5 = Otlp.stats(other);
            assertEquals(500, s5.lastHttpStatus());
            assertEquals(0, s5.retries()); // 500 is not retried
            assertTrue(s5.spansDropped() >= 1 && s5.pointsDropped() > 0, s5.toString());
        }
    }

    static int codeOf(Runnable r) {
        AktException e = assertThrows(AktException.class, r::run);
        return e.code();
    }

    @Test
    void badConfiguration() {
        int einval = Errors.code("EINVAL");
        assertEquals(Errors.code("ENOTFOUND"), codeOf(() -> Otlp.flush(system, T)));
        assertEquals(Errors.code("ENOTFOUND"), codeOf(() -> Otlp.stats(system)));
        assertThrows(NullPointerException.class, () -> Otlp.options(null));
        for (String bad : List.of("ftp://127.0.0.1:1", "", "http://a b")) {
            assertEquals(einval, codeOf(() -> Otlp.start(system, Otlp.options(bad))), bad);
        }
        String ep = "http://127.0.0.1:1";
        assertEquals(einval, codeOf(() -> Otlp.start(system, Otlp.options(ep).header("X-A", "b\r\nX-B: c"))));
        assertEquals(einval, codeOf(() -> Otlp.start(system, Otlp.options(ep).header("bad name", "v"))));
        assertEquals(einval, codeOf(() -> Otlp.start(system, Otlp.options(ep).batchSize(0))));
        assertEquals(einval, codeOf(() -> Otlp.start(system, Otlp.options(ep).batchSize(-1))));
        assertEquals(einval, codeOf(() -> Otlp.start(system, Otlp.options(ep).batchSize(100).queueCapacity(10))));
        assertEquals(einval, codeOf(() -> Otlp.start(system, Otlp.options(ep).timeout(Duration.ZERO))));
        assertEquals(einval, codeOf(() -> Otlp.start(system, Otlp.options(ep).maxRetries(11))));
        assertThrows(IllegalArgumentException.class,
                () -> Otlp.start(system, Otlp.options(ep).traces(false).metrics(false)));
        Otlp.start(system, Otlp.options(ep).metrics(false));
        assertEquals(Errors.code("EEXIST"), codeOf(() -> Otlp.start(system, Otlp.options(ep))));
    }
}
