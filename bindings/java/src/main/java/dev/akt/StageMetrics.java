package dev.akt;

/**
 * Counts of one stage of a stream.
 *
 * @param name its name
 * @param elementsIn elements it received (a source: 0)
 * @param elementsOut elements it passed on (a sink: 0)
 * @param drops resumed errors and buffer overflow
 * @param errors failed calls (each retry counts)
 * @param actor the index of the actor running it (fusion shares them)
 */
public record StageMetrics(String name, long elementsIn, long elementsOut, long drops, long errors,
                           int actor) {
}
