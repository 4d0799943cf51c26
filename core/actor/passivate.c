/* Passivation (passivate.h). */
#include "passivate.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "base/clock.h"
#include "ext.h"
#include "kernel/events.h"
#include "kernel/stats.h"
#include "kernel/sys.h"
#include "life.h"
#include "mailbox/mailbox.h"
#include "request.h"
#include "send.h"

/* IDLE: a side table per page of cells (AKT__PAGE_CELLS slots, made on the first IDLE
 * strategy of an actor of that page), and one sweeper timer for the whole system on its
 * timer heap. A slot is 24 bytes; the cell keeps only its 4-bit epoch. The sweeper fires at
 * the earliest armed deadline (no sooner than AKT__SWEEP_GRAIN_NS after its last fire, so a
 * million staggered deadlines cost at most one scan per grain), scans the pages whose
 * earliest deadline is due and sends each due actor a SYS_PASSIVATE (code = its epoch); the
 * check on the actor's turn passivates it or arms its slot again. Everything of the table
 * is under one mutex, a leaf lock: nothing is called under it that takes another akt lock
 * except the timer lock (to re-arm the sweeper), which never waits for it. */
#define AKT__SWEEP_GRAIN_NS 1000000ll
#define AKT__SWEEP_BATCH 256
#define AKT__MAX_IDLES 65535u

enum { AKT__SLOT_FREE = 0, AKT__SLOT_ARMED = 1, AKT__SLOT_FIRED = 2 };

typedef struct akt__pslot {
    int64_t deadline; /* monotonic ns, while ARMED */
    uint32_t gen;     /* the low 32 bits of the incarnation's generation */
    uint32_t seen;    /* the low 32 bits of its processed count at the last check */
    uint16_t idle;    /* index in akt__ppart.idles */
    uint8_t epoch;    /* the cell's passive_epoch when the strategy was set */
    uint8_t state;    /* AKT__SLOT_* */
} akt__pslot;

typedef struct akt__ppart {
    akt__part part; /* first: the system's parts list holds &part */
    akt__timer sweep;
    akt_system *s;
    pthread_mutex_t lock;
    akt__pslot *pages[AKT__MAX_PAGES];
    int64_t page_min[AKT__MAX_PAGES]; /* a lower bound of the page's ARMED deadlines */
    uint32_t npages;                  /* pages below this may have a table */
    int64_t armed_for;                /* the sweeper's deadline; INT64_MAX = not armed */
    int64_t last_sweep;
    int firing;
    int64_t *idles; /* the distinct idle times, interned */
    uint32_t n_idles, cap_idles;
} akt__ppart;

static const char akt__ppart_key = 0;

static void akt__ppart_free(akt_system *s, akt__part *part) {
    akt__ppart *pp = (akt__ppart *)part;
    for (uint32_t i = 0; i < pp->npages; i++) akt__heap_free(&s->heap, pp->pages[i]);
    akt__heap_free(&s->heap, pp->idles);
    pthread_mutex_destroy(&pp->lock);
    akt__heap_free(&s->heap, pp);
}

static void akt__sweep_fire(akt__timer *t, int closed);

/* The system's table, made if create and missing (NULL without memory). */
static akt__ppart *akt__ppart_get(akt_system *s, int create) {
    pthread_mutex_lock(&s->lock);
    akt__part *p = s->parts;
    while (p && p->key != &akt__ppart_key) p = p->next;
    akt__ppart *pp = (akt__ppart *)p;
    if (!pp && create && (pp = akt__heap_calloc(&s->heap, sizeof *pp)) != NULL) {
        pp->part.key = &akt__ppart_key;
        pp->part.free = akt__ppart_free;
        pp->sweep.fire = akt__sweep_fire;
        atomic_init(&pp->sweep.claim, AKT__TIMER_IDLE);
        pp->s = s;
        pthread_mutex_init(&pp->lock, NULL);
        for (uint32_t i = 0; i < AKT__MAX_PAGES; i++) pp->page_min[i] = INT64_MAX;
        pp->armed_for = INT64_MAX;
        akt__part_add_locked(s, &pp->part);
    }
    pthread_mutex_unlock(&s->lock);
    return pp;
}

/* The slot of cell idx (made if create; NULL without memory or without a table). Lock
 * held. */
