/* The circuit breaker (breaker.h). One mutex guards everything: a transition reads the
 * window and writes the state together, which atomics alone could not make consistent. */
#include "lib/breaker.h"

#include "base/alloc.h"
#include "base/clock.h"

#include <akt/akt.h>
#include <pthread.h>
#include <string.h>

typedef struct bucket {
    int64_t start; /* the bucket's slot number (time / bucket_ns); -1 when empty */
    uint64_t ok, fail;
} bucket;

struct akt__breaker {
    pthread_mutex_t mu;
    akt__breaker_opts o;
    int64_t bucket_ns;
    akt__breaker_state state;
    int64_t opened_at;
    uint32_t trials_started, trials_ok;
    uint64_t rejected;
    bucket b[AKT__BREAKER_MAX_BUCKETS];
};

static int64_t mono(void *data) {
    (void)data;
    return akt__now_ns();
}

static void reset_window(akt__breaker *b) {
    for (uint32_t i = 0; i < b->o.buckets; i++) {
        b->b[i].start = -1;
        b->b[i].ok = b->b[i].fail = 0;
    }
}

int akt__breaker_new(const akt__breaker_opts *opts, akt__breaker **out) {
    if (out) *out = NULL;
    if (!opts || !out) return AKT_EINVAL;
    if (!(opts->failure_rate > 0.0 && opts->failure_rate <= 1.0) || opts->min_requests < 1 ||
        opts->open_ns <= 0 || opts->window_ns <= 0 || opts->buckets < 1 ||
        opts->buckets > AKT__BREAKER_MAX_BUCKETS || opts->half_open_max < 1 ||
        opts->window_ns / opts->buckets < 1)
        return AKT_EINVAL;
    akt__breaker *b = akt__dalloc(sizeof *b);
    if (!b) return AKT_ENOMEM;
    memset(b, 0, sizeof *b);
    if (pthread_mutex_init(&b->mu, NULL) != 0) {
        akt__dfree(b);
        return AKT_ENOMEM;
    }
    b->o = *opts;
    if (!b->o.now) b->o.now = mono;
    b->bucket_ns = opts->window_ns / opts->buckets;
    b->state = AKT__BREAKER_CLOSED;
    reset_window(b);
    *out = b;
    return 0;
}

void akt__breaker_free(akt__breaker *b) {
    if (!b) return;
    pthread_mutex_destroy(&b->mu);
    akt__dfree(b);
}

/* The bucket for slot `slot`, emptied if it last held an older slot. */
static bucket *bucket_for(akt__breaker *b, int64_t slot) {
    bucket *k = &b->b[slot % b->o.buckets];
    if (k->start != slot) {
        k->start = slot;
        k->ok = k->fail = 0;
    }
    return k;
}

/* Sums over the buckets still inside the window ending at slot `slot`. */
static void sums(const akt__breaker *b, int64_t slot, uint64_t *ok, uint64_t *fail) {
    *ok = *fail = 0;
    for (uint32_t i = 0; i < b->o.buckets; i++) {
        const bucket *k = &b->b[i];
        if (k->start >= 0 && k->start > slot - (int64_t)b->o.buckets && k->start <= slot) {
            *ok += k->ok;
            *fail += k->fail;
        }
    }
}

static int64_t slot_now(akt__breaker *b, int64_t *now) {
    *now = b->o.now(b->o.now_data);
    return *now < 0 ? 0 : *now / b->bucket_ns;
}

/* Open -> half-open once open_ns has passed. Called with the lock held. */
static void maybe_half_open(akt__breaker *b, int64_t now) {
    if (b->state == AKT__BREAKER_OPEN && now - b->opened_at >= b->o.open_ns) {
        b->state = AKT__BREAKER_HALF_OPEN;
        b->trials_started = b->trials_ok = 0;
    }
}

static void trip(akt__breaker *b, int64_t now) {
    b->state = AKT__BREAKER_OPEN;
    b->opened_at = now;
    reset_window(b);
}

int akt__breaker_acquire(akt__breaker *b) {
    if (!b) return AKT_EINVAL;
    int rc = 0;
    int64_t now;
    pthread_mutex_lock(&b->mu);
    (void)slot_now(b, &now);
    maybe_half_open(b, now);
    if (b->state == AKT__BREAKER_OPEN) {
        rc = AKT_EBUSY;
    } else if (b->state == AKT__BREAKER_HALF_OPEN) {
        if (b->trials_started >= b->o.half_open_max)
            rc = AKT_EBUSY;
        else
            b->trials_started++;
    }
    if (rc) b->rejected++;
    pthread_mutex_unlock(&b->mu);
    return rc;
}

int akt__breaker_record(akt__breaker *b, int ok) {
    if (!b) return AKT_EINVAL;
    int64_t now;
    pthread_mutex_lock(&b->mu);
    int64_t slot = slot_now(b, &now);
    maybe_half_open(b, now);
    switch (b->state) {
    case AKT__BREAKER_HALF_OPEN:
        if (!ok) {
            trip(b, now);
        } else if (++b->trials_ok >= b->o.half_open_max) {
            b->state = AKT__BREAKER_CLOSED;
            reset_window(b);
        }
        break;
    case AKT__BREAKER_OPEN:
        break; /* a call started before the trip: its outcome no longer counts */
    case AKT__BREAKER_CLOSED: {
        bucket *k = bucket_for(b, slot);
        if (ok)
            k->ok++;
        else
            k->fail++;
        uint64_t s, f;
        sums(b, slot, &s, &f);
        if (s + f >= b->o.min_requests && (double)f >= b->o.failure_rate * (double)(s + f))
            trip(b, now);
        break;
    }
    }
    pthread_mutex_unlock(&b->mu);
    return 0;
}

int akt__breaker_metrics_get(akt__breaker *b, akt__breaker_metrics *out) {
    if (!b || !out) return AKT_EINVAL;
    int64_t now;
    pthread_mutex_lock(&b->mu);
    int64_t slot = slot_now(b, &now);
    maybe_half_open(b, now);
    memset(out, 0, sizeof *out);
    sums(b, slot, &out->successes, &out->failures);
    uint64_t n = out->successes + out->failures;
    out->failure_rate = n ? (double)out->failures / (double)n : 0.0;
    out->state = b->state;
    out->rejected = b->rejected;
    pthread_mutex_unlock(&b->mu);
    return 0;
}
