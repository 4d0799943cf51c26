// batch: tellBatch keeps order among other tells; askBatch gives one future per message.
import dev.akt.*;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

public class Case {
    /** conf.Add "<k>" records k; conf.List -> conf.Items "<k1>,<k2>,..."; conf.Double "<k>" ->
     *  conf.Doubled "<2k>". */
    static final class Adder implements Actor {
        final StringBuilder items = new StringBuilder(); // the conf.Add texts, in arrival order

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Add")) {
                items.append(items.length() > 0 ? "," : "").append(Conf.text(msg));
            } else if (Conf.is(msg, "conf.List")) {
                Conf.respond(ctx, "conf.Items", items.toString());
            } else if (Conf.is(msg, "conf.Double")) {
                Conf.respond(ctx, "conf.Doubled", Long.toString(2 * Conf.num(msg)));
            } else {
                ctx.unhandled();
            }
        }
    }

    /** Bytes messages: the i-th has type types[i] and text texts[i]. */
    static List<BytesMessage> msgs(String[] types, String... texts) {
        List<BytesMessage> out = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            out.add(Conf.msg(types[i], texts[i]));
        }
        return out;
    }

    static final String[] ADDS = {"conf.Add", "conf.Add", "conf.Add", "conf.Add", "conf.Add"};

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Pid adder = sys.spawn("adder", new Adder());

        // 1. A batch of five arrives in order.
        Conf.say("tell_batch", Conf.rc(() -> adder.tellBatch(msgs(ADDS, "1", "2", "3", "4", "5"))));
        Conf.say("list", Conf.askStr(adder, "conf.List", ""));

        // 2. A batch keeps its place among single tells.
        adder.tell(Conf.msg("conf.Add", "6"));
        Conf.say("tell_batch", Conf.rc(() -> adder.tellBatch(msgs(ADDS, "7", "8"))));
        adder.tell(Conf.msg("conf.Add", "9"));
        Conf.say("list", Conf.askStr(adder, "conf.List", ""));

        // 3. askBatch: one future per message, each with its own result.
        List<CompletableFuture<Object>> futures = new ArrayList<>();
        Conf.say("ask_batch", Conf.rc(() -> futures.addAll(adder.askBatch(
                msgs(new String[] {"conf.Double", "conf.Nope", "conf.Double"}, "1", "x", "3"), Conf.ASK))));
        for (int i = 0; i < 3; i++) {
            Conf.say("ask_batch." + i, Conf.futureStr(futures.get(i)));
        }

        // 4. Batches to a stopped actor fail as a whole.
        Pid gone = sys.spawn("gone", new Adder());
        Conf.say("stop.gone", Conf.stopGraceful(gone));
        Conf.say("tell_batch.stopped", Conf.rc(() -> gone.tellBatch(msgs(ADDS, "1", "2"))));
        Conf.say("ask_batch.stopped", Conf.rc(() -> gone.askBatch(msgs(ADDS, "1", "2"), Conf.ASK)));

        Conf.finish(sys);
    }
}
