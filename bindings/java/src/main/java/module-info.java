/**
 * akt for Java: actors on akt's C runtime. {@code dev.akt} and its testkit ({@code
 * dev.akt.testkit}, probes and a JUnit 5 extension) are exported; the JNI layer
 * (raw native handles) is package-private inside it, and the native libraries are resources
 * of this module.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // OpenTelemetry's jars
module dev.akt {
    exports dev.akt;
    exports dev.akt.testkit;
    exports dev.akt.otel;

    requires static org.junit.jupiter.api; // dev.akt.testkit.AktExtension only
    requires static transitive io.opentelemetry.api; // dev.akt.otel only
    requires static io.opentelemetry.context; // dev.akt.otel only
    requires static transitive io.opentelemetry.sdk.trace; // dev.akt.otel.AktIdGenerator only
}
