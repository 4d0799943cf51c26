// extensions: system-wide values given at creation, reached by name from every actor.
import dev.akt.*;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

public class Case {
    /** conf.Greet "<name>" -> conf.Greeting "<greeting>, <name>" and tally += 1;
     *  conf.Lookup "<ext>" -> conf.Done "<ok or error name>". */
    static void reader(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Greet")) {
            ctx.extension("tally", AtomicLong.class).incrementAndGet();
            Conf.respond(ctx, "conf.Greeting", ctx.extension("greeting", String.class) + ", " + Conf.text(msg));
        } else if (Conf.is(msg, "conf.Lookup")) {
            Conf.respond(ctx, "conf.Done", found(() -> ctx.extension(Conf.text(msg))));
        } else {
            ctx.unhandled();
        }
    }

    static String found(Runnable lookup) {
        try {
            lookup.run();
            return "ok";
        } catch (NoSuchElementException e) {
            return "AKT_ENOTFOUND";
        }
    }

    static void askStep(Pid pid, String step, String type, String text) {
        Conf.say(step, Conf.askStr(pid, type, text));
    }

    public static void main(String[] args) {
        AtomicLong tally = new AtomicLong();
        ActorSystem sys = ActorSystem.builder("conf").extension("greeting", "hello").extension("tally", tally).build();

        Pid reader = sys.spawn("reader", Case::reader);
        askStep(reader, "greet", "conf.Greet", "ada");
        askStep(reader, "greet", "conf.Greet", "bob");
        // The actor got the caller's object itself, not a copy.
        Conf.say("tally", Long.toString(tally.get()));
        askStep(reader, "lookup.greeting", "conf.Lookup", "greeting");
        askStep(reader, "lookup.missing", "conf.Lookup", "nothing");

        Pid other = sys.spawn("other", Case::reader);
        askStep(other, "other.lookup", "conf.Lookup", "tally");

        Conf.say("outside.greeting", sys.extension("greeting", String.class));
        Conf.say("outside.missing", found(() -> sys.extension("nothing")));
        Conf.say("bad.name", Conf.rc(() -> ActorSystem.builder("bad").extension("x", 1).build().close()));

        Conf.finish(sys);
    }
}
