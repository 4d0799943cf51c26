package dev.akt;

import java.util.Arrays;

/**
 * The chunks of message slots (native/aktj_slots.c) by number, so that a receiving actor
 * reads a message's object with two array loads instead of a JNI reference. A chunk is
 * registered by the thread that made it before any of its slots carries a message; the
 * message's publication through akt's mailbox orders that registration (and the object's
 * store into the slot) before the receiver's read.
 */
final class Slots {
    private static volatile Object[][] chunks = new Object[16][];

    private Slots() {}

    static synchronized void register(int id, Object[] chunk) {
        Object[][] now = chunks;
        if (id >= now.length) {
            now = Arrays.copyOf(now, Math.max(id + 1, now.length * 2));
        } else {
            now = now.clone(); // never written in place: a reader sees a whole registry
        }
        now[id] = chunk;
        chunks = now;
    }

    /** The object of slot code ((chunk + 1) << 32 | index), as aktj_ctx_next_code gives it. */
    static Object get(long code) {
        return chunks[(int) (code >>> 32) - 1][(int) code];
    }
}
