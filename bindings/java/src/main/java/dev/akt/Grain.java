package dev.akt;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A grain (virtual actor) of one system, addressed by kind and name
 * ({@link ActorSystem#grain(String, String)}): a value, cheap to make. The first message
 * activates it; an idle activation deactivates (its postStop runs) and the next message
 * activates a fresh one. There is never more than one activation of a grain at a time, and
 * a message racing a deactivation reaches the next activation.
 */
public final class Grain {
    private final ActorSystem system;
    private final String kind;
    private final String name;
    private final long[] activation; // GrainActivation.spec(), or null: the kind's
    private final long[] activationMailbox; // its mailbox's spec, or null
    private final long activationDeps; // the system's native dependency set, or 0: the kind's

    Grain(ActorSystem system, String kind, String name) {
        this(system, kind, name, null);
    }

    Grain(ActorSystem system, String kind, String name, GrainActivation options) {
        this.activation = options != null ? options.spec() : null;
        this.activationMailbox = options != null && options.mailbox != null ? options.mailbox.spec() : null;
        this.activationDeps = options != null && !options.dependencies.isEmpty()
                ? system.grainDependencies(options.dependencies) : 0;
        this.system = system;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * The grain's kind, as registered with {@link ActorSystem#registerGrain}.
     *
     * @return the kind
     */
    public String kind() {
        return kind;
    }

    /**
     * The grain's name within its kind.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * {@code kind/name}.
     *
     * @return the grain's identity
     */
    public String identity() {
        return kind + "/" + name;
    }

    /**
     * Sends msg, activating the grain if needed; the calling actor, if any, is the sender.
     *
     * @throws NullPointerException if msg is null
     * @throws ActorNotFoundException if the kind is not registered
     * @throws IllegalArgumentException for an empty or too long name
     * @throws SystemClosedException once the system shut down
     * @param msg the message (a message akt can carry)
     * @throws MailboxFullException if the activation's bounded mailbox is full
     */
    public void tell(Object msg) {
        send(msg, 0, null);
    }

    /**
     * Asks, activating the grain if needed: the future completes with the reply.
     *
     * @throws IllegalArgumentException if timeout is not positive, or for a bad name
     * @throws ActorNotFoundException if the kind is not registered
     * @param msg the question (a message akt can carry)
     * @param timeout how long to wait for the reply, positive
     * @return a future completed with the reply on the completion executor
     * @throws NullPointerException if msg or timeout is null
     */
    public CompletableFuture<Object> ask(Object msg, Duration timeout) {
        return askTyped(msg, timeout, null);
    }

    private CompletableFuture<Object> askTyped(Object msg, Duration timeout, Class<?> type) {
        long ns = Pid.timeoutNanos(timeout);
        CompletableFuture<Object> reply = new AskFuture(system.completions, null, msg, type);
        send(msg, ns, reply);
        return reply;
    }

    /**
     * {@link #ask(Object, Duration)} with the reply cast to type.
     *
     * @param <T> the reply's type
     * @param msg the question
     * @param timeout how long to wait for the reply, positive
     * @param type the class of the reply
     * @return a future completed with the reply, cast (ClassCastException fails it)
     * @throws IllegalArgumentException if timeout is not positive, or for a bad name
     * @throws ActorNotFoundException if the kind is not registered
     */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> ask(Object msg, Duration timeout, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return (CompletableFuture<T>) (CompletableFuture<?>) askTyped(msg, timeout, type);
    }

    private void send(Object msg, long timeoutNs, CompletableFuture<Object> reply) {
        Objects.requireNonNull(msg, "msg");
        long m = Messages.toNative(msg);
        String op = reply == null ? "grain tell" : "grain ask";
        // Issue 17: a kind Java did not register (one registered in C) reads bytes.
        int rc = system.isJavaGrainKind(kind) ? 0 : AktNativeJNI.aktj_msg_bytes_check(m);
        if (rc != 0) {
            AktNativeJNI.akt_msg_release(m);
            throw Errors.refused(rc, op + " to grain " + identity(), op, msg, "the grain " + identity());
        }
        rc = AktNativeJNI.aktj_grain_send(system.handle, kind, name, m, timeoutNs, reply, activation,
                activationMailbox, activationDeps);
        if (rc != 0) {
            AktNativeJNI.akt_msg_release(m);
            if (rc == Errors.EINVAL) {
                throw new IllegalArgumentException("akt: bad grain identity '" + identity()
                        + "' (a kind is 1..255 bytes without '/', a name 1..1024 bytes)");
            }
            throw Errors.of(rc, (reply == null ? "tell to grain " : "ask of grain ") + identity());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grain && ((Grain) o).system == system && ((Grain) o).kind.equals(kind)
                && ((Grain) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(system), kind, name);
    }

    @Override
    public String toString() {
        return "Grain(" + identity() + ")";
    }
}