static akt__pslot *akt__slot_locked(akt__ppart *pp, uint32_t idx, int create) {
    uint32_t pg = idx >> AKT__PAGE_SHIFT;
    if (!pp->pages[pg]) {
        if (!create) return NULL;
        pp->pages[pg] = akt__heap_calloc(&pp->s->heap, AKT__PAGE_CELLS * sizeof(akt__pslot));
        if (!pp->pages[pg]) return NULL;
        if (pg >= pp->npages) pp->npages = pg + 1;
    }
    return &pp->pages[pg][idx & (AKT__PAGE_CELLS - 1)];
}

/* The sweeper at d or sooner. Lock held. */
static void akt__sweep_at_locked(akt__ppart *pp, int64_t d) {
    if (pp->firing || d >= pp->armed_for) return; /* a running sweep re-arms at its end */
    int64_t floor = akt__deadline_after(pp->last_sweep, AKT__SWEEP_GRAIN_NS);
    if (d < floor) d = floor;
    if (pp->armed_for != INT64_MAX) {
        if (!akt__timer_claim(&pp->sweep)) return; /* being fired: the sweep will see d */
        if (!akt__timer_cancel(&pp->s->timers, &pp->sweep)) return; /* fires after this */
    }
    pp->sweep.deadline = d;
    pp->sweep.heap_idx = 0;
    /* AKT_ECLOSED: the system stops (so do its actors); AKT_ENOMEM: long-lived until the
     * next arm. */
    pp->armed_for = akt__timer_add(&pp->s->timers, &pp->sweep) ? INT64_MAX : d;
}

static void akt__arm_locked(akt__ppart *pp, akt__pslot *sl, uint32_t idx, int64_t now) {
    uint32_t pg = idx >> AKT__PAGE_SHIFT;
    sl->state = AKT__SLOT_ARMED;
    sl->deadline = akt__deadline_after(now, pp->idles[sl->idle]);
    if (sl->deadline < pp->page_min[pg]) pp->page_min[pg] = sl->deadline;
    akt__sweep_at_locked(pp, sl->deadline);
}

/* Collects up to AKT__SWEEP_BATCH due actors (their slots become FIRED); returns how many,
 * and sets *more if it stopped early. Lock held. */
static int akt__sweep_collect_locked(akt__ppart *pp, int64_t now, akt_pid *pids, uint8_t *epochs,
                                     int *more) {
    akt_system *s = pp->s;
    int n = 0;
    *more = 0;
    for (uint32_t pg = 0; pg < pp->npages; pg++) {
        akt__pslot *t = pp->pages[pg];
        if (!t || pp->page_min[pg] > now) continue;
        /* acquire: the page's cells are initialised before the page is published */
        akt__cell *cells = atomic_load_explicit(&s->pages[pg], memory_order_acquire);
        int64_t min = INT64_MAX;
        for (uint32_t i = 0; i < AKT__PAGE_CELLS; i++) {
            akt__pslot *sl = &t[i];
            if (sl->state != AKT__SLOT_ARMED) continue;
            if (sl->deadline > now || n == AKT__SWEEP_BATCH) {
                if (sl->deadline <= now) *more = 1; /* the batch is full: next round */
                if (sl->deadline < min) min = sl->deadline;
                continue;
            }
            /* relaxed: a hint checked again on the actor's turn (the gen in the slot, the
             * epoch in the message); a stale pid's SYS_PASSIVATE is refused. */
            uint64_t id = atomic_load_explicit(&cells[i].id, memory_order_relaxed);
            akt_pid pid = {id & ~AKT__CELL_UNREACHABLE};
            if ((id & AKT__CELL_UNREACHABLE) || (uint32_t)akt__pid_gen(pid) != sl->gen) {
                sl->state = AKT__SLOT_FREE; /* its actor is gone */
                continue;
            }
            sl->state = AKT__SLOT_FIRED;
            pids[n] = pid;
            epochs[n++] = sl->epoch;
        }
        pp->page_min[pg] = min;
    }
    return n;
}

