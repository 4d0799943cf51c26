/* Junctions: a fan-in source (merge, concat, zip) whose inputs are sub-streams, and a
 * fan-out sink (broadcast, balance, partition) whose branches are sub-streams. A junction is
 * the segment actor of its stage; each input or branch is a port. Between a port and the
 * junction the usual demand protocol runs: the junction grants an input credit for at most
 * its window and an input sends only against it; a branch grants the junction credit and
 * the junction sends it only that much. How a sub-stream ended comes as Ended(port, rc). */
#include "stream/segment.h"

#include "base/alloc.h"

#include <stdio.h>
#include <string.h>

static size_t junction_stage(const akt__seg *g) { return g->fan_in ? g->first : g->last; }

int akt__junction_init(akt__seg *g) {
    g->fan_in = akt__stage_is_fan_in(g->s->defs[g->first].kind);
    g->fan_out = akt__stage_is_fan_out(g->s->defs[g->last].kind);
    if (!g->fan_in && !g->fan_out) return 0;
    const akt__stage_def *d = &g->s->defs[junction_stage(g)];
    g->ports = akt__dalloc(d->n_subs * sizeof *g->ports);
    if (!g->ports) return AKT_ENOMEM;
    memset(g->ports, 0, d->n_subs * sizeof *g->ports);
    g->n_ports = d->n_subs;
    for (size_t k = 0; g->fan_in && k < g->n_ports; k++) {
        g->ports[k].cap = d->subs[k]->window;
        g->ports[k].ring = akt__dalloc(g->ports[k].cap * sizeof(akt_msg *));
        if (!g->ports[k].ring) {
            akt__junction_free(g);
            return AKT_ENOMEM;
        }
    }
    return 0;
}

void akt__junction_free(akt__seg *g) {
    if (!g->ports) return;
    for (size_t k = 0; k < g->n_ports; k++) {
        akt__port *p = &g->ports[k];
        for (size_t i = 0; i < p->count; i++) akt_msg_release(p->ring[(p->head + i) % p->cap]);
        akt__dfree(p->ring);
    }
    akt__dfree(g->ports);
    g->ports = NULL;
    g->n_ports = 0;
}

/* The ports' sub-streams and pids: all written before the first Start was told, and any
 * message from a port comes after that. */
static void resolve(akt__seg *g) {
    if (g->ports_known) return;
    akt_stream *s = g->s;
    size_t stage = junction_stage(g), k = 0;
    for (size_t i = 0; i < s->n_children && k < g->n_ports; i++) {
        if (s->child_stage[i] != stage) continue;
        akt_stream *c = s->children[i];
        g->ports[k].child = c;
        g->ports[k].pid = g->fan_in ? c->pids[c->n_segs - 1] : c->pids[0];
        k++;
    }
    g->ports_known = 1;
}

static akt__port *port_of(akt__seg *g, akt_ctx *ctx) {
    akt_pid from;
    if (akt_ctx_sender(ctx, &from) != 0 || from.id == 0) return NULL;
    for (size_t k = 0; k < g->n_ports; k++)
        if (g->ports[k].pid.id == from.id) return &g->ports[k];
    return NULL;
}

static void read_ended(akt_msg *m, size_t *port, int *rc) {
    const void *p = NULL;
    size_t len = 0;
    uint64_t v[2] = {0, 0};
    if (akt_msg_bytes(m, &p, &len) == 0 && len == 16)
        for (int k = 0; k < 2; k++)
            for (int i = 7; i >= 0; i--) v[k] = v[k] << 8 | ((const unsigned char *)p)[8 * k + i];
    *port = (size_t)v[0];
    *rc = (int)(int64_t)v[1];
}

/* Every branch ended well: the stream's results are theirs, one branch after the other. */
static void fan_out_finish(akt__seg *g) {
    akt_stream *s = g->s;
    size_t total = 0;
    for (size_t k = 0; k < g->n_ports; k++) {
        size_t n = 0;
        if (akt_stream_result_count(g->ports[k].child, &n) == 0) total += n;
    }
    size_t *ranges = akt__dalloc(2 * g->n_ports * sizeof *ranges);
    akt_msg **res = total ? akt__dalloc(total * sizeof *res) : NULL;
    if (!ranges || (total && !res)) {
        akt__dfree(ranges);
        akt__dfree(res);
        akt__stream_fail_stage(s, g->last, AKT_ENOMEM);
        return;
    }
    size_t at = 0;
    for (size_t k = 0; k < g->n_ports; k++) {
        size_t n = 0;
        if (akt_stream_result_count(g->ports[k].child, &n) != 0) n = 0;
        ranges[2 * k] = at;
        for (size_t i = 0; i < n && at < total; i++) {
            akt_msg *m = NULL;
            if (akt_stream_result_at(g->ports[k].child, i, &m) != 0) break;
            akt_msg_retain(m);
            res[at++] = m;
        }
        ranges[2 * k + 1] = at - ranges[2 * k];
    }
    pthread_mutex_lock(&s->mu);
    if (!atomic_load_explicit(&s->done, memory_order_relaxed)) { /* under mu */
        s->ranges = ranges;
        s->n_ranges = g->n_ports;
        ranges = NULL;
    }
    pthread_mutex_unlock(&s->mu);
    akt__dfree(ranges);
    akt__stream_finish_with(s, 0, "", res, at);
}

