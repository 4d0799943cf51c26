// dependencies: values given at spawn, reached by name from inside the actor.
import dev.akt.*;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

public class Case {
    /** conf.Greet "<name>" -> conf.Greeting "<greeting>, <name>" and tally += 1;
     *  conf.Lookup "<dep>" -> conf.Done "<ok or error name>"; conf.Fail fails (restart). */
    static void greeter(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Greet")) {
            String greeting = ctx.dependency("greeting", String.class);
            // The "tally" dependency: a shared object the actor updates and main reads.
            ctx.dependency("tally", AtomicLong.class).incrementAndGet();
            Conf.respond(ctx, "conf.Greeting", greeting + ", " + Conf.text(msg));
        } else if (Conf.is(msg, "conf.Lookup")) {
            String rc;
            try {
                ctx.dependency(Conf.text(msg));
                rc = "ok";
            } catch (NoSuchElementException e) {
                rc = "AKT_ENOTFOUND";
            }
            Conf.respond(ctx, "conf.Done", rc);
        } else if (Conf.is(msg, "conf.Fail")) {
            throw new IllegalStateException("fail");
        } else {
            ctx.unhandled();
        }
    }

    static void askStep(Pid pid, String step, String type, String text) {
        Conf.say(step, Conf.askStr(pid, type, text));
    }

    public static void main(String[] args) {
        AtomicLong tally = new AtomicLong();
        ActorSystem sys = Conf.system();

        // 1. Dependencies are named values handed to the actor at spawn.
        Pid greeter = sys.spawn("greeter", Props.of(Case::greeter)
                .withDependency("greeting", "hello")
                .withDependency("tally", tally));

        askStep(greeter, "greet", "conf.Greet", "ada");
        askStep(greeter, "greet", "conf.Greet", "bob");
        // The actor got the caller's object itself, not a copy.
        Conf.say("tally", Long.toString(tally.get()));
        askStep(greeter, "lookup.greeting", "conf.Lookup", "greeting");
        askStep(greeter, "lookup.missing", "conf.Lookup", "nothing");

        // 2. A restarted actor keeps its dependencies.
        greeter.tell(Conf.msg("conf.Fail", ""));
        askStep(greeter, "greet.after_restart", "conf.Greet", "cy");
        Conf.say("tally", Long.toString(tally.get()));

        // 3. An actor spawned without dependencies has none.
        Pid plain = sys.spawn("plain", Case::greeter);
        askStep(plain, "plain.lookup", "conf.Lookup", "greeting");

        Conf.finish(sys);
    }
}
