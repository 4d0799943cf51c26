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

    /* Source cursor. */
    int64_t next;
    size_t vi;
    int exhausted;

    /* Sink results (collect; fold and first at the end). */
    akt_msg **res;
    size_t n_res, res_cap;
} akt__seg;

/* Runs element m (a reference, taken) through stages [i, last]; what leaves the last one
 * waits in outq. Returns 0, or < 0 once the stream failed. */
int akt__seg_run(akt__seg *g, size_t i, akt_msg *m);
/* A source segment: makes the next element and runs it through the segment; sets
 * g->exhausted at the end. 0 or < 0 as akt__seg_run. */
int akt__seg_generate(akt__seg *g);
/* A sink segment: upstream completed; hands the results to the stream and ends it. */
void akt__seg_sink_complete(akt__seg *g);

int akt__seg_push_out(akt__seg *g, akt_msg *m);
int akt__seg_push_result(akt__seg *g, akt_msg *m);

#endif
