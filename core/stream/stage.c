/* What each stage does to an element, and the error strategies around the user's calls. */
#include "stream/segment.h"

#include "base/alloc.h"

#include <string.h>

/* What one call of a stage's function gave. */
typedef struct outcome {
    akt_msg *one;   /* map, scan, fold */
    int keep;       /* filter */
    akt_msg **many; /* flat_map */
    size_t n_many, cap_many;
} outcome;

static void outcome_clear(outcome *o) {
    if (o->one) akt_msg_release(o->one);
    for (size_t k = 0; k < o->n_many; k++) akt_msg_release(o->many[k]);
    akt__dfree(o->many);
    memset(o, 0, sizeof *o);
}

static int reserved(akt_msg *m) {
    return strncmp(akt_msg_type(m), AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) == 0;
}

static int emit(void *emit_ctx, akt_msg *m) {
    outcome *o = emit_ctx;
    if (!m) return AKT_EINVAL;
    if (o->n_many == o->cap_many) {
        size_t cap = o->cap_many ? o->cap_many * 2 : 8;
        akt_msg **v = akt__heap_realloc(&akt__default_heap, o->many, cap * sizeof *v);
        if (!v) {
            akt_msg_release(m);
            return AKT_ENOMEM;
        }
        o->many = v;
        o->cap_many = cap;
    }
    o->many[o->n_many++] = m;
    return 0;
}

static int bytes_equal(akt_msg *a, akt_msg *b, int *eq) {
    const void *pa, *pb;
    size_t la, lb;
    int rc = akt_msg_bytes(a, &pa, &la);
    if (rc == 0) rc = akt_msg_bytes(b, &pb, &lb);
    if (rc) return rc;
    *eq = strcmp(akt_msg_type(a), akt_msg_type(b)) == 0 && la == lb && memcmp(pa, pb, la) == 0;
    return 0;
}

/* One call of stage i's function on m (borrowed); fills o. */
static int invoke(akt__seg *g, size_t i, akt_msg *m, outcome *o) {
    const akt__stage_def *d = &g->s->defs[i];
    akt__stage_rt *rt = &g->s->rt[i];
    int rc = 0;
    switch (d->kind) {
    case AKT__FL_MAP:
        rc = d->fn.map(m, &o->one, d->data);
        break;
    case AKT__FL_FILTER:
        rc = d->fn.filter(m, &o->keep, d->data);
        break;
    case AKT__FL_FLAT_MAP:
        rc = d->fn.flat_map(m, emit, o, d->data);
        break;
    case AKT__FL_SCAN:
    case AKT__SK_FOLD:
        rc = d->fn.fold(rt->acc ? rt->acc : d->seed, m, &o->one, d->data);
        break;
    case AKT__SK_FOR_EACH:
        rc = d->fn.each(m, d->data);
        break;
    case AKT__FL_DEDUP:
        o->keep = 1;
        if (rt->last) {
            int eq = 0;
            rc = bytes_equal(rt->last, m, &eq);
            o->keep = !eq;
        }
        break;
    default:
        break;
    }
    if (rc > 0) rc = AKT_EINVAL; /* not a code of the contract */
    if (rc == 0) {
        int needs_one = d->kind == AKT__FL_MAP || d->kind == AKT__FL_SCAN ||
                        d->kind == AKT__SK_FOLD;
        if (needs_one && !o->one)
            rc = AKT_EINVAL;
        else if (o->one && !akt_msg_type(o->one))
            rc = AKT_EINVAL;
        else if (o->one && reserved(o->one))
            rc = AKT_ETYPE;
        for (size_t k = 0; rc == 0 && k < o->n_many; k++)
            if (reserved(o->many[k])) rc = AKT_ETYPE;
    }
    if (rc) outcome_clear(o);
    return rc;
}

/* Calls stage i on m under its error strategy: 0 with o filled, 1 when the element is to be
 * dropped (resume), or < 0 when the stream failed. */
static int call(akt__seg *g, size_t i, akt_msg *m, outcome *o) {
    for (unsigned attempt = 0;; attempt++) {
        int rc = invoke(g, i, m, o);
        if (rc == 0) return 0;
        if ((rc = akt__stage_failed(g->s, i, attempt, rc)) != AKT__STAGE_RETRY) return rc;
    }
}

int akt__stage_failed(akt_stream *s, size_t i, unsigned attempt, int rc) {
    const akt__stage_def *d = &s->defs[i];
    AKT__COUNT(s, i, errors);
    if (d->on_error == AKT_STREAM_ON_ERROR_RETRY && attempt < d->retries) return AKT__STAGE_RETRY;
    if (d->on_error == AKT_STREAM_ON_ERROR_RESUME) {
        AKT__COUNT(s, i, drops);
        return 1;
    }
    akt__stream_fail_stage(s, i, rc);
    return rc;
}

