/* Spawning: a cell from the free list (or a new page), a name, a place in the tree, in
 * that order, and a pid that is live only once all of it is in place. */
#include <ctype.h>
#include <string.h>

#include "spawn.h"

#include "base/clock.h"
#include "base/tls.h"
#include "ext.h"
#include "kernel/events.h"
#include "kernel/sys.h"
#include "mailbox/mailbox.h"
#include "passivate.h"
#include "sched/dispatch.h"
#include "send.h"
#include "started.h"
#include "supervise.h"
#include "turn.h"

#define AKT__NAME_MAX 255

void (*akt__spawn_hook)(akt_system *s, akt_pid pid, void *data);
void *akt__spawn_hook_data;

AKT_API int akt_spawn_options_init(akt_spawn_options *o) {
    if (!o) return AKT_EINVAL;
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    return 0;
}

/* Reads the caller's options whatever their size (older callers pass smaller structs;
 * every version has at least size and name). */
static int akt__read_spawn_options(const akt_spawn_options *in, akt_spawn_options *o) {
    akt_spawn_options_init(o);
    if (!in) return 0;
    if (in->size < offsetof(akt_spawn_options, dispatcher)) return AKT_EINVAL;
    if (in->size >= sizeof *o)
        *o = *in; /* a fixed-size copy: no rep movs, whose start-up costs more than it */
    else
        memcpy(o, in, in->size);
    o->size = sizeof *o;
    return 0;
}

static int akt__name_check(const char *name) {
    size_t n = strnlen(name, AKT__NAME_MAX + 1);
    if (n == 0 || n > AKT__NAME_MAX || name[0] == '$') return AKT_EINVAL;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch == '/' || ch <= ' ' || ch == 0x7f) return AKT_EINVAL;
    }
    return 0;
}

static const akt__behavior_rec *akt__intern_locked(akt_system *s, const akt_behavior *b) {
    akt__behavior_rec want = {NULL, b->receive, NULL, NULL, NULL, NULL};
    if (b->size > offsetof(akt_behavior, pre_start)) want.pre_start = b->pre_start;
    if (b->size > offsetof(akt_behavior, post_stop)) want.post_stop = b->post_stop;
    if (b->size > offsetof(akt_behavior, free_state)) want.free_state = b->free_state;
    if (b->size > offsetof(akt_behavior, receive_batch)) want.receive_batch = b->receive_batch;
    for (akt__behavior_rec *r = s->behaviors; r; r = r->next)
        if (r->receive == want.receive && r->pre_start == want.pre_start &&
            r->post_stop == want.post_stop && r->free_state == want.free_state &&
            r->receive_batch == want.receive_batch)
            return r;
    akt__behavior_rec *r = akt__heap_alloc(&s->heap, sizeof *r);
    if (!r) return NULL;
    *r = want;
    r->next = s->behaviors;
    s->behaviors = r;
    return r;
}

static int akt__make_ext(akt_system *s, const akt_spawn_options *o, akt__ext **out) {
    *out = NULL;
    if (o->reentrancy < AKT_REENTRANCY_DEFAULT || o->reentrancy > AKT_REENTRANCY_STASH)
        return AKT_EINVAL;
    if (!o->supervisor && !o->dependency_count && !o->reentrancy && !o->max_in_flight) return 0;
    akt__ext *x = akt__heap_calloc(&s->heap, sizeof *x);
    if (!x) return AKT_ENOMEM;
    x->reentrancy = o->reentrancy;
    x->max_in_flight = o->max_in_flight;
    if (o->supervisor) {
        if (akt__supervisor_read(o->supervisor, &x->supervisor)) {
            akt__ext_free(s, x);
            return AKT_EINVAL;
        }
        x->has_supervisor = 1;
        if (akt__supervisor_own_rules(&s->heap, &x->supervisor)) {
            akt__ext_free(s, x);
            return AKT_ENOMEM;
        }
    }
    if (o->dependency_count) {
        size_t n = o->dependency_count;
        if (!o->dependency_names || !o->dependency_values || n > UINT32_MAX) {
            akt__ext_free(s, x);
            return AKT_EINVAL;
        }
        x->dep_names = akt__heap_calloc(&s->heap, n * sizeof(char *));
        x->dep_values = akt__heap_calloc(&s->heap, n * sizeof(void *));
        if (!x->dep_names || !x->dep_values) {
            akt__ext_free(s, x);
            return AKT_ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            const char *nm = o->dependency_names[i];
            if (!nm || !*nm) {
                akt__ext_free(s, x);
                return AKT_EINVAL;
            }
            x->dep_names[i] = akt__heap_strdup(&s->heap, nm);
            if (!x->dep_names[i]) {
                akt__ext_free(s, x);
                return AKT_ENOMEM;
            }
            x->dep_values[i] = o->dependency_values[i];
            x->ndeps = (uint32_t)i + 1;
        }
    }
    *out = x;
    return 0;
}

