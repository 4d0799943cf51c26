/* Schedules: the registry, the fire on the timer thread, and the public akt_schedule_*
 * functions (schedule.h explains the locking). */
#include "lib/schedule.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actor/send.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "cron/cron.h"
#include "kernel/envelope.h"
#include "kernel/events.h"
#include "kernel/msg.h"
#include "kernel/sys.h"

enum { SCHED_ACTIVE = 0, SCHED_PAUSED = 1, SCHED_ENDED = 2 };

typedef struct sched {
    akt__timer timer;
    akt_system *sys;
    /* Its reference bucket's chain while in the registry; the graveyard's once ended. */
    struct sched *next_ref;
    struct sched *tprev, *tnext; /* its target bucket's chain (doubly linked: O(1) removal) */
    akt_msg *msg;                /* one reference, released when the schedule is freed */
    uint64_t to, sender;         /* pid ids */
    int64_t interval;            /* > 0 for AKT_SCHEDULE_EVERY, else 0 */
    akt__cron *cron;             /* AKT_SCHEDULE_CRON: its parsed expression, else NULL */
    const char *expr;            /* AKT_SCHEDULE_CRON: its text, after ref; else NULL */
    /* AKT_SCHEDULE_CRON, wall-clock times (CLOCK_REALTIME ns): the tick the timer is armed
     * for, and the last tick sent (0: none yet); the next tick is after the latter, whatever
     * the clock did. */
    int64_t cron_due, cron_sent;
    unsigned cron_flags;
    uint64_t seq;  /* creation order, for the listing */
    uint32_t hash; /* of ref */
    uint8_t state; /* SCHED_* */
    /* 1 while the timer is in the heap or taken out to fire: the fire then owns the
     * schedule's last step. A schedule is freed once it is neither armed nor in_reg. */
    uint8_t armed;
    uint8_t in_reg;
    char ref[];
} sched;

typedef struct reg {
    akt__sched_head head; /* first: the kernel sees only this */
    pthread_mutex_t lock;
    sched **by_ref, **by_to; /* nb buckets each */
    size_t nb, n;
    uint64_t seq, rng;
    int closed; /* shutdown started: no new schedule */
} reg;

static reg *reg_of(akt_system *s) { return (reg *)akt__sys_schedules(s); }

static uint32_t hash_str(const char *p) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
    return h;
}

static size_t to_bucket(const reg *r, uint64_t to) {
    return (size_t)((to * 0x9E3779B97F4A7C15ull) >> 32) & (r->nb - 1);
}

static void link_to(reg *r, sched *x) {
    sched **b = &r->by_to[to_bucket(r, x->to)];
    x->tprev = NULL;
    x->tnext = *b;
    if (*b) (*b)->tprev = x;
    *b = x;
}

static void link_ref(reg *r, sched *x) {
    sched **b = &r->by_ref[x->hash & (r->nb - 1)];
    x->next_ref = *b;
    *b = x;
}

/* Doubles both tables (lock held); on ENOMEM keeps the old ones (chains grow longer). */
static void grow_locked(reg *r) {
    size_t nb = r->nb * 2;
    sched **br = akt__heap_calloc(&akt__default_heap, nb * sizeof *br);
    sched **bt = akt__heap_calloc(&akt__default_heap, nb * sizeof *bt);
    if (!br || !bt) {
        akt__dfree(br);
        akt__dfree(bt);
        return;
    }
    sched **old_ref = r->by_ref;
    size_t old_nb = r->nb;
    r->by_ref = br;
    akt__dfree(r->by_to);
    r->by_to = bt;
    r->nb = nb;
    for (size_t i = 0; i < old_nb; i++) {
        for (sched *x = old_ref[i], *n; x; x = n) {
            n = x->next_ref;
            link_ref(r, x);
            link_to(r, x);
        }
    }
    akt__dfree(old_ref);
}

