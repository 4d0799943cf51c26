package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
    /** C actors for the other send paths: "registrar" registers, in its pre_start, the grain
     *  kind named by its arg whose activations are "reader"s; "reader" answers akt.String
     *  "c:" + the bytes it read; "asker" asks the actor at the path it is told (a C actor's
     *  ask) with akt.String "from-c" and answers what it got, or "failed:" + the reason. */
    static final String C_PATHS = """
            #include <akt/akt.h>
            #include <pthread.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            static int respond_text(akt_ctx *ctx, const char *text) {
                akt_msg *r = NULL;
                int rc = akt_msg_new_bytes("akt.String", text, strlen(text), AKT_COPY, &r);
                if (rc == 0 && (rc = akt_ctx_respond(ctx, r)) != 0) akt_msg_release(r);
                return rc;
            }
            static int reader_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
                (void)state;
                const void *data = NULL;
                size_t len = 0;
                char out[256];
                if (akt_msg_bytes(msg, &data, &len)) return respond_text(ctx, "c:no bytes");
                snprintf(out, sizeof out, "c:%.*s", (int)(len < 200 ? len : 200), (const char *)data);
                return respond_text(ctx, out);
            }
            static const akt_behavior reader = {.size = sizeof reader, .receive = reader_receive};
            int reader_factory(const char *arg, const akt_behavior **b, void **state) {
                (void)arg;
                *b = &reader;
                *state = NULL;
                return 0;
            }
            static int grain_activate(void *data, const char *name, const akt_behavior **b, void **state) {
                (void)data;
                (void)name;
                *b = &reader;
                *state = NULL;
                return 0;
            }
            static int registrar_start(akt_ctx *ctx, void *state) {
                akt_system *sys = NULL;
                akt_ctx_system(ctx, &sys);
                akt_grain_kind def;
                akt_grain_kind_init(&def);
                def.activate = grain_activate;
                return akt_grain_kind_register(sys, (const char *)state, &def);
            }
            static int ignore(akt_ctx *ctx, akt_msg *msg, void *state) {
                (void)ctx;
                (void)msg;
                (void)state;
                return 0;
            }
            static void free_kind(void *state) { free(state); }
            static const akt_behavior registrar = {.size = sizeof registrar, .receive = ignore,
                                                   .pre_start = registrar_start, .free_state = free_kind};
            int registrar_factory(const char *arg, const akt_behavior **b, void **state) {
                *b = &registrar;
                *state = strdup(arg);
                return *state ? 0 : AKT_ENOMEM;
            }
            static int asker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
                (void)state;
                const void *data = NULL;
                size_t len = 0;
                char path[256], out[1024];
                akt_system *sys = NULL;
                akt_pid to;
                if (akt_msg_bytes(msg, &data, &len) || len >= sizeof path) return AKT_EINVAL;
                memcpy(path, data, len);
                path[len] = 0;
                akt_ctx_system(ctx, &sys);
                int rc = akt_lookup(sys, path, &to);
                if (rc) return rc;
                akt_msg *q = NULL;
                akt_msg_new_bytes("akt.String", "from-c", 6, AKT_COPY, &q);
                akt_future *f = NULL;
                if ((rc = akt_ctx_ask(ctx, to, q, 5000000000LL, &f)) != 0) {
                    akt_msg_release(q);
                    return rc;
                }
                akt_msg *reply = NULL;
                rc = akt_future_wait(f, -1, &reply);
                if (rc == 0) {
                    akt_future_release(f);
                    if ((rc = akt_ctx_respond(ctx, reply)) != 0) akt_msg_release(reply);
                    return rc;
                }
                const char *why = NULL;
                akt_future_failure(f, &why, NULL);
                snprintf(out, sizeof out, "failed:%s", why ? why : akt_err_name(rc));
                akt_future_release(f);
                return respond_text(ctx, out);
            }
            static const akt_behavior asker = {.size = sizeof asker, .receive = asker_receive};
            int asker_factory(const char *arg, const akt_behavior **b, void **state) {
                (void)arg;
                *b = &asker;
                *state = NULL;
                return 0;
            }
            /* plain asker: the same ask made by a thread of no actor (a plain akt_ask: no
             * sender pid, C code reads the answer); the actor waits for that thread. */
            typedef struct plain_ask {
                akt_system *sys;
                akt_pid to;
                int rc;
                akt_msg *reply;
                char why[1024];
            } plain_ask;
            static void *plain_run(void *arg) {
                plain_ask *a = arg;
                akt_msg *q = NULL;
                akt_future *f = NULL;
                akt_msg_new_bytes("akt.String", "from-c", 6, AKT_COPY, &q);
                if ((a->rc = akt_ask(a->sys, a->to, q, 5000000000LL, &f)) != 0) {
                    akt_msg_release(q);
                    return NULL;
                }
                if ((a->rc = akt_future_wait(f, -1, &a->reply)) != 0) {
                    const char *why = NULL;
                    akt_future_failure(f, &why, NULL);
                    snprintf(a->why, sizeof a->why, "%s", why ? why : akt_err_name(a->rc));
                }
                akt_future_release(f);
                return NULL;
            }
            static int plain_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
                (void)state;
                const void *data = NULL;
                size_t len = 0;
                char path[256], out[1100];
                plain_ask a = {0};
                if (akt_msg_bytes(msg, &data, &len) || len >= sizeof path) return AKT_EINVAL;
                memcpy(path, data, len);
                path[len] = 0;
                akt_ctx_system(ctx, &a.sys);
                int rc = akt_lookup(a.sys, path, &a.to);
                if (rc) return rc;
                pthread_t t;
                if (pthread_create(&t, NULL, plain_run, &a) != 0) return AKT_ENOMEM;
                pthread_join(t, NULL);
                if (a.rc == 0) {
                    if ((rc = akt_ctx_respond(ctx, a.reply)) != 0) akt_msg_release(a.reply);
                    return rc;
                }
                snprintf(out, sizeof out, "failed:%s", a.why);
                return respond_text(ctx, out);
            }
            static const akt_behavior plain_asker = {.size = sizeof plain_asker,
                                                     .receive = plain_receive};
            int plain_asker_factory(const char *arg, const akt_behavior **b, void **state) {
                (void)arg;
                *b = &plain_asker;
                *state = NULL;
                return 0;
            }
            """;

    @Test
    void aScheduleToACActorRefusesAValueWithoutBytes(@TempDir Path dir) throws Exception {
        String lib = UsersTest.cLibrary(dir, "paths", C_PATHS);
        try (ActorSystem system = ActorSystem.create("values-schedule")) {
            Pid c = system.spawnNative(lib, "reader_factory", "c", null);
            List<org.junit.jupiter.api.function.Executable> schedules = List.of(
                    () -> system.scheduleOnce(c, new Opaque(1), Duration.ofMillis(10)),
                    () -> system.scheduleEvery(c, new Opaque(2), Duration.ofMillis(10)),
                    () -> system.scheduleCron(c, new Opaque(3), "* * * * * ?", true, ScheduleOptions.defaults()));
            for (var schedule : schedules) {
                AktException e = assertThrows(AktException.class, schedule);
                assertEquals("AKT_ENOTSUP", Errors.name(e.code()), e.getMessage());
                assertTrue(e.getMessage().startsWith("schedule of a dev.akt.ValuesTest$Opaque to "
                        + "akt://values-schedule/user/c refused: that actor is not a Java actor"), e.getMessage());
            }
            assertEquals(List.of(), system.schedules());
            // A readable value is scheduled; a Java target takes any object.
            system.cancelSchedule(system.scheduleEvery(c, "tick", Duration.ofMinutes(1)));
            Pid keep = system.spawn("keep", (ctx, msg) -> {});
            system.cancelSchedule(system.scheduleEvery(keep, new Opaque(4), Duration.ofMinutes(1)));
        }
    }

    @Test
    void aGrainOfACKindRefusesAValueWithoutBytes(@TempDir Path dir) throws Exception {
        String lib = UsersTest.cLibrary(dir, "paths", C_PATHS);
        try (ActorSystem system = ActorSystem.create("values-grain")) {
            Pid registrar = system.spawnNative(lib, "registrar_factory", "registrar", "cgrain");
            Grain g = system.grain("cgrain", "g1");
            // the registrar's pre_start has run once it answered nothing: ask a C grain until it is there
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                try {
                    assertEquals("c:hi", Await.get(g.ask("hi", Await.ASK)));
                    break;
                } catch (ActorNotFoundException notYet) {
                    assertTrue(System.nanoTime() < end, "the C grain kind was never registered");
                    Thread.sleep(5);
                }
            }
            assertTrue(registrar.id != 0);
            AktException t = assertThrows(AktException.class, () -> g.tell(new Opaque(1)));
            assertEquals("AKT_ENOTSUP", Errors.name(t.code()), t.getMessage());
            assertTrue(t.getMessage().startsWith("grain tell of a dev.akt.ValuesTest$Opaque to the grain "
                    + "cgrain/g1 refused: that actor is not a Java actor"), t.getMessage());
            AktException a = assertThrows(AktException.class, () -> g.ask(new Opaque(2), Await.ASK));
            assertTrue(a.getMessage().startsWith("grain ask of a dev.akt.ValuesTest$Opaque"), a.getMessage());
            assertEquals("c:after", Await.get(g.ask("after", Await.ASK)));
            // A kind registered from Java still gets the object itself.
            CompletableFuture<Object> got = new CompletableFuture<>();
            system.registerGrain("jgrain", () -> (ctx, msg) -> got.complete(msg));
            Opaque o = new Opaque(3);
            system.grain("jgrain", "g").tell(o);
            assertSame(o, got.get(5, TimeUnit.SECONDS));
        }
    }

    /** A Java actor answers the C asker made by factory: a String arrives; an object C cannot
     *  read is refused at the respond ("respond of ... to refusedTo refused") and the C ask
     *  fails with that reason. */
    private static void checkReplyRefusal(ActorSystem system, String lib, String factory, String name,
            String refusedTo) throws Exception {
        Pid asker = system.spawnNative(lib, factory, name, null);
        java.util.concurrent.atomic.AtomicBoolean opaque = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<AktException> thrown = new CompletableFuture<>();
        Pid j = system.spawn("j", (ctx, msg) -> {
            if (!opaque.get()) {
                ctx.respond("j:" + msg);
                return;
            }
            try {
                ctx.respond(new Opaque(1));
            } catch (AktException e) {
                thrown.complete(e);
                throw e;
            }
        });
        assertEquals("j:from-c", Await.get(asker.ask(j.toString(), Await.ASK)));
        opaque.set(true);
        String failed = (String) Await.get(asker.ask(j.toString(), Await.ASK));
        AktException e = thrown.get(5, TimeUnit.SECONDS);
        assertEquals("AKT_ENOTSUP", Errors.name(e.code()), e.getMessage());
        assertTrue(e.getMessage().startsWith("respond of a dev.akt.ValuesTest$Opaque to " + refusedTo
                + " refused"), e.getMessage());
        assertTrue(failed.startsWith("failed:") && failed.contains("respond of a dev.akt.ValuesTest$Opaque"),
                failed);
    }

    @Test
    void aReplyToACAskerIsRefusedAtTheResponder(@TempDir Path dir) throws Exception {
        String lib = UsersTest.cLibrary(dir, "paths", C_PATHS);
        try (ActorSystem system = ActorSystem.create("values-reply")) {
            checkReplyRefusal(system, lib, "asker_factory", "asker", "akt://values-reply/user/asker");
            // A Java asker still gets the object itself.
            Opaque o = new Opaque(2);
            Pid echo = system.spawn("echo", (ctx, msg) -> ctx.respond(msg));
            assertSame(o, Await.get(echo.ask(o, Await.ASK)));
        }
    }

    @Test
    void aReplyToAPlainCThreadIsRefusedAtTheResponder(@TempDir Path dir) throws Exception {
        String lib = UsersTest.cLibrary(dir, "paths", C_PATHS);
        try (ActorSystem system = ActorSystem.create("values-plain")) {
            checkReplyRefusal(system, lib, "plain_asker_factory", "plain",
                    "its asker (C code that asked from outside any actor)");
            // Java's own asks from outside actors (ask, askBatch, grains) still get the object.
            Opaque o = new Opaque(2);
            Pid echo = system.spawn("echo", (ctx, msg) -> ctx.respond(msg));
            assertSame(o, Await.get(echo.ask(o, Await.ASK)));
            for (CompletableFuture<Object> r : echo.askBatch(List.of(o, o), Await.ASK)) assertSame(o, Await.get(r));
            system.registerGrain("jecho", () -> (ctx, msg) -> ctx.respond(msg));
            assertSame(o, Await.get(system.grain("jecho", "g").ask(o, Await.ASK)));
        }
    }

    @Test
    void aPipeResultACTargetCannotReadFailsThePipe(@TempDir Path dir) throws Exception {
        String lib = UsersTest.cLibrary(dir, "paths", C_PATHS);
        try (ActorSystem system = ActorSystem.create("values-pipe")) {
            Pid c = system.spawnNative(lib, "reader_factory", "c", null);
            List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.LinkedBlockingQueue<Object> got = new java.util.concurrent.LinkedBlockingQueue<>();
            try (Subscription s = system.deadLetters(ev -> reasons.add(String.valueOf(ev.reason())))) {
                Pid piper = system.spawn("piper", (ctx, msg) -> {
                    if ("opaque".equals(msg)) {
                        ctx.pipeTo(c, () -> CompletableFuture.completedFuture(new Opaque(1)), null, null);
                    } else if ("by-name".equals(msg)) {
                        ctx.pipeToName(c.toString(), () -> CompletableFuture.completedFuture(new Opaque(2)),
                                null, null);
                    } else if ("text".equals(msg)) {
                        ctx.pipeTo(c, () -> CompletableFuture.completedFuture("readable"), null, null);
                    } else {
                        got.add(msg);
                    }
                });
                piper.tell("opaque");
                piper.tell("by-name");
                piper.tell("text");
                // The refused results never reached the C actor (it would answer "c:no bytes").
                assertEquals("c:readable", got.poll(5, TimeUnit.SECONDS));
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (reasons.stream().filter("pipe_to: task failed"::equals).count() < 2) {
                    assertTrue(System.nanoTime() < end, reasons.toString());
                    Thread.sleep(5);
                }
                assertNull(got.poll(50, TimeUnit.MILLISECONDS));
            }
        }
    }
}
