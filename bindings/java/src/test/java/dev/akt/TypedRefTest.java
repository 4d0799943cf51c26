package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed references: ActorRef, Pid.typed, TypedActor, the typed spawns and context sends. */
class TypedRefTest {
    sealed interface Cmd permits Deposit, Balance {}

    record Deposit(int amount) implements Cmd {}

    record Balance() implements Cmd {}

    /** Sums deposits, answers a Balance with the total; records what was not a Cmd. */
    static final class Account extends TypedActor<Cmd> {
        final List<Object> others = new CopyOnWriteArrayList<>();
        private int total;

        Account() {
            super(Cmd.class);
        }

        @Override
        protected void onMessage(Context ctx, Cmd msg) {
            if (msg instanceof Deposit d) {
                total += d.amount();
            } else {
                ctx.respond(total);
            }
        }

        @Override
        protected void onOther(Context ctx, Object msg) throws Exception {
            others.add(msg);
            super.onOther(ctx, msg);
        }
    }

    private static int balance(ActorRef<Cmd> account) throws Exception {
        return Await.get(account.ask(new Balance(), Await.ASK, Integer.class));
    }

    @Test
    void aTypedActorSpawnsAsATypedReference() throws Exception {
        try (ActorSystem system = ActorSystem.builder("typedref-spawn").workers(1).build()) {
            ActorRef<Cmd> account = system.spawn("account", new Account());
            assertEquals(Cmd.class, account.messageClass());
            account.tell(new Deposit(2));
            account.tell(new Deposit(3), Map.of("tenant", "t1"));
            account.tellBatch(List.of(new Deposit(4), new Deposit(5)));
            assertEquals(14, balance(account));
            assertEquals(14, Await.get(account.ask(new Balance(), Await.ASK)));
            int sync = account.askSync(new Balance(), Await.ASK, Integer.class); // the blocking ask
            assertEquals(14, sync);

            Pid pid = system.lookup("/user/account");
            assertEquals(pid, account.pid());
            assertEquals("ActorRef<Cmd>(akt://typedref-spawn/user/account)", account.toString());

            ActorRef<Cmd> anonymous = system.spawn(new Account());
            anonymous.tell(new Deposit(1));
            assertEquals(1, balance(anonymous));
            assertNotEquals(account, anonymous);
        }
    }

