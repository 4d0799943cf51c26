package dev.akt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message that is bytes plus a type name: what C actors (and other languages) send and
 * read. Telling one sends its bytes as they are; a message that arrives as bytes (from C,
 * say) reaches a Java actor as a BytesMessage. Java objects sent between Java actors do not
 * need this: they pass as references.
 *
 * @param type the type name, 1 to 255 bytes, e.g. {@code "shop.OrderPlaced"}
 * @param data the payload (not copied; do not change it after sending)
 */
public record BytesMessage(String type, byte[] data) {
    /**
     * A message of type with data as its payload.
     *
     * @param type the type name, 1 to 255 bytes (checked when the message is sent)
     * @param data the payload, not copied
     * @throws NullPointerException if type or data is null
     */
    public BytesMessage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /**
     * A message whose payload is {@code text} in UTF-8.
     *
     * @param type the type name
     * @param text the payload's text
     * @return the message
     */
    public static BytesMessage of(String type, String text) {
        return new BytesMessage(type, Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The payload decoded as UTF-8.
     *
     * @return the text (malformed UTF-8 replaced)
     */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /**
     * True if the type name is {@code type}.
     *
     * @param type a type name
     * @return whether this message has it
     */
    public boolean is(String type) {
        return this.type.equals(type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BytesMessage b && type.equals(b.type) && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "BytesMessage[" + type + ", " + data.length + " bytes]";
    }
}
