/* Fork-Join creation (Savina 9): the main thread spawns N = 40,000 actors and sends each
 * one message; each does one sv_compute(37.2) and stops. Checks that all N ran. */
#include "harness.h"

#include <stdatomic.h>
#include <stdlib.h>

#define FJC_N 40000

typedef struct {
    atomic_long handled;
    sv_latch done;
} fjc_shared;

static int fjc_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)msg;
    fjc_shared *s = state;
    sv_compute(37.2);
    akt_pid self;
    akt_ctx_self(ctx, &self);
    akt_ctx_stop(ctx, self);
    /* acq_rel: the N-th add is ordered after all others; the latch is its last touch. The
     * count checks itself: only the N-th handled message releases the latch. */
    if (atomic_fetch_add_explicit(&s->handled, 1, memory_order_acq_rel) + 1 == FJC_N)
        sv_latch_release(&s->done, 1);
    return 0;
}

int sv_fjcreate(akt_system *sys) {
    fjc_shared s;
    atomic_init(&s.handled, 0);
    sv_latch_init(&s.done);
    for (long i = 0; i < FJC_N; i++)
        sv_tell_ext(sys, sv_spawn(sys, fjc_receive, &s, NULL), 0, 0, i);
    int ok = sv_latch_wait(&s.done);
    sv_latch_destroy(&s.done);
    return !ok;
}
