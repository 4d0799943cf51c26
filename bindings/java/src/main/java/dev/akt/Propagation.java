package dev.akt;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A system's {@link ContextPropagator} as native code calls it (Upcalls.propagate). */
final class Propagation {
    private final ContextPropagator propagator;
    private final Logger logger;

    Propagation(ContextPropagator propagator, Logger logger) {
        this.propagator = propagator;
        this.logger = logger;
    }

    /** kv: the current message's headers [k0, v0, ...]; the pairs to add, or null. */
    String[] inject(String[] kv) {
        try {
            Map<String, String> in = new LinkedHashMap<>();
            for (int i = 0; i + 1 < kv.length; i += 2) {
                in.put(kv[i], kv[i + 1]);
            }
            Map<String, String> out = propagator.inject(Collections.unmodifiableMap(in));
            if (out == null || out.isEmpty()) {
                return null;
            }
            String[] pairs = new String[2 * out.size()];
            int i = 0;
            for (Map.Entry<String, String> e : out.entrySet()) {
                pairs[i++] = e.getKey();
                pairs[i++] = e.getValue();
            }
            return pairs;
        } catch (Throwable t) {
            try {
                logger.log(Level.WARNING, "akt: the propagator threw: " + t, t);
            } catch (Throwable ignored) {
                // nowhere left to report it
            }
            return null;
        }
    }
}
