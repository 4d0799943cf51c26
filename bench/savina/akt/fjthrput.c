/* Fork-Join throughput (Savina 8): the main thread sends N = 10,000 messages to each of
 * A = 60 actors (round robin); each message costs one sv_compute(37.2). Checks that every
 * actor handled exactly N. */
#include "harness.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define FJT_N 10000
#define FJT_A 60

typedef struct {
    long seen;
    atomic_int *finished;
    sv_latch *done;
} fjt_state;

static int fjt_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    fjt_state *s = state;
    if (sv_read(msg)->b != s->seen) { /* lost, extra or reordered message */
        fprintf(stderr, "savina: fjthrput: message %ld arrived as number %ld\n", sv_read(msg)->b,
                s->seen);
        exit(1);
    }
    sv_compute(37.2);
    if (++s->seen != FJT_N) return 0;
    akt_pid self;
    akt_ctx_self(ctx, &self);
    akt_ctx_stop(ctx, self);
    /* acq_rel: the last actor's add sees the others' finished counts in order; the latch
     * is its last touch of shared memory. */
    if (atomic_fetch_add_explicit(s->finished, 1, memory_order_acq_rel) + 1 == FJT_A)
        sv_latch_release(s->done, 1);
    return 0;
}

int sv_fjthrput(akt_system *sys) {
    sv_latch done;
    sv_latch_init(&done);
    atomic_int finished = 0;
    akt_pid actors[FJT_A];
    for (int i = 0; i < FJT_A; i++) {
        fjt_state *s = calloc(1, sizeof *s);
        *s = (fjt_state){.finished = &finished, .done = &done};
        actors[i] = sv_spawn(sys, fjt_receive, s, free);
    }
    for (long n = 0; n < FJT_N; n++)
        for (int i = 0; i < FJT_A; i++) sv_tell_ext(sys, actors[i], 0, 0, n);
    /* Each actor checks its messages arrive numbered 0..N-1; one that got fewer never
     * releases the latch, which then times out. */
    int ok = sv_latch_wait(&done);
    sv_latch_destroy(&done);
    return !ok;
}
