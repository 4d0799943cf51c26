// mailboxes: bounded (fail, drop) and fair mailboxes as a spawn option.
import dev.akt.*;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

public class Case {
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

    static Pid spawnHeld(ActorSystem sys, Sink sink, Mailbox mailbox) throws InterruptedException {
        Pid pid = sys.spawn(null, Props.of(sink).withMailbox(mailbox));
        pid.tell(Conf.msg("conf.Hold", ""));
        sink.held.await();
        return pid;
    }

    static void until(BooleanSupplier cond) throws InterruptedException {
        while (!cond.getAsBoolean()) Thread.sleep(1);
    }

    public static void main(String[] args) throws Exception {
        ActorSystem sys = Conf.system();
        List<String> fullLetters = new CopyOnWriteArrayList<>();
        Subscription sub = sys.deadLetters(ev -> {
            if ("mailbox full".equals(ev.reason())) fullLetters.add(ev.reason());
        });

        for (Mailbox.WhenFull whenFull : List.of(Mailbox.WhenFull.FAIL, Mailbox.WhenFull.DROP)) {
            String step = whenFull == Mailbox.WhenFull.FAIL ? "bounded.fail" : "bounded.drop";
            Sink sink = new Sink();
            Pid pid = spawnHeld(sys, sink, Mailbox.bounded(3, whenFull));
            int accepted = 0, refused = 0;
            String refusal = "";
            for (int i = 0; i < 5; i++) {
                try {
                    pid.tell(Conf.msg("conf.N", Integer.toString(i)));
                    accepted++;
                } catch (MailboxFullException e) {
                    refused++;
                    refusal = Conf.errorName(e);
                }
            }
            if (whenFull == Mailbox.WhenFull.FAIL) {
                Conf.say(step, "accepted " + accepted + ", refused " + refused + " (" + refusal + ")");
            } else {
                until(() -> fullLetters.size() >= 2);
                Conf.say(step, "accepted " + accepted + ", dead letters " + fullLetters.size() + " (mailbox full)");
            }
            sink.release.countDown();
            until(() -> sink.seen.size() >= 3);
            Conf.say(step + ".received", String.join(" ", sink.seen));
        }

        Sink fair = new Sink();
        Pid target = spawnHeld(sys, fair, Mailbox.fair());
        for (String tag : List.of("A", "B", "C")) {
            Pid sender = sys.spawn((ctx, msg) -> {
                for (int i = 1; i <= 3; i++) ctx.tell(target, Conf.msg("conf.N", tag + i));
                Conf.respond(ctx, "conf.Done", "");
            });
            Conf.askStr(sender, "conf.Go", "");
        }
        fair.release.countDown();
        until(() -> fair.seen.size() >= 9);
        Conf.say("fair.received", String.join(" ", fair.seen));

        sub.close();
        Conf.finish(sys);
    }
}
