// dead_letters: unhandled and dead-letter events on the event stream.
import dev.akt.*;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;

public class Case {
    /** picky: conf.Ping -> conf.Pong; everything else is unhandled. */
    static void picky(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Ping")) {
            Conf.respond(ctx, "conf.Pong", "");
        } else {
            ctx.unhandled();
        }
    }

    /** relay: conf.Relay "<t>" -> tells picky conf.Strange "<t>" as itself, then conf.Done. */
    static void relay(Context ctx, Object msg) {
        if (!Conf.is(msg, "conf.Relay")) {
            ctx.unhandled();
            return;
        }
        Pid picky = ctx.system().lookup("picky");
        Conf.respond(ctx, "conf.Done", Conf.tell(picky, "conf.Strange", Conf.text(msg)));
    }

    /** hoarder: stashes conf.Letter and conf.Question until conf.Release, which unstashes all
     *  and opens it; open, a conf.Question is answered conf.Answer "late". */
    static final class Hoarder implements Actor {
        boolean open;

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Letter") || Conf.is(msg, "conf.Question")) {
                if (!open) {
                    ctx.stash();
                } else if (Conf.is(msg, "conf.Question")) {
                    Conf.respond(ctx, "conf.Answer", "late");
                }
            } else if (Conf.is(msg, "conf.Release")) {
                open = true;
                ctx.unstashAll();
            } else if (Conf.is(msg, "conf.Ping")) {
                Conf.respond(ctx, "conf.Pong", "");
            } else {
                ctx.unhandled();
            }
        }
    }

    /** "<kind>: <type> <text> to=<path> from=<path>", "-" for no actor or no path. Only the
     *  case's own messages (type conf.*) are journaled. */
    static void onEvent(Event ev) {
        if (!(ev.message() instanceof BytesMessage b) || !b.type().startsWith("conf.")) {
            return;
        }
        String from = ev.sender() != null ? Conf.path(ev.sender()) : "-";
        Conf.log(ev.kind() == EventKind.UNHANDLED ? "unhandled" : "dead_letter",
                b.type() + " " + b.text() + " to=" + (ev.path() != null ? ev.path() : "-") + " from=" + from);
    }

    static void askStep(Pid pid, String step, String type, String text) {
        Conf.say(step, Conf.askStr(pid, type, text));
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Subscription sub = sys.subscribe(EnumSet.of(EventKind.DEAD_LETTER, EventKind.UNHANDLED), Case::onEvent);
        Pid picky = sys.spawn("picky", Case::picky);
        Pid relay = sys.spawn("relay", Case::relay);
        Pid hoarder = sys.spawn("hoarder", new Hoarder());

        // 1. Unhandled, from outside any actor (no sender) ...
        picky.tell(Conf.msg("conf.Strange", "?"));
        askStep(picky, "ping.picky", "conf.Ping", "");
        Conf.flush();
        // ... and from an actor (the relay is the sender).
        askStep(relay, "relay", "conf.Relay", "hi");
        askStep(picky, "ping.picky", "conf.Ping", "");
        Conf.flush();

        // 2. Messages still stashed when an actor stops become dead letters, in order.
        hoarder.tell(Conf.msg("conf.Letter", "one"));
        hoarder.tell(Conf.msg("conf.Letter", "two"));
        askStep(hoarder, "ping.hoarder", "conf.Ping", "");
        Conf.say("stop.hoarder", Conf.rc(() -> hoarder.stop()));
        Conf.waitLog(2);
        Conf.flush();

        // 3. A tell to a stopped actor fails at once: the caller keeps the message.
        Conf.say("tell.stopped", Conf.tell(hoarder, "conf.Letter", "three"));

        // 4. A reply to a cancelled ask is a dead letter.
        Pid hoarder2 = sys.spawn("hoarder2", new Hoarder());
        CompletableFuture<Object> question = hoarder2.ask(Conf.msg("conf.Question", "q"), Conf.ASK);
        askStep(hoarder2, "ping.hoarder2", "conf.Ping", "");
        Conf.say("cancel", question.cancel(false) ? "ok" : "not cancelled");
        Conf.say("ask.cancelled", Conf.futureStr(question));
        hoarder2.tell(Conf.msg("conf.Release", ""));
        askStep(hoarder2, "ping.hoarder2", "conf.Ping", "");
        Conf.waitLog(1);
        Conf.flush();

        sub.close();
        Conf.finish(sys);
    }
}
