package dev.akt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Cron expressions in Quartz syntax (akt.h, "Cron expressions"): 6 or 7 fields with seconds,
 * {@code sec min hour day-of-month month day-of-week [year]}, with {@code * ? , - /}, names,
 * {@code L}, {@code W} and {@code #}. Wall-clock times are read in the process's local time
 * zone (the C library's, from {@code TZ}), or in UTC. A local time skipped by a DST change
 * fires at the end of the gap; a repeated one fires once, at its first occurrence.
 */
public final class Cron {
    private Cron() {}

    private static final int UTC = 1; // AKT_CRON_UTC

    /**
     * Returns if {@code expr} is valid; throws {@link CronSyntaxException} otherwise.
     *
     * @param expr the expression
     * @throws CronSyntaxException if it does not parse, with its column
     */
    public static void validate(String expr) {
        long r = AktNativeJNI.aktj_cron_validate(bytes(expr));
        if (r > 0) {
            throw new CronSyntaxException(expr, (int) r);
        }
        Errors.check((int) r, "Cron.validate");
    }

    /**
     * The first fire time of {@code expr} strictly after {@code after}, in whole seconds, or
     * empty if it never fires again (before 2200).
     *
     * @param expr the expression
     * @param after the instant the fire time must come after
     * @param utc true to read the expression in UTC, false in the local time zone
     * @return the next fire time, or empty
     * @throws CronSyntaxException if the expression does not parse
     * @throws IllegalArgumentException if {@code after} is outside the years 1677-2262
     */
    public static Optional<Instant> nextAfter(String expr, Instant after, boolean utc) {
        Objects.requireNonNull(after, "after");
        byte[] text = bytes(expr);
        long afterNs;
        try {
            afterNs = Math.addExact(Math.multiplyExact(after.getEpochSecond(), 1_000_000_000L),
                    after.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Cron.nextAfter: " + after
                    + " is outside the nanosecond range of akt", e);
        }
        long[] out = new long[2];
        int rc = AktNativeJNI.aktj_cron_next(text, utc ? UTC : 0, afterNs, out);
        if (rc == 0) {
            return Optional.of(Instant.ofEpochSecond(Math.floorDiv(out[0], 1_000_000_000L)));
        }
        if (rc == Errors.ENOTFOUND) {
            return Optional.empty();
        }
        if (rc == Errors.EINVAL && out[1] > 0) {
            throw new CronSyntaxException(expr, (int) out[1]);
        }
        throw Errors.of(rc, "Cron.nextAfter");
    }

    /** The UTF-8 bytes of expr; a NUL (which C would stop at) is a syntax error there. */
    private static byte[] bytes(String expr) {
        Objects.requireNonNull(expr, "expr");
        int nul = expr.indexOf('\0');
        if (nul >= 0) {
            throw new CronSyntaxException(expr,
                    expr.substring(0, nul).getBytes(StandardCharsets.UTF_8).length + 1);
        }
        return expr.getBytes(StandardCharsets.UTF_8);
    }
}
