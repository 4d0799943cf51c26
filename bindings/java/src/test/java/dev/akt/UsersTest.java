package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import dev.akt.testkit.TestProbe;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user runs into first (issue 17): continuations that block, Ctrl-C and a
 *  forgotten close(), C actors. */
class UsersTest {
    @Test
    void aContinuationMayJoinAnotherAskWithOneWorker() throws Exception {
        try (ActorSystem system = ActorSystem.builder("users-join").workers(1).build()) {
            Pid first = system.spawn("first", new Counter());
            Pid second = system.spawn("second", new Counter());
            second.tell(41);
            CompletableFuture<Object> both = first.ask("get", Await.ASK)
                    .thenApply(n -> second.ask("get", Duration.ofSeconds(2)).join());
            assertEquals(41, Await.get(both));
            // The reply waits for the gate, so thenApply is attached before the future
            // completes and runs where the completion runs (not on this thread).
            java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
            Pid gated = system.spawn("gated", (ctx, msg) -> {
                gate.await(10, java.util.concurrent.TimeUnit.SECONDS);
                ctx.respond(msg);
            });
            CompletableFuture<String> where = gated.ask("get", Await.ASK)
                    .thenApply(n -> Thread.currentThread().getName());
            gate.countDown();
            assertTrue(Await.get(where).startsWith("akt-completion-"), Await.get(where));
        }
    }

    /** Spawns its child in preStart after a slow start: a spawn that did not wait returns first. */
    static final class Parent implements Actor {
        volatile boolean started;

        @Override
        public void preStart(Context ctx) throws Exception {
            Thread.sleep(50);
            ctx.spawn("child", (c, m) -> {});
            started = true;
        }

        @Override
        public void receive(Context ctx, Object msg) {
            ctx.respond(started);
        }
    }

    @Test
    void spawnReturnsAfterPreStartSoItsChildrenAreVisible() throws Exception {
        try (ActorSystem system = ActorSystem.builder("users-start").workers(1).build()) {
            Parent parent = new Parent();
            Pid pid = system.spawn("parent", parent);
            assertTrue(parent.started);
            assertEquals("akt://users-start/user/parent/child",
                    system.lookup("/user/parent/child").path());
            assertEquals(true, Await.get(pid.ask("started?", Await.ASK)));
        }
    }

