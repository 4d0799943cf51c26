/* Counting (Savina 2): a producer sends N = 1,000,000 increments to a counter, then asks
 * for the count. Checks that the counter saw exactly N. */
#include "harness.h"

#include <stdlib.h>

enum { START, INC, GET, RESULT };
#define COUNTING_N 1000000

typedef struct {
    long count;
} counter_state;

typedef struct {
    akt_pid counter;
    sv_latch *done;
} producer_state;

static void stop_self(akt_ctx *ctx) {
    akt_pid self;
    akt_ctx_self(ctx, &self);
    akt_ctx_stop(ctx, self);
}

static int counter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    counter_state *s = state;
    const sv_msg *m = sv_read(msg);
    if (m->kind == INC) {
        s->count++;
    } else if (m->kind == GET) {
        sv_respond(ctx, RESULT, 0, s->count);
        stop_self(ctx);
    }
    return 0;
}

static int producer_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    producer_state *s = state;
    const sv_msg *m = sv_read(msg);
    if (m->kind == START) {
        for (long i = 0; i < COUNTING_N; i++) sv_tell(ctx, s->counter, INC, 0, 0);
        sv_tell(ctx, s->counter, GET, 0, 0);
    } else if (m->kind == RESULT) {
        stop_self(ctx);
        sv_latch_release(s->done, m->b == COUNTING_N);
    }
    return 0;
}

int sv_counting(akt_system *sys) {
    sv_latch done;
    sv_latch_init(&done);
    producer_state *p = calloc(1, sizeof *p);
    p->done = &done;
    p->counter = sv_spawn(sys, counter_receive, calloc(1, sizeof(counter_state)), free);
    akt_pid producer = sv_spawn(sys, producer_receive, p, free);
    sv_tell_ext(sys, producer, START, 0, 0);
    int ok = sv_latch_wait(&done);
    sv_latch_destroy(&done);
    return !ok;
}
