package dev.akt;

import static dev.akt.AktNativeConstants.AKT_TYPE_TERMINATED;

import java.nio.charset.StandardCharsets;

/**
 * Java values and akt messages. A Java object travels as itself (a global reference inside
 * an object message, typed by its class); a {@link BytesMessage} travels as bytes; whatever
 * arrives as bytes is read back as a BytesMessage (or {@link Terminated}), or, for akt's
 * canonical scalar names, as the Java value ({@link Scalars}).
 */
final class Messages {
    private Messages() {}

    /** Interned native type name per class: computed once, so sends never convert strings. */
    private static final ClassValue<Long> TYPES = new ClassValue<>() {
        @Override
        protected Long computeValue(Class<?> type) {
            MessageType named = type.getAnnotation(MessageType.class);
            String scalar = named == null ? Scalars.typeOf(type) : null;
            String coded = Serializers.typeOf(type); /* a protobuf class: its full name */
            long t = AktNativeJNI.aktj_intern(named != null ? named.value()
                    : scalar != null ? scalar : coded != null ? coded : type.getName());
            if (t == 0) {
                throw new OutOfMemoryError("akt: cannot intern a type name");
            }
            return t;
        }
    };

    static long typeOf(Object msg) {
        return TYPES.get(msg.getClass());
    }

    /** A new native message (one reference, the caller's) for msg. */
    static long toNative(Object msg) {
        long[] out = new long[1];
        if (msg instanceof BytesMessage b) {
            Errors.check(AktNativeJNI.akt_msg_new_bytes(b.type(), b.data(), out),
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
