package dev.akt;

/**
 * A child's failure as its supervisor sees it.
 *
 * @param code the akt error code ({@code AKT_EFAILED} for a Java exception)
 * @param errorName the code's name, e.g. {@code "AKT_EFAILED"}
 * @param reason the failure's text: for a Java exception its {@code toString()},
 *     {@code "<class>: <message>"} (just the class without a message), as for a C actor's
 *     {@code akt_ctx_fail} reason; null if none was given
 */
public record Failure(int code, String errorName, String reason) {}
