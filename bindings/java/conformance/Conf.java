import dev.akt.Actor;
import dev.akt.ActorSystem;
import dev.akt.AktException;
import dev.akt.BytesMessage;
import dev.akt.Context;
import dev.akt.Pid;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The Java side of conformance/c/conf.h: the same helpers with the same output, so that a
 * Case.java reads like its case.c and prints the same transcript. Shared by every
 * conformance/cases/<feature>/Case.java (bindings/java/test.sh puts it on the class path).
 */
public final class Conf {
    /** Every case names its system "conf". */
    public static final String SYSTEM = "conf";
    /** Asks that are expected to succeed get this long. */
    public static final Duration ASK = Duration.ofSeconds(5);
    private static final int WAIT_LIMIT_S = 10;

    private static final PrintStream OUT =
            new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    private static final List<String> JOURNAL = new ArrayList<>();

    private Conf() {}

    // ---- failures ----------------------------------------------------------------------------

    /** Ends the program (exit 1, message on stderr): the scenario was violated. */
    public static RuntimeException fatal(String message) {
        OUT.flush();
        System.err.println("conformance: " + message);
        System.err.flush();
        Runtime.getRuntime().halt(1); // akt threads may still run: no shutdown hooks
        return new IllegalStateException(message);
    }

    /** "ok" when action completes, else the akt error name it threw. */
    public static String rc(Runnable action) {
        try {
            action.run();
            return "ok";
        } catch (RuntimeException e) {
            return errorName(e);
        }
    }

