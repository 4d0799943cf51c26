/* reader.c -- akt_pid_receive: the function that reads an actor's messages, for a binding
 * that must know whether the target takes its objects (one of its own actors) or reads
 * bytes (a C actor, another binding's), and NULL for akt's own actors that pass messages
 * on. Only the send path of values without bytes asks, so it costs a common tell nothing. */
#include "reader.h"

#include <stdatomic.h>

#include "kernel/cell.h"
#include "kernel/sys.h"

/* akt's relay receive functions: a handful, the same for every system of the process. */
#define AKT__RELAYS_MAX 16
static _Atomic(akt_receive_fn) akt__relays[AKT__RELAYS_MAX];

void akt__relay_receive(akt_receive_fn receive) {
    for (int i = 0; i < AKT__RELAYS_MAX; i++) {
        akt_receive_fn seen = NULL;
        /* relaxed: the slot holds a function address and publishes nothing else; the
         * spawn that follows this call publishes the actor with a release, so a sender
         * that finds the actor live sees the slot filled. */
        if (atomic_compare_exchange_strong_explicit(&akt__relays[i], &seen, receive,
                                                    memory_order_relaxed, memory_order_relaxed) ||
            seen == receive)
            return;
    }
}

static int akt__is_relay(akt_receive_fn receive) {
    for (int i = 0; i < AKT__RELAYS_MAX; i++) {
        /* relaxed: see akt__relay_receive */
        akt_receive_fn r = atomic_load_explicit(&akt__relays[i], memory_order_relaxed);
        if (!r) return 0;
        if (r == receive) return 1;
    }
    return 0;
}

int akt__c_reader(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)msg;
    (void)state;
    return AKT_EUNHANDLED;
}

AKT_API int akt_pid_receive(akt_system *system, akt_pid pid, akt_receive_fn *receive) {
    if (!system || !receive) return AKT_EINVAL;
    akt__cell *c = akt__pid_index(pid) == AKT__GUARDIAN ? NULL : akt__cell_live(system, pid);
    if (!c) return AKT_ENOTFOUND;
    /* beh is set at spawn and kept for the actor's life (its stores are relaxed atomics
     * too, spawn.c and life.c). The cell may have been reused since the check above: the
     * answer counts only if the pid is still the cell's, and the record is read only then.
     * acquire fence: orders the read of beh before the second read of the id, as in
     * akt_pid_runs_on. */
    const akt__behavior_rec *beh = __atomic_load_n(&c->beh, __ATOMIC_RELAXED);
    atomic_thread_fence(memory_order_acquire);
    if (atomic_load_explicit(&c->id, memory_order_relaxed) != pid.id || !beh) return AKT_ENOTFOUND;
    /* The record is this incarnation's, interned before its pid was published (which
     * akt__cell_live acquired) and immutable until the system is freed. */
    *receive = akt__is_relay(beh->receive) ? NULL : beh->receive;
    return 0;
}
