// ask: a reply, a timeout, unhandled and failed asks, asks to stopped actors.
import dev.akt.*;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

public class Case {
    /** conf.Question "<t>" -> conf.Answer "re:<t>"; conf.Ignore -> handled, no reply;
     *  conf.Boom -> throws (the default supervisor restarts it). */
    static void echo(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Question")) {
            Conf.respond(ctx, "conf.Answer", "re:" + Conf.text(msg));
        } else if (Conf.is(msg, "conf.Ignore")) {
            return;
        } else if (Conf.is(msg, "conf.Boom")) {
            throw new IllegalStateException("boom");
        } else {
            ctx.unhandled();
        }
    }

    /** Stashes every conf.Question (never answers it); conf.Ping -> conf.Pong. */
    static void keeper(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Question")) {
            ctx.stash();
        } else if (Conf.is(msg, "conf.Ping")) {
            Conf.respond(ctx, "conf.Pong", "");
        } else {
            ctx.unhandled();
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Pid echo = sys.spawn("echo", Case::echo);

        // 1. The reply completes the ask.
        Conf.say("ask.reply", Conf.askStr(echo, "conf.Question", "hello"));

        // 2. No reply within 100 ms: the ask fails with AKT_ETIMEDOUT.
        Conf.say("ask.timeout", Conf.askStr(echo, "conf.Ignore", "", Duration.ofMillis(100)));

        // 3. An unhandled message fails the ask with AKT_EUNHANDLED.
        Conf.say("ask.unhandled", Conf.askStr(echo, "conf.Other", ""));

        // 4. A failing receive fails the ask with AKT_EFAILED ...
        Conf.say("ask.failed", Conf.askStr(echo, "conf.Boom", ""));
        // ... and the restarted actor answers the next one.
        Conf.say("ask.after_failure", Conf.askStr(echo, "conf.Question", "again"));

        // 5. Once the actor stopped, asking it fails with AKT_ENOTFOUND.
        Conf.say("stop.echo", Conf.stopGraceful(echo));
        Conf.say("ask.stopped_actor", Conf.askStr(echo, "conf.Question", "anyone?"));

        // 6. An ask the actor never handled fails with AKT_ESTOPPED when the actor stops.
        Pid keeper = sys.spawn("keeper", Case::keeper);
        CompletableFuture<Object> held = keeper.ask(Conf.msg("conf.Question", "held"), Conf.ASK);
        // Same sender, same receiver: when the ping is answered the question is stashed.
        Conf.say("keeper.ping", Conf.askStr(keeper, "conf.Ping", ""));
        Conf.say("ask.pending", held.isDone() ? "no" : "yes");
        keeper.stop();
        Conf.say("ask.stopped_before_handling", Conf.futureStr(held));

        Conf.finish(sys);
    }
}
