package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Answers nobody waits for, Context.replyExpected, and what the asker of a failed actor sees. */
class RepliesTest {
    static final String NOBODY_ASKED = "reply to a message nobody asked (no sender, no asker)";

    ActorSystem system;

    @AfterEach
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    static final class Overdrawn extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Overdrawn(String message) {
            super(message);
        }
    }

    /** A bank account answering every message with its balance, asked or not: an Integer
     *  deposits, a negative one withdraws (and fails when the balance is too low). */
    static final class Account implements Actor {
        final List<Boolean> expected = new CopyOnWriteArrayList<>();
        final List<Throwable> raised = new CopyOnWriteArrayList<>();
        int balance = 50;

        @Override
        public void receive(Context ctx, Object msg) {
            expected.add(ctx.replyExpected());
            int amount = (Integer) msg;
            if (-amount > balance) {
                Overdrawn e = new Overdrawn("balance " + balance + ", asked " + -amount);
                raised.add(e);
                throw e;
            }
            balance += amount;
            ctx.respond(balance);
        }
    }

    @Test
    void answeringATellIsADeadLetterAndTheActorKeepsItsState() throws Exception {
        system = ActorSystem.create("replies");
        List<Event> dead = new CopyOnWriteArrayList<>();
        List<Event> failed = new CopyOnWriteArrayList<>();
        system.subscribe(java.util.EnumSet.of(EventKind.ACTOR_FAILED), failed::add);
        Account account = new Account();
        Pid pid = system.spawn("account", Props.of(account));
        system.deadLetters(ev -> {
            if (pid.equals(ev.sender())) {
                dead.add(ev);
            }
        });
        for (int i = 0; i < 5; i++) {
            pid.tell(10);
        }
        // Before the fix each respond threw ActorNotFoundException inside receive.
        assertEquals(100, Await.get(pid.ask(0, Await.ASK)));
        assertEquals(List.of(false, false, false, false, false, true), account.expected);
        Await.until(() -> dead.size() == 5, "five dead letters");
        assertEquals(List.of(60, 70, 80, 90, 100), dead.stream().map(Event::message).toList());
        assertTrue(dead.stream().allMatch(ev -> NOBODY_ASKED.equals(ev.reason())));
        assertTrue(failed.isEmpty(), failed.toString());
    }

    @Test
    void aReplyIsExpectedByAnActorSender() throws Exception {
        system = ActorSystem.create("replies");
        Account account = new Account();
        Pid pid = system.spawn("account", Props.of(account));
        List<Object> answers = new CopyOnWriteArrayList<>();
        Pid teller = system.spawn("teller", Props.of((ctx, msg) -> {
            if ("go".equals(msg)) {
                ctx.tell(pid, 1);
            } else {
                answers.add(msg);
            }
        }));
        teller.tell("go");
        Await.until(() -> answers.size() == 1, "the account's answer");
        assertEquals(List.of(51), answers);
        assertEquals(List.of(true), account.expected);
    }

    @Test
    void aFailedAskCarriesTheReasonAndTheThrowable() throws Exception {
        system = ActorSystem.create("replies");
        Account account = new Account();
        Pid pid = system.spawn("account", Props.of(account));
        Throwable t = Await.failure(pid.ask(-80, Await.ASK));
        ActorFailedException e = assertInstanceOf(ActorFailedException.class, t);
        String reason = Overdrawn.class.getName() + ": balance 50, asked 80";
        assertEquals(reason, e.reason());
        assertTrue(e.getMessage().endsWith(reason), e.getMessage());
        assertSame(account.raised.get(0), e.getCause());
        assertEquals(Overdrawn.class.getName(), e.causeClassName());
        assertEquals("balance 50, asked 80", e.causeMessage());
    }

    @Test
    void withoutTheThrowableTheTypeAndMessageComeFromTheReason() {
        ActorFailedException e = new ActorFailedException(-12, "reply", "Overdrawn: balance 50", null);
        assertNull(e.getCause());
        assertEquals("Overdrawn", e.causeClassName());
        assertEquals("balance 50", e.causeMessage());
        ActorFailedException bare = new ActorFailedException(-12, "reply", "InvalidAmount", null);
        assertEquals("InvalidAmount", bare.causeClassName());
        assertNull(bare.causeMessage());
        ActorFailedException prose = new ActorFailedException(-12, "reply", "it broke", null);
        assertNull(prose.causeClassName());
        assertEquals("it broke", prose.causeMessage());
        assertNull(new ActorFailedException(-12, "reply").reason());
    }

    @Test
    void aThrowableWithoutMessageIsItsClassName() throws Exception {
        system = ActorSystem.create("replies");
        Pid pid = system.spawn("bare", Props.of((ctx, msg) -> {
            throw new IllegalStateException();
        }));
        ActorFailedException e = assertInstanceOf(ActorFailedException.class,
                Await.failure(pid.ask("x", Await.ASK)));
        assertEquals("java.lang.IllegalStateException", e.reason());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }
}