static sched *find_locked(reg *r, const char *ref) {
    uint32_t h = hash_str(ref);
    for (sched *x = r->by_ref[h & (r->nb - 1)]; x; x = x->next_ref)
        if (x->hash == h && strcmp(x->ref, ref) == 0) return x;
    return NULL;
}

static void unlink_locked(reg *r, sched *x) {
    sched **p = &r->by_ref[x->hash & (r->nb - 1)];
    while (*p != x) p = &(*p)->next_ref;
    *p = x->next_ref;
    if (x->tprev)
        x->tprev->tnext = x->tnext;
    else
        r->by_to[to_bucket(r, x->to)] = x->tnext;
    if (x->tnext) x->tnext->tprev = x->tprev;
    x->in_reg = 0;
    r->n--;
}

/* Takes x's timer out of the heap if it is still there (lock held). 0 if a fire of it is
 * under way: that fire then finds x's new state under the lock and acts on it. */
static void disarm_locked(sched *x) {
    if (x->armed && akt__timer_claim(&x->timer) && akt__timer_cancel(&x->sys->timers, &x->timer))
        x->armed = 0;
}

static void bury(sched **grave, sched *x) {
    x->next_ref = *grave;
    *grave = x;
}

/* Frees the schedules ended under the lock, after it was let go: releasing a message may
 * run its free function, which may call back into akt. */
static void free_grave(sched *x) {
    while (x) {
        sched *n = x->next_ref;
        akt_msg_release(x->msg);
        akt__cron_free(x->cron);
        akt__dfree(x);
        x = n;
    }
}

/* Ends x (lock held): out of the registry, its timer disarmed, freed now or by its fire. */
static void end_locked(reg *r, sched *x, sched **grave) {
    if (x->in_reg) unlink_locked(r, x);
    x->state = SCHED_ENDED;
    disarm_locked(x);
    if (!x->armed) bury(grave, x);
}

static int arm_locked(sched *x, int64_t deadline) {
    x->timer.deadline = deadline;
    int rc = akt__timer_add(&x->sys->timers, &x->timer);
    if (rc == 0) x->armed = 1;
    return rc;
}

/* The first tick after now of a schedule due at `due` every `interval`: a late timer or a
 * pause skips the ticks it missed instead of sending them as a burst. */
static int64_t next_tick(int64_t due, int64_t interval, int64_t now) {
    if (due > now) return due;
    int64_t missed = (now - due) / interval + 1;
    if (missed > (INT64_MAX - due) / interval) return INT64_MAX;
    return due + missed * interval;
}

/* Added to the wall clock: a white-box test's way to set it back (schedule.h). Relaxed:
 * a test knob read on each cron re-arm; no other data is published through it. */
static atomic_llong wall_offset_ns;

void akt__schedule_wall_offset(int64_t offset_ns) {
    atomic_store_explicit(&wall_offset_ns, offset_ns, memory_order_relaxed);
}

static int64_t wall_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec +
           atomic_load_explicit(&wall_offset_ns, memory_order_relaxed);
}

/* The monotonic deadline of x's next cron tick, the first one strictly after the later of
 * now and the tick last sent (so a tick fires once, even if the wall clock went back or
 * the timer ran a little before the wall clock reached it); x->cron_due becomes that
 * tick. AKT_ENOTFOUND when the expression never fires again. */
static int cron_deadline(sched *x, int64_t *deadline) {
    int64_t mono = akt__now_ns(), wall = wall_now_ns();
    int64_t after = wall > x->cron_sent ? wall : x->cron_sent, next = 0;
    int rc = akt__cron_next(x->cron, after, &next);
    if (rc) return rc;
    x->cron_due = next;
    int64_t wait = next > wall ? next - wall : 0;
    *deadline = akt__deadline_after(mono, wait);
    return 0;
}