static void on_ended(akt__seg *g, size_t port, int rc) {
    akt_stream *s = g->s;
    if (port >= g->n_ports) return;
    akt__port *p = &g->ports[port];
    if (rc != 0) {
        const char *why = "";
        akt_stream_reason(p->child, &why);
        char reason[128];
        snprintf(reason, sizeof reason, "%s %zu: %s", g->fan_in ? "input" : "branch", port, why);
        akt__stream_finish(s, rc, reason);
        return;
    }
    if (g->fan_in || p->done) return; /* an input's Complete came before */
    p->done = 1;
    p->demand = 0;
    if (++g->n_ended == g->n_ports) fan_out_finish(g);
}

int akt__junction_receive(akt__seg *g, akt_ctx *ctx, akt_msg *msg) {
    const char *t = akt_msg_type(msg);
    if (strcmp(t, AKT__T_ENDED) == 0) {
        size_t port;
        int rc;
        read_ended(msg, &port, &rc);
        resolve(g);
        on_ended(g, port, rc);
        return 1;
    }
    resolve(g);
    akt__port *p = port_of(g, ctx);
    if (!p) return 0;
    akt_stream *s = g->s;
    if (g->fan_out) {
        if (strcmp(t, AKT__T_REQUEST) == 0 && !p->done) p->demand += akt__stream_control_n(msg);
        return 1;
    }
    if (strcmp(t, AKT__T_COMPLETE) == 0) {
        p->done = 1;
    } else if (strncmp(t, AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) != 0) {
        if (p->granted) p->granted--;
        AKT__COUNT(s, g->first, in);
        if (p->count == p->cap) { /* beyond its credit: the protocol was broken */
            akt__stream_fail_stage(s, g->first, AKT_EFULL);
            return 1;
        }
        akt_msg_retain(msg);
        p->ring[(p->head + p->count) % p->cap] = msg;
        p->count++;
    }
    return 1;
}

static akt_msg *pop(akt__port *p) {
    akt_msg *m = p->ring[p->head];
    p->head = (p->head + 1) % p->cap;
    p->count--;
    return m;
}

/* zip's function under the stage's error strategy: 0 with *out, 1 to drop, < 0 failed. */
static int zip_call(akt__seg *g, akt_msg *const *in, akt_msg **out) {
    akt_stream *s = g->s;
    const akt__stage_def *d = &s->defs[g->first];
    for (unsigned attempt = 0;; attempt++) {
        *out = NULL;
        int rc = d->fn.zip(in, g->n_ports, out, d->data);
        if (rc > 0) rc = AKT_EINVAL;
        if (rc == 0 && (!*out || !akt_msg_type(*out))) rc = AKT_EINVAL;
        if (rc == 0 &&
            strncmp(akt_msg_type(*out), AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) == 0)
            rc = AKT_ETYPE;
        if (rc == 0) return 0;
        if (*out) akt_msg_release(*out), *out = NULL;
        if ((rc = akt__stage_failed(s, g->first, attempt, rc)) != AKT__STAGE_RETRY) return rc;
    }
}

static int emit_one(akt__seg *g, akt_msg *m) {
    AKT__COUNT(g->s, g->first, out);
    return akt__seg_run(g, g->first + 1, m);
}

int akt__junction_next(akt__seg *g) {
    resolve(g);
    int kind = g->s->defs[g->first].kind;
    size_t n = g->n_ports;
    if (kind == AKT__SRC_MERGE) {
        size_t done = 0;
        for (size_t k = 0; k < n; k++) {
            akt__port *p = &g->ports[(g->rr + k) % n];
            if (p->count) {
                g->rr = (g->rr + k + 1) % n;
                return emit_one(g, pop(p));
            }
            done += p->done;
        }
        if (done == n) g->exhausted = 1;
        return 1;
    }
    if (kind == AKT__SRC_CONCAT) {
        while (g->cur < n && g->ports[g->cur].done && g->ports[g->cur].count == 0) g->cur++;
        if (g->cur == n) {
            g->exhausted = 1;
            return 1;
        }
        akt__port *p = &g->ports[g->cur];
        return p->count ? emit_one(g, pop(p)) : 1;
    }
    /* zip */
    for (size_t k = 0; k < n; k++) {
        if (g->ports[k].done && g->ports[k].count == 0) {
            g->exhausted = 1;
            return 1;
        }
    }
    for (size_t k = 0; k < n; k++)
        if (!g->ports[k].count) return 1;
    akt_msg *in[64];
    for (size_t k = 0; k < n; k++) in[k] = pop(&g->ports[k]);
    akt_msg *out = NULL;
    int rc = zip_call(g, in, &out);
    for (size_t k = 0; k < n; k++) akt_msg_release(in[k]);
    if (rc == 1) return 0;
    if (rc < 0) return rc;
    return emit_one(g, out);
}

