/* Big (Savina 7): W = 120 actors each send N = 20,000 pings, one at a time, to peers
 * picked at random, each answered with a pong; an actor done with its pings tells the
 * sink, which then sends everyone an exit. Checks that the sink saw W N pongs. */
#include "harness.h"

#include <stdint.h>
#include <stdlib.h>

enum { START, PING, PONG, DONE, EXIT };
#define BIG_W 120
#define BIG_N 20000

typedef struct {
    const akt_pid *peers; /* shared; written before the first tell, which orders it */
    akt_pid sink;
    long pings, pongs;
    uint64_t rng;
} big_state;

typedef struct {
    const akt_pid *peers;
    long finished, pongs;
    sv_latch *done;
} sink_state;

static void stop_self(akt_ctx *ctx) {
    akt_pid self;
    akt_ctx_self(ctx, &self);
    akt_ctx_stop(ctx, self);
}

static int next_peer(big_state *s) { /* xorshift64: cheap, and each actor its own */
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return (int)(s->rng % BIG_W);
}

static int big_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    big_state *s = state;
    const sv_msg *m = sv_read(msg);
    switch (m->kind) {
    case PING:
        sv_respond(ctx, PONG, 0, 0);
        break;
    case PONG:
    case START: /* a pong, as the start, sends the next ping */
        if (m->kind == PONG) s->pongs++;
        if (s->pings == BIG_N) {
            sv_tell(ctx, s->sink, DONE, 0, s->pongs);
        } else {
            s->pings++;
            sv_tell(ctx, s->peers[next_peer(s)], PING, 0, 0);
        }
        break;
    case EXIT:
        stop_self(ctx);
        break;
    }
    return 0;
}

static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    sink_state *s = state;
    const sv_msg *m = sv_read(msg);
    if (m->kind != DONE) return 0;
    s->pongs += m->b;
    if (++s->finished < BIG_W) return 0;
    for (int i = 0; i < BIG_W; i++) sv_tell(ctx, s->peers[i], EXIT, 0, 0);
    stop_self(ctx);
    sv_latch_release(s->done, s->pongs == (long)BIG_W * BIG_N);
    return 0;
}

int sv_big(akt_system *sys) {
    sv_latch done;
    sv_latch_init(&done);
    static akt_pid peers[BIG_W];
    sink_state *ss = calloc(1, sizeof *ss);
    *ss = (sink_state){.peers = peers, .done = &done};
    akt_pid sink = sv_spawn(sys, sink_receive, ss, free);
    for (int i = 0; i < BIG_W; i++) {
        big_state *s = calloc(1, sizeof *s);
        *s = (big_state){.peers = peers, .sink = sink, .rng = 0x9E3779B97F4A7C15ull * (i + 1)};
        peers[i] = sv_spawn(sys, big_receive, s, free);
    }
    for (int i = 0; i < BIG_W; i++) sv_tell_ext(sys, peers[i], START, 0, 0);
    int ok = sv_latch_wait(&done);
    sv_latch_destroy(&done);
    return !ok;
}