    @Test
    void aPidTypedIsEqualToEveryReferenceOfItsActor() throws Exception {
        try (ActorSystem system = ActorSystem.builder("typedref-pid").workers(1).build()) {
            ActorRef<Cmd> account = system.spawn("account", new Account());
            ActorRef<Cmd> again = system.lookup("/user/account").typed(Cmd.class);
            ActorRef<Object> wide = account.pid().typed(Object.class);
            assertEquals(account, again);
            assertEquals(account.hashCode(), again.hashCode());
            assertEquals(account, wide); // by pid, whatever the message class
            assertEquals(account.hashCode(), wide.hashCode());
            assertNotEquals(account, account.pid()); // a reference is not its pid
            again.tell(new Deposit(7));
            assertEquals(7, balance(account));

            ActorRef<Deposit> depositsOnly = account.narrow(Deposit.class);
            depositsOnly.tell(new Deposit(1));
            assertEquals(Deposit.class, depositsOnly.messageClass());
            assertEquals(account, depositsOnly);
            assertEquals(8, balance(account));
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aRawUseOfAReferenceCannotSlipAnotherTypeThrough() throws Exception {
        try (ActorSystem system = ActorSystem.builder("typedref-raw").workers(1).build()) {
            Account actor = new Account();
            ActorRef<Cmd> account = system.spawn("account", actor);
            ActorRef raw = account;
            ClassCastException e = assertThrows(ClassCastException.class, () -> raw.tell("five"));
            assertTrue(e.getMessage().contains("takes dev.akt.TypedRefTest$Cmd messages, not java.lang.String"),
                    e.getMessage());
            assertThrows(ClassCastException.class, () -> raw.tell(5, Map.of()));
            assertThrows(ClassCastException.class, () -> raw.ask("five", Await.ASK));
            assertThrows(ClassCastException.class, () -> raw.ask("five", Await.ASK, Integer.class));
            assertThrows(ClassCastException.class, () -> raw.askSync("five", Await.ASK, Integer.class));
            assertThrows(ClassCastException.class, () -> account.askSync(new Balance(), Await.ASK, String.class));
            // a batch is checked whole before anything is sent
            assertThrows(ClassCastException.class, () -> raw.tellBatch(List.of(new Deposit(1), "two")));
            assertThrows(ClassCastException.class, () -> raw.narrow(String.class));
            assertThrows(NullPointerException.class, () -> account.tell(null));
            assertThrows(NullPointerException.class, () -> account.pid().typed(null));
            assertThrows(NullPointerException.class, () -> account.narrow(null));
            assertThrows(NullPointerException.class, () -> TypedActor.of(null, (ctx, m) -> {}));
            assertThrows(NullPointerException.class, () -> TypedActor.of(Cmd.class, null));
            assertThrows(NullPointerException.class, () -> system.spawn("none", (TypedActor<Cmd>) null));
            assertEquals(0, balance(account)); // none of those reached it
            assertEquals(List.of(), actor.others);
        }
    }

    @Test
    void aTypedActorHandsOtherMessagesToOnOther() throws Exception {
        try (ActorSystem system = ActorSystem.builder("typedref-other").workers(1).build()) {
            Account actor = new Account();
            ActorRef<Cmd> account = system.spawn("account", actor);
            Throwable e = Await.failure(account.pid().ask("not a command", Await.ASK));
            assertInstanceOf(UnhandledMessageException.class, e);
            assertEquals(List.of("not a command"), actor.others);
            assertEquals(0, balance(account)); // still alive and well
        }
    }

    @Test
    void aPrimitiveClassTypesItsWrapper() throws Exception {
        try (ActorSystem system = ActorSystem.builder("typedref-int").workers(1).build()) {
            List<Integer> seen = new CopyOnWriteArrayList<>();
            ActorRef<Integer> ints = system.spawn(TypedActor.of(int.class, (ctx, n) -> {
                seen.add(n);
                ctx.respond(n + 1);
            }));
            assertEquals(Integer.class, ints.messageClass());
            assertEquals(Integer.class, ints.pid().typed(int.class).messageClass());
            ints.tell(1);
            assertEquals(3, Await.get(ints.ask(2, Await.ASK, Integer.class)));
            assertEquals(List.of(1, 2), seen);
        }
    }

    /** Spawns a typed child, deposits through ctx.tell and asks it through ctx.ask. */
    static final class Teller extends TypedActor<String> {
        Teller() {
            super(String.class);
        }

        @Override
        protected void onMessage(Context ctx, String msg) {
            ActorRef<Cmd> child = ctx.spawn("account", new Account());
            ctx.tell(child, new Deposit(msg.length()));
            CompletableFuture<Integer> total = ctx.ask(child, new Balance(), Await.ASK, Integer.class);
            ctx.pipeToSelf(total, (n, err) -> err == null ? List.of(child, n) : err.toString());
        }

        @Override
        protected void onOther(Context ctx, Object msg) {
            ref = msg; // the piped result
        }

        volatile Object ref;
    }

    @Test
    void theContextSpawnsAndSendsTyped() throws Exception {
        try (ActorSystem system = ActorSystem.builder("typedref-ctx").workers(1).build()) {
            Teller teller = new Teller();
            ActorRef<String> ref = system.spawn("teller", teller);
            ref.tell("hello");
            Await.until(() -> teller.ref != null, "the piped balance");
            List<?> got = (List<?>) teller.ref;
            assertEquals(5, got.get(1));
            ActorRef<?> child = (ActorRef<?>) got.get(0);
            assertEquals(Cmd.class, child.messageClass());
            assertEquals("akt://typedref-ctx/user/teller/account", child.pid().path());
        }
    }

    // ---- the compiler refuses a wrong message type --------------------------------------------

    private static final String SNIPPET = String.join("\n",
            "import dev.akt.*;",
            "import java.time.Duration;",
            "class Snippet {",
            "    sealed interface Cmd permits Deposit {}",
            "    record Deposit(int amount) implements Cmd {}",
            "    static void ok(ActorSystem system, ActorRef<Cmd> ref, Context ctx) {",
            "        ref.tell(new Deposit(1));",
            "        ref.ask(new Deposit(1), Duration.ofSeconds(1), Integer.class);",
            "        ctx.tell(ref, new Deposit(2));",
            "        ActorRef<Cmd> spawned = system.spawn(TypedActor.of(Cmd.class, (c, m) -> {}));",
            "        ActorRef<Deposit> narrow = spawned.narrow(Deposit.class);",
            "        ctx.tell(ref.pid(), \"untyped pids take anything\");",
            "    }",
            "    static void wrong(ActorSystem system, ActorRef<Cmd> ref, Context ctx) {",
            "        ref.tell(\"five\"); // error",
            "        ref.ask(5, Duration.ofSeconds(1), Integer.class); // error",
            "        ref.tellBatch(java.util.List.of(\"a\")); // error",
            "        ctx.tell(ref, \"five\"); // error",
            "        ctx.ask(ref, 5, Duration.ofSeconds(1), Integer.class); // error",
            "        ActorRef<String> strings = ref; // error",
            "        ActorRef<String> spawned = system.spawn(TypedActor.of(Cmd.class, (c, m) -> {})); // error",
            "        system.lookup(\"x\").typed(Cmd.class).tell(\"five\"); // error",
            "    }",
            "}",
            "");

    @Test
    void theCompilerRefusesAWrongMessageType(@TempDir Path dir) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK (javax.tools) runs the tests");
        Path src = dir.resolve("Snippet.java");
        Files.writeString(src, SNIPPET);
        URI classes = ActorRef.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        boolean ok;
        try (StandardJavaFileManager files = javac.getStandardFileManager(diags, Locale.ROOT, null)) {
            List<String> options = List.of("-classpath", Path.of(classes).toString(),
                    "-d", dir.resolve("out").toString(), "-proc:none");
            ok = javac.getTask(null, files, diags, options, null, files.getJavaFileObjects(src)).call();
        }
        assertFalse(ok, "the snippet's wrong sends compiled");
        Set<Long> reported = new TreeSet<>();
        List<String> texts = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                reported.add(d.getLineNumber());
                texts.add(d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
            }
        }
        Set<Long> marked = new TreeSet<>();
        String[] lines = SNIPPET.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("// error")) {
                marked.add((long) i + 1);
            }
        }
        assertEquals(8, marked.size());
        assertEquals(marked, reported, String.join("\n", texts));
        assertTrue(texts.contains("15: incompatible types: java.lang.String cannot be converted to Snippet.Cmd"),
                String.join("\n", texts));
    }
}
