package dev.akt;

import static dev.akt.internal.AktNativeConstants.*;

import dev.akt.internal.AktNativeJNI;
import java.util.concurrent.CancellationException;

/** akt error codes to Java exceptions, with messages that say what failed and why. */
final class Errors {
    private Errors() {}

    static String name(int code) {
        return AktNativeJNI.akt_err_name(code);
    }

    /** An exception for {@code code}; {@code what} names the operation and its subject. */
    static RuntimeException of(int code, String what) {
        String message = what + ": " + name(code) + " (" + AktNativeJNI.akt_strerror(code) + ")";
        if (code == AKT_ENOTFOUND) {
            return new ActorNotFoundException(code, message);
        } else if (code == AKT_ETIMEDOUT) {
            return new AskTimeoutException(code, message);
        } else if (code == AKT_ESTOPPED) {
            return new ActorStoppedException(code, message);
        } else if (code == AKT_EFAILED) {
            return new ActorFailedException(code, message);
        } else if (code == AKT_EUNHANDLED) {
            return new UnhandledMessageException(code, message);
        } else if (code == AKT_ECLOSED) {
            return new SystemClosedException(code, message);
        } else if (code == AKT_EEXIST) {
            return new ActorNameTakenException(code, message);
        } else if (code == AKT_ECANCELED) {
            CancellationException c = new CancellationException(message);
            c.initCause(new AktException(code, message));
            return c;
        }
        return new AktException(code, message);
    }

    /** The exception of an ask whose receiver failed with reason (may be null) and, when it
     *  was a Java actor of this JVM, its Throwable cause (else null). */
    static RuntimeException failed(int code, String what, String reason, Throwable cause) {
        if (reason == null) {
            return of(code, what);
        }
        if (code != AKT_EFAILED) {
            return of(code, what + " (the receiver failed: " + reason + ")");
        }
        String message = what + ": " + name(code) + " (" + AktNativeJNI.akt_strerror(code) + "): "
                + reason;
        return new ActorFailedException(code, message, reason, cause);
    }

    /** Throws for a non-zero code. */
    static void check(int code, String what) {
        if (code != 0) {
            throw of(code, what);
        }
    }
}