/* Arms x for its next fire after one was sent (lock held): 0, or nonzero when x ends. */
static int rearm_locked(sched *x) {
    if (x->cron) {
        x->cron_sent = x->cron_due; /* sent, or lost to ENOMEM: either way not again */
        int64_t deadline = 0;
        return cron_deadline(x, &deadline) || arm_locked(x, deadline);
    }
    if (!x->interval) return 1;
    int64_t due = x->timer.deadline > INT64_MAX - x->interval
                      ? INT64_MAX
                      : x->timer.deadline + x->interval; /* no drift: from the tick */
    return arm_locked(x, next_tick(due, x->interval, akt__now_ns()));
}

static void fire(akt__timer *t, int closed) {
    sched *x = (sched *)t;
    akt_system *s = x->sys;
    reg *r = reg_of(s);
    sched *grave = NULL;
    akt_msg *dead = NULL;
    pthread_mutex_lock(&r->lock);
    x->armed = 0;
    if (closed || x->state != SCHED_ACTIVE) {
        if (!x->in_reg) bury(&grave, x);
        pthread_mutex_unlock(&r->lock);
        free_grave(grave);
        return;
    }
    akt_msg_retain(x->msg);
    int rc = akt__deliver(s, (akt_pid){x->to}, x->msg, x->sender, NULL, AKT__ENV_USER);
    if (rc == AKT_ENOTFOUND) {
        dead = x->msg; /* the target is gone: the schedule ends with it */
        end_locked(r, x, &grave);
    } else {
        if (rc) akt_msg_release(x->msg); /* ENOMEM: this tick is lost, the schedule goes on */
        if (rearm_locked(x)) end_locked(r, x, &grave);
    }
    akt_pid to = {x->to}, sender = {x->sender};
    pthread_mutex_unlock(&r->lock);
    if (dead) {
        akt__publish_at(s, AKT_EVENT_DEAD_LETTER, to, NULL, sender, dead, 0, NULL);
        akt_msg_release(dead);
    }
    free_grave(grave);
}

/* ---- the hooks the lower layers call ------------------------------------------------ */

static void on_actor_stopped(akt_system *s, akt_pid pid) {
    reg *r = reg_of(s);
    sched *grave = NULL;
    pthread_mutex_lock(&r->lock);
    for (sched *x = r->by_to[to_bucket(r, pid.id)], *n; x; x = n) {
        n = x->tnext;
        if (x->to == pid.id) end_locked(r, x, &grave);
    }
    pthread_mutex_unlock(&r->lock);
    free_grave(grave);
}

static void end_all_locked(reg *r, sched **grave) {
    for (size_t i = 0; i < r->nb; i++)
        while (r->by_ref[i]) end_locked(r, r->by_ref[i], grave);
}

static void on_close(akt_system *s) {
    reg *r = reg_of(s);
    sched *grave = NULL;
    pthread_mutex_lock(&r->lock);
    r->closed = 1;
    end_all_locked(r, &grave);
    pthread_mutex_unlock(&r->lock);
    free_grave(grave);
}

/* The timers are stopped: every fire ran (closed), so nothing is armed any more. */
static void on_destroy(akt_system *s) {
    reg *r = reg_of(s);
    sched *grave = NULL;
    pthread_mutex_lock(&r->lock);
    end_all_locked(r, &grave);
    pthread_mutex_unlock(&r->lock);
    free_grave(grave);
    atomic_store_explicit(&s->schedules, NULL, memory_order_relaxed); /* the system goes */
    pthread_mutex_destroy(&r->lock);
    akt__dfree(r->by_ref);
    akt__dfree(r->by_to);
    akt__dfree(r);
}

static const akt__sched_hooks hooks = {on_actor_stopped, on_close, on_destroy};

