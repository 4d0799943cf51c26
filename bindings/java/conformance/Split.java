import dev.akt.ActorSystem;
import dev.akt.AktException;
import dev.akt.Pid;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The remote mode of the conformance runner (run.py --remote), Java side: the counterpart of
 * conformance/c/conf_split.h and bindings/node/conformance/split.mjs, with the same line
 * protocol.
 *
 * <p>With AKT_CONF_REMOTE=driver a case's program is node A: it keeps the main flow and
 * starts a copy of itself (the same JVM options, class path and main class,
 * AKT_CONF_REMOTE=host) as node B, which hosts every actor the case spawns with
 * {@code Conf.spawn}. Both systems are named "conf". An actor crosses by its kind: the case
 * registers each kind's factory with {@code Conf.kind} before {@code Conf.system()}, so B,
 * whose {@code Conf.system()} serves and never returns, has them too. B's journal lines come
 * back on its stdout; a reader thread of A appends them to A's journal in order.
 * <pre>
 *   A -> B (B's stdin):  spawn &lt;name|-&gt; &lt;kind&gt;, barrier &lt;k&gt;, finish
 *   B -> A (B's stdout): address &lt;addr&gt;, spawned &lt;ok|error name&gt; &lt;path&gt;, log &lt;line&gt;,
 *                        mark &lt;k&gt;, down
 * </pre>
 */
final class Split {
    static final String MODE = System.getenv().getOrDefault("AKT_CONF_REMOTE", "");
    private static final long WAIT_S = 10;

    private Split() {}

    static void checkMode() {
        if (!MODE.isEmpty() && !MODE.equals("driver") && !MODE.equals("host")) {
            throw Conf.fatal("AKT_CONF_REMOTE=" + MODE + ": expected driver or host");
        }
    }

    /** "akt://conf@host:port/..." written "akt://conf/...". */
    static String localPath(String path) {
        return path.replaceFirst("^akt://([^/@]+)@[^/]+", "akt://$1");
    }

    // ---------------------------------------------------------------- node B

    private static final PrintStream UP =
            new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

    /** One whole line to A. */
    static void hostSend(String line) {
        synchronized (UP) {
            UP.print(line + "\n");
            UP.flush();
        }
    }

    /** Serves node B until A says finish, then ends the process; never returns. */
    static void hostServe(ActorSystem system) {
        String address = system.remoteStart("127.0.0.1", 0);
        hostSend("address " + address);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] w = line.strip().split(" ");
                if (w[0].equals("spawn") && w.length == 3) {
                    try {
                        Pid pid = Conf.spawnLocal(system, w[1].equals("-") ? null : w[1], w[2]);
                        hostSend("spawned ok " + pid.path());
                    } catch (AktException e) {
                        hostSend("spawned " + e.errorName() + " -");
                    }
                } else if (w[0].equals("barrier") && w.length == 2) {
                    hostSend("mark " + w[1]);
                } else if (w[0].equals("finish")) {
                    try {
                        system.shutdown().get(WAIT_S, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw Conf.fatal("node B: shutdown did not complete: " + e);
                    }
                    system.close();
                    hostSend("down");
                    System.exit(0);
                } else {
                    throw Conf.fatal("node B: unknown command '" + line + "'");
                }
            }
        } catch (IOException e) {
            throw Conf.fatal("node B: " + e);
        }
        Runtime.getRuntime().halt(1); // A went away
    }

    // ---------------------------------------------------------------- node A

    /** Node A's side: starts node B and talks to it. */
    static final class Driver {
        private final Process child;
        private final OutputStream down;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final String address;
        private int asked;

        Driver(ActorSystem system, Consumer<String> append) {
            system.remoteStart("127.0.0.1", 0);
            List<String> argv = new ArrayList<>();
            argv.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
            argv.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            argv.add("-cp");
            argv.add(System.getProperty("java.class.path"));
            String command = System.getProperty("sun.java.command", "").strip();
            if (command.isEmpty()) {
                throw Conf.fatal("node A: no main class to start node B with");
            }
            argv.addAll(List.of(command.split(" ")));
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().put("AKT_CONF_REMOTE", "host");
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            try {
                child = pb.start();
            } catch (IOException e) {
                throw Conf.fatal("cannot start node B: " + e);
            }
            down = child.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        if (l.startsWith("log ")) {
                            append.accept(l.substring(4));
                        } else {
                            lines.add(l);
                        }
                    }
                } catch (IOException e) {
                    // B's end closed: the EOF marker below
                }
                lines.add("\0eof");
            }, "conf-node-b-reader");
            reader.setDaemon(true);
            reader.start();
            String first = next("start");
            if (!first.startsWith("address ")) {
                throw Conf.fatal("node B did not start: '" + first + "'");
            }
            address = first.substring(8);
            // run.py --remote checks for this line: a helper without the mode would run locally.
            System.err.println("conformance: remote mode: the actors are on node B, " + address);
            System.err.flush();
        }

        /** B's next line (journal lines excepted), waited for at most 10 s. */
        private String next(String what) {
            String l;
            try {
                l = lines.poll(WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw Conf.fatal("interrupted");
            }
            if (l == null) {
                throw Conf.fatal("waited for node B's " + what);
            }
            if (l.equals("\0eof")) {
                throw Conf.fatal("node B ended while A waited for its " + what);
            }
            return l;
        }

        private synchronized void send(String line) {
            try {
                down.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                down.flush();
            } catch (IOException e) {
                throw Conf.fatal("node B: " + e);
            }
        }

        /** Everything B journaled before now is in this node's journal once this returns. */
        synchronized void barrier() {
            int k = ++asked;
            send("barrier " + k);
            String l = next("journal barrier");
            if (!l.equals("mark " + k)) {
                throw Conf.fatal("node B said '" + l + "' for a journal barrier");
            }
        }

        synchronized Pid spawn(ActorSystem system, String name, String kind) {
            send("spawn " + (name == null ? "-" : name) + " " + kind);
            String l = next("spawn");
            String[] w = l.split(" ");
            if (w.length != 3 || !w[0].equals("spawned")) {
                throw Conf.fatal("node B said '" + l + "' for a spawn");
            }
            if (!w[1].equals("ok")) {
                throw Conf.fatal("spawning " + (name == null ? "(anonymous)" : name) + " on node B failed: " + w[1]);
            }
            return system.remoteLookup(address + w[2].substring(w[2].indexOf("/user/")));
        }

        /** B's actors stop (their post_stop lines come first) and B exits. */
        synchronized void finish() {
            send("finish");
            String l = next("shutdown");
            if (!l.equals("down")) {
                throw Conf.fatal("node B said '" + l + "' for finish");
            }
            try {
                if (!child.waitFor(WAIT_S, TimeUnit.SECONDS) || child.exitValue() != 0) {
                    throw Conf.fatal("node B did not exit cleanly");
                }
            } catch (InterruptedException e) {
                throw Conf.fatal("interrupted");
            }
        }
    }
}
