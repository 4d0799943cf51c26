// serializers_protobuf: a protobuf message (conf.proto, as protoc's Java class for it,
// protobuf-java) crosses as itself between two systems of one process over 127.0.0.1.
import akt.conf.protobuf.Greeting;
import dev.akt.*;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class Case {
    /** Journals the Greeting it got and responds with a new one made here. */
    static void echo(Context ctx, Object msg) {
        if (!(msg instanceof Greeting g)) {
            Conf.log("peer.got", "other " + msg.getClass().getName());
            return;
        }
        Conf.log("peer.got", "conf.Greeting " + g.getText() + " " + g.getCount());
        List<String> tags = new ArrayList<>(g.getTagsList());
        tags.add("peer");
        ctx.respond(Greeting.newBuilder().setText(g.getText() + " back").setCount(g.getCount() + 1)
                .addAllTags(tags).build());
    }

    public static void main(String[] args) throws Exception {
        ActorSystem sys = Conf.system();
        ActorSystem peer = ActorSystem.create("peer");

        // 1. The class on both nodes, then remoting.
        sys.registerProtobuf(Greeting.class);
        peer.registerProtobuf(Greeting.class);
        sys.remoteStart("127.0.0.1", 0);
        String peerAddress = peer.remoteStart("127.0.0.1", 0);
        Conf.say("remote.start", "ok");
        String name = sys.serializerFor("conf.Greeting");
        Conf.say("protobuf.serializer", name != null ? name : "none");
        peer.spawn("echo", Case::echo);
        Pid echo = sys.remoteLookup(peerAddress + "/user/echo");

        // 2. The Greeting and its encoding.
        Greeting g = Greeting.newBuilder().setText("hello").setCount(41).addTags("a").addTags("b").build();
        Conf.say("encoded", HexFormat.of().formatHex(g.toByteArray()));

        // 3. Ask the remote echo.
        Object r;
        try {
            r = echo.ask(g, Conf.ASK).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw Conf.fatal("ask failed: " + e);
        }
        Conf.say("reply.generated", r instanceof Greeting ? "yes" : "no");
        if (r instanceof Greeting q) {
            Conf.say("reply", "text=" + q.getText() + " count=" + q.getCount() + " tags="
                    + String.join(",", q.getTagsList()));
        }

        // 4. A tell, then the journal in order.
        echo.tell(Greeting.newBuilder().setText("told").setCount(7).build());
        Conf.waitLog(2);
        Conf.flush();

        // 5.
        try {
            peer.shutdown().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw Conf.fatal("the peer's shutdown did not complete: " + e);
        }
        peer.close();
        Conf.finish(sys);
    }
}
