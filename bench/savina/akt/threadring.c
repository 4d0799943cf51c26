/* ThreadRing (Savina 5): N = 100 actors in a ring pass a token R = 100,000 times; then an
 * exit message goes once round the ring. Checks that the hops the actors counted add up to
 * R. */
#include "harness.h"

#include <stdatomic.h>
#include <stdlib.h>

enum { NEXT, TOKEN, EXIT };
#define RING_N 100
#define RING_R 100000

typedef struct {
    akt_pid *ring; /* shared; written before the first tell, which orders it before reads */
    akt_pid next;
    long hops;
    atomic_long *total;
    sv_latch *done;
} ring_state;

static int ring_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    ring_state *s = state;
    const sv_msg *m = sv_read(msg);
    if (m->kind == NEXT) {
        s->next = s->ring[m->a];
    } else if (m->kind == TOKEN) {
        s->hops++;
        if (m->b > 0)
            sv_tell(ctx, s->next, TOKEN, 0, m->b - 1);
        else
            sv_tell(ctx, s->next, EXIT, RING_N, 0);
    } else if (m->kind == EXIT) {
        /* relaxed: the sum is read by the last actor of the exit lap, which the chain of
         * tells (each a release/acquire hand-off) orders after every other add. */
        long sum = atomic_fetch_add_explicit(s->total, s->hops, memory_order_relaxed) + s->hops;
        akt_pid self;
        akt_ctx_self(ctx, &self);
        akt_ctx_stop(ctx, self);
        if (m->a > 1)
            sv_tell(ctx, s->next, EXIT, m->a - 1, 0);
        else
            sv_latch_release(s->done, sum == RING_R + 1); /* R passes: R + 1 receipts */
    }
    return 0;
}

int sv_threadring(akt_system *sys) {
    sv_latch done;
    sv_latch_init(&done);
    static akt_pid ring[RING_N];
    atomic_long total = 0;
    for (int i = 0; i < RING_N; i++) {
        ring_state *s = calloc(1, sizeof *s);
        *s = (ring_state){.ring = ring, .total = &total, .done = &done};
        ring[i] = sv_spawn(sys, ring_receive, s, free);
    }
    for (int i = 0; i < RING_N; i++) sv_tell_ext(sys, ring[i], NEXT, (i + 1) % RING_N, 0);
    sv_tell_ext(sys, ring[0], TOKEN, 0, RING_R);
    int ok = sv_latch_wait(&done);
    sv_latch_destroy(&done);
    return !ok;
}
