// cron: validation with the error column, and next fire times in UTC.
import dev.akt.*;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public class Case {
    static final String[] GOOD = {
        "0 0 12 ? * MON-FRI", "0 */15 9-17 ? * 2-6", "30 5 10 * * ?", "0 0 0 L * ?",
        "0 0 0 L-3 * ?", "0 0 0 1W * ?", "0 0 0 LW * ?", "0 0 0 ? * 6L", "0 0 0 ? * FRI#3",
        "0 0 0 29 2 ?", "0 0 8 1 jan,JUL ?", "0 0 22-2 * * ?", "0 0 0 1 1 ? 2030",
        "0 0 0 1 1 ? 2020",
    };
    static final String[] BAD = {
        "", "* * * * *", "60 * * * * ?", "* * * ? * ?", "* * * 1 * MON", "* * * ? * 6#6",
        "* * * ? * MONDAY", "0 0 0 * * ? 2200", "*/0 * * * * ?", "0 0 0 L-31 * ?",
    };
    static final Instant START = Instant.parse("2024-01-15T10:07:30Z");
    static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    static String iso(Optional<Instant> when) {
        return when.map(ISO::format).orElse("never");
    }

    public static void main(String[] args) {
        List<String> all = new ArrayList<>(List.of(GOOD));
        all.addAll(List.of(BAD));
        for (String expr : all) {
            try {
                Cron.validate(expr);
                Conf.say("validate", "\"" + expr + "\": ok");
            } catch (CronSyntaxException e) {
                Conf.say("validate", "\"" + expr + "\": " + e.codeName() + " column " + e.column());
            }
        }
        for (String expr : GOOD) {
            Optional<Instant> first = Cron.nextAfter(expr, START, true);
            if (first.isEmpty()) {
                Conf.say("next", "\"" + expr + "\": never");
                continue;
            }
            Optional<Instant> second = Cron.nextAfter(expr, first.get(), true);
            Conf.say("next", "\"" + expr + "\": " + iso(first) + " " + iso(second));
        }
    }
}
