// respond_without_asker: a reply nobody waits for is a dead letter; the actor goes on.
import dev.akt.*;

public class Case {
    /** account: conf.Deposit "<n>" adds n, conf.Balance reads; both answer the balance. */
    static final class Account implements Actor {
        long balance;

        @Override
        public void receive(Context ctx, Object msg) {
            String expected = ctx.replyExpected() ? "yes" : "no";
            if (Conf.is(msg, "conf.Deposit")) {
                long n = Conf.num(msg);
                balance += n;
                Conf.log("deposit", n + " reply_expected=" + expected);
            } else if (Conf.is(msg, "conf.Balance")) {
                Conf.log("balance", "reply_expected=" + expected);
            } else {
                ctx.unhandled();
                return;
            }
            // Answered whether or not someone asked: an answer to a tell is a dead letter.
            Conf.respond(ctx, "conf.Balance", Long.toString(balance));
        }
    }

    static void onDeadLetter(Event ev) {
        if (!(ev.message() instanceof BytesMessage b) || !b.type().startsWith("conf.")) {
            return;
        }
        String from = ev.sender() != null ? Conf.path(ev.sender()) : "-";
        Conf.log("dead_letter", Conf.replyStr(b) + " to=" + (ev.path() != null ? ev.path() : "-")
                + " from=" + from + " reason=" + (ev.reason() != null ? ev.reason() : "-"));
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Subscription sub = sys.deadLetters(Case::onDeadLetter);
        Pid account = sys.spawn("account", new Account());

        // 2. Five deposits told from outside: nobody asked, so every answer is a dead letter.
        for (int i = 0; i < 5; i++) {
            account.tell(Conf.msg("conf.Deposit", "10"));
        }

        // 3. The account kept every deposit.
        Conf.say("balance", Conf.askStr(account, "conf.Balance", ""));

        // 4. Five deposits, five dead letters and the balance.
        Conf.waitLog(11);
        Conf.flushSorted();

        sub.close();
        Conf.finish(sys);
    }
}
