// akt in one page, in Java: spawn, tell, ask, a crashing child restarted by its supervisor,
// become, and death watch. The same steps as examples/c/demo.c.
//
// Run it (Java 17 single-file launch) with the jar that bindings/java/test.sh builds:
//   java -cp bindings/java/target/akt-0.1.0.jar examples/java/Demo.java
import dev.akt.*;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

public class Demo {
    static final Duration SECOND = Duration.ofSeconds(1);

    // ---- a counter: tell "incr", ask "get" -------------------------------------------------
    static final class Counter implements Actor {
        private int n;

        @Override
        public void receive(Context ctx, Object msg) {
            if ("incr".equals(msg)) n++;
            else if ("get".equals(msg)) ctx.respond(n);
            else ctx.unhandled();
        }
    }

    // ---- a worker that fails on "boom"; its parent restarts it -----------------------------
    static final class Worker implements Actor {
        private int starts; // spawned as an instance, the worker keeps it across restarts

        @Override
        public void preStart(Context ctx) {
            System.out.println("  worker: preStart (start #" + ++starts + ")");
        }

        @Override
        public void postStop(Context ctx) {
            System.out.println("  worker: postStop");
        }

        @Override
        public void receive(Context ctx, Object msg) {
            // An exception is a failure: the asker's future fails with ActorFailedException,
            // and the parent's supervisor (one-for-one RESTART by default) runs postStop,
            // then preStart.
            if ("boom".equals(msg)) throw new IllegalStateException("boom requested");
            System.out.println("  worker: got " + msg);
            ctx.respond("ok");
        }
    }

    /** Spawns the worker as its child and passes work on to it. */
    static final class Supervisor implements Actor {
        private Pid worker;

        @Override
        public void preStart(Context ctx) {
            worker = ctx.spawn("worker", new Worker());
        }

        @Override
        public void postStop(Context ctx) {
            System.out.println("  supervisor: postStop (its child stopped first)");
        }

        @Override
        public void receive(Context ctx, Object msg) {
            ctx.forward(worker); // the worker answers the original asker
        }
    }

    // ---- become: a light switch ------------------------------------------------------------
    static final class Switch implements Actor {
        @Override
        public void receive(Context ctx, Object msg) { // starts off
            ctx.respond("was off, now on");
            ctx.become(this::on);
        }

        private void on(Context ctx, Object msg) {
            ctx.respond("was on, now off");
            ctx.unbecome(); // back to receive
        }
    }

    // ---- a watcher: reports when the watched actor terminates ------------------------------
    static final class Watcher implements Actor {
        // A stopped actor has no path any more: remember it while it is alive.
        private final Map<Pid, String> paths = new HashMap<>();

        @Override
        public void receive(Context ctx, Object msg) {
            if (msg instanceof Terminated t) {
                System.out.println("  watcher: " + paths.remove(t.pid()) + " terminated");
            } else if (msg instanceof Pid pid) { // Java objects travel as themselves, pids too
                paths.put(pid, pid.path());
                ctx.watch(pid);
                ctx.respond("yes");
            } else if ("report".equals(msg)) {
                ctx.respond("watcher is up to date");
            } else {
                ctx.unhandled();
            }
        }
    }

    static void askPrint(Pid pid, Object msg, String label) {
        try {
            // The blocking ask: the reply, or the ask's own exception.
            System.out.println(label + ": " + pid.askSync(msg, SECOND));
        } catch (AktException e) {
            // akt's exceptions carry the AKT_E* name.
            System.out.println(label + ": " + e.getClass().getSimpleName() + " (" + e.codeName() + ")");
        }
    }

    public static void main(String[] args) {
        System.out.println("akt demo (Java)\n");
        try (ActorSystem system = ActorSystem.create("demo")) {
            // Listeners run on akt's threads, outside any actor: keep them short.
            system.subscribe(EnumSet.of(EventKind.ACTOR_FAILED, EventKind.ACTOR_RESTARTED), ev -> {
                if (ev.kind() == EventKind.ACTOR_RESTARTED) {
                    System.out.println("  event: restarted " + ev.path());
                } else {
                    System.out.println("  event: " + ev.path() + " failed (" + ev.reason() + ")");
                }
            });

            System.out.println("1. spawn a counter, tell it 1000 times, ask for the count");
            Pid counter = system.spawn("counter", new Counter());
            for (int i = 0; i < 1000; i++) counter.tell("incr");
            // Messages from one sender arrive in order: the ask sees all 1000 increments.
            askPrint(counter, "get", "count");

            System.out.println(
                    "\n2. a supervisor with a worker child; the child crashes and is restarted");
            Pid supervisor = system.spawn("supervisor", new Supervisor());
            askPrint(supervisor, "job-1", "job-1");
            askPrint(supervisor, "boom", "boom");
            askPrint(supervisor, "job-2", "job-2");
            Pid found = system.lookup("supervisor/worker");
            System.out.println("lookup: " + found.path() + " is still alive");

            System.out.println("\n3. become: a switch changes its behaviour with each message");
            Pid light = system.spawn("switch", new Switch());
            for (int i = 0; i < 3; i++) askPrint(light, "flip", "flip");

            System.out.println("\n4. watch: a watcher learns that the counter stopped");
            Pid watcher = system.spawn("watcher", new Watcher());
            askPrint(watcher, counter, "watching");
            counter.stopGracefully(SECOND).join();
            // The Terminated was queued before the stop completed, so it is handled first.
            askPrint(watcher, "report", "report");
            try {
                counter.tell("incr");
            } catch (ActorNotFoundException e) {
                System.out.println("tell to the stopped counter: ActorNotFoundException ("
                        + e.errorName() + ")");
            }

            System.out.println("\n5. shutdown: children stop before parents");
        } // close() shuts the system down and waits for it
        System.out.println("done");
    }
}
