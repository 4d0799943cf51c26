// grains: activation on first message, single activation, deactivation and reactivation
// with state reset, ask by identity, an unknown kind.
import dev.akt.*;
import java.time.Duration;

public class Case {
    /** A counter grain of kind: conf.Inc adds 1, conf.Get answers "<name> <count>". */
    static final class Counter implements Actor {
        final String kind;
        final String name;
        long count;

        Counter(String kind, String name) {
            this.kind = kind;
            this.name = name;
        }

        @Override
        public void preStart(Context ctx) {
            Conf.log("activate", kind + "/" + name);
        }

        @Override
        public void postStop(Context ctx) {
            Conf.log("deactivate", kind + "/" + name + " count=" + count);
        }

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Inc")) {
                count++;
            } else if (Conf.is(msg, "conf.Get")) {
                Conf.respond(ctx, "conf.Count", name + " " + count);
            } else {
                ctx.unhandled();
            }
        }
    }

    static String get(Grain g) {
        try {
            return Conf.futureStr(g.ask(Conf.msg("conf.Get", ""), Conf.ASK));
        } catch (RuntimeException e) {
            return Conf.errorName(e);
        }
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();
        GrainOptions longLived = GrainOptions.defaults().longLived();

        // 1. Kinds, registered by name.
        Conf.say("register.counter", Conf.rc(
                () -> system.registerGrain("counter", name -> new Counter("counter", name), longLived)));
        Conf.say("register.session", Conf.rc(() -> system.registerGrain("session",
                name -> new Counter("session", name), GrainOptions.defaults().deactivateAfter(Duration.ofMillis(300)))));
        Conf.say("register.counter.again", Conf.rc(
                () -> system.registerGrain("counter", name -> new Counter("counter", name), longLived)));

        // 2. The first message activates; the grain keeps its state.
        Grain alice = system.grain("counter", "alice");
        for (int i = 0; i < 3; i++) {
            alice.tell(Conf.msg("conf.Inc", ""));
        }
        Conf.say("ask.alice", get(alice));
        Conf.waitLog(1);
        Conf.flush();

        // 3. Another name, another grain.
        Conf.say("ask.bob", get(system.grain("counter", "bob")));
        Conf.waitLog(1);
        Conf.flush();

        // 4. Many messages before the first is handled: one activation.
        Grain carol = system.grain("counter", "carol");
        for (int i = 0; i < 100; i++) {
            carol.tell(Conf.msg("conf.Inc", ""));
        }
        Conf.say("ask.carol", get(carol));
        Conf.waitLog(1);
        Conf.flush();

        // 5. An idle session deactivates.
        Grain s1 = system.grain("session", "s1");
        s1.tell(Conf.msg("conf.Inc", ""));
        s1.tell(Conf.msg("conf.Inc", ""));
        Conf.say("ask.s1", get(s1));
        Conf.waitLog(2);
        Conf.flush();

        // 6. The next message activates a fresh one.
        Conf.say("ask.s1.again", get(s1));
        Conf.waitLog(1);
        Conf.flush();

        // 7. An unknown kind.
        Conf.say("tell.nokind", Conf.rc(() -> system.grain("nokind", "x").tell(Conf.msg("conf.Inc", ""))));

        Conf.finish(system);
    }
}