/* On the timer thread. */
static void akt__sweep_fire(akt__timer *t, int closed) {
    akt__ppart *pp = (akt__ppart *)((char *)t - offsetof(akt__ppart, sweep));
    if (closed) return; /* the system stops: so do its actors; the part's free frees it */
    akt_pid pids[AKT__SWEEP_BATCH];
    uint8_t epochs[AKT__SWEEP_BATCH];
    pthread_mutex_lock(&pp->lock);
    pp->firing = 1;
    pp->armed_for = INT64_MAX;
    int more;
    do {
        int64_t now = akt__now_ns();
        pp->last_sweep = now;
        int n = akt__sweep_collect_locked(pp, now, pids, epochs, &more);
        pthread_mutex_unlock(&pp->lock);
        for (int i = 0; i < n; i++)
            if (akt__send_sys(pp->s, pids[i], AKT__SYS_PASSIVATE, 0, epochs[i], NULL, NULL)) {
                /* gone, or no memory: long-lived */
                pthread_mutex_lock(&pp->lock);
                akt__pslot *sl = akt__slot_locked(pp, akt__pid_index(pids[i]), 0);
                if (sl && sl->state == AKT__SLOT_FIRED &&
                    sl->gen == (uint32_t)akt__pid_gen(pids[i]))
                    sl->state = AKT__SLOT_FREE;
                pthread_mutex_unlock(&pp->lock);
            }
        pthread_mutex_lock(&pp->lock);
    } while (more);
    pp->firing = 0;
    int64_t min = INT64_MAX;
    for (uint32_t pg = 0; pg < pp->npages; pg++)
        if (pp->page_min[pg] < min) min = pp->page_min[pg];
    if (min != INT64_MAX) akt__sweep_at_locked(pp, min);
    pthread_mutex_unlock(&pp->lock);
}

static uint64_t akt__processed(akt__cell *c) {
    /* relaxed: the runner is the only writer, and this runs on the runner */
    akt__cell_stats *st = akt__stats_peek(c);
    return st ? atomic_load_explicit(&st->processed, memory_order_relaxed) : 0;
}

/* Nothing for the actor to do and nothing it would lose by stopping now. */
static int akt__idle(akt__cell *c) {
    if (c->status != AKT__RUNNING) return 0;
    if (akt__mpsc_maybe_nonempty(&c->mbox) || akt__mailbox_holds(c)) return 0;
    const akt__ext *x = akt__cell_ext(c);
    return !x || (!x->unstashed.head && !x->stash.head && !x->n_requests && !x->responses.head);
}

static void akt__passivate(akt__worker *w, akt__cell *c) {
    akt__ext *x = akt__cell_ext(c);
    if (x) x->passivate_after = 0;
    c->passive_epoch = (c->passive_epoch + 1) & 15; /* outdates a fired slot's message */
    /* actor.passivated.count, by kind: the name record is the incarnation's until it ends */
    akt__kind_passivated(w->disp->system,
                         akt__cell_name(c) ? akt__name_kind(akt__cell_name(c)) : 0);
    akt__publish(w->disp->system, AKT_EVENT_ACTOR_PASSIVATED, c, (akt_pid){0}, NULL, 0, NULL);
    akt__actor_begin_stop(w, c);
}

/* The interned index of idle_ns, or -1 (no memory, or too many distinct times). */
static int akt__idle_index_locked(akt__ppart *pp, int64_t idle_ns) {
    for (uint32_t i = 0; i < pp->n_idles; i++)
        if (pp->idles[i] == idle_ns) return (int)i;
    if (pp->n_idles == AKT__MAX_IDLES) return -1;
    if (pp->n_idles == pp->cap_idles) {
        uint32_t cap = pp->cap_idles ? pp->cap_idles * 2 : 8;
        int64_t *v = akt__heap_realloc(&pp->s->heap, pp->idles, cap * sizeof *v);
        if (!v) return -1;
        pp->idles = v;
        pp->cap_idles = cap;
    }
    pp->idles[pp->n_idles] = idle_ns;
    return (int)pp->n_idles++;
}

void akt__passivation_apply(akt__worker *w, akt__cell *c, akt__envelope *e) {
    akt_system *s = w->disp->system;
    c->passive_epoch = (c->passive_epoch + 1) & 15; /* a fired slot's message is outdated */
    akt__ext *had = akt__cell_ext(c);
    if (had) had->passivate_after = 0;
    if (e->code == AKT_PASSIVATE_MESSAGES) {
        akt__ext *x = akt__ext_get(s, c);
        if (x) x->passivate_after = e->arg; /* without memory: long-lived */
    }
    akt__ppart *pp = akt__ppart_get(s, e->code == AKT_PASSIVATE_IDLE);
    if (!pp) return; /* without memory: long-lived */
    uint32_t gen = (uint32_t)akt__cell_gen(c);
    uint64_t seen = akt__processed(c);
    int64_t now = akt__now_ns();
    pthread_mutex_lock(&pp->lock);
    akt__pslot *sl = akt__slot_locked(pp, akt__cell_index(c), e->code == AKT_PASSIVATE_IDLE);
    if (sl && e->code != AKT_PASSIVATE_IDLE) {
        if (sl->gen == gen) sl->state = AKT__SLOT_FREE; /* NEVER or MESSAGES */
    } else if (sl) {
        int i = akt__idle_index_locked(pp, (int64_t)e->arg);
        if (i < 0) {
            sl->state = AKT__SLOT_FREE; /* without memory: long-lived */
        } else {
            sl->gen = gen;
            sl->seen = (uint32_t)seen;
            sl->idle = (uint16_t)i;
            sl->epoch = c->passive_epoch;
            akt__arm_locked(pp, sl, akt__cell_index(c), now);
        }
    }
    pthread_mutex_unlock(&pp->lock);
}

