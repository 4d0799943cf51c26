package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Registered message types: registerType, typeId, lookupType, ctx.typeId, and the refusals. */
class TypedMessagesTest {
    @MessageType("test.java.typed.Tick")
    record Tick(int n) {}

    /** Another class with Tick's type name: the name is the type. */
    @MessageType("test.java.typed.Tick")
    record OtherTick(String s) {}

    @MessageType("test.java.typed.Order")
    record Order(int amount) {}

    @MessageType("test.java.typed.Late")
    record Late(int n) {}

    record Plain(int n) {}

    /** A name registerType refuses: its instances still send, by name. */
    @MessageType("test.java.typed.\uD83D\uDE00")
    record Emoji(int n) {}

    @Test
    void aNameRegisteredAgainIsTheSameTypeInEverySystem() {
        try (ActorSystem a = ActorSystem.builder("typed-a").workers(1).build();
                ActorSystem b = ActorSystem.builder("typed-b").workers(1).build()) {
            RegisteredType t = a.registerType("test.java.typed.Same");
            assertTrue(t.id() >= 1 && t.id() <= 4095, t.toString());
            assertEquals("test.java.typed.Same", t.name());
            RegisteredType again = a.registerType("test.java.typed.Same");
            assertEquals(t, again);
            assertEquals(t.hashCode(), again.hashCode());
            assertEquals(t.id(), b.registerType("test.java.typed.Same").id());
            assertEquals(t.id(), ActorSystem.typeId("test.java.typed.Same"));
            assertEquals(t, ActorSystem.lookupType("test.java.typed.Same").orElseThrow());
            assertEquals("RegisteredType[test.java.typed.Same #" + t.id() + "]", t.toString());

            RegisteredType other = a.registerType("test.java.typed.Other");
            assertNotEquals(t, other);
            assertNotEquals(t.id(), other.id());
        }
    }

    @Test
    void aNameNobodyRegisteredHasNoId() {
        assertEquals(0, ActorSystem.typeId("test.java.typed.never"));
        assertTrue(ActorSystem.lookupType("test.java.typed.never").isEmpty());
    }

    @Test
    void classesWithOneTypeNameShareTheType() {
        try (ActorSystem system = ActorSystem.builder("typed-classes").workers(1).build()) {
            RegisteredType tick = system.registerType(Tick.class);
            assertEquals("test.java.typed.Tick", tick.name());
            assertEquals(tick, system.registerType(OtherTick.class));
            assertEquals(tick, system.registerType("test.java.typed.Tick"));
            // An unannotated class registers its binary name.
            assertEquals(Plain.class.getName(), system.registerType(Plain.class).name());
        }
    }

    @Test
    void sendsOfARegisteredClassCarryTheHandle() {
        try (ActorSystem system = ActorSystem.builder("typed-handle").workers(1).build()) {
            // Not registered: an interned name, low bit clear (aktj.h).
            assertEquals(0, Messages.typeOf(new Late(1)) & 1);
            // Registered after the class's first send: its next sends carry the handle.
            RegisteredType late = system.registerType(Late.class);
            long typed = Messages.typeOf(new Late(2));
            assertEquals(1, typed & 1);
            assertEquals(late.id(), AktNativeJNI.akt_type_id(typed & ~1L));
            assertEquals(0, Messages.typeOf(new Object[0]) & 1);
        }
    }

    /** Records ctx.typeId and the message of everything it gets; answers "get" with the ids. */
    static final class Recorder implements Actor {
        final List<Integer> ids = new CopyOnWriteArrayList<>();
        final List<Object> msgs = new CopyOnWriteArrayList<>();

        @Override
        public void receive(Context ctx, Object msg) {
            if ("get".equals(msg)) {
                ctx.respond(List.copyOf(ids));
                return;
            }
            ids.add(ctx.typeId());
            msgs.add(msg);
        }
    }

