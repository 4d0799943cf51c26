package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cron expressions: next fire times, "never again", and syntax errors with their column. */
class CronTest {
    private static Instant utc(String s) {
        return Instant.parse(s + "Z");
    }

    @Test
    void nextFireTimesInUtc() {
        String[][] rows = {
            {"0 0 12 ? * MON-FRI", "2024-01-05T12:00:00", "2024-01-08T12:00:00"},
            {"0 0 0 L * ?", "2024-02-01T00:00:00", "2024-02-29T00:00:00"},
            {"0 0 0 1W * ?", "2024-05-15T00:00:00", "2024-06-03T00:00:00"},
            {"0 0 0 ? * 6#3", "2024-01-01T00:00:00", "2024-01-19T00:00:00"},
            {"* * * * * ?", "2024-01-01T00:00:00.250", "2024-01-01T00:00:01"},
        };
        for (String[] r : rows) {
            assertEquals(Optional.of(utc(r[2])), Cron.nextAfter(r[0], utc(r[1]), true), r[0]);
        }
    }

    @Test
    void localTimeIsTheProcessZone() {
        // The C library and the JVM both take the zone from TZ (or /etc/localtime).
        Instant next = Cron.nextAfter("0 0 12 * * ?", utc("2024-07-01T00:00:00"), false)
                .orElseThrow();
        LocalDateTime local = LocalDateTime.ofInstant(next, ZoneId.systemDefault());
        assertEquals(12, local.getHour());
        assertEquals(0, local.getMinute());
    }

    @Test
    void neverAgainIsEmpty() {
        assertEquals(Optional.empty(), Cron.nextAfter("0 0 0 30 2 ?", Instant.EPOCH, true));
        assertEquals(Optional.empty(),
                Cron.nextAfter("0 0 0 1 1 ? 2020", utc("2024-01-01T00:00:00"), false));
    }

    @Test
    void syntaxErrorsCarryTheColumn() {
        Object[][] rows = {{"", 1}, {"* * * * *", 10}, {"60 * * * * ?", 1}, {"* * * ? * ?", 11},
            {"* * * ? * 6#6", 13}, {"0 0 0 * * ? 2200", 13}, {"0 0\0 0 * * ?", 4}};
        for (Object[] r : rows) {
            String expr = (String) r[0];
            CronSyntaxException e = assertThrows(CronSyntaxException.class, () -> Cron.validate(expr));
            assertEquals((int) r[1], e.column(), expr);
            assertEquals("AKT_EINVAL", e.codeName());
            CronSyntaxException e2 = assertThrows(CronSyntaxException.class,
                    () -> Cron.nextAfter(expr, Instant.EPOCH, true));
            assertEquals((int) r[1], e2.column(), expr);
        }
        Cron.validate("0 0 0 ? * FRIL");
        assertThrows(NullPointerException.class, () -> Cron.validate(null));
        assertThrows(IllegalArgumentException.class,
                () -> Cron.nextAfter("* * * * * ?", Instant.MAX, true));
    }
}