/* The registry of s, made at its first schedule. */
static reg *reg_get(akt_system *s) {
    reg *r = reg_of(s);
    if (r) return r;
    r = akt__heap_calloc(&akt__default_heap, sizeof *r);
    if (!r) return NULL;
    r->head.hooks = &hooks;
    r->nb = 64;
    r->by_ref = akt__heap_calloc(&akt__default_heap, r->nb * sizeof *r->by_ref);
    r->by_to = akt__heap_calloc(&akt__default_heap, r->nb * sizeof *r->by_to);
    r->rng = (uint64_t)akt__now_ns() ^ (uint64_t)(uintptr_t)r;
    if (!r->by_ref || !r->by_to || pthread_mutex_init(&r->lock, NULL)) {
        akt__dfree(r->by_ref);
        akt__dfree(r->by_to);
        akt__dfree(r);
        return NULL;
    }
    akt__sched_head *none = NULL;
    /* release: publishes the initialised registry to akt__sys_schedules' acquire; acquire
     * on failure: the winner's registry is initialised for us too. */
    if (!atomic_compare_exchange_strong_explicit(&s->schedules, &none, &r->head,
                                                 memory_order_acq_rel, memory_order_acquire)) {
        pthread_mutex_destroy(&r->lock);
        akt__dfree(r->by_ref);
        akt__dfree(r->by_to);
        akt__dfree(r);
        return (reg *)none;
    }
    return r;
}

static uint64_t splitmix(uint64_t *st) {
    uint64_t z = (*st += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A random (version 4) UUID, as GoAkt's default reference. */
static void gen_uuid_locked(reg *r, char out[37]) {
    uint64_t a = splitmix(&r->rng), b = splitmix(&r->rng);
    a = (a & ~0xF000ull) | 0x4000ull;       /* version 4 */
    b = (b & ~(3ull << 62)) | (2ull << 62); /* variant 10 */
    snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)((a >> 16) & 0xFFFF), (unsigned)(a & 0xFFFF), (unsigned)(b >> 48),
             (unsigned long long)(b & 0xFFFFFFFFFFFFull));
}

/* What kind of schedule schedule_new makes: once or every (cron NULL), or on a cron
 * expression (cron parsed, expr its text; delay and interval 0). */
typedef struct kind {
    int64_t delay, interval;
    akt__cron *cron;
    const char *expr;
    unsigned flags;
} kind;

/* On failure the caller keeps msg and k->cron. */
static int schedule_new(akt_system *s, akt_pid to, akt_msg *msg, const kind *k,
                        const akt_schedule_options *o, char *ref_out, size_t ref_cap) {
    if (!s || !akt__msg_ok(msg) || k->delay < 0 || k->interval < 0) return AKT_EINVAL;
    const char *ref = NULL;
    akt_pid sender = {0};
    if (o) {
        if (o->size < offsetof(akt_schedule_options, reference) + sizeof o->reference)
            return AKT_EINVAL;
        ref = o->reference;
        if (o->size >= offsetof(akt_schedule_options, sender) + sizeof o->sender)
            sender = o->sender;
    }
    size_t len = ref ? strlen(ref) : 36;
    if (len == 0 || len > AKT_SCHEDULE_REF_MAX) return AKT_EINVAL;
    if (ref_out && ref_cap < len + 1) return AKT_ERANGE;
    if (sender.id && !akt__cell_issued(s, sender)) return AKT_EINVAL;
    if (!akt__cell_issued(s, to)) return AKT_ENOTFOUND;
    if (akt__sys_closed(s)) return AKT_ECLOSED;
    reg *r = reg_get(s);
    if (!r) return AKT_ENOMEM;
    size_t elen = k->expr ? strlen(k->expr) + 1 : 0;
    sched *x = akt__dalloc(sizeof *x + len + 1 + elen);
    if (!x) return AKT_ENOMEM;
    memset(x, 0, sizeof *x);
    atomic_init(&x->timer.claim, AKT__TIMER_IDLE);
    x->timer.fire = fire;
    x->sys = s;
    x->msg = msg;
    x->to = to.id;
    x->sender = sender.id;
    x->interval = k->interval;
    int64_t first = 0;
    int rc = 0;
    if (k->cron) {
        x->cron = k->cron;
        x->cron_flags = k->flags;
        x->expr = x->ref + len + 1;
        memcpy(x->ref + len + 1, k->expr, elen);
        rc = cron_deadline(x, &first);
        if (rc) {
            akt__dfree(x);
            return rc;
        }
    } else {
        first = akt__deadline_after(akt__now_ns(), k->delay);
    }

    pthread_mutex_lock(&r->lock);
    if (r->closed) {
        rc = AKT_ECLOSED;
    } else if (ref) {
        memcpy(x->ref, ref, len + 1);
        if (find_locked(r, x->ref)) rc = AKT_EEXIST;
    } else {
        do gen_uuid_locked(r, x->ref);
        while (find_locked(r, x->ref));
    }
    if (rc == 0) {
        x->hash = hash_str(x->ref);
        x->seq = r->seq++;
        /* Armed before it can be found: a cancel finds it whole. */
        rc = arm_locked(x, first);
    }
    if (rc == 0) {
        if (r->n >= r->nb) grow_locked(r);
        link_ref(r, x);
        link_to(r, x);
        x->in_reg = 1;
        r->n++;
        akt__sys_stat(&s->stats.scheduled); /* scheduler.scheduled.count */
        if (ref_out) memcpy(ref_out, x->ref, len + 1);
    }
    pthread_mutex_unlock(&r->lock);
    if (rc) akt__dfree(x); /* the caller keeps msg and the parsed expression */
    return rc;
}

