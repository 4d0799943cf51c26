/* Chameneos (Savina 6): C = 100 chameneos meet M = 200,000 times at one mall, which pairs
 * them two by two; the pair exchange colours; once the meetings are used up the mall sends
 * each an exit and sums the meetings they report. Checks that the sum is 2 M. */
#include "harness.h"

#include <stdlib.h>

enum { START, MEET, CHANGE, EXIT, COUNT };
enum { BLUE, RED, YELLOW, FADED };
#define CHAM_C 100
#define CHAM_M 200000

typedef struct {
    long meetings_left, faded, sum;
    akt_pid waiting;
    sv_latch *done;
} mall_state;

typedef struct {
    akt_pid mall;
    int colour;
    long meetings;
} cham_state;

static int complement(int a, int b) {
    if (a == b) return a;
    return 3 - a - b; /* the third of BLUE, RED, YELLOW */
}

static void stop_self(akt_ctx *ctx) {
    akt_pid self;
    akt_ctx_self(ctx, &self);
    akt_ctx_stop(ctx, self);
}

static int mall_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    mall_state *s = state;
    const sv_msg *m = sv_read(msg);
    if (m->kind == MEET) {
        if (s->meetings_left == 0) {
            sv_respond(ctx, EXIT, 0, 0);
        } else if (s->waiting.id == AKT_PID_NONE_ID) {
            akt_ctx_sender(ctx, &s->waiting);
        } else {
            s->meetings_left--;
            sv_check(akt_ctx_forward(ctx, s->waiting), "forward");
            s->waiting.id = AKT_PID_NONE_ID;
        }
    } else if (m->kind == COUNT) {
        s->sum += m->b;
        if (++s->faded == CHAM_C) {
            stop_self(ctx);
            sv_latch_release(s->done, s->sum == 2L * CHAM_M);
        }
    }
    return 0;
}

static int cham_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    cham_state *s = state;
    const sv_msg *m = sv_read(msg);
    switch (m->kind) {
    case START:
        sv_tell(ctx, s->mall, MEET, s->colour, 0);
        break;
    case MEET: /* forwarded by the mall: the sender is the other chameneo */
        s->colour = complement(s->colour, m->a);
        s->meetings++;
        sv_respond(ctx, CHANGE, s->colour, 0);
        sv_tell(ctx, s->mall, MEET, s->colour, 0);
        break;
    case CHANGE:
        s->colour = m->a;
        s->meetings++;
        sv_tell(ctx, s->mall, MEET, s->colour, 0);
        break;
    case EXIT:
        s->colour = FADED;
        sv_respond(ctx, COUNT, 0, s->meetings);
        stop_self(ctx);
        break;
    }
    return 0;
}

int sv_chameneos(akt_system *sys) {
    sv_latch done;
    sv_latch_init(&done);
    mall_state *ms = calloc(1, sizeof *ms);
    ms->meetings_left = CHAM_M;
    ms->done = &done;
    akt_pid mall = sv_spawn(sys, mall_receive, ms, free);
    for (int i = 0; i < CHAM_C; i++) {
        cham_state *s = calloc(1, sizeof *s);
        *s = (cham_state){.mall = mall, .colour = i % 3};
        sv_tell_ext(sys, sv_spawn(sys, cham_receive, s, free), START, 0, 0);
    }
    int ok = sv_latch_wait(&done);
    sv_latch_destroy(&done);
    return !ok;
}
