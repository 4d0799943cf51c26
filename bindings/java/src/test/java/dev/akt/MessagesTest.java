package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MessagesTest {
    record Box(int[] data) {}

    @MessageType("test.Named")
    record Named(String v) {}

    @Test
    void javaObjectsPassAsReferencesNotCopies() throws Exception {
        try (ActorSystem system = ActorSystem.builder("refs").workers(2).build()) {
            Box box = new Box(new int[] {1, 2, 3});
            CompletableFuture<Object> got = new CompletableFuture<>();
            Pid pid = system.spawn("keeper", (ctx, msg) -> got.complete(msg));
            pid.tell(box);
            assertSame(box, Await.get(got));
            Pid echo = system.spawn("echo", (ctx, msg) -> ctx.respond(msg));
            assertSame(box, Await.get(echo.ask(box, Await.ASK)));
        }
    }

    @Test
    void bytesMessagesTravelAsBytesWithTheirType() throws Exception {
        try (ActorSystem system = ActorSystem.builder("bytes").workers(2).build()) {
            Pid echo = system.spawn("echo", (ctx, msg) -> {
                BytesMessage b = (BytesMessage) msg;
                ctx.respond(BytesMessage.of("conf.Answer", "re:" + b.text() + ":" + b.type()));
            });
            Object reply = Await.get(echo.ask(BytesMessage.of("conf.Question", "héllo"), Await.ASK));
            assertEquals(BytesMessage.of("conf.Answer", "re:héllo:conf.Question"), reply);
            assertEquals("re:héllo:conf.Question", ((BytesMessage) reply).text());
            BytesMessage empty = new BytesMessage("conf.Empty", new byte[0]);
            assertEquals(empty, Await.get(echo.ask(empty, Await.ASK)) instanceof BytesMessage b
                    ? new BytesMessage("conf.Empty", b.text().replace("re::conf.Empty", "").getBytes(StandardCharsets.UTF_8))
                    : null);
            assertThrows(AktException.class, () -> echo.tell(BytesMessage.of("", "no type")));
        }
    }

    @Test
    void typeNamesComeFromTheClassOrItsAnnotation() throws Exception {
        try (ActorSystem system = ActorSystem.builder("types").workers(1).build()) {
            List<String> types = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (Subscription s = system.subscribe(java.util.EnumSet.of(EventKind.UNHANDLED),
                    e -> types.add(e.message().getClass().getName()))) {
                Pid pid = system.spawn("nobody-home", (ctx, msg) -> ctx.unhandled());
                pid.tell(new Named("x"));
                Await.until(() -> types.size() == 1, "the unhandled event");
            }
            assertEquals(0xFFFFFFFFL & Messages.typeOf(new Named("a")), 0xFFFFFFFFL & Messages.typeOf(new Named("b")));
            assertEquals(Messages.typeOf("a"), AktNativeJNI.aktj_intern("akt.String"));
            assertEquals(Messages.typeOf(new Named("a")), AktNativeJNI.aktj_intern("test.Named"));
        }
    }

    @Test
    void everyJavaMessageIsReleasedExactlyOnce() throws Exception {
        long before = AktNativeJNI.aktj_stat_live_objects();
        List<WeakReference<Object>> sent = new ArrayList<>();
        try (ActorSystem system = ActorSystem.builder("release").workers(2).build()) {
            Pid sink = system.spawn("sink", new Counter());
            Pid stasher = system.spawn("stasher", (ctx, msg) -> ctx.stash());
            for (int i = 0; i < 10_000; i++) {
                Object o = new Object[] {i};
                if (i % 1000 == 0) {
                    sent.add(new WeakReference<>(o));
                }
                sink.tell(o); // unhandled: released after the event
                stasher.tell(new Object[] {i}); // stashed until shutdown
            }
            assertEquals(0, Await.get(sink.ask("get", Await.ASK)));
            assertTrue(AktNativeJNI.aktj_stat_live_objects() - before >= 10_000,
                    "stashed messages hold their objects");
        }
        assertEquals(before, AktNativeJNI.aktj_stat_live_objects(), "every global ref deleted once");
        // Deleted global refs let the collector take the objects.
        Await.until(() -> {
            System.gc();
            return sent.stream().allMatch(r -> r.get() == null);
        }, "the sent objects to be collected");
    }

    @Test
    void messagesToBytesForOtherLanguages() {
        assertArrayEquals("hé".getBytes(StandardCharsets.UTF_8), Messages.toBytes("hé"));
        byte[] raw = {1, 2};
        assertSame(raw, Messages.toBytes(raw));
        assertNull(Messages.toBytes(new Object()));
    }

    @Test
    void batchesKeepOrderAndAreAllOrNothing() throws Exception {
        long base = AktNativeJNI.aktj_stat_live_objects();
        try (ActorSystem system = ActorSystem.builder("batches").workers(2).build()) {
            List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Pid pid = system.spawn("recorder", (ctx, msg) -> {
                if ("dump".equals(msg)) {
                    ctx.respond(List.copyOf(seen));
                } else if (msg instanceof Integer i) {
                    ctx.respond(i * 2);
                } else {
                    seen.add(msg);
                }
            });
            pid.tell("a");
            pid.tellBatch(List.of("b", BytesMessage.of("conf.C", "c"), "d"));
            pid.tell("e");
            assertEquals(List.of("a", "b", BytesMessage.of("conf.C", "c"), "d", "e"), Await.get(pid.ask("dump", Await.ASK)));
            List<CompletableFuture<Object>> answers = pid.askBatch(List.of(1, 2, 3), Await.ASK);
            assertEquals(List.of(2, 4, 6), List.of(Await.get(answers.get(0)), Await.get(answers.get(1)), Await.get(answers.get(2))));
            pid.tellBatch(List.of()); // nothing to send: fine

            Await.get(pid.stopGracefully(Await.ASK));
            // The last replies are released just after their futures completed: settle first.
            // At most base: objects of an earlier test's system may still be released meanwhile.
            Await.until(() -> AktNativeJNI.aktj_stat_live_objects() <= base, "all messages released");
            long settled = AktNativeJNI.aktj_stat_live_objects();
            assertThrows(ActorNotFoundException.class, () -> pid.tellBatch(List.of("x", BytesMessage.of("conf.X", "y"))));
            assertThrows(ActorNotFoundException.class, () -> pid.askBatch(List.of("x"), Await.ASK));
            assertTrue(AktNativeJNI.aktj_stat_live_objects() <= settled, "a refused batch releases what it made");
            assertThrows(NullPointerException.class, () -> pid.tellBatch(java.util.Arrays.asList("x", null)));
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void theOldBatchNamesStillWork() throws Exception {
        try (ActorSystem system = ActorSystem.builder("old-batches").workers(2).build()) {
            Pid pid = system.spawn("counter", new Counter());
            pid.tellAll(List.of(1, 2, 3));
            assertEquals(6, Await.get(pid.ask("get", Await.ASK)));
            List<CompletableFuture<Object>> answers = pid.askAll(List.of("get", "get"), Await.ASK);
            assertEquals(6, Await.get(answers.get(1)));
        }
    }
}