AKT_API int akt_schedule_once(akt_system *system, akt_pid to, akt_msg *msg, int64_t delay_ns,
                              const akt_schedule_options *options, char *ref_out, size_t ref_cap) {
    kind k = {.delay = delay_ns};
    return schedule_new(system, to, msg, &k, options, ref_out, ref_cap);
}

AKT_API int akt_schedule_every(akt_system *system, akt_pid to, akt_msg *msg,
                               int64_t initial_delay_ns, int64_t interval_ns,
                               const akt_schedule_options *options, char *ref_out, size_t ref_cap) {
    if (interval_ns <= 0) return AKT_EINVAL;
    kind k = {.delay = initial_delay_ns, .interval = interval_ns};
    return schedule_new(system, to, msg, &k, options, ref_out, ref_cap);
}

AKT_API int akt_schedule_cron(akt_system *system, akt_pid to, akt_msg *msg, const char *expr,
                              unsigned flags, const akt_schedule_options *options, char *ref_out,
                              size_t ref_cap, size_t *err_col) {
    if (err_col) *err_col = 0;
    if (!system || !akt__msg_ok(msg)) return AKT_EINVAL;
    kind k = {.expr = expr, .flags = flags};
    int rc = akt__cron_parse(expr, flags, &k.cron, err_col);
    if (rc) return rc;
    rc = schedule_new(system, to, msg, &k, options, ref_out, ref_cap);
    if (rc) akt__cron_free(k.cron);
    return rc;
}

enum { OP_PAUSE, OP_RESUME, OP_CANCEL };

static int schedule_op(akt_system *s, const char *ref, int op) {
    if (!s || !ref) return AKT_EINVAL;
    reg *r = reg_of(s);
    if (!r) return AKT_ENOTFOUND;
    sched *grave = NULL;
    int rc = 0;
    pthread_mutex_lock(&r->lock);
    sched *x = find_locked(r, ref);
    if (!x) {
        rc = AKT_ENOTFOUND;
    } else if (op == OP_CANCEL) {
        end_locked(r, x, &grave);
        akt__sys_stat(&s->stats.cancelled); /* scheduler.cancelled.count */
    } else if (op == OP_PAUSE) {
        x->state = SCHED_PAUSED;
        disarm_locked(x);
    } else if (x->state == SCHED_PAUSED) {
        x->state = SCHED_ACTIVE;
        /* If a fire is under way (armed), it goes on from here; otherwise re-arm at the next
         * tick (a once schedule: at its deadline, or now). */
        if (!x->armed) {
            int64_t now = akt__now_ns();
            int64_t due = x->interval ? next_tick(x->timer.deadline, x->interval, now)
                                      : x->timer.deadline;
            /* A cron schedule: its next tick from now (those missed while paused are
             * skipped); one that never fires again ends. */
            rc = x->cron ? cron_deadline(x, &due) : 0;
            if (rc == AKT_ENOTFOUND) {
                end_locked(r, x, &grave);
                rc = 0;
            } else if (rc == 0) {
                rc = arm_locked(x, due);
            }
            if (rc) {
                x->state = SCHED_PAUSED; /* still listed, still paused: try again */
                if (rc == AKT_ECLOSED) end_locked(r, x, &grave);
            }
        }
    }
    pthread_mutex_unlock(&r->lock);
    free_grave(grave);
    return rc;
}