int akt__seg_run(akt__seg *g, size_t i, akt_msg *m) {
    akt_stream *s = g->s;
    if (i > g->last)
        return akt__seg_push_out(g, m)
                   ? (akt__stream_fail_stage(s, g->last, AKT_ENOMEM), AKT_ENOMEM)
                   : 0;
    if (i != g->first) AKT__COUNT(s, i, in);
    const akt__stage_def *d = &s->defs[i];
    akt__stage_rt *rt = &s->rt[i];
    outcome o = {0};
    int rc = 0;
    switch (d->kind) {
    case AKT__FL_BATCH:
        return akt__batch_add(g, i, m);
    case AKT__FL_BUFFER:
    case AKT__FL_THROTTLE:
        AKT__COUNT(s, i, out);
        return akt__seg_run(g, i + 1, m);
    case AKT__SK_IGNORE:
        akt_msg_release(m);
        return 0;
    case AKT__SK_ACTOR: /* waits in outq for the target's acks (actor_io.c) */
        return akt__seg_run(g, i + 1, m);
    case AKT__SK_COLLECT:
        if (akt__seg_push_result(g, m) != 0) {
            akt__stream_fail_stage(s, i, AKT_ENOMEM);
            return AKT_ENOMEM;
        }
        return 0;
    case AKT__SK_FIRST:
        if (akt__seg_push_result(g, m) != 0) {
            akt__stream_fail_stage(s, i, AKT_ENOMEM);
            return AKT_ENOMEM;
        }
        akt__seg_sink_complete(g);
        return AKT_ECANCELED; /* nothing more is needed */
    default:
        break;
    }
    rc = call(g, i, m, &o);
    if (rc != 0) {
        akt_msg_release(m);
        return rc < 0 ? rc : 0;
    }
    switch (d->kind) {
    case AKT__FL_MAP:
        akt_msg_release(m);
        AKT__COUNT(s, i, out);
        return akt__seg_run(g, i + 1, o.one);
    case AKT__FL_FILTER:
    case AKT__FL_DEDUP:
        if (!o.keep) {
            akt_msg_release(m);
            return 0;
        }
        if (d->kind == AKT__FL_DEDUP) {
            if (rt->last) akt_msg_release(rt->last);
            akt_msg_retain(m);
            rt->last = m;
        }
        AKT__COUNT(s, i, out);
        return akt__seg_run(g, i + 1, m);
    case AKT__FL_FLAT_MAP:
        akt_msg_release(m);
        for (size_t k = 0; k < o.n_many; k++) {
            AKT__COUNT(s, i, out);
            rc = akt__seg_run(g, i + 1, o.many[k]);
            if (rc < 0) {
                for (size_t j = k + 1; j < o.n_many; j++) akt_msg_release(o.many[j]);
                break;
            }
        }
        akt__dfree(o.many);
        return rc;
    case AKT__FL_SCAN:
        akt_msg_release(m);
        if (rt->acc) akt_msg_release(rt->acc);
        rt->acc = o.one;
        akt_msg_retain(o.one);
        AKT__COUNT(s, i, out);
        return akt__seg_run(g, i + 1, o.one);
    case AKT__SK_FOLD:
        akt_msg_release(m);
        if (rt->acc) akt_msg_release(rt->acc);
        rt->acc = o.one;
        return 0;
    default: /* for_each */
        akt_msg_release(m);
        return 0;
    }
}

/* The next element of a source into *out (NULL at the end); 0 or an AKT_E* code. */
static int make(akt__seg *g, akt_msg **out) {
    const akt__stage_def *d = &g->s->defs[g->first];
    *out = NULL;
    switch (d->kind) {
    case AKT__SRC_VALUES:
        if (g->vi < d->n_values) {
            *out = d->values[g->vi++];
            akt_msg_retain(*out);
        }
        return 0;
    case AKT__SRC_RANGE: {
        if (g->exhausted || (d->step > 0 ? g->next >= d->end : g->next <= d->end)) return 0;
        int64_t v = g->next;
        unsigned char b[8];
        for (int k = 0; k < 8; k++) b[k] = (unsigned char)((uint64_t)v >> (8 * k));
        int rc = akt_msg_new_bytes(AKT_TYPE_INT64, b, 8, AKT_COPY, out);
        if (rc) return rc;
        if (__builtin_add_overflow(v, d->step, &g->next)) g->next = d->end; /* the last */
        return 0;
    }
    default: {
        int rc = d->fn.unfold(d->data, out);
        if (rc > 0) rc = AKT_EINVAL;
        if (rc == 0 && *out && (!akt_msg_type(*out) || reserved(*out))) rc = AKT_ETYPE;
        if (rc && *out) akt_msg_release(*out), *out = NULL;
        return rc;
    }
    }
}

int akt__seg_generate(akt__seg *g) {
    akt_stream *s = g->s;
    const akt__stage_def *d = &s->defs[g->first];
    akt_msg *m = NULL;
    for (unsigned attempt = 0;; attempt++) {
        int rc = make(g, &m);
        if (rc == 0) break;
        AKT__COUNT(s, g->first, errors);
        if (d->on_error == AKT_STREAM_ON_ERROR_RETRY && attempt < d->retries) continue;
        if (d->on_error == AKT_STREAM_ON_ERROR_RESUME && d->kind == AKT__SRC_UNFOLD) {
            AKT__COUNT(s, g->first, drops);
            return 0; /* the next call may give an element */
        }
        akt__stream_fail_stage(s, g->first, rc);
        return rc;
    }
    if (!m) {
        g->exhausted = 1;
        return 0;
    }
    AKT__COUNT(s, g->first, out);
    return akt__seg_run(g, g->first + 1, m);
}

void akt__seg_sink_complete(akt__seg *g) {
    akt_stream *s = g->s;
    const akt__stage_def *d = &s->defs[g->last];
    if (d->kind == AKT__SK_FOLD) {
        akt_msg *r = s->rt[g->last].acc ? s->rt[g->last].acc : d->seed;
        akt_msg_retain(r);
        if (akt__seg_push_result(g, r) != 0) {
            akt__stream_fail_stage(s, g->last, AKT_ENOMEM);
            return;
        }
    }
    akt__stream_finish_with(s, 0, "", g->res, g->n_res);
    g->res = NULL;
    g->n_res = g->res_cap = 0;
}
