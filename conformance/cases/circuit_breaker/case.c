/* circuit_breaker: the public breaker's states, window and trial calls on a fake clock. */
#include "conf.h"

#include <stdio.h>

#define SEC 1000000000LL
#define MS 1000000LL

static int64_t now = 1000 * SEC;

static const char *state_name(int st) {
    return st == AKT_BREAKER_OPEN ? "open" : st == AKT_BREAKER_HALF_OPEN ? "half_open" : "closed";
}

static const char *state(akt_breaker *b) {
    int st = -1;
    conf_check(akt_breaker_state(b, &st), "akt_breaker_state");
    return state_name(st);
}

/* A call: allowed or not; the task succeeds when ok. */
static void call(akt_breaker *b, const char *step, int ok) {
    int rc = akt_breaker_allow(b);
    if (rc == AKT_EBUSY) {
        conf_say(step, "rejected");
        return;
    }
    conf_check(rc, "akt_breaker_allow");
    conf_check(akt_breaker_record(b, ok), "akt_breaker_record");
    conf_say(step, "%s", ok ? "ok" : "failed");
}

static void calls(akt_breaker *b, const char *prefix, int from, int to, int ok) {
    char step[32];
    for (int i = from; i <= to; i++) {
        snprintf(step, sizeof step, "%s.%d", prefix, i);
        call(b, step, ok);
    }
}

static void metrics(akt_breaker *b) {
    akt_breaker_metrics m = {.size = sizeof m};
    conf_check(akt_breaker_metrics_get(b, &m), "akt_breaker_metrics_get");
    conf_say("metrics", "%s successes=%llu failures=%llu rate=%d%% rejected=%llu",
             state_name(m.state), (unsigned long long)m.successes, (unsigned long long)m.failures,
             (int)(m.failure_rate * 100 + 0.5), (unsigned long long)m.rejected);
}

static void advance(akt_breaker *b, int64_t ns, const char *label) {
    __atomic_store_n(&now, now + ns, __ATOMIC_RELAXED);
    conf_say("clock", "%s %s", label, state(b));
}

int main(void) {
    akt_breaker_options o;
    conf_check(akt_breaker_options_init(&o), "akt_breaker_options_init");
    o.failure_rate = 0.5;
    o.min_requests = 4;
    o.open_timeout_ns = 5 * SEC;
    o.window_ns = 10 * SEC;
    o.window_buckets = 10;
    o.half_open_max_calls = 2;
    o.clock = akt_breaker_manual_clock;
    o.clock_data = &now;
    akt_breaker *b = NULL;
    conf_check(akt_breaker_create(&o, &b), "akt_breaker_create");
    conf_say("create", "%s", state(b));

    call(b, "call.1", 1);
    call(b, "call.2", 0);
    call(b, "call.3", 1);
    metrics(b);
    call(b, "call.4", 0);
    conf_say("state", "%s", state(b));
    call(b, "call.5", 1);
    metrics(b);

    advance(b, 4999 * MS, "+4.999s");
    advance(b, 1 * MS, "+0.001s");
    call(b, "trial.1", 1);
    conf_say("state", "%s", state(b));
    call(b, "trial.2", 1);
    conf_say("state", "%s", state(b));

    calls(b, "call", 6, 8, 0);
    metrics(b);
    advance(b, 10 * SEC, "+10s");
    metrics(b);

    calls(b, "call", 9, 12, 0);
    conf_say("trip", "%s", state(b));
    advance(b, 5 * SEC, "+5s");
    call(b, "trial.3", 0);
    conf_say("state", "%s", state(b));
    call(b, "call.13", 1);
    metrics(b);
    conf_check(akt_breaker_release(b), "akt_breaker_release");
    return 0;
}
