package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * registerProtobuf: a class of the shape protoc generates (static getDescriptor() with
 * getFullName(), static parseFrom(byte[]), toByteArray()) crosses to another node and back
 * as itself under its full name; the real generated class is exercised by the
 * serializers_protobuf conformance case (protobuf-java). What lacks that shape is refused.
 */
class ProtobufTest {
    static final Duration LONG = Duration.ofSeconds(30);

    /** Stands for a Descriptors.Descriptor. */
    public static final class Descriptor {
        public String getFullName() {
            return "javatest.pb.Note";
        }
    }

    /** Stands for a generated message: its "encoding" is the UTF-8 of its text. */
    public static final class Note {
        final String text;

        Note(String text) {
            this.text = text;
        }

        public static Descriptor getDescriptor() {
            return new Descriptor();
        }

        public static Note parseFrom(byte[] data) {
            return new Note(new String(data, StandardCharsets.UTF_8));
        }

        public byte[] toByteArray() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aGeneratedShapeCrossesAsItself() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javapbalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javapbbeta").workers(2).build()) {
            assertEquals("javatest.pb.Note", a.registerProtobuf(Note.class));
            b.registerProtobuf(Note.class);
            assertEquals("protobuf", a.serializerFor("javatest.pb.Note"));
            String addrB = b.remoteStart(null, 0);
            a.remoteStart(null, 0);
            b.spawn("echo", (ctx, msg) -> ctx.respond(msg));
            Pid echo = a.remoteLookup(addrB + "/user/echo");
            Object back = Await.get(echo.ask(new Note("héllo"), LONG));
            assertTrue(back instanceof Note);
            assertEquals("héllo", ((Note) back).text);
            Object raw = Await.get(echo.ask(new BytesMessage("javatest.pb.Note",
                    "raw".getBytes(StandardCharsets.UTF_8)), LONG));
            assertEquals("raw", ((Note) raw).text);
        }
    }

    @Test
    void whatIsNotAGeneratedClassIsRefused() throws Exception {
        try (ActorSystem s = ActorSystem.builder("javapbbad").workers(1).build()) {
            assertThrows(NullPointerException.class, () -> s.registerProtobuf(null));
            for (Class<?> bad : new Class<?>[] {String.class, Object.class, Descriptor.class}) {
                assertThrows(IllegalArgumentException.class, () -> s.registerProtobuf(bad));
            }
        }
    }
}
