package dev.akt.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Runs one implementation's benchmarks and prints one JSON line per benchmark:
 * {"impl":"akt-java"|"pekko","bench":"tell"|"ask_rtt",...}. Usage:
 * {@code Bench akt|pekko [tellMessages] [asks]}. run.sh runs both, one JVM each.
 *
 * <p>tell: one outside thread tells N messages (the same preallocated object) to one actor
 * that counts them; the time runs until the actor saw the last one. ask_rtt: sequential
 * asks from an outside thread, each waited for before the next. async_request: an outside
 * thread tells N messages to an actor whose handler, for each, makes a request to an echo
 * actor and finishes the message when the answer came, one message at a time, in order (akt:
 * an AsyncActor returning ctx.request's stage; Pekko: a tell to the echo with self as sender,
 * the next messages kept in the actor's own FIFO until the answer came); the time runs until
 * the last answer came.
 */
public final class Bench {
    /** The same message for both implementations: no allocation per send in the loop. */
    static final Object MSG = new Object();
    static final int ROUNDS = 5;

    /** One implementation under test. */
    interface Impl extends AutoCloseable {
        String name();

        /** Tells n messages and returns the nanoseconds until the receiver saw them all. */
        long tell(int n) throws Exception;

        /** One ask and its answer, waited for. */
        void ask() throws Exception;

        /** Tells n messages to the async actor; the nanoseconds until it finished them all. */
        long asyncRequests(int n) throws Exception;

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "akt";
        int tells = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        int asks = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int asyncs = args.length > 3 ? Integer.parseInt(args[3]) : 50_000;
        try (Impl impl = which.equals("pekko") ? new PekkoImpl() : new AktImpl()) {
            tell(impl, tells);
            askRtt(impl, asks);
            asyncRequests(impl, asyncs);
        }
        System.exit(0); // Pekko's and akt's threads are gone; do not wait for stragglers
    }

    private static void tell(Impl impl, int n) throws Exception {
        impl.tell(n); // warm-up (JIT, pools)
        double[] rates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            rates[r] = n / (impl.tell(n) / 1e9);
        }
        Arrays.sort(rates);
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\":\"%s\",\"bench\":\"tell\",\"messages\":%d,\"rounds\":%d,"
                        + "\"msgs_per_s_median\":%.0f,\"msgs_per_s_min\":%.0f,\"msgs_per_s_max\":%.0f}",
                impl.name(), n, ROUNDS, rates[ROUNDS / 2], rates[0], rates[ROUNDS - 1]));
    }

    private static void asyncRequests(Impl impl, int n) throws Exception {
        impl.asyncRequests(n); // warm-up
        double[] rates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            rates[r] = n / (impl.asyncRequests(n) / 1e9);
        }
        Arrays.sort(rates);
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\":\"%s\",\"bench\":\"async_request\",\"messages\":%d,\"rounds\":%d,"
                        + "\"msgs_per_s_median\":%.0f,\"msgs_per_s_min\":%.0f,\"msgs_per_s_max\":%.0f}",
                impl.name(), n, ROUNDS, rates[ROUNDS / 2], rates[0], rates[ROUNDS - 1]));
    }

    private static void askRtt(Impl impl, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            impl.ask(); // warm-up
        }
        long[] ns = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            impl.ask();
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        double mean = Arrays.stream(ns).average().orElse(0) / 1e3;
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\":\"%s\",\"bench\":\"ask_rtt\",\"asks\":%d,\"us_mean\":%.2f,\"us_p50\":%.2f,"
                        + "\"us_p99\":%.2f}",
                impl.name(), n, mean, ns[n / 2] / 1e3, ns[(int) (n * 0.99)] / 1e3));
    }
}
