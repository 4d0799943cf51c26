package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.List;
import java.util.Queue;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failures of Java actors are logged through System.Logger (java.util.logging by default). */
class LoggingTest {
    /** What java.util.logging's "dev.akt" logger publishes while a test runs. */
    static final class Capture extends Handler {
        final Queue<LogRecord> records = new ConcurrentLinkedQueue<>();

        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        /** The records whose message mentions text (other tests' systems log too). */
        List<LogRecord> about(String text) {
            return records.stream().filter(r -> r.getMessage().contains(text)).toList();
        }
    }

    /** A System.Logger of its own, as an application would pass to the builder. */
    static final class Recording implements System.Logger {
        record Entry(Level level, String msg, Throwable thrown) {}

        final Queue<Entry> entries = new ConcurrentLinkedQueue<>();

        @Override
        public String getName() {
            return "app";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            entries.add(new Entry(level, msg, thrown));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            entries.add(new Entry(level, format, null));
        }
    }

    final Logger jul = Logger.getLogger(ActorSystem.LOGGER_NAME);
    final Capture capture = new Capture();

    @BeforeEach
    void listen() {
        jul.addHandler(capture);
    }

    @AfterEach
    void unlisten() {
        jul.removeHandler(capture);
    }

    /** An actor that throws, from its receive, an IllegalStateException for "fail:<text>"
     *  (kept in thrown), and answers "ok" to anything else. */
    static Actor thrower(AtomicReference<Throwable> thrown) {
        return (ctx, msg) -> {
            if (msg instanceof String s && s.startsWith("fail:")) {
                IllegalStateException e = new IllegalStateException(s.substring(5));
                thrown.set(e);
                throw e;
            }
            ctx.respond("ok");
        };
    }

    @Test
    void aFailingReceiveIsLoggedWithPathExceptionAndStackTrace() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (ActorSystem system = ActorSystem.builder("logging").workers(2).build()) {
            Pid pid = system.spawn("boom", thrower(thrown));
            pid.tell("fail:boom 1");
            String path = "akt://logging/user/boom";
            Await.until(() -> !capture.about(path).isEmpty(), "the failure's log record");
            LogRecord r = capture.about(path).get(0);
            assertEquals(java.util.logging.Level.SEVERE, r.getLevel());
            assertEquals("actor akt://logging/user/boom failed in receive: "
                    + "java.lang.IllegalStateException: boom 1", r.getMessage());
            assertSame(thrown.get(), r.getThrown(), "the exception itself, with its stack trace");
            // As a handler prints it: the message, then the trace down from the actor's code.
            String printed = new SimpleFormatter().format(r);
            assertTrue(printed.contains("SEVERE: actor akt://logging/user/boom failed in receive"), printed);
            assertTrue(java.util.regex.Pattern.compile(
                    "\\njava\\.lang\\.IllegalStateException: boom 1\\n\\tat [^\\n]*LoggingTest\\.lambda\\$thrower")
                    .matcher(printed).find(), printed);
            // Logged, and supervised as before: restarted, the actor answers.
            assertEquals("ok", Await.get(pid.ask("again", Await.ASK)));
            assertEquals(1, capture.about(path).size());
        }
    }

    @Test
    void aFailingPreStartIsLoggedToo() throws Exception {
        try (ActorSystem system = ActorSystem.builder("logging-start").workers(2).build()) {
            Pid pid = system.spawn("shaky", new Actor() {
                @Override
                public void preStart(Context ctx) {
                    throw new IllegalArgumentException("no config");
                }

                @Override
                public void receive(Context ctx, Object msg) {
                    ctx.respond(msg);
                }
            });
            String path = "akt://logging-start/user/shaky";
            Await.until(() -> !capture.about(path).isEmpty(), "the failure's log record");
            List<LogRecord> rs = capture.about(path);
            assertEquals(1, rs.size());
            assertEquals(java.util.logging.Level.SEVERE, rs.get(0).getLevel());
            assertEquals("actor akt://logging-start/user/shaky failed in preStart: "
                    + "java.lang.IllegalArgumentException: no config", rs.get(0).getMessage());
            assertInstanceOf(IllegalArgumentException.class, rs.get(0).getThrown());
            Await.until(() -> !pid.isAlive(), "the actor to stop (a failed preStart stops it)");
        }
    }

    @Test
    void theLoggerAndTheLevelAreConfigurable() throws Exception {
        Recording app = new Recording();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (ActorSystem system = ActorSystem.builder("logging-app").workers(2).logger(app)
                .failureLogLevel(Level.WARNING).build()) {
            Pid pid = system.spawn("boom", thrower(thrown));
            pid.tell("fail:to the app's logger");
            Await.until(() -> !app.entries.isEmpty(), "the app logger's entry");
            Recording.Entry e = app.entries.peek();
            assertEquals(Level.WARNING, e.level());
            assertEquals("actor akt://logging-app/user/boom failed in receive: "
                    + "java.lang.IllegalStateException: to the app's logger", e.msg());
            assertSame(thrown.get(), e.thrown());
            assertEquals("ok", Await.get(pid.ask("again", Await.ASK)));
        }
        assertTrue(capture.about("logging-app").isEmpty(), "nothing went to dev.akt");
        assertThrows(NullPointerException.class, () -> ActorSystem.builder("x").logger(null));
        assertThrows(NullPointerException.class, () -> ActorSystem.builder("x").failureLogLevel(null));
    }

    @Test
    void levelOffLogsNoFailureButTheSupervisorStillSeesIt() throws Exception {
        try (ActorSystem system = ActorSystem.builder("logging-off").workers(2)
                .failureLogLevel(Level.OFF).build()) {
            Queue<Event> failed = new ConcurrentLinkedQueue<>();
            system.subscribe(EnumSet.of(EventKind.ACTOR_FAILED), failed::add);
            Pid pid = system.spawn("quiet", thrower(new AtomicReference<>()));
            pid.tell("fail:hush");
            Await.until(() -> !failed.isEmpty(), "the failure event");
            assertEquals("java.lang.IllegalStateException: hush", failed.peek().reason());
            assertEquals("ok", Await.get(pid.ask("again", Await.ASK)));
        }
        assertTrue(capture.about("logging-off").isEmpty(), "nothing logged");
    }

    @Test
    void postStopAndListenerFailuresAreWarnings() throws Exception {
        try (ActorSystem system = ActorSystem.builder("logging-warn").workers(2).build()) {
            system.subscribe(EnumSet.of(EventKind.ACTOR_STARTED), e -> {
                throw new IllegalStateException("listener broke");
            });
            Pid pid = system.spawn("leaky", new Actor() {
                @Override
                public void receive(Context ctx, Object msg) {
                    ctx.respond(msg);
                }

                @Override
                public void postStop(Context ctx) {
                    throw new IllegalStateException("cannot clean up");
                }
            });
            Await.get(pid.stopGracefully(Await.ASK));
            Await.until(() -> capture.about("logging-warn").size() >= 2, "two warnings");
            LogRecord post = capture.about("failed in postStop").get(0);
            assertEquals(java.util.logging.Level.WARNING, post.getLevel());
            assertTrue(post.getMessage().startsWith("actor akt://logging-warn/user/leaky ("), post.getMessage());
            assertTrue(post.getMessage().endsWith("java.lang.IllegalStateException: cannot clean up"), post.getMessage());
            LogRecord listener = capture.about("an event listener of ActorSystem[logging-warn] threw").get(0);
            assertEquals(java.util.logging.Level.WARNING, listener.getLevel());
            assertEquals("listener broke", listener.getThrown().getMessage());
        }
    }
}
