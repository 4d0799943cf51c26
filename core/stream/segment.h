/* The state of a segment's actor, shared by segment.c (the protocol) and stage.c (what the
 * stages do to an element). Touched only by that actor's turns. */
#ifndef AKT_CORE_STREAM_SEGMENT_H
#define AKT_CORE_STREAM_SEGMENT_H

#include "stream/stream.h"

typedef struct akt__seg {
    akt_stream *s;
    size_t index, first, last; /* segment index; its stages [first, last] */
    int is_source, is_sink;
    akt_pid self, up, down;
    int started; /* Start received: the pids above are known */

    /* Elements received and not yet processed: at most ring_cap. */
    akt_msg **ring;
    size_t ring_cap, head, count;
    size_t window;  /* the most credit granted upstream at once */
    int overflow;   /* akt_stream_overflow: BACKPRESSURE unless the first stage is a buffer */
    size_t granted; /* credit granted upstream and not yet used */
    int upstream_done, completed;

    /* Elements made and waiting for downstream demand. */
    akt_msg **outq;
    size_t out_head, out_n, out_cap;
    int64_t demand; /* credit downstream granted */

    /* Throttle (first stage): the budget left in this interval, when the next one starts,
     * and whether a Wake is already scheduled for it. */
    uint32_t tokens;
    int64_t next_refill;
    int wake_pending;
    int is_throttle;

    /* Batch (first stage): the elements of the batch being filled, and its number (a Flush
     * from the timer for an older batch is stale). */
    akt_msg **batch;
    size_t batch_n;
    int64_t batch_gen;

    /* Tick source: its schedule's reference, "" until it is scheduled. */
    int is_tick;
    char tick_ref[AKT_SCHEDULE_REF_MAX + 1];

    /* Source cursor. */
    int64_t next;
    size_t vi;
    int exhausted;

    /* Sink results (collect; fold and first at the end). */
    akt_msg **res;
    size_t n_res, res_cap;

    /* A junction (junction.c): a fan-in source's inputs or a fan-out sink's branches. */
    int fan_in, fan_out;
    struct akt__port *ports;
    size_t n_ports;
    int ports_known;    /* the ports' pids were read from the sub-streams */
    size_t rr;          /* merge, balance: the port to look at first */
    size_t cur;         /* concat: the input being read */
    size_t pending;     /* partition: 1 + the branch of the ring's head, 0 if not chosen */
    size_t n_ended;     /* fan-out: branches that ended */
    int completes_sent; /* fan-out: Complete told to the branches */

    /* Actor io (actor_io.c): a queue source, or a sink whose target's acks are demand. */
    int is_queue, is_actor_sink;
    size_t in_flight; /* actor sink: the most unacknowledged elements */
    int sink_wait;    /* actor sink: a tell refused for flow control waits for a Wake */

    /* Actor source (a source reference, actor_io.c): elements that found the ring full wait
     * in the actor's stash (n_stashed); n_unstashed of them were put back and come next. */
    int is_actor_src, src_closed;
    size_t n_stashed, n_unstashed;
    akt_pid producer; /* the first actor that sent an element: watched until the end */
    int end_stashed;  /* an End waits in the stash: a Gone after it is no failure */

    /* map_async (async.c, first stage): its calls, at most parallelism. */
    int is_async;
    struct akt__async_slot *slots;
    size_t n_slots, a_head, a_len; /* ordered: a ring [a_head, a_head + a_len) */
    size_t n_pending;              /* slots in use */
    uint64_t a_seq;

    /* flat_map_merge (flat_merge.c, first stage): its running inners, at most breadth. */
    int is_flat_merge;
    struct akt__inner *inners;
    size_t n_inners;    /* slots: the breadth */
    size_t n_active;    /* slots in use */
    uint64_t inner_seq; /* the port of the next inner: never reused, so a late Ended of an
                         * inner that is gone finds no slot */
} akt__seg;

/* One input or branch of a junction. */
typedef struct akt__port {
    akt_stream *child; /* borrowed from the stream's children */
    akt_pid pid;       /* an input's last actor, or a branch's first */
    akt_msg **ring;    /* fan-in: elements received, at most the input's window */
    size_t head, count, cap;
    size_t granted; /* fan-in: credit granted and not used */
    int64_t demand; /* fan-out: credit the branch granted */
    int done;       /* fan-in: Complete received; fan-out: the branch ended */
} akt__port;

/* batch.c: adds m (taken) to the batch of stage i (g->first); emits a full one. 0 or < 0. */
int akt__batch_add(akt__seg *g, size_t i, akt_msg *m);
/* Emits the batch being filled (if any) downstream. 0, or < 0 once the stream failed. */
int akt__batch_emit(akt__seg *g);
void akt__batch_free(akt__seg *g);

