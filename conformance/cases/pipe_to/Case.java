// pipe_to: results delivered with the piping actor as sender (to self, a pid, a name);
// failures, timeouts, gone targets and an open breaker as dead letters or refusals.
import dev.akt.*;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

public class Case {
    static Pid sink;
    static Pid target;
    static final CircuitBreaker BREAKER = CircuitBreaker.builder().minRequests(1).halfOpenMaxCalls(1)
            .openTimeout(Duration.ofSeconds(60)).build();
    /** Tasks waiting for the main flow's go-ahead, oldest first. */
    static final LinkedBlockingQueue<CompletableFuture<Void>> WAITING = new LinkedBlockingQueue<>();

    static void goAhead() {
        try {
            WAITING.take().complete(null);
        } catch (InterruptedException e) {
            throw Conf.fatal("interrupted");
        }
    }

    static void journalResult(Context ctx, Object msg, String who) {
        Conf.log(who, Conf.text(msg) + " from " + Conf.path(ctx.sender()));
    }

    static void sink(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Result")) {
            journalResult(ctx, msg, "sink");
        } else if (Conf.is(msg, "conf.Sync")) {
            Conf.respond(ctx, "conf.Done", "");
        } else {
            ctx.unhandled();
        }
    }

    static void piper(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Result")) {
            journalResult(ctx, msg, "piper");
            return;
        }
        if (!Conf.is(msg, "conf.Pipe")) {
            ctx.unhandled();
            return;
        }
        String[] cmd = Conf.text(msg).split(" ");
        String how = cmd[0];
        Supplier<CompletionStage<?>> ok = () -> CompletableFuture.completedFuture(Conf.msg("conf.Result", cmd[1]));
        Supplier<CompletionStage<?>> fail = () -> CompletableFuture.failedFuture(new IllegalStateException("the task failed"));
        Supplier<CompletionStage<?>> later = () -> {
            CompletableFuture<Void> go = new CompletableFuture<>();
            WAITING.add(go);
            return go.thenApply(v -> Conf.msg("conf.Result", cmd[1]));
        };
        String rc = Conf.rc(() -> {
            switch (how) {
                case "self" -> ctx.pipeTo(ok);
                case "pid" -> ctx.pipeTo(sink, ok, null, null);
                case "name" -> ctx.pipeToName("/user/sink", ok, null, null);
                case "fail" -> ctx.pipeTo(sink, fail, null, null);
                case "slow" -> ctx.pipeTo(sink, later, Duration.ofMillis(50), null);
                case "gone" -> ctx.pipeTo(target, later, null, null);
                case "breaker" -> ctx.pipeTo(sink, fail, null, BREAKER);
                default -> throw Conf.fatal("bad pipe command " + how);
            }
        });
        Conf.respond(ctx, "conf.Piped", rc);
    }

    static void pipe(Pid piper, String step, String cmd) {
        Conf.say(step, Conf.askStr(piper, "conf.Pipe", cmd));
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Subscription sub = sys.subscribe(EnumSet.of(EventKind.DEAD_LETTER), ev -> {
            if (!"akt://conf/user/sink".equals(ev.path()) && !"akt://conf/user/target".equals(ev.path())) {
                return;
            }
            Conf.log("dead", ev.path() + " " + (ev.reason() != null ? ev.reason() : "-") + " "
                    + (ev.message() instanceof BytesMessage b ? b.type() : "-"));
        });
        sink = sys.spawn("sink", Case::sink);
        target = sys.spawn("target", Case::sink);
        Pid piper = sys.spawn("piper", Case::piper);

        pipe(piper, "pipe.self", "self 1");
        Conf.waitLog(1);
        Conf.flush();
        pipe(piper, "pipe.pid", "pid 2");
        pipe(piper, "pipe.name", "name 3");
        Conf.waitLog(2);
        Conf.flushSorted();

        pipe(piper, "pipe.fail", "fail 4");
        Conf.waitLog(1);
        Conf.flush();

        pipe(piper, "pipe.slow", "slow 5");
        Conf.waitLog(1);
        Conf.flush();
        goAhead();
        Conf.say("sync", Conf.askStr(sink, "conf.Sync", ""));

        pipe(piper, "pipe.gone", "gone 6");
        Conf.stopGraceful(target);
        goAhead();
        Conf.waitLog(1);
        Conf.flush();

        pipe(piper, "pipe.breaker", "breaker 7");
        Conf.waitLog(1);
        Conf.flush();
        pipe(piper, "pipe.breaker.open", "breaker 8");

        sub.close();
        Conf.finish(sys);
    }
}