AKT_API int akt_schedule_pause(akt_system *system, const char *reference) {
    return schedule_op(system, reference, OP_PAUSE);
}

AKT_API int akt_schedule_resume(akt_system *system, const char *reference) {
    return schedule_op(system, reference, OP_RESUME);
}

AKT_API int akt_schedule_cancel(akt_system *system, const char *reference) {
    return schedule_op(system, reference, OP_CANCEL);
}

typedef struct snap {
    uint64_t seq;
    akt_schedule_info info;
} snap;

static int by_seq(const void *a, const void *b) {
    uint64_t x = ((const snap *)a)->seq, y = ((const snap *)b)->seq;
    return (x > y) - (x < y);
}

AKT_API int akt_schedule_list(akt_system *system, akt_schedule_list_cb cb, void *data,
                              size_t *count) {
    if (!system || !cb) return AKT_EINVAL;
    if (count) *count = 0;
    reg *r = reg_of(system);
    if (!r) return 0;
    pthread_mutex_lock(&r->lock);
    size_t n = r->n, bytes = 0;
    for (size_t i = 0; i < r->nb; i++)
        for (sched *x = r->by_ref[i]; x; x = x->next_ref)
            bytes += strlen(x->ref) + 1 + (x->expr ? strlen(x->expr) + 1 : 0);
    snap *v = akt__dalloc(n * sizeof *v + bytes + 1);
    if (!v) {
        pthread_mutex_unlock(&r->lock);
        return AKT_ENOMEM;
    }
    char *strs = (char *)(v + n);
    size_t k = 0;
    for (size_t i = 0; i < r->nb; i++) {
        for (sched *x = r->by_ref[i]; x; x = x->next_ref, k++) {
            size_t len = strlen(x->ref) + 1;
            memcpy(strs, x->ref, len);
            const char *expr = NULL;
            if (x->expr) {
                size_t elen = strlen(x->expr) + 1;
                memcpy(strs + len, x->expr, elen);
                expr = strs + len;
                len += elen;
            }
            v[k].seq = x->seq;
            v[k].info = (akt_schedule_info){
                .size = sizeof(akt_schedule_info),
                .reference = strs,
                .target = {x->to},
                .sender = {x->sender},
                .kind = x->cron       ? AKT_SCHEDULE_CRON
                        : x->interval ? AKT_SCHEDULE_EVERY
                                      : AKT_SCHEDULE_ONCE,
                .paused = x->state == SCHED_PAUSED,
                .interval_ns = x->interval,
                .expression = expr,
                .cron_flags = x->cron_flags,
            };
            strs += len;
        }
    }
    pthread_mutex_unlock(&r->lock);
    qsort(v, n, sizeof *v, by_seq);
    for (size_t i = 0; i < n; i++) cb(&v[i].info, data);
    akt__dfree(v);
    if (count) *count = n;
    return 0;
}

size_t akt__schedule_count(akt_system *s) {
    reg *r = reg_of(s);
    if (!r) return 0;
    pthread_mutex_lock(&r->lock);
    size_t n = r->n;
    pthread_mutex_unlock(&r->lock);
    return n;
}
