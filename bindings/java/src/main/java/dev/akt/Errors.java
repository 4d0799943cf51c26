package dev.akt;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;

/**
 * akt error codes to Java exceptions, with messages that say what failed and why.
 *
 * <p>The table is akt.h's {@code AKT_ERRNO_MAP}, which the JNI library expands into two arrays
 * (native/aktj_errors.c) read once here: every code the header defines maps to an exception,
 * its dedicated class where Java has one, else {@link AktException}. The codes the binding
 * tests for are looked up by name, so a code renamed in the header fails loudly at load.
 */
final class Errors {
    private Errors() {}

    /** The exception of a code that has a class of its own. */
    @FunctionalInterface
    private interface Factory extends BiFunction<Integer, String, RuntimeException> {}

    /** Codes with a dedicated exception, by their name in the table (without AKT_). */
    private static final Map<String, Factory> DEDICATED = Map.of(
            "ENOTFOUND", ActorNotFoundException::new,
            "ESUSPENDED", ActorSuspendedException::new,
            "ETIMEDOUT", AskTimeoutException::new,
            "ESTOPPED", ActorStoppedException::new,
            "EFAILED", ActorFailedException::new,
            "EUNHANDLED", UnhandledMessageException::new,
            "ECLOSED", SystemClosedException::new,
            "EEXIST", ActorNameTakenException::new,
            "EFULL", MailboxFullException::new,
            // Java's own type for a cancelled computation, with akt's code kept in the cause.
            "ECANCELED", (code, message) -> {
                CancellationException c = new CancellationException(message);
                c.initCause(new AktException(code, message));
                return c;
            });

    /** Factory by code (every row of the table); codes outside it get AktException. */
    private static final Map<Integer, Factory> BY_CODE = new HashMap<>();
    private static final Map<String, Integer> BY_NAME = new HashMap<>();

    static {
        int[] codes = AktNativeJNI.aktj_error_codes();
        String[] names = AktNativeJNI.aktj_error_names();
        for (int i = 0; i < codes.length; i++) {
            BY_NAME.put(names[i], codes[i]);
            BY_CODE.put(codes[i], DEDICATED.getOrDefault(names[i], AktException::new));
        }
        for (String name : DEDICATED.keySet()) {
            code(name); // each dedicated class names a code the header still has
        }
    }

    /** akt's exception classes with a code of their own (ECANCELED has none: Java's type). */
    private static final Map<Class<?>, String> CLASS_CODES = Map.of(
            ActorNotFoundException.class, "ENOTFOUND",
            ActorSuspendedException.class, "ESUSPENDED",
            AskTimeoutException.class, "ETIMEDOUT",
            ActorStoppedException.class, "ESTOPPED",
            ActorFailedException.class, "EFAILED",
            UnhandledMessageException.class, "EUNHANDLED",
            SystemClosedException.class, "ECLOSED",
            ActorNameTakenException.class, "EEXIST",
            MailboxFullException.class, "EFULL");

    /** The code of one of akt's exception classes, or null for any other class. */
    static Integer codeOf(Class<?> type) {
        String name = CLASS_CODES.get(type);
        return name != null ? code(name) : null;
    }

    static final int EINVAL = code("EINVAL");
    static final int ERANGE = code("ERANGE");
    static final int ENOTFOUND = code("ENOTFOUND");
    static final int EMISUSE = code("EMISUSE");
    static final int ECLOSED = code("ECLOSED");
    static final int EFAILED = code("EFAILED");
    static final int EAGAIN = code("EAGAIN");
    static final int EDEADLK = code("EDEADLK");

    /** The code of a row of the table by its name without AKT_ ("ENOTFOUND"). */
    static int code(String name) {
        Integer c = BY_NAME.get(name);
        if (c == null) {
            throw new IllegalStateException("akt: the native library has no error AKT_" + name
                    + " (its akt.h and this binding disagree)");
        }
        return c;
    }

    /** The number of codes akt.h defines. */
    static int count() {
        return BY_CODE.size();
    }

    static String name(int code) {
        return AktNativeJNI.akt_err_name(code);
    }

    /** An exception for {@code code}; {@code what} names the operation and its subject. */
    static RuntimeException of(int code, String what) {
        String message = what + ": " + name(code) + " (" + AktNativeJNI.akt_strerror(code) + ")";
        return BY_CODE.getOrDefault(code, AktException::new).apply(code, message);
    }

    /** The exception of an ask whose receiver failed with reason (may be null) and, when it
     *  was a Java actor of this JVM, its Throwable cause (else null). */
    static RuntimeException failed(int code, String what, String reason, Throwable cause) {
        if (reason == null) {
            return of(code, what);
        }
        if (code != EFAILED) {
            return of(code, what + " (the receiver failed: " + reason + ")");
        }
        String message = what + ": " + name(code) + " (" + AktNativeJNI.akt_strerror(code) + "): "
                + reason;
        return new ActorFailedException(code, message, reason, cause);
    }

    /** The exception of a send of msg to {@code to} that akt or the binding refused (issue
     *  17): AKT_ENOTSUP means a Java object the receiver, which is not a Java actor, would
     *  have to read as bytes, and it has none; the text says so. Other codes: as {@link #of}
     *  with what. */
    static RuntimeException refused(int code, String what, String op, Object msg, Pid to) {
        return refused(code, what, op, msg, String.valueOf(to));
    }

    /** {@link #refused(int, String, String, Object, Pid)} for a target named by text (a
     *  grain's identity). */
    static RuntimeException refused(int code, String what, String op, Object msg, String to) {
        if (code != code("ENOTSUP") || msg == null) {
            return of(code, what);
        }
        return of(code, op + " of a " + msg.getClass().getName() + " to " + to
                + " refused: that actor is not a Java actor and reads bytes, and this value has"
                + " none; send a String, byte[], BytesMessage, Long, Double, Boolean, a JSON-able"
                + " Map or List, or register a serializer for its type");
    }

    /** Throws for a non-zero code. */
    static void check(int code, String what) {
        if (code != 0) {
            throw of(code, what);
        }
    }
}
