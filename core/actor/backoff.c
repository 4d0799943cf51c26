/* Backoff restarts. The parent keeps, per child, its consecutive restarts and the time of
 * its last failure; the child arms a timer on the system's timer thread, which sends it
 * SYS_RESTART (arg 2, code = the timer's sequence) when the delay is over. The timer
 * record has two owners, the child's ext and the timer heap, and goes with the last. */
#include "backoff.h"

#include <stdatomic.h>
#include <string.h>

#include "base/clock.h"
#include "ext.h"
#include "kernel/sys.h"
#include "life.h"
#include "send.h"

typedef struct akt__backoff {
    akt__timer t; /* first: fire gets &t */
    akt_system *s;
    akt_pid child;
    int32_t seq;
    atomic_int refs; /* the child's ext and, while armed, the timer heap */
} akt__backoff;

static void akt__backoff_unref(akt__backoff *b) {
    /* acq_rel: the last owner sees every write of the other before it frees. */
    if (atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
        akt__heap_free(&b->s->heap, b);
}

static void akt__backoff_fire(akt__timer *t, int closed) {
    akt__backoff *b = (akt__backoff *)t;
    if (!closed &&
        akt__send_sys(b->s, b->child, AKT__SYS_RESTART, 2, b->seq, NULL, NULL) == AKT_ENOMEM)
        akt__stop_request(b->s, b->child); /* cannot restart it: stop rather than hang */
    akt__backoff_unref(b);
}

/* r in [0, 1): the supervisor's generator, or a per-thread xorshift seeded by the clock. */
static double akt__backoff_random(const akt_supervisor *sup) {
    if (sup->backoff_random) {
        double r = sup->backoff_random(sup->backoff_random_data);
        return r >= 0 && r < 1 ? r : (r >= 1 ? 1.0 - 0x1p-53 : 0.0); /* NaN: 0 */
    }
    static _Thread_local uint64_t x;
    if (!x) x = (uint64_t)akt__now_ns() * UINT64_C(0x9E3779B97F4A7C15) | 1;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return (double)(x >> 11) / (double)(UINT64_C(1) << 53);
}

int64_t akt__backoff_delay(akt_system *s, akt__cell *parent, const akt_supervisor *sup,
                           uint64_t child) {
    if (!sup || sup->backoff_min_ns <= 0) return 0;
    akt__ext *x = akt__ext_get(s, parent);
    if (!x) return 0;
    int64_t now = akt__now_ns();
    akt__vec *v = &x->backoffs; /* (child id, last failure ns, restarts) triples */
    uint32_t k = 0, found = UINT32_MAX;
    for (uint32_t i = 0; i + 2 < v->n; i += 3) {
        int quiet = sup->backoff_reset_ns > 0 &&
                    now - (int64_t)v->v[i + 1] >= sup->backoff_reset_ns;
        if (v->v[i] != child && (quiet || !akt__cell_live(s, (akt_pid){v->v[i]}))) continue;
        if (k != i) memmove(&v->v[k], &v->v[i], 3 * sizeof v->v[0]);
        if (v->v[k] == child) {
            found = k;
            if (quiet) v->v[k + 2] = 0;
        }
        k += 3;
    }
    v->n = k;
    if (found == UINT32_MAX) {
        if (akt__vec_push(&s->heap, v, child) || akt__vec_push(&s->heap, v, 0) ||
            akt__vec_push(&s->heap, v, 0)) {
            v->n = k;
            return 0;
        }
        found = k;
    }
    uint64_t n = ++v->v[found + 2];
    v->v[found + 1] = (uint64_t)now;
    double mult = sup->backoff_multiplier == 0 ? 2.0 : sup->backoff_multiplier;
    double cap = sup->backoff_max_ns > 0 ? (double)sup->backoff_max_ns : 9.0e18;
    double base = (double)sup->backoff_min_ns;
    for (uint64_t i = 1; i < n && base < cap; i++) base *= mult; /* stops at the cap */
    if (!(base <= cap)) base = cap;                              /* also for an overflow to inf */
    double delay = base - base * sup->backoff_jitter * akt__backoff_random(sup);
    return delay < 1 ? 1 : (int64_t)delay;
}

void akt__backoff_arm(akt__worker *w, akt__cell *c, int64_t delay_ns) {
    akt_system *s = w->disp->system;
    if (c->status != AKT__SUSPENDED) return;
    akt__ext *x = akt__ext_get(s, c);
    akt__backoff *b = x ? akt__heap_alloc(&s->heap, sizeof *b) : NULL;
    if (!b) {
        akt__actor_restart(w, c, 0);
        return;
    }
    akt__backoff_drop(s, x);
    b->t.deadline = akt__deadline_after(akt__now_ns(), delay_ns);
    b->t.heap_idx = 0;
    atomic_init(&b->t.claim, AKT__TIMER_IDLE);
    b->t.fire = akt__backoff_fire;
    b->s = s;
    b->child = akt__cell_pid(c);
    b->seq = ++x->backoff_seq;
    atomic_init(&b->refs, 2);
    if (akt__timer_add(&s->timers, &b->t) != 0) {
        akt__heap_free(&s->heap, b);
        akt__actor_restart(w, c, 0);
        return;
    }
    x->backoff = b;
}

int akt__backoff_due(const akt__cell *c, int32_t seq) {
    const akt__ext *x = akt__cell_ext(c);
    return x && x->backoff && x->backoff->seq == seq;
}

void akt__backoff_drop(akt_system *s, akt__ext *x) {
    akt__backoff *b = x ? x->backoff : NULL;
    if (!b) return;
    x->backoff = NULL;
    /* Removed from the heap: the heap's reference is ours to drop; otherwise the timer
     * fired or fires, and drops it there. */
    if (akt__timer_claim(&b->t) && akt__timer_cancel(&s->timers, &b->t)) akt__backoff_unref(b);
    akt__backoff_unref(b);
}
