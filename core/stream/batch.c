/* The batch stage: up to n elements combined into one, sent when full, when the first one
 * waited max_wait (a Flush the system's timer tells the segment), or at upstream's end. The
 * batch is the first stage of its segment; its buffer holds at most n elements. */
#include "stream/segment.h"

#include "base/alloc.h"

#include <string.h>

void akt__batch_free(akt__seg *g) {
    for (size_t k = 0; k < g->batch_n; k++) akt_msg_release(g->batch[k]);
    akt__dfree(g->batch);
    g->batch = NULL;
    g->batch_n = 0;
}

/* Asks the timer for a Flush of the current batch after max_wait. */
static int schedule_flush(akt__seg *g, const akt__stage_def *d) {
    akt_msg *m = akt__stream_control(AKT__T_FLUSH, g->batch_gen);
    if (!m) return AKT_ENOMEM;
    int rc = akt_schedule_once(g->s->system, g->self, m, d->per_ns, NULL, NULL, 0);
    if (rc) akt_msg_release(m);
    return rc;
}

int akt__batch_add(akt__seg *g, size_t i, akt_msg *m) {
    akt_stream *s = g->s;
    const akt__stage_def *d = &s->defs[i];
    if (!g->batch) {
        g->batch = akt__dalloc(d->capacity * sizeof *g->batch);
        if (!g->batch) {
            akt_msg_release(m);
            akt__stream_fail_stage(s, i, AKT_ENOMEM);
            return AKT_ENOMEM;
        }
    }
    g->batch[g->batch_n++] = m;
    if (g->batch_n == 1 && d->capacity > 1) {
        int rc = schedule_flush(g, d);
        if (rc) {
            akt__stream_fail_stage(s, i, rc);
            return rc;
        }
    }
    return g->batch_n == d->capacity ? akt__batch_emit(g) : 0;
}

int akt__batch_emit(akt__seg *g) {
    akt_stream *s = g->s;
    size_t i = g->first;
    const akt__stage_def *d = &s->defs[i];
    if (!g->batch_n) return 0;
    g->batch_gen++; /* a Flush on its way is for this batch: stale now */
    akt_msg *out = NULL;
    int rc = 0;
    for (unsigned attempt = 0;; attempt++) {
        out = NULL;
        rc = d->fn.zip(g->batch, g->batch_n, &out, d->data);
        if (rc > 0) rc = AKT_EINVAL;
        if (rc == 0 && (!out || !akt_msg_type(out))) rc = AKT_EINVAL;
        if (rc == 0 &&
            strncmp(akt_msg_type(out), AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) == 0)
            rc = AKT_ETYPE;
        if (rc == 0) break;
        if (out) akt_msg_release(out), out = NULL;
        AKT__COUNT(s, i, errors);
        if (d->on_error == AKT_STREAM_ON_ERROR_RETRY && attempt < d->retries) continue;
        break;
    }
    for (size_t k = 0; k < g->batch_n; k++) akt_msg_release(g->batch[k]);
    size_t n = g->batch_n;
    g->batch_n = 0;
    if (rc != 0) {
        if (d->on_error == AKT_STREAM_ON_ERROR_RESUME) {
            /* relaxed: see akt__stage_counters */
            atomic_fetch_add_explicit(&s->counters[i].drops, n, memory_order_relaxed);
            return 0;
        }
        akt__stream_fail_stage(s, i, rc);
        return rc;
    }
    AKT__COUNT(s, i, out);
    return akt__seg_run(g, i + 1, out);
}
