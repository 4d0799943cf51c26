package dev.akt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Serializers written in Java (ActorSystem.registerSerializer): an object of a registered
 * class is encoded when akt asks for its bytes (it crosses to another node or another
 * language), and a message of the serializer's type that arrives as bytes is decoded back
 * into the class. Process-wide, as the type names are; the native side of each system
 * registers the serializer's name (aktj_serial.c).
 */
final class Serializers {
    private Serializers() {}

    record Codec(String type, Function<Object, byte[]> encode, Function<byte[], Object> decode) {}

    private static final Map<Class<?>, Codec> BY_CLASS = new ConcurrentHashMap<>();
    private static final Map<String, Codec> BY_TYPE = new ConcurrentHashMap<>();

    static void add(Class<?> cls, Codec codec) {
        BY_CLASS.put(cls, codec);
        BY_TYPE.put(codec.type(), codec);
    }

    /** The type name instances of cls are sent with by its serializer, or null. */
    static String typeOf(Class<?> cls) {
        Codec c = BY_CLASS.isEmpty() ? null : BY_CLASS.get(cls);
        return c == null ? null : c.type();
    }

    /** The bytes of obj by its class's serializer, or null if it has none. */
    static byte[] encode(Object obj) {
        Codec c = BY_CLASS.isEmpty() ? null : BY_CLASS.get(obj.getClass());
        if (c == null) {
            return null;
        }
        byte[] b = c.encode().apply(obj);
        if (b == null) {
            throw new IllegalArgumentException("akt: the serializer of " + c.type() + " encoded null");
        }
        return b;
    }

    /** The value of a message of type by its serializer, or Scalars.NONE. */
    static Object decode(String type, byte[] data) {
        Codec c = BY_TYPE.isEmpty() ? null : BY_TYPE.get(type);
        return c == null ? Scalars.NONE : c.decode().apply(data);
    }
}
