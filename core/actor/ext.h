/* The parts of an actor most actors never use, allocated on first use so that an idle
 * actor stays small: become stack, stash, watches, dependencies, its strategy for its
 * children and escalated children. Owner-only (sched held). */
#ifndef AKT_CORE_ACTOR_EXT_H
#define AKT_CORE_ACTOR_EXT_H
#include <akt/akt.h>

#include "base/vec.h"
#include "kernel/cell.h"
#include "kernel/stats.h"

typedef struct akt__env_list {
    akt__envelope *head, *tail;
} akt__env_list;

typedef struct akt__ext {
    akt__vec become_fns;    /* akt_receive_fn, top = current */
    akt__vec become_states; /* void *, parallel to become_fns */
    akt__env_list stash;
    akt__env_list unstashed; /* handled before the mailbox */
    akt__vec watching;       /* pids this actor watches */
    char **dep_names;
    void **dep_values;
    uint32_t ndeps;
    int has_supervisor;
    akt_supervisor supervisor;
    akt__vec escalated;           /* children waiting for this actor's own directive */
    akt__vec faults;              /* retry budget: (child id, window start ns, failures) triples */
    akt__vec backoffs;            /* backoff: (child id, last failure ns, restarts) triples */
    struct akt__backoff *backoff; /* this actor's pending restart timer, or NULL */
    int32_t backoff_seq;          /* sequence of the last timer armed */
    /* Reentrant requests (request.c): the ones in flight, oldest first, and the answers
     * waiting for a turn (SYS_RESPONSE envelopes). */
    struct akt__request *requests;
    akt__env_list responses;
    uint32_t n_requests;    /* in flight */
    uint32_t n_stashing;    /* of them in STASH mode: user messages wait while > 0 */
    uint32_t max_in_flight; /* 0 = no limit */
    int reentrancy;         /* the actor's mode (AKT_REENTRANCY_*) */
    /* Suspended messages (suspend.c): their records, and the steps posted to them
     * (SYS_STEP envelopes) waiting for a turn. */
    struct akt__susp *susps;
    akt__env_list steps;
    uint32_t n_holding; /* suspensions that keep user messages waiting */
    /* Passivation by message count (actor/passivate.c): passivate once this many messages
     * were handled; 0 = no such strategy. */
    uint64_t passivate_after;
} akt__ext;

/* c's ext, NULL while it has none; owner-only. The flag in the cell spares a run of an
 * actor without one the look into its page. relaxed: the owner that set the flag had
 * the page's pointers (made them, or loaded them with acquire), and every later run of c
 * is ordered after it by the sched flag. */
static inline akt__ext *akt__cell_ext(const akt__cell *c) {
    if (!c->has_ext) return NULL;
    uint32_t slot = akt__cell_slot(c);
    akt__page_tail *t = akt__page_tail_at((akt__cell *)c, slot);
    akt__ext **exts = atomic_load_explicit(&t->exts, memory_order_relaxed);
    return exts[slot];
}

/* Sets c's ext (owner-only; NULL clears it): 0, or AKT_ENOMEM when its page had no ext
 * pointers yet and they could not be made (c is then unchanged). */
static inline int akt__cell_ext_set(akt__cell *c, akt__ext *x) {
    if (!x && !c->has_ext) return 0;
    akt__ext **at = akt__ext_slot_make(c); /* made already when has_ext is set */
    if (!at) return AKT_ENOMEM;
    *at = x;
    c->has_ext = x != NULL;
    return 0;
}

struct akt_system;
/* The cell's ext, allocating it; NULL on ENOMEM. */
akt__ext *akt__ext_get(struct akt_system *s, akt__cell *c);
void akt__ext_free(struct akt_system *s, akt__ext *x);

static inline void akt__env_list_push(akt__env_list *l, akt__envelope *e) {
    atomic_store_explicit(&e->node.next, NULL, memory_order_relaxed);
    if (l->tail)
        atomic_store_explicit(&l->tail->node.next, &e->node, memory_order_relaxed);
    else
        l->head = e;
    l->tail = e;
}

static inline akt__envelope *akt__env_list_pop(akt__env_list *l) {
    akt__envelope *e = l->head;
    if (e) {
        l->head = (akt__envelope *)atomic_load_explicit(&e->node.next, memory_order_relaxed);
        if (!l->head) l->tail = NULL;
    }
    return e;
}

#endif