/* "$" and n in decimal, in out (24 bytes hold any n). */
static void akt__anon_name(char out[24], uint64_t n) {
    char digits[20];
    int k = 0;
    do digits[k++] = (char)('0' + n % 10);
    while ((n /= 10) != 0);
    *out++ = '$';
    while (k) *out++ = digits[--k];
    *out = 0;
}

/* Places a new actor under parent_idx. The cell is taken (with its run flag) and filled in
 * first, and only then named, linked and made live by pid, all under the lock: nobody
 * reaches a cell before its spawn owns it, so a tell, a stop or a shutdown that finds the
 * actor finds it whole. *out gets the cell taken, if any; on failure the caller releases
 * it. */
static int akt__place_locked(akt_system *s, uint32_t parent_idx, const char *name, uint32_t hash,
                             const char *kind, const akt_behavior *b, struct akt_dispatcher *d,
                             void *state, akt__ext *x, akt__envelope *start, akt__mailbox_plan *mp,
                             akt__cell **out) {
    *out = NULL;
    akt__cell *parent = akt__cell_get(s, parent_idx);
    if (parent->closing) return parent_idx == AKT__GUARDIAN ? AKT_ECLOSED : AKT_ESTOPPED;
    int kind_idx = akt__kind_intern_locked(s, kind); /* checked by the caller: no -2 */
    if (kind_idx < 0) return AKT_ENOMEM;
    char anon[24];
    akt__name_hint hint; /* one probe of the name table for the check and the insert */
    if (!name) {
        akt__anon_name(anon, ++s->anon_counter); /* under the lock, so no snprintf */
        name = anon;
    }
    size_t len = strlen(name);
    if (name == anon) hash = akt__names_hash_ahead(s, parent_idx, name, len); /* else: early */
    const akt__behavior_rec *beh = akt__intern_locked(s, b);
    if (akt__names_find_hint(s, parent_idx, name, len, hash, &hint) && name != anon)
        return AKT_EEXIST;
    akt__cell *c = beh ? akt__cell_claim_locked(s) : NULL;
    if (!c) return AKT_ENOMEM;
    *out = c;
    /* Its page's mailbox records and ext pointers, if it needs them: made before anything
     * is written, so a failure leaves the cell as it was (the previous incarnation cleared
     * its ext). */
    if (akt__mailbox_page_ready(&s->heap, c, mp) || akt__cell_ext_set(c, x)) {
        akt__cell_unclaim_locked(s, c);
        return AKT_ENOMEM;
    }
    /* A short name goes in the cell's own record: nothing allocated (kernel/names.h). */
    char *copy = akt__name_new(&s->heap, akt__cell_name_inline(c), name, len, akt__now_coarse_ns(),
                               (uint16_t)kind_idx);
    if (!copy) {
        akt__cell_unclaim_locked(s, c);
        return AKT_ENOMEM;
    }
    /* relaxed: stop signals of the previous incarnation; nobody else can set one now (a
     * stop needs the pid live, under this lock), and publishing orders the store (so a
     * waiter that finds the pid live sees STARTING too). */
    atomic_store_explicit(&c->signals, beh->pre_start ? AKT__SIG_STARTING : 0,
                          memory_order_relaxed);
    atomic_store_explicit(&c->disp, d, memory_order_relaxed); /* see akt__cell.disp */
    /* relaxed atomic: read by akt_pid_receive (reader.c) while the slot may be reused */
    __atomic_store_n(&c->beh, beh, __ATOMIC_RELAXED);
    c->state = state;
    c->status = beh->pre_start ? AKT__STARTING : AKT__RUNNING;
    c->cheap = 0; /* nothing measured yet */
    c->started = beh->pre_start ? 0 : 1;
    c->recycle = 0;
    c->parent = parent_idx;
    c->first_child = 0;
    c->prev_sibling = 0;
    c->closing = 0;
    uint32_t idx = akt__cell_index(c);
    if (akt__names_add_hint(s, idx, &hint) != 0) {
        c->parent = 0;
        __atomic_store_n(&c->beh, NULL, __ATOMIC_RELAXED); /* see above */
        c->state = NULL;
        akt__cell_ext_set(c, NULL); /* clearing cannot fail */
        c->status = AKT__DEAD;
        akt__name_free(&s->heap, akt__cell_name_inline(c));
        akt__cell_unclaim_locked(s, c);
        return AKT_ENOMEM;
    }
    c->next_sibling = parent->first_child;
    if (parent->first_child) akt__cell_get(s, parent->first_child)->prev_sibling = idx;
    parent->first_child = idx;
    akt__mailbox_install(&s->heap, c, mp);
    if (start) { /* first in its system queue */
        start->kind = AKT__SYS_START;
        start->gen = akt__cell_gen(c);
        akt__sysq_push(c, start);
    }
    /* The incarnation's metrics start from zero (the spawn holds the sched flag: it is the
     * record's runner-side writer now); relaxed as every counter (kernel/stats.h). A page
     * without records has counted nothing yet: nothing to reset. Its spawn time is in the
     * name record. */
    akt__cell_stats *st = akt__stats_peek(c);
    if (st) {
        atomic_store_explicit(&st->processed, 0, memory_order_relaxed);
        atomic_store_explicit(&st->failures, 0, memory_order_relaxed);
        atomic_store_explicit(&st->unhandled, 0, memory_order_relaxed);
        atomic_store_explicit(&st->last_ns, 0, memory_order_relaxed);
        atomic_store_explicit(&st->turn_ticks, 0, memory_order_relaxed);
        atomic_store_explicit(&st->restarts, 0, memory_order_relaxed);
        atomic_store_explicit(&st->stash, 0, memory_order_relaxed);
    }
    akt__cell_rare *rare = akt__rare_peek(c);
    if (rare) {
        atomic_store_explicit(&rare->dead_letters, 0, memory_order_relaxed);
        atomic_store_explicit(&rare->reinstates, 0, memory_order_relaxed);
    }
    akt__sys_stat_locked(&s->stats.spawned);
    akt__cell_publish(c);
    return 0;
}

