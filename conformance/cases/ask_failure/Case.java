// ask_failure: the asker of a failed receive gets the code and the failure's reason.
import dev.akt.*;
import java.util.EnumSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Top-level classes of the default package: their names are the same in every language. */
class Overdrawn extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Overdrawn(String message) {
        super(message);
    }
}

class InvalidAmount extends RuntimeException {
    private static final long serialVersionUID = 1L;
}

public class Case {
    /** account: conf.Withdraw "<n>" subtracts n and answers the balance, or fails. */
    static final class Account implements Actor {
        long balance = 50;

        @Override
        public void receive(Context ctx, Object msg) {
            if (!Conf.is(msg, "conf.Withdraw")) {
                ctx.unhandled();
                return;
            }
            long n = Conf.num(msg);
            if (n < 0) {
                throw new InvalidAmount();
            }
            if (n > balance) {
                throw new Overdrawn("balance " + balance + ", asked " + n);
            }
            balance -= n;
            Conf.respond(ctx, "conf.Balance", Long.toString(balance));
        }
    }

    static void onFailed(Event ev) {
        if (ev.path() != null && ev.path().startsWith("akt://conf/user/")) {
            Conf.log("failed", ev.path() + " " + ev.errorName() + " reason="
                    + (ev.reason() != null ? ev.reason() : "-"));
        }
    }

    /** Asks conf.Withdraw and prints the answer, or the error name and the reason. */
    static void withdraw(Pid account, String amount) {
        String step = "withdraw." + amount;
        try {
            Object reply = account.ask(Conf.msg("conf.Withdraw", amount), Conf.ASK).get(10, TimeUnit.SECONDS);
            Conf.say(step, Conf.replyStr(reply));
        } catch (ExecutionException e) {
            Conf.say(step, Conf.errorName(e));
            String reason = e.getCause() instanceof ActorFailedException f ? f.reason() : null;
            Conf.say(step + ".reason", reason != null ? reason : "-");
        } catch (Exception e) {
            throw Conf.fatal("withdraw " + amount + ": " + e);
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Subscription sub = sys.subscribe(EnumSet.of(EventKind.ACTOR_FAILED), Case::onFailed);
        Pid account = sys.spawn("account", new Account());

        withdraw(account, "80"); // 2. more than the balance
        withdraw(account, "-1"); // 3. an exception without a message
        withdraw(account, "20"); // 4. the restarted account answers

        // 5. The supervisor saw the same reasons, in order.
        Conf.waitLog(2);
        Conf.flush();

        sub.close();
        Conf.finish(sys);
    }
}