    @Test
    void spawnReturnsWhenPreStartThrows() throws Exception {
        try (ActorSystem system = ActorSystem.builder("users-start-fail").build()) {
            Pid pid = system.spawn("failing", new Actor() {
                @Override
                public void preStart(Context ctx) {
                    throw new IllegalStateException("no start");
                }

                @Override
                public void receive(Context ctx, Object msg) {}
            });
            try (TestProbe probe = new TestProbe(system)) {
                probe.expectTerminated(pid, Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void theCompletionExecutorIsTheBuildersChoice() throws Exception {
        java.util.concurrent.ExecutorService mine = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "mine"));
        try (ActorSystem system = ActorSystem.builder("users-exec").completionExecutor(mine).build()) {
            // The reply waits until the continuation is attached: a reply already in would
            // run thenApply on this thread, whatever the executor.
            java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
            Pid gate = system.spawn("gate", (Actor) (ctx, msg) -> {
                try {
                    attached.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ctx.respond(1);
            });
            java.util.concurrent.CompletableFuture<String> where = gate.ask("get", Await.ASK)
                    .thenApply(n -> Thread.currentThread().getName());
            attached.countDown();
            assertEquals("mine", Await.get(where));
        } finally {
            mine.shutdown();
        }
    }

    /** The child JVM: a system whose actor prints its postStop; the argument says how it ends. */
    static final String CHILD = """
            import dev.akt.*;
            public class Child {
                public static void main(String[] args) throws Exception {
                    ActorSystem system = ActorSystem.create("child");
                    Pid keeper = system.spawn("keeper", new Actor() {
                        public void receive(Context ctx, Object msg) { ctx.respond(msg); }
                        public void postStop(Context ctx) {
                            System.out.println("postStop ran");
                            System.out.flush();
                        }
                    });
                    // Answered: the keeper has started, so a signal from now on finds it.
                    keeper.ask("ping", java.time.Duration.ofSeconds(20)).get();
                    System.out.println("ready");
                    System.out.flush();
                    if (args[0].equals("wait")) Thread.sleep(60_000);
                }
            }
            """;

    private static List<String> runChild(Path dir, String mode, String signal, String... jvmArgs)
            throws Exception {
        Path src = dir.resolve("Child.java");
        Files.writeString(src, CHILD);
        String classes = Path.of(ActorSystem.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", classes, src.toString(), mode));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.equals("ready") && signal != null) {
                    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
                    assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
                }
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the child JVM did not exit: " + lines);
            }
        }
        return lines;
    }

    @Test
    void sigintRunsPostStop(@TempDir Path dir) throws Exception {
        List<String> out = runChild(dir, "wait", "INT");
        assertTrue(out.contains("postStop ran"), out.toString());
    }

    @Test
    void sigtermRunsPostStop(@TempDir Path dir) throws Exception {
        List<String> out = runChild(dir, "wait", "TERM");
        assertTrue(out.contains("postStop ran"), out.toString());
    }

    @Test
    void aForgottenCloseStillRunsPostStopAtExit(@TempDir Path dir) throws Exception {
        List<String> out = runChild(dir, "return", null);
        assertEquals(List.of("ready", "postStop ran"), out);
    }

    @Test
    void theHookIsSwitchedOffByTheSystemProperty(@TempDir Path dir) throws Exception {
        List<String> out = runChild(dir, "return", null, "-Dakt.shutdownHook=false");
        assertEquals(List.of("ready"), out);
    }

    @Test
    void spawnNativeReportsAMissingLibraryOrSymbol() {
        try (ActorSystem system = ActorSystem.create("users-native")) {
            assertThrows(ActorNotFoundException.class,
                    () -> system.spawnNative("/nonexistent/libnothing.so", "factory", "x", null));
            assertThrows(IllegalArgumentException.class, () -> system.spawnNative("x", 0, 0));
        }
    }

    /** A C actor library: its factory makes an actor answering every message's bytes, as
     *  "c.Echoed" with the factory's argument in front. */
    static final String C_ACTOR = """
            #include <akt/akt.h>
            #include <stdlib.h>
            #include <string.h>
            static int receive(akt_ctx *ctx, akt_msg *msg, void *state) {
                const void *data = NULL;
                size_t len = 0;
                if (akt_msg_bytes(msg, &data, &len)) return AKT_EUNHANDLED;
                size_t pre = strlen(state);
                char *out = malloc(pre + len + 1);
                if (!out) return AKT_ENOMEM;
                memcpy(out, state, pre);
                memcpy(out + pre, data, len);
                akt_msg *r = NULL;
                int rc = akt_msg_new_bytes("akt.String", out, pre + len, AKT_COPY, &r);
                free(out);
                if (rc == 0 && (rc = akt_ctx_respond(ctx, r)) != 0) akt_msg_release(r);
                return rc;
            }
            static const akt_behavior behavior = {.size = sizeof behavior, .receive = receive,
                                                  .free_state = free};
            int echo_factory(const char *arg, const akt_behavior **b, void **state) {
                *b = &behavior;
                *state = strdup(arg ? arg : "");
                return *state ? 0 : AKT_ENOMEM;
            }
            """;

    /** {@link #C_ACTOR} built into dir as libecho.so; returns its path. */
    static String echoLibrary(Path dir) throws Exception {
        return cLibrary(dir, "echo", C_ACTOR);
    }

    /** The C source built into dir as lib{name}.so against libakt; returns its path. */
    static String cLibrary(Path dir, String name, String source) throws Exception {
        Path build = Path.of(System.getProperty("akt.native.build", "target/native-build"));
        String include = Files.readString(build.resolve("akt_include_dir"), StandardCharsets.UTF_8).strip();
        Path classes = Path.of(ActorSystem.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path libakt;
        try (var found = Files.find(classes.resolve("native"), 2,
                (f, a) -> f.getFileName().toString().startsWith("libakt.so"))) {
            libakt = found.findFirst().orElseThrow();
        }
        Path src = dir.resolve(name + ".c");
        Path lib = dir.resolve("lib" + name + ".so");
        Files.writeString(src, source);
        Process cc = new ProcessBuilder("cc", "-std=c11", "-shared", "-fPIC", "-Wall", "-Werror",
                "-D_GNU_SOURCE", "-I" + include, "-o", lib.toString(), src.toString(), libakt.toString())
                .redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, cc.exitValue(), ccOut);
        return lib.toString();
    }

    @Test
    void spawnNativeRunsACActorFromALibrary(@TempDir Path dir) throws Exception {
        String lib = echoLibrary(dir);
        try (ActorSystem system = ActorSystem.create("users-c")) {
            Pid echo = system.spawnNative(lib, "echo_factory", "echo", "c:");
            assertEquals("akt://users-c/user/echo", echo.toString());
            assertEquals("c:hi", Await.get(echo.ask("hi", Await.ASK)));
            assertThrows(ActorNotFoundException.class,
                    () -> system.spawnNative(lib, "no_such_symbol", null, null));
        }
    }

    record Withdraw(int amount) {}

    @Test
    void aTimedOutAskNamesTheActorAndTheMessage() throws Exception {
        try (ActorSystem system = ActorSystem.create("users-timeout")) {
            Pid silent = system.spawn("silent", (ctx, msg) -> {});
            Throwable t = Await.failure(silent.ask(new Withdraw(5), Duration.ofMillis(20)));
            assertInstanceOf(AskTimeoutException.class, t);
            assertEquals("ask of akt://users-timeout/user/silent with dev.akt.UsersTest$Withdraw: "
                    + "AKT_ETIMEDOUT (timed out)", t.getMessage());
            Throwable b = Await.failure(silent.askBatch(List.of(BytesMessage.of("bank.Withdraw", "5")),
                    Duration.ofMillis(20)).get(0));
            assertTrue(b.getMessage().startsWith("ask of akt://users-timeout/user/silent with bank.Withdraw: "),
                    b.getMessage());
        }
    }
}
