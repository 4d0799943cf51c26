/* PingPong (Savina 1): a ping actor and a pong actor exchange N = 40,000 ping/pong pairs,
 * one in flight at a time. Checks that the ping actor got all N pongs back. */
#include "harness.h"

#include <stdlib.h>

enum { START, PING, PONG, STOP };
#define PINGPONG_N 40000

typedef struct {
    akt_pid pong;
    long left, pongs;
    sv_latch *done;
} ping_state;

static int pong_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    const sv_msg *m = sv_read(msg);
    if (m->kind == PING) {
        sv_respond(ctx, PONG, 0, m->b);
    } else if (m->kind == STOP) {
        akt_pid self;
        akt_ctx_self(ctx, &self);
        akt_ctx_stop(ctx, self);
    }
    return 0;
}

static int ping_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    ping_state *s = state;
    const sv_msg *m = sv_read(msg);
    if (m->kind == PONG) s->pongs++;
    if (s->left > 0) {
        sv_tell(ctx, s->pong, PING, 0, s->left--);
        return 0;
    }
    sv_tell(ctx, s->pong, STOP, 0, 0);
    akt_pid self;
    akt_ctx_self(ctx, &self);
    akt_ctx_stop(ctx, self);
    sv_latch_release(s->done, s->pongs == PINGPONG_N);
    return 0;
}

int sv_pingpong(akt_system *sys) {
    sv_latch done;
    sv_latch_init(&done);
    ping_state *s = calloc(1, sizeof *s);
    s->left = PINGPONG_N;
    s->done = &done;
    s->pong = sv_spawn(sys, pong_receive, NULL, NULL);
    akt_pid ping = sv_spawn(sys, ping_receive, s, free);
    sv_tell_ext(sys, ping, START, 0, 0);
    int ok = sv_latch_wait(&done);
    sv_latch_destroy(&done);
    return !ok;
}