/* junction.c, called by segment.c on a junction's actor. */
int akt__junction_init(akt__seg *g);
void akt__junction_free(akt__seg *g);
/* Handles msg if it is for the junction (from a port, or Ended): 1, else 0. */
int akt__junction_receive(akt__seg *g, akt_ctx *ctx, akt_msg *msg);
/* Fan-in: one element into the segment's stages: 0, 1 if none can be made now, < 0 when the
 * stream failed. Sets g->exhausted once no more will come. */
int akt__junction_next(akt__seg *g);
/* Fan-in: grants the inputs credit. */
void akt__junction_grant(akt__seg *g, akt_ctx *ctx);
/* Fan-out: sends the ring's head on: 0, 1 if it must wait for demand, < 0 failed. */
int akt__junction_route(akt__seg *g, akt_ctx *ctx);
/* Fan-out: upstream completed and everything was sent: tells the branches. */
void akt__junction_complete(akt__seg *g, akt_ctx *ctx);
/* Protocol messages, shared with segment.c. */
akt_msg *akt__stream_control(const char *type, int64_t n);
int64_t akt__stream_control_n(akt_msg *m);
int akt__seg_tell_control(akt__seg *g, akt_ctx *ctx, akt_pid to, const char *type, int64_t n);

/* Runs element m (a reference, taken) through stages [i, last]; what leaves the last one
 * waits in outq. Returns 0, or < 0 once the stream failed. */
int akt__seg_run(akt__seg *g, size_t i, akt_msg *m);
/* A source segment: makes the next element and runs it through the segment; sets
 * g->exhausted at the end. 0 or < 0 as akt__seg_run. */
int akt__seg_generate(akt__seg *g);
/* A sink segment: upstream completed; hands the results to the stream and ends it. */
void akt__seg_sink_complete(akt__seg *g);

int akt__seg_push_out(akt__seg *g, akt_msg *m);

/* actor_io.c. A queue source: the next element from the ring: 0, 1 if none now, < 0. */
int akt__queue_next(akt__seg *g);
/* Whether the queue was drained and everything it accepted was sent on. */
int akt__queue_exhausted(akt__seg *g);
/* An actor sink: handles msg if it is the target's ack or Terminated: 1, else 0. */
int akt__actor_sink_receive(akt__seg *g, akt_ctx *ctx, akt_msg *msg);
/* An actor sink: whether every element told was acknowledged. */
int akt__actor_sink_idle(const akt__seg *g);
/* An actor sink: upstream completed and every element was acknowledged. */
void akt__actor_sink_complete(akt__seg *g, akt_ctx *ctx);

/* An actor source: handles msg if it is an element or the end (for the source): 1, else 0. */
int akt__actor_src_receive(akt__seg *g, akt_ctx *ctx, akt_msg *msg);
/* An actor source: the next element from the ring: 0, 1 if none now, < 0. */
int akt__actor_src_next(akt__seg *g);
/* An actor source: puts back from the stash what the ring has room for. */
void akt__actor_src_refill(akt__seg *g, akt_ctx *ctx);
/* Whether the source ended and everything it accepted was sent on. */
int akt__actor_src_exhausted(const akt__seg *g);
/* An actor sink: a tell to the target was refused with rc: 1 if it is to be tried again
 * (flow control: a Wake is scheduled), 0 if the stream failed. */
int akt__actor_sink_refused(akt__seg *g, akt_ctx *ctx, int rc);

/* async.c, on a map_async segment. */
int akt__async_init(akt__seg *g);
void akt__async_free(akt__seg *g);
/* Whether another call may start now. */
int akt__async_has_room(const akt__seg *g);
/* Starts the call for m (a reference, taken): 0, or < 0 once the stream failed. */
int akt__async_start(akt__seg *g, akt_msg *m);
/* A Done message: emits what completed. 0 or < 0. */
int akt__async_done(akt__seg *g, akt_ctx *ctx, akt_msg *msg);
int akt__seg_push_result(akt__seg *g, akt_msg *m);

/* flat_merge.c, on a flat_map_merge segment. */
int akt__flat_merge_init(akt__seg *g);
void akt__flat_merge_free(akt__seg *g);
/* Handles msg if it is from an inner or an inner's Ended: 1, else 0. */
int akt__flat_merge_receive(akt__seg *g, akt_ctx *ctx, akt_msg *msg);
/* One element of an inner into the segment's stages: 0, 1 if none now, < 0 failed. */
int akt__flat_merge_next(akt__seg *g);
/* Starts inners for the ring's elements while fewer than breadth run, and grants the
 * inners credit: 0, or < 0 once the stream failed. */
int akt__flat_merge_fill(akt__seg *g, akt_ctx *ctx);

#endif