/* 1 if the actor at parent_idx is one of akt's own ("$" and a word: /user/$grains, ...),
 * whose children (grain activations, ...) do not take the default passivation. */
static int akt__internal_locked(akt_system *s, uint32_t parent_idx) {
    const akt__cell *p = akt__cell_get(s, parent_idx);
    const char *name = p ? akt__cell_name(p) : NULL;
    return name && name[0] == '$' && isalpha((unsigned char)name[1]);
}

/* An actor on an external dispatcher spawned on the thread that last ran that dispatcher
 * (outside its callbacks) starts right here, before its spawn returns: its pre_start runs
 * on the thread it would run on anyway, and no other actor runs meanwhile. Takes the run
 * of the still-owned cell (1) or leaves it to be released (0). */
static int akt__start_here(akt__cell *c, struct akt_dispatcher *d) {
    if (!akt__dispatcher_is_external(d) || akt__self.cell || !c->beh->pre_start) return 0;
    /* acquire: pairs with the run's release of has_runner, so runner is its thread. */
    if (!atomic_load_explicit(&d->has_runner, memory_order_acquire) ||
        !pthread_equal(atomic_load_explicit(&d->runner, memory_order_relaxed), pthread_self()))
        return 0;
    int zero = 0;
    /* acquire/release: as akt_dispatcher_run, whose place this takes for one cell. */
    if (!atomic_compare_exchange_strong_explicit(&d->running, &zero, 1, memory_order_acquire,
                                                 memory_order_relaxed))
        return 0;
    struct akt_dispatcher *prev = akt__self.running;
    akt__self.running = d;
    akt__cell_run(&d->ext_worker, c, 0); /* the system queue only (the start); releases c */
    akt__self.running = prev;
    atomic_store_explicit(&d->running, 0, memory_order_release);
    return 1;
}

/* reserved: the name is akt's own ("$" and a word), which users cannot choose. here: the
 * caller is akt_spawn, which may start the actor on this thread (akt__start_here); akt's
 * own spawns may hold locks a pre_start needs, and never do. */
