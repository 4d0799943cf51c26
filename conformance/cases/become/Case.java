// become: become (replace), become stacked (push), unbecome stacked (pop), unbecome (reset).
import dev.akt.*;

public class Case {
    /** The handler for a mood; "happy" is the actor's own receive. */
    static Behavior handlerNamed(String mood) {
        return (ctx, msg) -> anyMood(ctx, msg, mood);
    }

    /** Every handler understands the same commands and differs only in the mood it answers.
     *  Commands answer conf.Done "<ok or error name>". */
    static void anyMood(Context ctx, Object msg, String mood) {
        if (Conf.is(msg, "conf.Get")) {
            Conf.respond(ctx, "conf.Mood", mood);
        } else if (Conf.is(msg, "conf.Become")) {
            Conf.respond(ctx, "conf.Done", Conf.rc(() -> ctx.become(handlerNamed(Conf.text(msg)))));
        } else if (Conf.is(msg, "conf.Push")) {
            Conf.respond(ctx, "conf.Done", Conf.rc(() -> ctx.becomeStacked(handlerNamed(Conf.text(msg)))));
        } else if (Conf.is(msg, "conf.Pop")) {
            Conf.respond(ctx, "conf.Done", Conf.rc(ctx::unbecomeStacked));
        } else if (Conf.is(msg, "conf.Reset")) {
            Conf.respond(ctx, "conf.Done", Conf.rc(ctx::unbecome));
        } else {
            ctx.unhandled();
        }
    }

    /** One command or query, printed as "<step>: <reply>". */
    static void step(Pid pid, String name, String type, String text) {
        Conf.say(name, Conf.askStr(pid, type, text));
    }

    public static void main(String[] args) {
        // Kinds before the system: run.py --remote's node B spawns them by name.
        Conf.kind("mood", () -> (ctx, msg) -> anyMood(ctx, msg, "happy"));
        ActorSystem sys = Conf.system();
        Pid mood = Conf.spawn(sys, "mood");

        // 1. Stacked handlers pop back in reverse order.
        step(mood, "get", "conf.Get", "");
        step(mood, "push.angry", "conf.Push", "angry");
        step(mood, "get", "conf.Get", "");
        step(mood, "push.calm", "conf.Push", "calm");
        step(mood, "get", "conf.Get", "");
        step(mood, "pop", "conf.Pop", "");
        step(mood, "get", "conf.Get", "");
        step(mood, "pop", "conf.Pop", "");
        step(mood, "get", "conf.Get", "");
        // Nothing stacked any more.
        step(mood, "pop", "conf.Pop", "");
        step(mood, "get", "conf.Get", "");

        // 2. Become replaces, whatever was stacked; unbecome goes back to the behaviour.
        step(mood, "become.sad", "conf.Become", "sad");
        step(mood, "get", "conf.Get", "");
        step(mood, "push.angry", "conf.Push", "angry");
        step(mood, "get", "conf.Get", "");
        step(mood, "become.calm", "conf.Become", "calm");
        step(mood, "get", "conf.Get", "");
        step(mood, "reset", "conf.Reset", "");
        step(mood, "get", "conf.Get", "");

        // 3. Unbecome also drops a stack.
        step(mood, "push.sad", "conf.Push", "sad");
        step(mood, "push.angry", "conf.Push", "angry");
        step(mood, "get", "conf.Get", "");
        step(mood, "reset", "conf.Reset", "");
        step(mood, "get", "conf.Get", "");

        Conf.finish(sys);
    }
}