    /**
     * The AKT_E* name of an akt failure (unwrapping future wrappers). The binding throws
     * Java's own exceptions for misuse and bad arguments: IllegalStateException stands for
     * AKT_EMISUSE and IllegalArgumentException for AKT_EINVAL. Anything else is fatal.
     */
    public static String errorName(Throwable t) {
        Throwable c = t;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof AktException a) {
            return a.errorName();
        }
        if (c instanceof java.util.concurrent.CancellationException && c.getCause() instanceof AktException a) {
            return a.errorName();
        }
        if (c instanceof IllegalStateException) {
            return "AKT_EMISUSE";
        }
        if (c instanceof IllegalArgumentException) {
            return "AKT_EINVAL";
        }
        throw fatal("not an akt error: " + c);
    }

    // ---- system --------------------------------------------------------------------------------

    // run.py --remote, node A: the driver of node B (Split.java).
    private static volatile Split.Driver driver; // set once, before any actor runs
    private static final Map<String, Supplier<? extends Actor>> KINDS = new ConcurrentHashMap<>();

    /**
     * A system named "conf" with default options. In run.py's remote mode node B serves here
     * and never returns; node A starts B and gets a system whose {@link #spawn} goes to B.
     */
    public static ActorSystem system() {
        Split.checkMode();
        ActorSystem system = ActorSystem.create(SYSTEM);
        if (Split.MODE.equals("host")) {
            Split.hostServe(system);
        } else if (Split.MODE.equals("driver")) {
            driver = new Split.Driver(system, Conf::append);
        }
        return system;
    }

    /**
     * Registers an actor kind: spawn(system, name, kind) makes a fresh actor with factory.
     * Kinds are registered before {@link #system()}, so that node B of run.py --remote,
     * which runs the same program up to there, has them too.
     */
    public static void kind(String kind, Supplier<? extends Actor> factory) {
        if (KINDS.putIfAbsent(kind, factory) != null) {
            throw fatal("kind " + kind + " registered twice");
        }
    }

    /** Spawns an actor of a registered kind named name (null: anonymous); in run.py's
     *  remote mode it is spawned on node B and its remote pid returned. */
    public static Pid spawn(ActorSystem system, String name, String kind) {
        if (driver != null) {
            if (!KINDS.containsKey(kind)) {
                throw fatal("no kind " + kind + " registered before Conf.system()");
            }
            return driver.spawn(system, name, kind);
        }
        return spawnLocal(system, name, kind);
    }

    /** spawn(system, name, name): the kind named as the actor. */
    public static Pid spawn(ActorSystem system, String name) {
        return spawn(system, name, name);
    }

    static Pid spawnLocal(ActorSystem system, String name, String kind) {
        Supplier<? extends Actor> factory = KINDS.get(kind);
        if (factory == null) {
            throw fatal("no kind " + kind + " registered before Conf.system()");
        }
        return name == null ? system.spawn(factory.get()) : system.spawn(name, factory.get());
    }

    /** Shuts the system down, waits for the end, prints the journal sorted, says "end". */
    public static void finish(ActorSystem system) {
        if (driver != null) {
            driver.finish(); // node B's actors stop first
        }
        try {
            system.shutdown().get(WAIT_LIMIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw fatal("shutdown did not complete: " + e);
        }
        system.close();
        flushLines(true); // node B's lines are all in: finish waited for its "down"
        say("end", "shutdown complete");
    }

    // ---- messages ------------------------------------------------------------------------------

    /** A bytes message: type plus the text as payload. */
    public static BytesMessage msg(String type, String text) {
        return BytesMessage.of(type, text);
    }

    /** True if msg is a bytes message of this type. */
    public static boolean is(Object msg, String type) {
        return msg instanceof BytesMessage b && b.is(type);
    }

    /** The payload as text. */
    public static String text(Object msg) {
        if (msg instanceof BytesMessage b) {
            return b.text();
        }
        throw fatal("not a bytes message: " + msg);
    }

    /** The payload as a decimal integer (0 when empty or not a number), like strtol. */
    public static long num(Object msg) {
        String t = text(msg).strip();
        int end = 0;
        if (end < t.length() && (t.charAt(end) == '-' || t.charAt(end) == '+')) {
            end++;
        }
        while (end < t.length() && Character.isDigit(t.charAt(end))) {
            end++;
        }
        try {
            return Long.parseLong(t.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---- paths ---------------------------------------------------------------------------------

    /** The path of pid with anonymous names written "$N", or the error name if it has none. */
    public static String path(Pid pid) {
        try {
            String p = pid.path();
            if (!Split.MODE.isEmpty()) {
                p = Split.localPath(p);
            }
            return p.replaceAll("\\$[0-9]+", "\\$N");
        } catch (AktException e) {
            return e.errorName();
        }
    }

    public static String selfPath(Context ctx) {
        return path(ctx.self());
    }

    // ---- sending and asking ----------------------------------------------------------------------

    /** Tells a bytes message; "ok" or the error name (as conf_tell's code). */
    public static String tell(Pid to, String type, String text) {
        return rc(() -> to.tell(msg(type, text)));
    }

    public static void respond(Context ctx, String type, String text) {
        ctx.respond(msg(type, text));
    }

    /** Asks and waits: "<reply type> <reply text>" (just the type if the text is empty) or the
     *  error name. */
    public static String askStr(Pid to, String type, String text) {
        return askStr(to, type, text, ASK);
    }

    public static String askStr(Pid to, String type, String text, Duration timeout) {
        Object reply;
        try {
            reply = to.askSync(msg(type, text), timeout); // the blocking ask (akt_ask_wait)
        } catch (RuntimeException e) {
            return errorName(e);
        }
        return replyStr(reply);
    }

    /** Formats a reply as askStr does. */
    public static String replyStr(Object reply) {
        if (!(reply instanceof BytesMessage b)) {
            throw fatal("the reply is not a bytes message: " + reply);
        }
        String t = b.text();
        return t.isEmpty() ? b.type() : b.type() + " " + t;
    }

    /** Waits for a future and formats its result as askStr does. */
    public static String futureStr(CompletableFuture<?> f) {
        Object reply;
        try {
            reply = f.get(WAIT_LIMIT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw fatal("a future did not complete in " + WAIT_LIMIT_S + " s");
        } catch (InterruptedException e) {
            throw fatal("interrupted");
        } catch (ExecutionException e) {
            return errorName(e);
        } catch (java.util.concurrent.CancellationException e) {
            return errorName(e);
        }
        return replyStr(reply);
    }

    /** Graceful stop, waited for: "ok" or the error name. */
    public static String stopGraceful(Pid pid) {
        CompletableFuture<Void> f;
        try {
            f = pid.stopGracefully(ASK);
        } catch (AktException e) {
            return e.errorName();
        }
        try {
            f.get(WAIT_LIMIT_S, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            return errorName(e);
        } catch (InterruptedException | TimeoutException e) {
            throw fatal("a graceful stop did not complete: " + e);
        }
    }

    // ---- output --------------------------------------------------------------------------------

    /** A finished fact, printed now by the main flow: "<step>: <fact>". */
    public static void say(String step, String fact) {
        synchronized (JOURNAL) {
            OUT.print(step + ": " + fact + "\n");
            OUT.flush();
        }
    }

    /** A journal line: callbacks never print, they log here (any thread). */
    public static void log(String step, String fact) {
        if (Split.MODE.equals("host")) {
            Split.hostSend("log " + step + ": " + fact); // run.py --remote, node B: to the driver
            return;
        }
        append(step + ": " + fact);
    }

    private static void append(String line) {
        synchronized (JOURNAL) {
            JOURNAL.add(line);
            JOURNAL.notifyAll();
        }
    }

    /** Waits until the journal holds at least n lines (ends the program after 10 s). */
    public static void waitLog(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_LIMIT_S);
        synchronized (JOURNAL) {
            while (JOURNAL.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    for (int i = 0; i < JOURNAL.size(); i++) {
                        System.err.println("journal[" + i + "] = " + JOURNAL.get(i));
                    }
                    throw fatal("waited " + WAIT_LIMIT_S + " s for " + n + " journal lines, have "
                            + JOURNAL.size());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(JOURNAL, left);
                } catch (InterruptedException e) {
                    throw fatal("interrupted");
                }
            }
        }
    }

    public static int logCount() {
        synchronized (JOURNAL) {
            return JOURNAL.size();
        }
    }

    /** Prints the journal in the order the lines were appended, then empties it. */
    public static void flush() {
        flush(false);
    }

    /** Prints the journal sorted bytewise (UTF-8, like strcmp), then empties it. */
    public static void flushSorted() {
        flush(true);
    }

    private static void flush(boolean sorted) {
        if (driver != null) {
            driver.barrier(); // the lines node B journaled before now are in first
        }
        flushLines(sorted);
    }

    private static void flushLines(boolean sorted) {
        synchronized (JOURNAL) {
            List<String> lines = new ArrayList<>(JOURNAL);
            if (sorted) {
                Collections.sort(lines, Conf::compareBytes);
            }
            for (String line : lines) {
                OUT.print(line + "\n");
            }
            OUT.flush();
            JOURNAL.clear();
        }
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Evaluates a supplier, turning an akt failure into its error name. */
    public static String result(Supplier<?> s) {
        try {
            return String.valueOf(s.get());
        } catch (RuntimeException e) {
            return errorName(e);
        }
    }
}
