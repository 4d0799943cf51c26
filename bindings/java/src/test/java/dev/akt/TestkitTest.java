package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import dev.akt.testkit.AktExtension;
import dev.akt.testkit.TestProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** dev.akt.testkit: each expectation holds when it should and fails when it should. */
@ExtendWith(AktExtension.class)
class TestkitTest {
    static final Duration SHORT = Duration.ofMillis(50);
    static final Duration LONG = Duration.ofSeconds(5);

    record Say(Pid to, Object what) {}

    @Test
    void expectMessageGetsWhatAnActorTold(ActorSystem system, TestProbe probe) {
        Pid echo = system.spawn("echo", (ctx, msg) -> {
            Say s = (Say) msg;
            s.to().tell(s.what());
        });
        echo.tell(new Say(probe.pid(), "hello"));
        assertEquals("hello", probe.expectMessage(LONG));
    }

    @Test
    void expectMessageFailsAfterItsDeadline(TestProbe probe) {
        long t0 = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> probe.expectMessage(SHORT));
        assertEquals("expected a message within 50 ms, got none", e.getMessage());
        assertTrue(System.nanoTime() - t0 >= SHORT.toNanos());
    }

    @Test
    void expectMessageOfAClass(TestProbe probe) {
        probe.pid().tell("text");
        AssertionError e = assertThrows(AssertionError.class, () -> probe.expectMessage(Integer.class, LONG));
        assertEquals("expected a Integer, got String text", e.getMessage());
        probe.pid().tell(7);
        assertEquals(7, probe.expectMessage(Integer.class, LONG));
    }

    @Test
    void expectMatchUsesThePredicate(TestProbe probe) {
        probe.pid().tell(1);
        probe.pid().tell(2);
        AssertionError e = assertThrows(AssertionError.class,
                () -> probe.expectMatch(m -> (Integer) m % 2 == 0, LONG));
        assertEquals("expected a matching message, got Integer 1", e.getMessage());
        assertEquals(2, probe.expectMatch(m -> (Integer) m % 2 == 0, LONG));
    }

    @Test
    void expectNoMessage(TestProbe probe) {
        probe.expectNoMessage(Duration.ofMillis(20));
        probe.pid().tell("late");
        AssertionError e = assertThrows(AssertionError.class, () -> probe.expectNoMessage(LONG));
        assertEquals("expected no message for 5000 ms, got String late", e.getMessage());
    }

    @Test
    void expectTerminated(ActorSystem system, TestProbe probe, TestProbe other) throws Exception {
        assertNotEquals(probe.pid(), other.pid()); // a probe per parameter
        Pid pid = system.spawn(null, (ctx, msg) -> {});
        assertThrows(AssertionError.class, () -> probe.expectTerminated(pid, SHORT)); // still running
        pid.stop();
        probe.expectTerminated(pid, LONG);
        probe.expectTerminated(pid, LONG); // gone already: at once
        Pid alive = system.spawn(null, (ctx, msg) -> {});
        probe.pid().tell("first");
        AssertionError e = assertThrows(AssertionError.class, () -> probe.expectTerminated(alive, LONG));
        assertTrue(e.getMessage().endsWith(", got String first"), e.getMessage());
    }
}