    @Test
    void aReceiveSwitchesOnTheIdHoweverTheMessageWasMade() throws Exception {
        try (ActorSystem system = ActorSystem.builder("typed-receive").workers(2).build()) {
            RegisteredType order = system.registerType("test.java.typed.Order");
            RegisteredType tick = system.registerType(Tick.class);
            Recorder rec = new Recorder();
            Pid pid = system.spawn("recorder", rec);
            pid.tell(order.message("2"));                                  // with the handle
            pid.tell(BytesMessage.of("test.java.typed.Order", "3"));       // by name
            pid.tell(new Order(5));                                        // an object of that name
            pid.tell(new Tick(1));                                         // a registered class
            pid.tell(BytesMessage.of("test.java.typed.unregistered", "")); // nobody registered it
            pid.tell(new Plain(1));
            pid.tell(order.message(new byte[] {7}));
            Object got = Await.get(pid.ask("get", Await.ASK));
            assertEquals(List.of(order.id(), order.id(), order.id(), tick.id(), 0,
                    ActorSystem.typeId(Plain.class.getName()), order.id()), got);
            // Made with the handle, it still arrives as bytes of the type's name.
            assertEquals(BytesMessage.of("test.java.typed.Order", "2"), rec.msgs.get(0));
            assertEquals(new Order(5), rec.msgs.get(2));
            assertEquals(new Tick(1), rec.msgs.get(3));
            assertEquals(new BytesMessage("test.java.typed.Order", new byte[] {7}), rec.msgs.get(6));
            // An ask's reply made with the handle reaches the asker as bytes of the name.
            Pid echo = system.spawn("echo", (ctx, msg) -> ctx.respond(order.message("re")));
            assertEquals(BytesMessage.of("test.java.typed.Order", "re"), Await.get(echo.ask("x", Await.ASK)));
        }
    }

    @Test
    void aClassWhoseNameCannotBeRegisteredStillSendsByName() throws Exception {
        try (ActorSystem system = ActorSystem.builder("typed-emoji").workers(1).build()) {
            assertThrows(IllegalArgumentException.class, () -> system.registerType(Emoji.class));
            Recorder rec = new Recorder();
            Pid pid = system.spawn("recorder", rec);
            pid.tell(new Emoji(3));
            assertEquals(List.of(0), Await.get(pid.ask("get", Await.ASK)));
            assertEquals(new Emoji(3), rec.msgs.get(0));
            assertEquals(0, Messages.typeOf(new Emoji(4)) & 1);
        }
    }

    @Test
    void badInputIsRefusedWithAClearException() throws Exception {
        try (ActorSystem system = ActorSystem.builder("typed-bad").workers(1).build()) {
            assertThrows(NullPointerException.class, () -> system.registerType((String) null));
            assertThrows(NullPointerException.class, () -> system.registerType((Class<?>) null));
            assertThrows(NullPointerException.class, () -> ActorSystem.typeId(null));
            assertThrows(NullPointerException.class, () -> ActorSystem.lookupType(null));
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> system.registerType(""));
            assertTrue(empty.getMessage().contains("1 to 255 bytes"), empty.getMessage());
            assertThrows(IllegalArgumentException.class, () -> system.registerType("x".repeat(256)));
            assertEquals(255, system.registerType("y".repeat(255)).name().length());
            assertThrows(IllegalArgumentException.class, () -> system.registerType("a\0b"));
            assertThrows(IllegalArgumentException.class, () -> system.registerType("emoji.\uD83D\uDE00"));
            assertThrows(IllegalArgumentException.class, () -> system.registerType(BytesMessage.class));
            assertThrows(IllegalArgumentException.class, () -> ActorSystem.typeId(""));
            assertThrows(IllegalArgumentException.class, () -> ActorSystem.typeId("z".repeat(256)));
            assertThrows(IllegalArgumentException.class, () -> ActorSystem.lookupType("a\0b"));
            RegisteredType t = system.registerType("test.java.typed.Bad");
            assertThrows(NullPointerException.class, () -> t.message((byte[]) null));
            assertThrows(NullPointerException.class, () -> t.message((String) null));

            // ctx.typeId: not in a callback without a message, not after the callback.
            CompletableFuture<Throwable> inPreStart = new CompletableFuture<>();
            CompletableFuture<Context> kept = new CompletableFuture<>();
            system.spawn("early", new Actor() {
                @Override
                public void preStart(Context ctx) {
                    try {
                        ctx.typeId();
                        inPreStart.complete(null);
                    } catch (Throwable e) {
                        inPreStart.complete(e);
                    }
                }

                @Override
                public void receive(Context ctx, Object msg) {
                    kept.complete(ctx);
                }
            }).tell("hi");
            assertInstanceOf(IllegalStateException.class, Await.get(inPreStart));
            Context stale = Await.get(kept);
            assertThrows(IllegalStateException.class, stale::typeId);
        }
    }
}
