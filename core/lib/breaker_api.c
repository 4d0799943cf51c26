/* The public circuit breaker (akt_breaker_*): options and their defaults, references, and
 * the calls of breaker.h behind them. */
#include "lib/breaker.h"

#include "base/alloc.h"

#include <akt/akt.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#define SEC 1000000000LL

struct akt_breaker {
    atomic_int refs;
    akt__breaker *b;
};

AKT_API int akt_breaker_options_init(akt_breaker_options *o) {
    if (!o) return AKT_EINVAL;
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->failure_rate = 0.5; /* GoAkt's defaults */
    o->min_requests = 10;
    o->open_timeout_ns = 30 * SEC;
    o->window_ns = 60 * SEC;
    o->window_buckets = 12;
    o->half_open_max_calls = 1;
    return 0;
}

AKT_API int64_t akt_breaker_manual_clock(void *data) {
    /* relaxed: a clock reading orders nothing; the breaker's lock orders its own state */
    return data ? __atomic_load_n((int64_t *)data, __ATOMIC_RELAXED) : 0;
}

AKT_API int akt_breaker_create(const akt_breaker_options *options, akt_breaker **out) {
    if (out) *out = NULL;
    if (!out) return AKT_EINVAL;
    akt_breaker_options o;
    akt_breaker_options_init(&o);
    if (options) {
        if (options->size < offsetof(akt_breaker_options, clock) || options->size > sizeof o)
            return AKT_EINVAL;
        memcpy(&o, options, options->size);
        o.size = sizeof o;
    }
    akt__breaker_opts io = {.failure_rate = o.failure_rate,
                            .min_requests = o.min_requests,
                            .open_ns = o.open_timeout_ns,
                            .window_ns = o.window_ns,
                            .buckets = o.window_buckets,
                            .half_open_max = o.half_open_max_calls,
                            .now = o.clock,
                            .now_data = o.clock_data};
    akt_breaker *br = akt__dalloc(sizeof *br);
    if (!br) return AKT_ENOMEM;
    int rc = akt__breaker_new(&io, &br->b);
    if (rc) {
        akt__dfree(br);
        return rc;
    }
    /* relaxed: nobody else can see br before *out is returned */
    atomic_init(&br->refs, 1);
    *out = br;
    return 0;
}

AKT_API int akt_breaker_retain(akt_breaker *br) {
    if (!br) return AKT_EINVAL;
    /* relaxed: the caller already holds a reference, so the breaker cannot go meanwhile;
     * a new reference publishes nothing. */
    atomic_fetch_add_explicit(&br->refs, 1, memory_order_relaxed);
    return 0;
}

AKT_API int akt_breaker_release(akt_breaker *br) {
    if (!br) return AKT_EINVAL;
    /* acq_rel: the release orders this holder's uses before the free; the acquire of the
     * last one sees every other holder's uses before it frees. */
    if (atomic_fetch_sub_explicit(&br->refs, 1, memory_order_acq_rel) == 1) {
        akt__breaker_free(br->b);
        akt__dfree(br);
    }
    return 0;
}

AKT_API int akt_breaker_allow(akt_breaker *br) {
    return br ? akt__breaker_acquire(br->b) : AKT_EINVAL;
}

AKT_API int akt_breaker_record(akt_breaker *br, int success) {
    return br ? akt__breaker_record(br->b, success != 0) : AKT_EINVAL;
}

AKT_API int akt_breaker_state(akt_breaker *br, int *state) {
    if (!br || !state) return AKT_EINVAL;
    akt__breaker_metrics m;
    int rc = akt__breaker_metrics_get(br->b, &m);
    if (rc == 0) *state = (int)m.state;
    return rc;
}

AKT_API int akt_breaker_metrics_get(akt_breaker *br, akt_breaker_metrics *out) {
    if (!br || !out || out->size < offsetof(akt_breaker_metrics, successes)) return AKT_EINVAL;
    akt__breaker_metrics m;
    int rc = akt__breaker_metrics_get(br->b, &m);
    if (rc) return rc;
    akt_breaker_metrics full = {.size = out->size,
                                .state = (int)m.state,
                                .successes = m.successes,
                                .failures = m.failures,
                                .failure_rate = m.failure_rate,
                                .rejected = m.rejected};
    memcpy(out, &full, out->size < sizeof full ? out->size : sizeof full);
    return 0;
}
