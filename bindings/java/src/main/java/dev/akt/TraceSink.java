package dev.akt;

import java.util.function.Consumer;

/** Receives spans from akt (aktj_trace.c calls onSpan on the handling actor's thread). */
final class TraceSink {
    private final ActorSystem system;
    private final Consumer<Span> listener;

    TraceSink(ActorSystem system, Consumer<Span> listener) {
        this.system = system;
        this.listener = listener;
    }

    static String hex(long v) {
        return String.format("%016x", v);
    }

    void onSpan(String name, long traceHi, long traceLo, long spanId, long parentId, int flags,
                long startNs, long endNs, String path, String type, int status) {
        try {
            listener.accept(new Span(name, hex(traceHi) + hex(traceLo), hex(spanId),
                    parentId == 0 ? null : hex(parentId), flags, startNs, endNs, path, type, status));
        } catch (Throwable t) {
            system.log(System.Logger.Level.WARNING, "a trace sink of " + system + " threw", t);
        }
    }
}
