package dev.akt;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An interned message type: a type name registered once ({@link ActorSystem#registerType(String)}
 * or {@link ActorSystem#registerType(Class)}) gets this handle and a small id, dense from 1 and
 * the same for every system and language of the process (types are never unregistered; at
 * most 4,095). A message of a registered type carries the id instead of a copy of its name;
 * a receive can branch on {@link Context#typeId()} with one integer compare instead of
 * comparing names. The name stays the message's identity: other languages, remote nodes and
 * the event stream see it, and a message made from the registered name (a {@link BytesMessage}
 * of that type, from any language) has the same id.
 *
 * <p>Two handles of the same name are equal (same id).
 */
public final class RegisteredType {
    /** The native akt_type (process-wide, never freed). */
    final long handle;
    private final int id;
    private final String name;

    RegisteredType(long handle, int id, String name) {
        this.handle = handle;
        this.id = id;
        this.name = name;
    }

    /**
     * The type's id: 1 to 4095, what {@link Context#typeId()} gives for its messages.
     *
     * @return the id
     */
    public int id() {
        return id;
    }

    /**
     * The type's name, the identity its messages have everywhere.
     *
     * @return the name, e.g. {@code "shop.Order"}
     */
    public String name() {
        return name;
    }

    /**
     * A bytes message of this type: sent with the type's handle, so no copy of its name is
     * made per send. It arrives as a {@link BytesMessage} of {@link #name()} whose
     * {@link Context#typeId()} is {@link #id()}.
     *
     * @param data the payload (not copied until the message is sent; do not change it after)
     * @return the message
     * @throws NullPointerException if data is null
     */
    public BytesMessage message(byte[] data) {
        return new BytesMessage(name, Objects.requireNonNull(data, "data"));
    }

    /**
     * A bytes message of this type whose payload is {@code text} in UTF-8, as
     * {@link #message(byte[])}.
     *
     * @param text the payload's text
     * @return the message
     * @throws NullPointerException if text is null
     */
    public BytesMessage message(String text) {
        return message(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegisteredType t && t.id == id;
    }

    @Override
    public int hashCode() {
        return id;
    }

    @Override
    public String toString() {
        return "RegisteredType[" + name + " #" + id + "]";
    }
}