static int akt__spawn_at(akt_system *s, uint32_t parent_idx, const akt_behavior *b, void *state,
                         const akt_spawn_options *opts, int reserved, int here, akt_pid *out) {
    if (!s || !b || !out || b->size < offsetof(akt_behavior, pre_start) || !b->receive)
        return AKT_EINVAL;
    akt_spawn_options o;
    if (akt__read_spawn_options(opts, &o)) return AKT_EINVAL;
    if (reserved ? !o.name || o.name[0] != '$' : o.name && akt__name_check(o.name))
        return AKT_EINVAL;
    if (o.kind && strnlen(o.kind, AKT__KIND_MAX_LEN + 1) > AKT__KIND_MAX_LEN) return AKT_EINVAL;
    struct akt_dispatcher *d = o.dispatcher ? o.dispatcher : s->workers;
    if (d->system != s) return AKT_EINVAL;
    if (akt__sys_closed(s)) return AKT_ECLOSED;
    /* A given name's hash, and its slot's cache line on the way while the rest is made. */
    uint32_t hash = o.name ? akt__names_hash_ahead(s, parent_idx, o.name, strlen(o.name)) : 0;
    akt__ext *x;
    akt__mailbox_plan mp;
    int rc = akt__mailbox_plan_make(&s->heap, o.mailbox, &mp);
    if (rc) return rc;
    rc = akt__make_ext(s, &o, &x);
    if (rc) {
        akt__mailbox_plan_drop(&s->heap, &mp);
        return rc;
    }
    /* The start message is allocated up front: once the actor is placed, nothing fails. */
    akt__envelope *start = b->size > offsetof(akt_behavior, pre_start) && b->pre_start
                               ? akt__env_new()
                               : NULL;
    if (b->size > offsetof(akt_behavior, pre_start) && b->pre_start && !start) {
        akt__mailbox_plan_drop(&s->heap, &mp);
        akt__ext_free(s, x);
        return AKT_ENOMEM;
    }

    akt__cell *c = NULL;
    pthread_mutex_lock(&s->lock);
    rc = akt__sys_closed(s) ? AKT_ECLOSED
                            : akt__place_locked(s, parent_idx, o.name, hash, o.kind, b, d, state, x,
                                                start, &mp, &c);
    int internal = reserved || akt__internal_locked(s, parent_idx);
    pthread_mutex_unlock(&s->lock);
    if (rc) {
        /* A taken cell goes back with its run flag: late mail for its old incarnation that
         * came in meanwhile is still dead-lettered. */
        if (c) akt__cell_release(c, 1);
        akt__mailbox_plan_drop(&s->heap, &mp);
        akt__ext_free(s, x);
        if (start) akt__env_free(start);
        return rc;
    }

    /* Live now, and still ours until the release below: whatever reached it meanwhile
     * waits in its queues and signals. */
    akt_pid pid = akt__cell_pid(c);
    if (akt__spawn_hook) akt__spawn_hook(s, pid, akt__spawn_hook_data);
    if (!internal) akt__passivation_default(s, pid);
    if (!c->beh->pre_start)
        akt__publish(s, AKT_EVENT_ACTOR_STARTED, c, (akt_pid){0}, NULL, 0, NULL);
    *out = pid; /* before a start here, which may end the actor (and free what out is in) */
    if (!here || !akt__start_here(c, d)) akt__cell_release(c, c->status == AKT__RUNNING);
    return 0;
}

int akt__spawn_under(akt_system *s, uint32_t parent_idx, const akt_behavior *b, void *state,
                     const akt_spawn_options *opts, akt_pid *out) {
    return akt__spawn_at(s, parent_idx, b, state, opts, 0, 0, out);
}

int akt__spawn_reserved(akt_system *s, const akt_behavior *b, void *state,
                        const akt_spawn_options *opts, akt_pid *out) {
    return akt__spawn_at(s, AKT__GUARDIAN, b, state, opts, 1, 0, out);
}

AKT_API int akt_spawn(akt_system *system, const akt_behavior *behavior, void *state,
                      const akt_spawn_options *options, akt_pid *out) {
    int rc = akt__spawn_at(system, AKT__GUARDIAN, behavior, state, options, 0, 1, out);
    if (rc) return rc;
    akt__cell *c = akt__cell_live(system, *out);
    /* A pid stopped meanwhile has started (or never will): nothing to wait for. */
    if (c && akt__spawn_waits(system, akt__cell_disp(c))) akt_await_started(system, *out, -1);
    return 0;
}
