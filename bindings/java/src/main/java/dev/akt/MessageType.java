package dev.akt;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The type name akt gives messages of the annotated class (default: the class's binary
 * name). Other languages and the event stream see it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MessageType {
    /**
     * The type name, 1 to 255 bytes, e.g. {@code "shop.OrderPlaced"}.
     *
     * @return the type name
     */
    String value();
}