void akt__passivate_check(akt__worker *w, akt__cell *c, akt__envelope *e) {
    akt__ppart *pp = akt__ppart_get(w->disp->system, 0);
    if (!pp) return;
    /* Compared in 32 bits: a count that moved by exactly 2^32 within one idle time would
     * look unmoved (4 G messages in one idle period). */
    uint32_t n = (uint32_t)akt__processed(c);
    int idle = akt__idle(c), passivate = 0;
    pthread_mutex_lock(&pp->lock);
    akt__pslot *sl = akt__slot_locked(pp, akt__cell_index(c), 0);
    if (sl && sl->state == AKT__SLOT_FIRED && sl->gen == (uint32_t)akt__cell_gen(c) &&
        sl->epoch == c->passive_epoch && (uint8_t)e->code == sl->epoch) {
        if (n == sl->seen && idle) {
            sl->state = AKT__SLOT_FREE;
            passivate = 1;
        } else {
            /* Busy since the last check (or now): look again idle_ns from now. */
            sl->seen = n;
            akt__arm_locked(pp, sl, akt__cell_index(c), akt__now_ns());
        }
    }
    pthread_mutex_unlock(&pp->lock);
    if (passivate) akt__passivate(w, c);
}

void akt__passivate_count_check(akt__worker *w, akt__cell *c) {
    if (akt__processed(c) >= akt__cell_ext(c)->passivate_after && akt__idle(c))
        akt__passivate(w, c); /* called with an ext that has a count (actor/turn.c) */
}

void akt__passivation_default(akt_system *s, akt_pid pid) {
    /* relaxed: one independent word, read whole (strategy and value together) */
    uint64_t d = atomic_load_explicit(&s->passivation_default, memory_order_relaxed);
    if (d >> 62)
        akt__send_sys(s, pid, AKT__SYS_PASSIVATION, d & AKT__PASSIVE_VALUE_MASK, (int32_t)(d >> 62),
                      NULL, NULL); /* without memory: long-lived */
}

/* The packed form of p, or 0 for NEVER; AKT_EINVAL for a bad p (*out untouched). */
static int akt__passivation_pack(const akt_passivation *p, uint64_t *out) {
    if (!p || p->size < sizeof *p) return AKT_EINVAL;
    switch (p->strategy) {
    case AKT_PASSIVATE_NEVER:
        *out = 0;
        return 0;
    case AKT_PASSIVATE_IDLE:
        if (p->idle_ns <= 0 || (uint64_t)p->idle_ns > AKT__PASSIVE_VALUE_MASK) return AKT_EINVAL;
        *out = (uint64_t)AKT_PASSIVATE_IDLE << 62 | (uint64_t)p->idle_ns;
        return 0;
    case AKT_PASSIVATE_MESSAGES:
        if (p->messages < 1 || p->messages > AKT__PASSIVE_VALUE_MASK) return AKT_EINVAL;
        *out = (uint64_t)AKT_PASSIVATE_MESSAGES << 62 | p->messages;
        return 0;
    default:
        return AKT_EINVAL;
    }
}

AKT_API int akt_passivation_set(akt_system *system, akt_pid pid, const akt_passivation *p) {
    uint64_t v;
    if (!system || akt__passivation_pack(p, &v)) return AKT_EINVAL;
    if (!akt__cell_live(system, pid)) return AKT_ENOTFOUND;
    return akt__send_sys(system, pid, AKT__SYS_PASSIVATION, v & AKT__PASSIVE_VALUE_MASK,
                         (int32_t)(v >> 62), NULL, NULL);
}

AKT_API int akt_system_set_passivation(akt_system *system, const akt_passivation *p) {
    uint64_t v = 0;
    if (!system || (p && akt__passivation_pack(p, &v))) return AKT_EINVAL;
    if (akt__sys_closed(system)) return AKT_ECLOSED;
    /* relaxed: one independent word (see akt__passivation_default) */
    atomic_store_explicit(&system->passivation_default, v, memory_order_relaxed);
    return 0;
}
