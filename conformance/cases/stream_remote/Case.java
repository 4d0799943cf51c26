// stream_remote: a stream's sink on another node (a remote Sink.actor) and a source reference
// (Source.actorRef) fed by a stream on another node.
import dev.akt.*;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

public class Case {
    /** target (on peer): journals each element and answers it; "done" ends. */
    static void target(Context ctx, Object msg) {
        if ("done".equals(msg)) {
            Conf.log("peer.end", "done");
            return;
        }
        Conf.log("peer.got", String.valueOf(msg));
        ctx.respond("ack");
    }

    static String ended(Stream<?> s) throws Exception {
        try {
            s.result().get(5, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            return s.reason();
        }
    }

    static String results(Stream<List<Object>> s) throws Exception {
        try {
            return s.result().get(5, TimeUnit.SECONDS).stream().map(String::valueOf)
                    .collect(Collectors.joining(" "));
        } catch (ExecutionException e) {
            return s.reason();
        }
    }

    public static void main(String[] args) throws Exception {
        ActorSystem sys = Conf.system();
        ActorSystem peer = ActorSystem.create("peer");

        // 1.
        sys.remoteStart("127.0.0.1", 0);
        String peerAddress = peer.remoteStart("127.0.0.1", 0);
        Conf.say("remote.start", "ok");
        peer.spawn("target", Case::target);

        // 2. A remote sink.
        Pid target = sys.remoteLookup(peerAddress + "/user/target");
        Stream<Void> s = Source.range(1, 6).runWith(Sink.actor(target, 2, "done"), sys);
        Conf.say("sink.stream", ended(s));
        Conf.waitLog(6);
        Conf.flush();

        // 3. A source reference fed from the peer.
        Stream<List<Object>> consumer = Source.<Object>actorRef(2).runWith(Sink.collect(), sys);
        Pid src = peer.remoteLookup(consumer.sourceAddress());
        Stream<Void> producer = Source.range(10, 15).runWith(Sink.actor(src, 2, Stream.STREAM_END), peer);
        Conf.say("ref.producer", ended(producer));
        Conf.say("ref.result", results(consumer));

        // 4. An ask into a source reference.
        Stream<List<Object>> asked = Source.<Object>actorRef(1).runWith(Sink.collect(), sys);
        Object ack = asked.sourcePid().ask(7L, Conf.ASK).get(5, TimeUnit.SECONDS);
        Conf.say("ref.ask", ((BytesMessage) ack).type());
        asked.sourcePid().tell(Stream.STREAM_END);
        Conf.say("ref.asked", results(asked));

        // 5.
        peer.shutdown().get(10, TimeUnit.SECONDS);
        peer.close();
        Conf.say("peer.shutdown", "ok");
        Conf.finish(sys);
    }
}
