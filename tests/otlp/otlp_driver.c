/* The program the OTLP receiver test (test_otlp.py) runs: a system exporting to the
 * receiver's endpoint, a fixed scenario, and its exporter's stats on stdout.
 *
 *   otlp_driver ENDPOINT N QUEUE BATCH TIMEOUT_MS RETRIES INTERVAL_MS [HEADER]
 *
 * Spawns "front" and "back"; front forwards each "ping" to back, back answers asks. Tells
 * N pings to front, then asks back one "probe" (the runtime must go on whatever the
 * collector does: the probe is answered within 10 s, the tells all processed), then
 * akt_otlp_flush, and prints one line of key=value pairs; the system then shuts down (its
 * exporter's last attempt runs inside). Exit status 0 unless an akt call failed. */
#include <akt/akt.h>
#include <akt/telemetry.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static akt_msg *msg(const char *type) {
    akt_msg *m = NULL;
    return akt_msg_new_bytes(type, "", 0, AKT_COPY, &m) == 0 ? m : NULL;
}

static int front_receive(akt_ctx *ctx, akt_msg *m, void *state) {
    akt_pid *back = state;
    if (strcmp(akt_msg_type(m), "ping") == 0) return akt_ctx_tell(ctx, *back, msg("pong"));
    return AKT_EUNHANDLED;
}

static int back_receive(akt_ctx *ctx, akt_msg *m, void *state) {
    (void)state;
    if (strcmp(akt_msg_type(m), "probe") == 0) return akt_ctx_respond(ctx, msg("probed"));
    return 0;
}

#define CHECK(call)                                                \
    do {                                                           \
        int rc_ = (call);                                          \
        if (rc_ != 0) {                                            \
            fprintf(stderr, "%s: %s\n", #call, akt_err_name(rc_)); \
            return 1;                                              \
        }                                                          \
    } while (0)

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
    if (argc < 8) {
        fprintf(stderr,
                "usage: %s ENDPOINT N QUEUE BATCH TIMEOUT_MS RETRIES INTERVAL_MS [HEADER]\n",
                argv[0]);
        return 2;
    }
    long n = atol(argv[2]);
    akt_system_options so;
    CHECK(akt_system_options_init(&so));
    so.name = "otlpsys";
    so.workers = 2;
    akt_system *s = NULL;
    CHECK(akt_system_create(&so, &s));
    akt_otlp_options o;
    akt_otlp_options_init(&o);
    o.endpoint = argv[1];
    o.service_name = "otlp-test";
    o.queue_capacity = (uint32_t)atol(argv[3]);
    o.batch_size = (uint32_t)atol(argv[4]);
    o.timeout_ms = atol(argv[5]);
    o.max_retries = (uint32_t)atol(argv[6]);
    o.flush_interval_ms = atol(argv[7]);
    const char *headers[1] = {argc > 8 ? argv[8] : NULL};
    if (argc > 8) {
        o.headers = headers;
        o.nheaders = 1;
    }
    CHECK(akt_otlp_start(s, &o));

    akt_behavior b;
    memset(&b, 0, sizeof b);
    b.size = sizeof b;
    static akt_pid back;
    akt_spawn_options sp;
    CHECK(akt_spawn_options_init(&sp));
    sp.name = "back";
    b.receive = back_receive;
    CHECK(akt_spawn(s, &b, NULL, &sp, &back));
    sp.name = "front";
    b.receive = front_receive;
    akt_pid front;
    CHECK(akt_spawn(s, &b, &back, &sp, &front));

    int64_t t0 = now_ms();
    for (long i = 0; i < n; i++) CHECK(akt_tell(s, front, msg("ping")));
    akt_future *f = NULL;
    CHECK(akt_ask(s, back, msg("probe"), 10000000000LL, &f));
    akt_msg *reply = NULL;
    CHECK(akt_future_wait(f, -1, &reply));
    akt_msg_release(reply);
    akt_future_release(f);
    /* Every ping reached back before the probe did? No: front forwards them, so wait for
     * back's count (bounded: 20 s). */
    akt_actor_metrics am = {.size = sizeof am};
    for (;;) {
        CHECK(akt_metrics_actor(s, back, &am));
        if ((long)am.processed >= n + 1 || now_ms() - t0 > 20000) break;
        struct timespec d = {0, 1000000};
        nanosleep(&d, NULL);
    }
    int64_t ran_ms = now_ms() - t0;
    int frc = akt_otlp_flush(s, 30000);
    akt_otlp_stats st = {.size = sizeof st};
    CHECK(akt_otlp_stats_read(s, &st));
    printf("flush=%s processed=%" PRIu64 " ran_ms=%" PRId64 " queued=%" PRIu64 " exported=%" PRIu64
           " dropped=%" PRIu64 " dropped_full=%" PRIu64 " points_exported=%" PRIu64
           " points_dropped=%" PRIu64 " requests=%" PRIu64 " failed=%" PRIu64 " retries=%" PRIu64
           " queue_size=%" PRIu64 " status=%d\n",
           frc ? akt_err_name(frc) : "OK", am.processed, ran_ms, st.spans_queued, st.spans_exported,
           st.spans_dropped, st.spans_dropped_full, st.points_exported, st.points_dropped,
           st.requests, st.requests_failed, st.retries, st.queue_size, st.last_http_status);
    fflush(stdout);
    CHECK(akt_system_shutdown(s, NULL, NULL));
    CHECK(akt_system_wait(s, 60000000000LL));
    CHECK(akt_otlp_stats_read(s, &st));
    printf("after_shutdown queued=%" PRIu64 " exported=%" PRIu64 " dropped=%" PRIu64
           " queue_size=%" PRIu64 "\n",
           st.spans_queued, st.spans_exported, st.spans_dropped, st.queue_size);
    CHECK(akt_system_release(s));
    return 0;
}
