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
        Object message = obj != null ? obj : msg != 0 ? Messages.fromNative(system, msg) : null;
        Event e = new Event(EventKind.of(kind), new Pid(system, pid), path,
                sender != 0 ? new Pid(system, sender) : null, message, code, reason);
        listener.accept(e);
    }
}
