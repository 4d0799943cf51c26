// typed_messages: a registered type's messages carry its interned type; a receive switches
// on ctx.typeId(); an unregistered type still works by name.
import dev.akt.*;

public class Case {
    static int orderId; // set before the actor is spawned

    static final class Shop implements Actor {
        long orders, notes, sum;

        @Override
        public void receive(Context ctx, Object msg) {
            int id = ctx.typeId();
            if (id == orderId) { // one integer compare
                orders++;
                sum += Conf.num(msg);
            } else if (id == 0 && Conf.is(msg, "conf.Note")) {
                notes++;
            } else if (id == 0 && Conf.is(msg, "conf.Get")) {
                Conf.respond(ctx, "conf.Totals", "orders=" + orders + " notes=" + notes + " sum=" + sum);
            } else {
                ctx.unhandled();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();

        // 1-2. Registered once, the same handle every time.
        RegisteredType order = system.registerType("conf.Order");
        orderId = order.id();
        Conf.say("register", orderId >= 1 && orderId <= 4095 ? "ok" : "bad id");
        Conf.say("register.again", system.registerType("conf.Order").id() == orderId ? "same id" : "different id");

        // 3. A name nobody registered has no id.
        Conf.say("lookup.unregistered", String.valueOf(ActorSystem.typeId("conf.Note")));

        // 4. Orders with the handle (no copy of the name per send), notes by name.
        Pid shop = system.spawn("shop", new Shop());
        for (String amount : new String[] {"2", "3", "5"}) {
            shop.tell(order.message(amount));
        }
        for (int i = 0; i < 2; i++) {
            shop.tell(Conf.msg("conf.Note", ""));
        }
        Conf.say("totals", Conf.askStr(shop, "conf.Get", ""));

        // 5. Made from the registered name: the same id.
        shop.tell(Conf.msg("conf.Order", "7"));
        Conf.say("totals.by_name", Conf.askStr(shop, "conf.Get", ""));

        Conf.finish(system);
    }
}
