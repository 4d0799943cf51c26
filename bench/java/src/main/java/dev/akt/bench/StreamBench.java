package dev.akt.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Elements per second of the 5-stage pipeline of bench/stream, range -> map(x + 1) ->
 * filter(even) -> map(x * 3) -> fold(sum), in one implementation per JVM: akt's Java stream
 * DSL ({@code dev.akt.Source}) or Pekko Streams ({@code org.apache.pekko.stream.javadsl}).
 * Usage: {@code StreamBench akt|pekko [n] [rounds] [window]} (defaults 1000000, 5, 256).
 * stream.sh runs both, alternating JVMs, next to the C bench (akt-stream-bench).
 *
 * <p>Each mode runs once as a warm-up (JIT, pools), then {@code rounds} times; every result
 * is checked against the closed-form sum. Prints one JSON line per mode:
 * {"impl":"akt-java"|"pekko","bench":"stream5_fused"|"stream5_unfused",
 * "elements_per_s_median":...,...}.
 *
 * <ul>
 *   <li>fused: akt with fusion on (the source and one actor for the fused stateless stages
 *       and the fold); Pekko's default, the whole graph in one actor (one GraphInterpreter).
 *   <li>unfused: akt with fusion off (every stage its own actor, 5); Pekko with an async
 *       boundary after the source and after each middle stage (5 actors).
 * </ul>
 *
 * <p>The same credit: akt's window and Pekko's input buffer (initial and max) are both
 * {@code window}, the figure bench/stream uses for its other peers.
 */
public final class StreamBench {
    /** How long one run may take before the bench gives up. */
    static final long TIMEOUT_S = 600;
    static final TimeUnit SECONDS = TimeUnit.SECONDS;

    /** One implementation: runs the pipeline over 0..n-1 once and gives the sum. */
    interface Impl extends AutoCloseable {
        String name();

        long run(int n, boolean fused) throws Exception;

        @Override
        void close();
    }

    /** The fold's result: 3 * (2 + 4 + ... up to n), the even elements of 1..n. */
    static long expected(long n) {
        long m = n / 2;
        return 3 * m * (m + 1);
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "akt";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 256;
        try (Impl impl = which.equals("pekko") ? new PekkoStreamImpl(window) : new AktStreamImpl(window)) {
            for (boolean fused : new boolean[] {true, false}) {
                measure(impl, n, rounds, fused);
            }
        }
        System.exit(0); // Pekko's and akt's threads are gone; do not wait for stragglers
    }

    private static void measure(Impl impl, int n, int rounds, boolean fused) throws Exception {
        check(impl, n, fused, impl.run(n, fused)); // warm-up
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            long sum = impl.run(n, fused);
            long dt = System.nanoTime() - t0;
            check(impl, n, fused, sum);
            rates[r] = n / (dt / 1e9);
        }
        Arrays.sort(rates);
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\":\"%s\",\"bench\":\"stream5_%s\",\"n\":%d,\"rounds\":%d,\"sum\":%d,"
                        + "\"elements_per_s_median\":%.0f,\"elements_per_s_min\":%.0f,"
                        + "\"elements_per_s_max\":%.0f}",
                impl.name(), fused ? "fused" : "unfused", n, rounds, expected(n),
                rates[rounds / 2], rates[0], rates[rounds - 1]));
    }

    private static void check(Impl impl, int n, boolean fused, long sum) {
        if (sum != expected(n)) {
            throw new IllegalStateException(impl.name() + (fused ? " fused" : " unfused")
                    + ": sum " + sum + ", expected " + expected(n));
        }
    }
}