void akt__junction_grant(akt__seg *g, akt_ctx *ctx) {
    resolve(g);
    int concat = g->s->defs[g->first].kind == AKT__SRC_CONCAT;
    for (size_t k = 0; k < g->n_ports; k++) {
        akt__port *p = &g->ports[k];
        if (p->done || (concat && k != g->cur)) continue;
        size_t used = p->granted + p->count;
        if (used >= p->cap) continue;
        size_t room = p->cap - used;
        if (room < (p->cap + 1) / 2) continue;
        p->granted += room;
        if (akt__seg_tell_control(g, ctx, p->pid, AKT__T_REQUEST, (int64_t)room) != 0) return;
    }
}

static akt_msg *ring_pop(akt__seg *g) {
    akt_msg *m = g->ring[g->head];
    g->head = (g->head + 1) % g->ring_cap;
    g->count--;
    return m;
}

static void send(akt_ctx *ctx, akt__port *p, akt_msg *m) {
    p->demand--;
    if (akt_ctx_tell(ctx, p->pid, m) != 0) akt_msg_release(m); /* it ended: see Ended */
}

/* partition's function under the stage's error strategy: 0 with *branch, 1 to drop the
 * element, < 0 failed. */
static int partition_call(akt__seg *g, akt_msg *m, size_t *branch) {
    akt_stream *s = g->s;
    const akt__stage_def *d = &s->defs[g->last];
    for (unsigned attempt = 0;; attempt++) {
        *branch = 0;
        int rc = d->fn.partition(m, branch, d->data);
        if (rc > 0) rc = AKT_EINVAL;
        if (rc == 0 && *branch >= g->n_ports) rc = AKT_EINVAL;
        if (rc == 0) return 0;
        if ((rc = akt__stage_failed(s, g->last, attempt, rc)) != AKT__STAGE_RETRY) return rc;
    }
}

int akt__junction_route(akt__seg *g, akt_ctx *ctx) {
    resolve(g);
    akt_stream *s = g->s;
    int kind = s->defs[g->last].kind;
    size_t n = g->n_ports;
    if (g->n_ended == n) { /* nobody wants more; the stream is ending */
        akt_msg_release(ring_pop(g));
        AKT__COUNT(s, g->last, drops);
        return 0;
    }
    if (kind == AKT__SK_BROADCAST) {
        for (size_t k = 0; k < n; k++)
            if (!g->ports[k].done && g->ports[k].demand <= 0) return 1;
        akt_msg *m = ring_pop(g);
        for (size_t k = 0; k < n; k++) {
            if (g->ports[k].done) continue;
            akt_msg_retain(m);
            send(ctx, &g->ports[k], m);
            AKT__COUNT(s, g->last, out);
        }
        akt_msg_release(m);
        return 0;
    }
    if (kind == AKT__SK_BALANCE) {
        for (size_t k = 0; k < n; k++) {
            size_t i = (g->rr + k) % n;
            akt__port *p = &g->ports[i];
            if (p->done || p->demand <= 0) continue;
            g->rr = (i + 1) % n;
            send(ctx, p, ring_pop(g));
            AKT__COUNT(s, g->last, out);
            return 0;
        }
        return 1;
    }
    /* partition: the branch is chosen once per element, then it waits for its demand */
    if (!g->pending) {
        size_t b = 0;
        int rc = partition_call(g, g->ring[g->head], &b);
        if (rc < 0) return rc;
        if (rc == 1) {
            akt_msg_release(ring_pop(g));
            return 0;
        }
        g->pending = b + 1;
    }
    akt__port *p = &g->ports[g->pending - 1];
    if (p->done) {
        g->pending = 0;
        akt_msg_release(ring_pop(g));
        AKT__COUNT(s, g->last, drops);
        return 0;
    }
    if (p->demand <= 0) return 1;
    g->pending = 0;
    send(ctx, p, ring_pop(g));
    AKT__COUNT(s, g->last, out);
    return 0;
}

void akt__junction_complete(akt__seg *g, akt_ctx *ctx) {
    resolve(g);
    if (g->completes_sent) return;
    g->completes_sent = 1;
    for (size_t k = 0; k < g->n_ports; k++)
        if (!g->ports[k].done) akt__seg_tell_control(g, ctx, g->ports[k].pid, AKT__T_COMPLETE, 0);
}
