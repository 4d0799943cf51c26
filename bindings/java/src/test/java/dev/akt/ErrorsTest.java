package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every row of akt.h's AKT_ERRNO_MAP, read from the header the jar was built from. */
class ErrorsTest {
    record Row(String name, int code, String text) {}

    /** The codes with a class of their own; every other row must be a plain AktException. */
    static final Map<String, Class<? extends RuntimeException>> DEDICATED = Map.of(
            "ENOTFOUND", ActorNotFoundException.class,
            "ESUSPENDED", ActorSuspendedException.class,
            "ETIMEDOUT", AskTimeoutException.class,
            "ESTOPPED", ActorStoppedException.class,
            "EFAILED", ActorFailedException.class,
            "EUNHANDLED", UnhandledMessageException.class,
            "ECLOSED", SystemClosedException.class,
            "EEXIST", ActorNameTakenException.class,
            "EFULL", MailboxFullException.class,
            "ECANCELED", CancellationException.class);

    static List<Row> headerRows() throws IOException {
        Path build = Path.of(System.getProperty("akt.native.build", "target/native-build"));
        String include = Files.readString(build.resolve("akt_include_dir"), StandardCharsets.UTF_8).strip();
        List<String> lines = Files.readAllLines(Path.of(include, "akt", "akt.h"), StandardCharsets.UTF_8);
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).startsWith("#define AKT_ERRNO_MAP(XX)")) {
                start = i;
            }
        }
        assertTrue(start >= 0, "akt.h defines AKT_ERRNO_MAP");
        Pattern row = Pattern.compile("XX\\((\\w+),\\s*(-?\\d+),\\s*\"([^\"]*)\"\\)");
        List<Row> rows = new ArrayList<>();
        for (int i = start; i < lines.size(); i++) {
            Matcher m = row.matcher(lines.get(i));
            if (m.find()) {
                rows.add(new Row(m.group(1), Integer.parseInt(m.group(2)), m.group(3)));
            }
            if (!lines.get(i).stripTrailing().endsWith("\\")) {
                break; // the macro's last line
            }
        }
        return rows;
    }

    /** The AktException behind what Errors.of gives (a CancellationException's cause). */
    static AktException akt(RuntimeException e) {
        if (e instanceof AktException a) {
            return a;
        }
        assertInstanceOf(CancellationException.class, e);
        return assertInstanceOf(AktException.class, e.getCause());
    }

    @Test
    void everyCodeOfTheHeaderMapsToATypedException() throws IOException {
        List<Row> rows = headerRows();
        assertTrue(rows.size() >= 18, "the table was read: " + rows);
        assertEquals(rows.size(), Errors.count(), "the JNI table has the header's rows, no more");
        for (Row r : rows) {
            RuntimeException e = Errors.of(r.code(), "op on x");
            Class<? extends RuntimeException> expected = DEDICATED.getOrDefault(r.name(), AktException.class);
            assertSame(expected, e.getClass(), r.name());
            AktException a = akt(e);
            assertEquals(r.code(), a.code(), r.name());
            assertEquals("AKT_" + r.name(), a.codeName(), r.name());
            assertEquals(AktNativeJNI.akt_err_name(r.code()), a.codeName(), r.name());
            assertEquals(a.codeName(), a.errorName(), r.name());
            assertEquals(r.text(), AktNativeJNI.akt_strerror(r.code()), r.name());
            assertEquals("op on x: AKT_" + r.name() + " (" + r.text() + ")", e.getMessage(), r.name());
        }
        for (String name : DEDICATED.keySet()) {
            assertTrue(rows.stream().anyMatch(r -> r.name().equals(name)), "the header still has AKT_" + name);
        }
    }

    @Test
    void codesOutsideTheTableAreStillAktExceptions() {
        for (int code : new int[] {-1000, 7, Integer.MIN_VALUE}) {
            RuntimeException e = Errors.of(code, "op");
            assertSame(AktException.class, e.getClass());
            assertEquals(code, ((AktException) e).code());
            assertEquals("AKT_E?", ((AktException) e).codeName());
        }
    }

    @Test
    void theCodesTheBindingTestsForAreTheHeaders() throws IOException {
        Map<String, Integer> byName = new java.util.HashMap<>();
        for (Row r : headerRows()) {
            byName.put(r.name(), r.code());
        }
        assertEquals(byName.get("EINVAL"), Errors.EINVAL);
        assertEquals(byName.get("ENOTFOUND"), Errors.ENOTFOUND);
        assertEquals(byName.get("EMISUSE"), Errors.EMISUSE);
        assertEquals(byName.get("ECLOSED"), Errors.ECLOSED);
        assertEquals(byName.get("EFAILED"), Errors.EFAILED);
        assertEquals(byName.get("EAGAIN"), Errors.EAGAIN);
        assertEquals(byName.get("EDEADLK"), Errors.EDEADLK);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Errors.code("ENOPE"));
        assertTrue(e.getMessage().contains("AKT_ENOPE"), e.getMessage());
    }
}
