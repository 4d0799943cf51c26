package dev.akt;

import static dev.akt.AktNativeConstants.AKT_TYPE_TERMINATED;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Java values and akt messages. A Java object travels as itself (a global reference inside
 * an object message, typed by its class); a {@link BytesMessage} travels as bytes; whatever
 * arrives as bytes is read back as a BytesMessage (or {@link Terminated}), or, for akt's
 * canonical scalar names, as the Java value ({@link Scalars}).
 */
final class Messages {
    private Messages() {}

    /** Registered types by name: the ones registered through this binding, and the ones
     *  another language registered that a lookup found. Types are never unregistered, so
     *  an entry never goes stale. */
    private static final ConcurrentHashMap<String, RegisteredType> REGISTERED = new ConcurrentHashMap<>();

    /**
     * The native type per class, computed once so that sends never convert strings: the
     * registered type's akt_type handle with its low bit set when the class's name is
     * registered (the message carries the handle, no copy of the name), else the interned
     * name (aktj_intern). Both are at least 4-byte aligned; aktj_msg_new_object tells them
     * apart by that bit (aktj.h).
     */
    private static final ClassValue<Long> TYPES = new ClassValue<>() {
        @Override
        protected Long computeValue(Class<?> type) {
            String name = typeName(type);
            /* A name that cannot be registered (empty, too long: its sends fail as before;
             * NUL or beyond the BMP) is never typed. */
            RegisteredType registered = typeable(name) ? lookup(name) : null;
            if (registered != null) {
                return registered.handle | 1L;
            }
            long t = AktNativeJNI.aktj_intern(name);
            if (t == 0) {
                throw new OutOfMemoryError("akt: cannot intern a type name");
            }
            return t;
        }
    };

    /** The akt type name of cls's instances: its {@link MessageType}, the scalar's canonical
     *  name, a protobuf class's full name, else its binary name. */
    static String typeName(Class<?> type) {
        MessageType named = type.getAnnotation(MessageType.class);
        if (named != null) {
            return named.value();
        }
        String scalar = Scalars.typeOf(type);
        if (scalar != null) {
            return scalar;
        }
        String coded = Serializers.typeOf(type); /* a protobuf class: its full name */
        return coded != null ? coded : type.getName();
    }

    static long typeOf(Object msg) {
        return TYPES.get(msg.getClass());
    }

    /** Whether name can be a registered type's: 1 to 255 bytes, no NUL, BMP only. */
    private static boolean typeable(String name) {
        if (name.isEmpty() || name.length() > 255) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                return false;
            }
        }
        return name.getBytes(StandardCharsets.UTF_8).length <= 255;
    }

    /** Throws IllegalArgumentException for a name whose modified UTF-8 (what JNI gives C) is
     *  not its UTF-8: one with NUL or a supplementary character. Other languages would know
     *  such a name by other bytes. */
    private static void checkName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                throw new IllegalArgumentException("akt: a message type name must not hold NUL or"
                        + " characters outside the Basic Multilingual Plane: '" + name + "'");
            }
        }
    }

    /** The exception of a refused type register or lookup: a bad name is the caller's. */
    private static RuntimeException typeError(int rc, String what, String name) {
        if (rc == Errors.EINVAL) {
            return new IllegalArgumentException("akt: " + what + ": a message type name is 1 to 255"
                    + " bytes of UTF-8, got " + name.getBytes(StandardCharsets.UTF_8).length + " bytes");
        }
        if (rc == Errors.code("EFULL")) {
            return new IllegalStateException("akt: " + what + " '" + name + "': the process has"
                    + " 4,095 registered message types, the most there can be");
        }
        return Errors.of(rc, what + " '" + name + "'");
    }

    /** Registers name (as akt_type_register: the same type for a name registered again). */
    static RegisteredType register(long system, String name) {
        Objects.requireNonNull(name, "name");
        RegisteredType t = REGISTERED.get(name);
        if (t != null) {
            return t;
        }
        checkName(name);
        long[] out = new long[1];
        int rc = AktNativeJNI.akt_type_register(system, name, out);
        if (rc != 0) {
            throw typeError(rc, "registerType", name);
        }
        return REGISTERED.computeIfAbsent(name, n -> new RegisteredType(out[0], (int) AktNativeJNI.akt_type_id(out[0]), n));
    }

    /** Registers cls's type name and makes its instances' sends carry the handle. */
    static RegisteredType register(long system, Class<?> cls) {
        Objects.requireNonNull(cls, "cls");
        if (cls == BytesMessage.class) {
            throw new IllegalArgumentException("akt: a BytesMessage's type is its own: register the name");
        }
        RegisteredType t = register(system, typeName(cls));
        TYPES.remove(cls); /* computed before the registration: by name until recomputed */
        return t;
    }

    /** The registered type of name (by any language), or null if it was never registered. */
    static RegisteredType lookup(String name) {
        Objects.requireNonNull(name, "name");
        RegisteredType t = REGISTERED.get(name);
        if (t != null) {
            return t;
        }
        checkName(name);
        long[] out = new long[1];
        int rc = AktNativeJNI.akt_type_lookup(name, out);
        if (rc == Errors.ENOTFOUND) {
            return null;
        }
        if (rc != 0) {
            throw typeError(rc, "typeId", name);
        }
        return REGISTERED.computeIfAbsent(name, n -> new RegisteredType(out[0], (int) AktNativeJNI.akt_type_id(out[0]), n));
    }

    /** A new native message (one reference, the caller's) for msg. */
    static long toNative(Object msg) {
        long[] out = new long[1];
        if (msg instanceof BytesMessage b) {
            /* A registered name: the message carries the handle, not a copy of the name. */
            RegisteredType t = REGISTERED.get(b.type());
            Errors.check(t != null ? AktNativeJNI.akt_msg_new_typed(t.handle, b.data(), out)
                    : AktNativeJNI.akt_msg_new_bytes(b.type(), b.data(), out),
                    "message of type '" + b.type() + "'");
            return out[0];
        }
        long m = AktNativeJNI.aktj_msg_new_object(msg, typeOf(msg));
        if (m == 0) {
            throw new OutOfMemoryError("akt: cannot allocate a message");
        }
        return m;
    }

    /** The Java value of a native message that is not a Java object (borrowed handle). */
    static Object fromNative(ActorSystem system, long msg) {
        Object obj = AktNativeJNI.aktj_msg_object(msg);
        if (obj != null) {
            return obj;
        }
        String type = AktNativeJNI.akt_msg_type(msg);
        if (AKT_TYPE_TERMINATED.equals(type)) {
            long[] pid = new long[1];
            AktNativeJNI.akt_msg_pid(msg, pid);
            return new Terminated(new Pid(system, pid[0]));
        }
        byte[] data = AktNativeJNI.aktj_msg_bytes(msg);
        if (data == null) data = new byte[0];
        Object custom = Serializers.decode(type, data); /* a registered serializer's class */
        if (custom != Scalars.NONE) {
            return custom;
        }
        Object scalar = Scalars.fromBytes(type, data); /* throws on a malformed payload */
        return scalar != Scalars.NONE ? scalar : new BytesMessage(type, data);
    }

    /** Bytes of a Java object for other languages (Upcalls.toBytes); null if it has none. */
    static byte[] toBytes(Object obj) {
        if (obj instanceof byte[] b) {
            return b;
        }
        if (obj instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (obj instanceof BytesMessage b) {
            return b.data();
        }
        byte[] custom = Serializers.encode(obj);
        return custom != null ? custom : Scalars.toBytes(obj);
    }
}
