// serializers: JSON, CBOR, protobuf and a custom serializer across two systems of one
// process over 127.0.0.1, and a value that cannot cross.
import dev.akt.*;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class Case {
    /** A point (x, y), each 0..255; crosses with the custom "point" serializer. */
    @MessageType("conf.Point")
    record Point(int x, int y) {}

    /** A value with no serializer and no bytes. */
    static final class Opaque {}

    static String typeOf(Object msg) {
        if (msg instanceof BytesMessage b) return b.type();
        if (msg instanceof Point) return "conf.Point";
        return msg instanceof Map ? "akt.Json" : msg.getClass().getName();
    }

    /** Journals the type of what it got and responds with it. */
    static void echo(Context ctx, Object msg) {
        Conf.log("peer.got", typeOf(msg));
        ctx.respond(msg);
    }

    static void serializers(ActorSystem system) {
        system.bindSerializer("akt.Json", "cbor");
        system.bindSerializer("conf.Doc", "json");
        system.bindSerializer("akt.remote.Failure", "protobuf");
        system.registerSerializer("point", Point.class, p -> new byte[] {(byte) p.x(), (byte) p.y()},
                b -> new Point(b[0] & 0xff, b[1] & 0xff));
    }

    static Object ask(Pid echo, Object msg) {
        try {
            return echo.ask(msg, Conf.ASK).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw Conf.fatal("ask failed: " + e);
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        ActorSystem peer = ActorSystem.create("peer");

        // 1. The same serializers on both nodes, then remoting.
        serializers(sys);
        serializers(peer);
        sys.remoteStart("127.0.0.1", 0);
        String peerAddress = peer.remoteStart("127.0.0.1", 0);
        Conf.say("remote.start", "ok");
        peer.spawn("echo", Case::echo);
        Pid echo = sys.remoteLookup(peerAddress + "/user/echo");

        // 2. A map as CBOR.
        String name = sys.serializerFor("akt.Json");
        Conf.say("cbor.serializer", name != null ? name : "none");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "akt");
        List<Object> list = new ArrayList<>(Arrays.asList(1L, 2.5, null, true));
        doc.put("list", list);
        doc.put("nested", new LinkedHashMap<>());
        Object back = ask(echo, doc);
        Conf.say("cbor.equal", back instanceof Map && back.equals(doc) ? "yes" : "no");

        // 3. JSON text, sent compact.
        Conf.say("json.reply", Conf.text(ask(echo, Conf.msg("conf.Doc", "{ \"b\" : [true, \"x\"] }"))));

        // 4. The bytes of a protobuf message.
        byte[] gone = "gone".getBytes(StandardCharsets.UTF_8);
        byte[] pb = new byte[4 + gone.length];
        pb[0] = 0x08;
        pb[1] = 0x09;
        pb[2] = 0x12;
        pb[3] = 0x04;
        System.arraycopy(gone, 0, pb, 4, gone.length);
        Object pbBack = ask(echo, new BytesMessage("akt.remote.Failure", pb));
        Conf.say("protobuf.equal",
                pbBack instanceof BytesMessage b && Arrays.equals(b.data(), pb) ? "yes" : "no");

        // 5. A custom serializer.
        Object p = ask(echo, new Point(3, 4));
        Conf.say("custom.reply", p instanceof Point q ? q.x() + "," + q.y() : "not a point");

        // 6. No serializer and no bytes: refused here.
        Conf.say("refused.ask", Conf.rc(() -> ask2(echo, new Opaque())));

        // 7. What reached the echo, in order.
        Conf.waitLog(4);
        Conf.flush();

        // 8.
        try {
            peer.shutdown().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw Conf.fatal("the peer's shutdown did not complete: " + e);
        }
        peer.close();
        Conf.finish(sys);
    }

    /** An ask whose failure propagates (Conf.rc names it). */
    static void ask2(Pid echo, Object msg) {
        echo.ask(msg, Conf.ASK).join();
    }
}
