package dev.akt;

import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A typed reference to an actor, in the spirit of Akka Typed's {@code ActorRef<T>}: a
 * {@link Pid} with the class of the messages its actor accepts, so that the compiler refuses
 * a {@link #tell} or {@link #ask} of anything else.
 *
 * <pre>{@code
 * sealed interface Cmd permits Deposit, Balance {}
 * record Deposit(int amount) implements Cmd {}
 * record Balance() implements Cmd {}
 *
 * ActorRef<Cmd> account = system.spawn("account", TypedActor.of(Cmd.class, (ctx, msg) -> ...));
 * account.tell(new Deposit(5));              // compiles
 * account.tell("five");                      // does not compile
 * ActorRef<Cmd> same = system.lookup("/user/account").typed(Cmd.class);
 * }</pre>
 *
 * <p>Get one from {@link Pid#typed(Class)} or by spawning a {@link TypedActor} ({@link
 * ActorSystem#spawn(String, TypedActor)}, {@link Context#spawn(String, TypedActor)}). Its
 * sends are the pid's own (same errors, same sender rules); in addition each message is
 * checked against the message class at run time, so that a raw or unchecked use cannot slip
 * another type through: such a send throws {@link ClassCastException} and sends nothing.
 * What the actor behind the pid really accepts is the caller's word: akt does not know the
 * message types of actors. Two refs are equal when their pids are, whatever their classes.
 *
 * @param <M> the type of the messages the actor accepts
 */
public final class ActorRef<M> {
    private final Pid pid;
    private final Class<M> messageClass;

    ActorRef(Pid pid, Class<M> messageClass) {
        this.pid = Objects.requireNonNull(pid, "pid");
        this.messageClass = boxed(Objects.requireNonNull(messageClass, "messageClass"));
    }

    /** int.class and the like check as their wrappers: a message is always an object. */
    @SuppressWarnings("unchecked")
    static <M> Class<M> boxed(Class<M> c) {
        return c.isPrimitive() ? (Class<M>) MethodType.methodType(c).wrap().returnType() : c;
    }

    /**
     * The untyped pid of this reference's actor.
     *
     * @return the pid
     */
    public Pid pid() {
        return pid;
    }

    /**
     * The class every message sent through this reference is checked against (a primitive
     * class given to {@link Pid#typed(Class)} is its wrapper here).
     *
     * @return the message class
     */
    public Class<M> messageClass() {
        return messageClass;
    }

    /**
     * Sends msg, as {@link Pid#tell(Object)} does.
     *
     * @param msg the message
     * @throws NullPointerException if msg is null
     * @throws ClassCastException if msg is not an instance of {@link #messageClass()} (a raw
     *     or unchecked use); nothing is sent
     * @throws ActorNotFoundException if the actor is not alive
     */
    public void tell(M msg) {
        pid.tell(checked(msg));
    }

    /**
     * Sends msg with headers, as {@link Pid#tell(Object, Map)} does.
     *
     * @param msg the message
     * @param headers the message's headers, names to values
     * @throws NullPointerException if msg or headers is null
     * @throws ClassCastException if msg is not an instance of {@link #messageClass()}
     * @throws IllegalArgumentException if a header breaks the limits of {@link Pid#tell(Object, Map)}
     * @throws ActorNotFoundException if the actor is not alive
     */
    public void tell(M msg, Map<String, String> headers) {
        pid.tell(checked(msg), headers);
    }

    /**
     * Sends every message of msgs in order as one operation, as {@link Pid#tellBatch} does;
     * all are checked first, so a refused one sends none.
     *
     * @param msgs the messages, none null
     * @throws NullPointerException if msgs or one of its elements is null
     * @throws ClassCastException if one is not an instance of {@link #messageClass()}
     * @throws ActorNotFoundException if the actor is not alive
     */
    public void tellBatch(List<? extends M> msgs) {
        Objects.requireNonNull(msgs, "msgs");
        for (M m : msgs) {
            if (m != null) {
                checked(m);
            }
        }
        pid.tellBatch(msgs);
    }

    /**
     * Asks msg, as {@link Pid#ask(Object, Duration)} does.
     *
     * @param msg the question
     * @param timeout how long to wait for the reply, positive
     * @return a future completed with the reply on the completion executor
     * @throws NullPointerException if msg or timeout is null
     * @throws ClassCastException if msg is not an instance of {@link #messageClass()}
     * @throws IllegalArgumentException if timeout is not positive
     * @throws ActorNotFoundException if the actor is not alive
     */
    public CompletableFuture<Object> ask(M msg, Duration timeout) {
        return pid.ask(checked(msg), timeout);
    }

    /**
     * Asks msg with the reply cast to replyType, as {@link Pid#ask(Object, Duration, Class)}
     * does (a reply of another class fails the future with ClassCastException).
     *
     * @param <R> the reply's type
     * @param msg the question
     * @param timeout how long to wait for the reply, positive
     * @param replyType the class of the reply
     * @return a future completed with the reply, cast
     * @throws NullPointerException if msg, timeout or replyType is null
     * @throws ClassCastException if msg is not an instance of {@link #messageClass()}
     * @throws IllegalArgumentException if timeout is not positive
     * @throws ActorNotFoundException if the actor is not alive
     */
    public <R> CompletableFuture<R> ask(M msg, Duration timeout, Class<R> replyType) {
        return pid.ask(checked(msg), timeout, replyType);
    }

    /**
     * Asks msg and waits for the reply cast to replyType, as {@link Pid#askSync(Object,
     * Duration, Class)} does.
     *
     * @param <R> the reply's type
     * @param msg the question
     * @param timeout how long to wait for the reply, positive
     * @param replyType the class of the reply
     * @return the reply, cast
     * @throws NullPointerException if msg, timeout or replyType is null
     * @throws ClassCastException if msg is not an instance of {@link #messageClass()}, or the
     *     reply is not a replyType
     * @throws IllegalArgumentException if timeout is not positive
     * @throws ActorNotFoundException if the actor is not alive
     * @throws AskTimeoutException if no reply came within timeout
     */
    public <R> R askSync(M msg, Duration timeout, Class<R> replyType) {
        Objects.requireNonNull(replyType, "replyType");
        return pid.askSync(checked(msg), timeout, replyType);
    }

    /**
     * This actor as a reference that takes only a subtype of M (Akka Typed's {@code
     * narrow}): e.g. the {@code ActorRef<Deposit>} of an {@code ActorRef<Cmd>}, handed to
     * code that may only deposit.
     *
     * @param <U> the narrower message type
     * @param subclass its class, M or a subclass of it
     * @return a reference to the same actor
     * @throws NullPointerException if subclass is null
     * @throws ClassCastException if subclass is not M or a subclass of it (a raw use)
     */
    public <U extends M> ActorRef<U> narrow(Class<U> subclass) {
        Class<U> c = boxed(Objects.requireNonNull(subclass, "subclass"));
        if (!messageClass.isAssignableFrom(c)) {
            throw new ClassCastException("akt: " + c.getName() + " is not a subtype of "
                    + messageClass.getName() + ", the messages of " + this);
        }
        return new ActorRef<>(pid, c);
    }

    /** msg, or a ClassCastException if it is not a message of this reference. */
    M checked(M msg) {
        Objects.requireNonNull(msg, "msg");
        if (!messageClass.isInstance(msg)) {
            throw new ClassCastException("akt: " + this + " takes " + messageClass.getName()
                    + " messages, not " + msg.getClass().getName());
        }
        return msg;
    }

    /** Equal to another reference of the same pid (the message class is not compared). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ActorRef<?> r && r.pid.equals(pid);
    }

    @Override
    public int hashCode() {
        return pid.hashCode();
    }

    /** {@code ActorRef<Class>(pid)}, e.g. {@code ActorRef<Cmd>(akt://demo/user/account)}. */
    @Override
    public String toString() {
        return "ActorRef<" + messageClass.getSimpleName() + ">(" + pid + ")";
    }
}
