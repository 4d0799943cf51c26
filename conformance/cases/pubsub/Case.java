// pubsub: topics, counts, unsubscribe, a stopped subscriber, a callback subscription.
import dev.akt.*;

public class Case {
    /** conf.News -> journal "<name>: <text> from <sender path | none>". */
    record Sub(String name) implements Actor {
        @Override
        public void receive(Context ctx, Object msg) {
            if (!Conf.is(msg, "conf.News")) {
                ctx.unhandled();
                return;
            }
            Pid from = ctx.sender();
            Conf.log(name, Conf.text(msg) + " from " + (from == null ? "none" : Conf.path(from)));
        }
    }

    /** conf.Publish "<topic> <text>" -> publishes conf.News <text> to <topic>. */
    static final class Publisher implements Actor {
        @Override
        public void receive(Context ctx, Object msg) {
            if (!Conf.is(msg, "conf.Publish")) {
                ctx.unhandled();
                return;
            }
            String[] parts = Conf.text(msg).split(" ", 2);
            Conf.respond(ctx, "conf.Done", Conf.rc(
                    () -> ctx.system().topic(parts[0]).publish(Conf.msg("conf.News", parts[1]))));
        }
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();
        Pid s1 = system.spawn("s1", new Sub("s1"));
        Pid s2 = system.spawn("s2", new Sub("s2"));
        Pid s3 = system.spawn("s3", new Sub("s3"));
        Pid pub = system.spawn("pub", new Publisher());
        Topic news = system.topic("news"), sport = system.topic("sport");

        // 1. Subscriptions, acknowledged with the topic's count.
        Conf.say("subscribe.s1.news", String.valueOf(news.subscribe(s1).get()));
        Conf.say("subscribe.s2.news", String.valueOf(news.subscribe(s2).get()));
        Conf.say("subscribe.s1.news.again", String.valueOf(news.subscribe(s1).get()));
        Conf.say("subscribe.s3.sport", String.valueOf(sport.subscribe(s3).get()));

        // 2. Publishing from outside: no sender; nobody listens to weather.
        news.publish(Conf.msg("conf.News", "n1"));
        news.publish(Conf.msg("conf.News", "n2"));
        sport.publish(Conf.msg("conf.News", "goal"));
        system.topic("weather").publish(Conf.msg("conf.News", "void"));
        Conf.waitLog(5);
        Conf.flushSorted();

        // 3. Counts.
        for (String name : new String[] {"news", "sport", "weather"}) {
            Conf.say("count." + name, String.valueOf(system.topic(name).count().get()));
        }

        // 4. Publishing from an actor: it is the sender.
        Conf.say("publish.pub", Conf.askStr(pub, "conf.Publish", "sport kickoff"));
        Conf.waitLog(1);
        Conf.flush();

        // 5. Unsubscribe.
        Conf.say("unsubscribe.s2.news", String.valueOf(news.unsubscribe(s2).get()));
        news.publish(Conf.msg("conf.News", "n3"));
        Conf.waitLog(1);
        Conf.flush();

        // 6. A callback subscription.
        Topic alerts = system.topic("alerts");
        alerts.subscribe(m -> Conf.log("callback", Conf.text(m)));
        alerts.publish(Conf.msg("conf.News", "a1"));
        alerts.publish(Conf.msg("conf.News", "a2"));
        Conf.waitLog(2);
        Conf.flush();
        Conf.say("count.alerts", String.valueOf(alerts.count().get()));

        // 7. A stopped subscriber leaves its topics.
        Conf.say("stop.s1", Conf.stopGraceful(s1));
        long deadline = System.nanoTime() + 10_000_000_000L;
        long n;
        while ((n = news.count().get()) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        if (n != 0) {
            throw Conf.fatal("s1 did not leave news");
        }
        Conf.say("count.news.after_stop", String.valueOf(n));

        Conf.finish(system);
    }
}
