// mailbox_priority: a priority mailbox orders the waiting messages; ties keep arrival order.
import dev.akt.*;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

public class Case {
    static final List<String> SENT = List.of("3:a", "1:b", "2:c", "1:d", "3:e", "1:f", "2:g");

    /** conf.Hold waits for release; anything else is recorded. */
    static final class Sink implements Actor {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void receive(Context ctx, Object msg) throws Exception {
            if (Conf.is(msg, "conf.Hold")) {
                held.countDown();
                release.await();
            } else {
                seen.add(Conf.text(msg));
            }
        }
    }

    /** The number before the ':' of a message's text. */
    static int rank(Object msg) {
        String text = Conf.text(msg);
        return Integer.parseInt(text.substring(0, text.indexOf(':')));
    }

    static void until(BooleanSupplier cond) throws InterruptedException {
        while (!cond.getAsBoolean()) Thread.sleep(1);
    }

    public static void main(String[] args) throws Exception {
        ActorSystem sys = Conf.system();
        Sink sink = new Sink();
        Pid pid = sys.spawn(null, Props.of(sink).withMailbox(
                Mailbox.priority((a, b) -> Integer.compare(rank(a), rank(b)))));
        pid.tell(Conf.msg("conf.Hold", ""));
        sink.held.await();
        for (String text : SENT) pid.tell(Conf.msg("conf.N", text));
        Conf.say("priority.sent", String.join(" ", SENT));
        sink.release.countDown();
        until(() -> sink.seen.size() >= SENT.size());
        Conf.say("priority.received", String.join(" ", sink.seen));

        pid.tell(Conf.msg("conf.N", "0:h"));
        until(() -> sink.seen.size() >= SENT.size() + 1);
        Conf.say("priority.after", String.join(" ", sink.seen.subList(SENT.size(), sink.seen.size())));

        Conf.finish(sys);
    }
}
