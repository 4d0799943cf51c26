// circuit_breaker: the public breaker's states, window and trial calls on a fake clock.
import dev.akt.*;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

public class Case {
    static final class TaskFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TaskFailed() {
            super("the task failed");
        }
    }

    static final ManualClock CLOCK = new ManualClock(Duration.ofSeconds(1000));
    static final CircuitBreaker BREAKER = CircuitBreaker.builder()
            .failureRate(0.5).minRequests(4).openTimeout(Duration.ofSeconds(5))
            .window(Duration.ofSeconds(10), 10).halfOpenMaxCalls(2).clock(CLOCK).build();

    static String state() {
        return BREAKER.state().name().toLowerCase();
    }

    static void call(String step, boolean ok) {
        try {
            String r = BREAKER.call(() -> ok ? CompletableFuture.completedFuture("ok")
                    : CompletableFuture.<String>failedFuture(new TaskFailed())).toCompletableFuture().join();
            Conf.say(step, r);
        } catch (CompletionException e) {
            if (e.getCause() instanceof TaskFailed) {
                Conf.say(step, "failed");
            } else if (e.getCause() instanceof BreakerOpenException) {
                Conf.say(step, "rejected");
            } else {
                throw e;
            }
        }
    }

    static void calls(String prefix, int first, int last, boolean ok) {
        for (int i = first; i <= last; i++) {
            call(prefix + "." + i, ok);
        }
    }

    static void metrics() {
        CircuitBreaker.Metrics m = BREAKER.metrics();
        Conf.say("metrics", m.state().name().toLowerCase() + " successes=" + m.successes()
                + " failures=" + m.failures() + " rate=" + (int) (m.failureRate() * 100 + 0.5)
                + "% rejected=" + m.rejected());
    }

    static void advance(Duration by, String label) {
        CLOCK.advance(by);
        Conf.say("clock", label + " " + state());
    }

    public static void main(String[] args) {
        Conf.say("create", state());
        call("call.1", true);
        call("call.2", false);
        call("call.3", true);
        metrics();
        call("call.4", false);
        Conf.say("state", state());
        call("call.5", true);
        metrics();

        advance(Duration.ofMillis(4999), "+4.999s");
        advance(Duration.ofMillis(1), "+0.001s");
        call("trial.1", true);
        Conf.say("state", state());
        call("trial.2", true);
        Conf.say("state", state());

        calls("call", 6, 8, false);
        metrics();
        advance(Duration.ofSeconds(10), "+10s");
        metrics();

        calls("call", 9, 12, false);
        Conf.say("trip", state());
        advance(Duration.ofSeconds(5), "+5s");
        call("trial.3", false);
        Conf.say("state", state());
        call("call.13", true);
        metrics();
    }
}
