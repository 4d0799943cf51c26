// spawn_started: spawn returns after preStart; its children are visible at once.
import dev.akt.*;

public class Case {
    static final class Child implements Actor {
        @Override
        public void receive(Context ctx, Object msg) {
            ctx.unhandled();
        }
    }

    static final class Parent implements Actor {
        @Override
        public void preStart(Context ctx) {
            Conf.log("pre_start", Conf.selfPath(ctx));
            Pid child = ctx.spawn("child", new Child());
            Conf.log("spawned", Conf.path(child));
        }

        @Override
        public void receive(Context ctx, Object msg) {
            ctx.unhandled();
        }
    }

    static void spawnAndLook(ActorSystem sys, String name, String step) {
        sys.spawn(name, new Parent());
        Conf.flush(); // preStart ran before the spawn returned
        String found;
        try {
            found = Conf.path(sys.lookup(name + "/child"));
        } catch (AktException e) {
            found = e.errorName();
        }
        Conf.say(step, found);
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        spawnAndLook(sys, "parent", "lookup.child");
        spawnAndLook(sys, "other", "lookup.other");
        Conf.finish(sys);
    }
}
