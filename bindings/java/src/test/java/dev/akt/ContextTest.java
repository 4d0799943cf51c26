package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContextTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("ctx").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    record Ping(int n) {}

    record Pong(int n) {}

    @Test
    void tellInsideReceiveCarriesTheSenderSoRespondReachesIt() throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Pid ponger = system.spawn("ponger", (ctx, msg) -> {
            if (msg instanceof Ping p) {
                ctx.respond(new Pong(p.n()));
            }
        });
        Pid pinger = system.spawn("pinger", (ctx, msg) -> {
            if (msg instanceof String) {
                ponger.tell(new Ping(1)); // implicit sender: this actor
            } else if (msg instanceof Pong p && p.n() < 100) {
                assertEquals(ponger, ctx.sender());
                ctx.tell(ctx.sender(), new Ping(p.n() + 1));
            } else if (msg instanceof Pong p) {
                done.complete(p.n());
            }
        });
        pinger.tell("start");
        assertEquals(100, Await.get(done));
    }

    @Test
    void theSenderIsTheActorRunningOnTheThreadAndNoneFromAnotherSystem() throws Exception {
        // A completion that akt runs inside another actor's callback (its respond completes the
        // ask; completionExecutor(Runnable::run) keeps it there) tells with that actor as the
        // sender, as akt_tell does for C.
        try (ActorSystem direct = ActorSystem.builder("ctx-direct").completionExecutor(Runnable::run).build()) {
            CompletableFuture<Object> seen = new CompletableFuture<>();
            Pid probe = direct.spawn("probe-sender", (ctx, msg) -> seen.complete(ctx.sender() != null ? ctx.sender() : "none"));
            java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
            Pid answerer = direct.spawn("answerer", (ctx, msg) -> {
                assertTrue(attached.await(10, java.util.concurrent.TimeUnit.SECONDS));
                ctx.respond("answer");
            });
            answerer.ask("q", Await.ASK).thenAccept(r -> probe.tell("from the completion"));
            attached.countDown();
            assertEquals(answerer, Await.get(seen));
        }
        // An actor of another system is no sender here.
        CompletableFuture<Object> seen2 = new CompletableFuture<>();
        Pid probe2 = system.spawn("probe-sender-2", (ctx, msg) -> seen2.complete(ctx.sender() != null ? ctx.sender() : "none"));
        try (ActorSystem other = ActorSystem.builder("ctx-other").workers(1).build()) {
            Pid teller = other.spawn("teller", (ctx, msg) -> probe2.tell("across"));
            teller.tell("go");
            assertEquals("none", Await.get(seen2));
        }
    }

    @Test
    void senderIsNullFromOutsideAndRespondGoesToDeadLetters() throws Exception {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        Pid pid = system.spawn("lonely", (ctx, msg) -> {
            try {
                seen.complete(ctx.sender());
                ctx.respond("nobody");
            } catch (Throwable t) {
                seen.complete(t);
            }
        });
        pid.tell("x");
        assertNull(Await.get(seen));
        CompletableFuture<Object> second = new CompletableFuture<>();
        Pid probe = system.spawn("probe", (ctx, msg) -> {
            try {
                ctx.respond("nobody");
                second.complete("responded");
            } catch (ActorNotFoundException e) {
                second.complete(e);
            }
        });
        probe.tell("x");
        // Nobody waits for the answer: a dead letter (RepliesTest), not an exception.
        assertEquals("responded", Await.get(second));
    }

    @Test
    void forwardKeepsTheAsker() throws Exception {
        Pid worker = system.spawn("worker", (ctx, msg) -> ctx.respond("worked:" + msg));
        Pid front = system.spawn("front", (ctx, msg) -> ctx.forward(worker));
        assertEquals("worked:job", Await.get(front.ask("job", Await.ASK)));
    }

    @Test
    void childrenHavePathsParentsAndStop() throws Exception {
        CompletableFuture<String> stopped = new CompletableFuture<>();
        Pid parent = system.spawn("parent", new Actor() {
            Pid child;

            @Override
            public void receive(Context ctx, Object msg) throws Exception {
                if ("spawn".equals(msg)) {
                    child = ctx.spawn("child", new Actor() {
                        @Override
                        public void receive(Context c, Object m) {
                            c.respond(c.parent());
                        }

                        @Override
                        public void postStop(Context c) {
                            stopped.complete("child stopped");
                        }
                    });
                    ctx.respond(child);
                } else if ("stop-child".equals(msg)) {
                    ctx.stop(child);
                    ctx.respond("ok");
                } else if ("stop-other".equals(msg)) {
                    try {
                        ctx.stop(ctx.parent());
                    } catch (IllegalArgumentException e) {
                        ctx.respond("refused");
                    }
                }
            }
        });
        Pid child = (Pid) Await.get(parent.ask("spawn", Await.ASK));
        assertEquals("akt://ctx/user/parent/child", child.path());
        assertEquals(child, system.lookup("parent/child"));
        assertEquals(parent, Await.get(child.ask("who", Await.ASK)));
        assertEquals("refused", Await.get(parent.ask("stop-other", Await.ASK)));
        assertEquals("ok", Await.get(parent.ask("stop-child", Await.ASK)));
        assertEquals("child stopped", Await.get(stopped));
        Await.until(() -> !child.isAlive(), "the child to stop");
        assertTrue(parent.isAlive());
    }

    @Test
    void stopSelfStopsChildrenFirst() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> childStarted = new CompletableFuture<>();
        Pid parent = system.spawn("p", new Actor() {
            @Override
            public void preStart(Context ctx) {
                ctx.spawn("c", new Actor() {
                    @Override
                    public void preStart(Context c) {
                        childStarted.complete(null);
                    }

                    @Override
                    public void receive(Context c, Object m) {}

                    @Override
                    public void postStop(Context c) {
                        order.add("child");
                    }
                });
            }

            @Override
            public void receive(Context ctx, Object msg) {
                ctx.stop();
            }

            @Override
            public void postStop(Context ctx) {
                order.add("parent");
                done.complete(null);
            }
        });
        // (A child stopped before its preStart ran gets no postStop either: wait for it.)
        Await.get(childStarted);
        parent.tell("stop");
        Await.get(done);
        assertEquals(List.of("child", "parent"), order);
    }

    @Test
    void becomeStackedAndUnbecome() throws Exception {
        Behavior angry = (ctx, msg) -> ctx.respond("angry:" + msg);
        Behavior happy = (ctx, msg) -> {
            if ("pop".equals(msg)) {
                ctx.unbecomeStacked();
                ctx.respond("popped");
            } else {
                ctx.respond("happy:" + msg);
            }
        };
        Pid pid = system.spawn("moody", new Actor() {
            @Override
            public void receive(Context ctx, Object msg) {
                switch ((String) msg) {
                    case "angry" -> {
                        ctx.become((c, m) -> {
                            if ("calm".equals(m)) {
                                c.unbecome();
                                c.respond("calmed");
                            } else if ("happy".equals(m)) {
                                c.becomeStacked(happy);
                                c.respond("stacked");
                            } else {
                                angry.receive(c, m);
                            }
                        });
                        ctx.respond("became");
                    }
                    case "pop-empty" -> {
                        try {
                            ctx.unbecomeStacked();
                            ctx.respond("popped?");
                        } catch (IllegalStateException e) {
                            ctx.respond("nothing to pop");
                        }
                    }
                    default -> ctx.respond("neutral:" + msg);
                }
            }
        });
        assertEquals("neutral:x", Await.get(pid.ask("x", Await.ASK)));
        assertEquals("nothing to pop", Await.get(pid.ask("pop-empty", Await.ASK)));
        assertEquals("became", Await.get(pid.ask("angry", Await.ASK)));
        assertEquals("angry:x", Await.get(pid.ask("x", Await.ASK)));
        assertEquals("stacked", Await.get(pid.ask("happy", Await.ASK)));
        assertEquals("happy:x", Await.get(pid.ask("x", Await.ASK)));
        assertEquals("popped", Await.get(pid.ask("pop", Await.ASK)));
        assertEquals("angry:x", Await.get(pid.ask("x", Await.ASK)));
        assertEquals("calmed", Await.get(pid.ask("calm", Await.ASK)));
        assertEquals("neutral:x", Await.get(pid.ask("x", Await.ASK)));
    }

    @Test
    void stashedMessagesComeBackInOrder() throws Exception {
        List<Object> handled = new CopyOnWriteArrayList<>();
        Pid pid = system.spawn("stasher", new Actor() {
            boolean open;

            @Override
            public void receive(Context ctx, Object msg) {
                if ("open".equals(msg)) {
                    open = true;
                    ctx.unstashAll();
                } else if ("report".equals(msg)) {
                    ctx.respond(List.copyOf(handled));
                } else if (!open) {
                    ctx.stash();
                } else {
                    handled.add(msg);
                }
            }
        });
        for (int i = 0; i < 5; i++) {
            pid.tell(i);
        }
        pid.tell("open");
        pid.tell(5);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), Await.get(pid.ask("report", Await.ASK)));
    }

    @Test
    void unstashOneAtATime() throws Exception {
        Pid pid = system.spawn("one", new Actor() {
            boolean stashing = true;
            StringBuilder seen = new StringBuilder();

            @Override
            public void receive(Context ctx, Object msg) {
                if ("release".equals(msg)) {
                    stashing = false;
                    ctx.respond(ctx.unstash() + "," + ctx.unstash());
                } else if ("seen".equals(msg)) {
                    ctx.respond(seen.toString());
                } else if (stashing) {
                    ctx.stash();
                } else {
                    seen.append(msg);
                }
            }
        });
        pid.tell("a");
        assertEquals("true,false", Await.get(pid.ask("release", Await.ASK)));
        assertEquals("a", Await.get(pid.ask("seen", Await.ASK)));
    }

    @Test
    void watchDeliversTerminated() throws Exception {
        CompletableFuture<Terminated> got = new CompletableFuture<>();
        Pid target = system.spawn("target", new Counter());
        Pid watcher = system.spawn("watcher", (ctx, msg) -> {
            if (msg instanceof Pid p) {
                ctx.watch(p);
                ctx.respond("watching");
            } else if (msg instanceof Terminated t) {
                got.complete(t);
            }
        });
        assertEquals("watching", Await.get(watcher.ask(target, Await.ASK)));
        system.stop(target);
        Terminated t = Await.get(got);
        assertEquals(target, t.pid());
    }

    @Test
    void unwatchStopsTheNotice() throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        Pid target = system.spawn("t2", new Counter());
        Pid watcher = system.spawn("w2", (ctx, msg) -> {
            if ("watch".equals(msg)) {
                ctx.watch(target);
                ctx.unwatch(target);
                ctx.respond("ok");
            } else if ("seen".equals(msg)) {
                ctx.respond(List.copyOf(seen));
            } else {
                seen.add(msg);
            }
        });
        Await.get(watcher.ask("watch", Await.ASK));
        Await.get(system.stopGracefully(target, Await.ASK));
        assertEquals(List.of(), Await.get(watcher.ask("seen", Await.ASK)));
    }

    @Test
    void dependenciesAreReachable() throws Exception {
        StringBuilder repo = new StringBuilder("the repo");
        Pid pid = system.spawn("deps", Props.of((ctx, msg) -> {
            if ("repo".equals(msg)) {
                ctx.respond(ctx.dependency("repo", StringBuilder.class) == repo);
            } else {
                try {
                    ctx.dependency("missing");
                } catch (java.util.NoSuchElementException e) {
                    ctx.respond(e.getMessage());
                }
            }
        }).withDependency("repo", repo).withDependency("limit", 3));
        assertEquals(true, Await.get(pid.ask("repo", Await.ASK)));
        assertEquals("akt: no dependency named 'missing'", Await.get(pid.ask("x", Await.ASK)));
    }

    @Test
    void askInsideAnActorWithPipeToSelf() throws Exception {
        Pid counter = system.spawn("counted", new Counter());
        counter.tell(7);
        CompletableFuture<String> result = new CompletableFuture<>();
        Pid asker = system.spawn("asker", (ctx, msg) -> {
            if ("go".equals(msg)) {
                ctx.pipeToSelf(ctx.ask(counter, "get", Await.ASK), (v, e) -> e == null ? "got " + v : "err " + e);
                ctx.pipeToSelf(ctx.ask(counter, 2.5, Await.ASK), (v, e) -> e == null ? "got " + v : "err " + e.getClass().getSimpleName());
            } else {
                // Both answers arrive as messages, on the actor's own turn, in either order:
                // the completions run on the Java executor, which does not keep their order.
                if (((String) msg).startsWith("err")) {
                    unhandledSeen.complete((String) msg);
                } else {
                    result.complete((String) msg);
                }
            }
        });
        asker.tell("go");
        assertEquals("got 7", Await.get(result));
        assertEquals("err UnhandledMessageException", Await.get(unhandledSeen));
    }

    final CompletableFuture<String> unhandledSeen = new CompletableFuture<>();
}
