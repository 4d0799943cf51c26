package dev.akt;

import java.util.function.Consumer;

/** Receives events from akt (Upcalls.event) for one subscription. */
final class EventSink {
    final ActorSystem system;
    private final Consumer<Event> listener;

    EventSink(ActorSystem system, Consumer<Event> listener) {
        this.system = system;
        this.listener = listener;
    }

    void onEvent(int kind, long pid, String path, long sender, Object obj, long msg, int code, String reason) {
        Object message;
        try {
            message = obj != null ? obj : msg != 0 ? Messages.fromNative(system, msg) : null;
        } catch (IllegalArgumentException malformed) { /* a bad akt.Int64 ...: the raw bytes */
            byte[] data = AktNativeJNI.aktj_msg_bytes(msg);
            message = new BytesMessage(AktNativeJNI.akt_msg_type(msg), data != null ? data : new byte[0]);
        }
        Event e = new Event(EventKind.of(kind), new Pid(system, pid), path,
                sender != 0 ? new Pid(system, sender) : null, message, code, reason);
        listener.accept(e);
    }
}
