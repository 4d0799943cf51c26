/* Flow control: credit per connection. The sending node keeps, per node it sends to, a
 * window of messages admitted and not yet consumed there; a tell or ask beyond it is
 * refused (AKT_EFULL) on the caller's thread, before anything is queued, so memory stays
 * bounded whatever the receiver's pace. The receiving node counts each inbound message
 * when it is released (handled, or dropped as a dead letter) and grants the count back to
 * the sender in Credit frames, with the cumulative acknowledgement of the Tells consumed
 * (ack); what a lost connection had sent and not had credited is given back when it
 * closes, and its unacknowledged Tells are dead letters here (endpoint.c). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "kernel/headers.h"
#include "kernel/msg.h"

akt__window *akt__window_get_locked(akt__node_r *n, const char *peer_key) {
    for (akt__window *w = n->windows; w; w = w->next)
        if (strcmp(w->peer_key, peer_key) == 0) return w;
    akt__window *w = calloc(1, sizeof *w);
    if (!w || !(w->peer_key = strdup(peer_key))) {
        free(w);
        return NULL;
    }
    atomic_init(&w->inflight, 0);
    atomic_init(&w->choked, 0);
    w->next = n->windows;
    n->windows = w;
    return w;
}

void akt__windows_free(akt__node_r *n) {
    while (n->windows) {
        akt__window *w = n->windows;
        n->windows = w->next;
        free(w->peer_key);
        free(w);
    }
}

/* relaxed, here and below: inflight is a counter that publishes nothing; each admit is
 * one read-modify-write, so concurrent senders never exceed the window together. */
int akt__flow_admit(akt_system *s, akt__cell *c, uint32_t k) {
    (void)s;
    akt__proxy *p = c->state;
    akt__node_r *n = p->node;
    /* relaxed: the loop's flag publishes nothing (endpoint.c, akt__conn_choke). */
    if (atomic_load_explicit(&p->win->choked, memory_order_relaxed)) return AKT_EFULL;
    int64_t was = atomic_fetch_add_explicit(&p->win->inflight, k, memory_order_relaxed);
    if (was + (int64_t)k > (int64_t)n->window) {
        atomic_fetch_sub_explicit(&p->win->inflight, k, memory_order_relaxed);
        return AKT_EFULL;
    }
    atomic_fetch_add_explicit(&p->admitted, k, memory_order_relaxed);
    return 0;
}

int akt__flow_crossable(akt_system *s, akt__cell *c, akt_msg *msg) {
    (void)c;
    if (msg->kind != AKT__MSG_OBJECT) return 0; /* bytes */
    const akt_object_ops *o = msg->ops; /* fields beyond its size count as NULL (kernel/msg.c) */
    if (o->size >= offsetof(akt_object_ops, to_bytes) + sizeof o->to_bytes && o->to_bytes)
        return 0; /* its to_bytes makes bytes (or fails: a dead letter on the loop) */
    const char *name = NULL;
    /* A serializer bound to its type (or the default) may still refuse it on the loop:
     * that is a dead letter there, as before. */
    if (akt_serializer_for(s, akt_msg_type(msg), &name) == 0 && name) return 0;
    return AKT_ENOTSUP;
}

void akt__flow_unadmit(akt_system *s, akt__cell *c, uint32_t k) {
    (void)s;
    akt__proxy *p = c->state;
    atomic_fetch_sub_explicit(&p->admitted, k, memory_order_relaxed);
    atomic_fetch_sub_explicit(&p->win->inflight, k, memory_order_relaxed);
}

void akt__window_give(akt__window *win, uint64_t k) {
    if (win && k) atomic_fetch_sub_explicit(&win->inflight, (int64_t)k, memory_order_relaxed);
}

/* ---- the receiving side ------------------------------------------------------------ */

/* ack: a Tell's consumption is recorded in its connection's slots by whoever releases it
 * (any thread, in any order: one actor may consume before another). The loop acknowledges
 * the contiguous prefix of consumed Tells (cumulatively, in the Credit frames that grant the
 * window back by count), so the sender knows which Tells are still unconsumed when the
 * connection is lost. Memory is bounded: at most slots Tells are tracked past the prefix; a
 * Tell still held (a message an actor keeps) when the Tell slots after it arrives is taken
 * as consumed (it was handed to its actor), so that one kept message never stalls the
 * acknowledgement. An ask is acknowledged at its arrival (its own reply or failure says
 * what became of it), and counted for the window at its release as any message. */
#define AKT__ACK_SLOTS (1u << 16)

/* The payload's block: the credit record and the Tell's number (0: counted only) in front
 * of the bytes. */
typedef struct akt__flow_block {
    akt__credit *credit;
    uint64_t seq; /* also keeps the bytes 16-aligned */
    uint8_t data[];
} akt__flow_block;

static void akt__credit_unref(akt__credit *cr) {
    /* acq_rel: the last one sees every use of the record before it frees it. */
    if (atomic_fetch_sub_explicit(&cr->refs, 1, memory_order_acq_rel) == 1) {
        free(cr->done);
        free(cr);
    }
}

/* Tell seq (0: none) consumed, and count (0 or 1) more released: the loop is woken unless a
 * wake-up is already due. */
static void akt__flow_mark(akt__credit *cr, uint64_t seq, int count) {
    if (seq) {
        _Atomic(uint64_t) *slot = &cr->done[(seq - 1) & (cr->slots - 1)];
        /* relaxed: the slot only grows (a late release of a Tell taken as consumed never
         * hides a newer one); the seq_cst operations below publish it to the loop. */
        uint64_t cur = atomic_load_explicit(slot, memory_order_relaxed);
        while (cur < seq && !atomic_compare_exchange_weak_explicit(
                                slot, &cur, seq, memory_order_relaxed, memory_order_relaxed)) {
        }
    }
    /* An acknowledgement alone (an ask's arrival) wakes nobody: it goes with the next
     * grant, so that an ask costs no Credit frame of its own. */
    if (!count) return;
    /* seq_cst (the count, then the flag): one half of a Dekker pair with akt__flow_grant's
     * clear of the flag, then loads of the count and slots: either the loop's scan sees
     * this release, or this sees the flag cleared and wakes the loop. */
    atomic_fetch_add(&cr->consumed, 1);
    if (atomic_load(&cr->wake) || atomic_exchange(&cr->wake, 1)) return;
    if (!atomic_load_explicit(&cr->closed, memory_order_acquire)) akt__io_wake(&cr->node->io);
}

static void akt__flow_release(void *data) {
    akt__flow_block *b = (akt__flow_block *)((uint8_t *)data - offsetof(akt__flow_block, data));
    akt__credit *cr = b->credit;
    uint64_t seq = b->seq;
    free(b);
    akt__flow_mark(cr, seq, 1);
    akt__credit_unref(cr);
}

/* The connection's credit record, made at its first inbound message, sized by the sender's
 * window (its Hello; this node's own when it said none). */
static int akt__flow_record(akt__conn *c) {
    if (c->credit) return 0;
    uint64_t w = c->peer_window ? c->peer_window : c->node->window, slots = 64;
    while (slots < w && slots < AKT__ACK_SLOTS) slots <<= 1;
    akt__credit *cr = calloc(1, sizeof *cr);
    if (cr) cr->done = calloc(slots, sizeof *cr->done);
    if (!cr || !cr->done) {
        free(cr);
        return AKT_ENOMEM;
    }
    cr->slots = slots;
    for (uint64_t k = 0; k < slots; k++) atomic_init(&cr->done[k], 0);
    atomic_init(&cr->consumed, 0);
    atomic_init(&cr->wake, 0);
    atomic_init(&cr->refs, 1); /* the connection's */
    atomic_init(&cr->closed, 0);
    cr->node = c->node;
    c->credit = cr;
    return 0;
}

/* Loop: advances cr's prefix over the consumed Tells. */
static void akt__flow_advance(akt__credit *cr) {
    /* relaxed: after akt__flow_grant's seq_cst clear of the flag (see akt__flow_mark) */
    while (atomic_load_explicit(&cr->done[cr->acked & (cr->slots - 1)], memory_order_relaxed) ==
           cr->acked + 1)
        cr->acked++;
}

int akt__flow_fits(akt__conn *c, uint64_t seq) {
    int rc = akt__flow_record(c);
    if (rc) return rc;
    akt__credit *cr = c->credit;
    if (seq <= cr->acked) return 0;
    if (seq - cr->acked > cr->slots) {
        akt__flow_advance(cr);
        if (seq - cr->acked > cr->slots) cr->acked = seq - cr->slots; /* see above */
        akt__flow_advance(cr);
    }
    return 1;
}

int akt__flow_consumed(akt__conn *c, uint64_t seq) {
    int rc = akt__flow_record(c);
    if (rc == 0) akt__flow_mark(c->credit, seq, 1);
    return rc;
}

int akt__flow_acked(akt__conn *c, uint64_t seq) {
    int rc = akt__flow_record(c);
    if (rc == 0) akt__flow_mark(c->credit, seq, 0);
    return rc;
}

int akt__flow_msg(akt__conn *c, uint64_t seq, const char *type, const uint8_t *data, size_t len,
                  akt_msg **out) {
    int rc0 = akt__flow_record(c);
    if (rc0) return rc0;
    akt__flow_block *b = malloc(sizeof *b + len);
    if (!b) return AKT_ENOMEM;
    if (len) memcpy(b->data, data, len);
    b->credit = c->credit;
    b->seq = seq;
    int rc = akt_msg_new_bytes(type, b->data, len, akt__flow_release, out);
    if (rc) {
        free(b);
        return rc;
    }
    /* relaxed: taking a reference; the record is already visible to the releaser through
     * the message, which the kernel's send publishes. */
    atomic_fetch_add_explicit(&c->credit->refs, 1, memory_order_relaxed);
    return 0;
}

/* The record a decoded message's free hook keeps: what akt__flow_release reads from the
 * payload block of akt's own messages. */
typedef struct akt__flow_hook_rec {
    akt__credit *credit;
    uint64_t seq;
} akt__flow_hook_rec;

static void akt__flow_hook_fire(void *arg) {
    akt__flow_hook_rec *h = arg;
    akt__credit *cr = h->credit;
    uint64_t seq = h->seq;
    free(h);
    akt__flow_mark(cr, seq, 1);
    akt__credit_unref(cr);
}

int akt__flow_hook(akt__conn *c, uint64_t seq, akt_msg *msg) {
    int rc = akt__flow_record(c);
    if (rc) return rc;
    akt__flow_hook_rec *h = malloc(sizeof *h);
    if (!h) return AKT_ENOMEM;
    h->credit = c->credit;
    h->seq = seq;
    rc = akt__msg_on_free(msg, akt__flow_hook_fire, h);
    if (rc) {
        free(h);
        return rc;
    }
    /* relaxed: as in akt__flow_msg, the message's send publishes the record. */
    atomic_fetch_add_explicit(&c->credit->refs, 1, memory_order_relaxed);
    return 0;
}

void akt__flow_grant(akt__node_r *n) {
    for (akt__conn *c = n->conns; c; c = c->next) {
        akt__credit *cr = c->credit;
        if (!cr || c->state != AKT__CONN_OPEN) continue;
        atomic_store(&cr->wake, 0); /* seq_cst: see akt__flow_mark */
        uint64_t got = atomic_load(&cr->consumed);
        akt__flow_advance(cr);
        if (got == cr->granted) continue; /* the acknowledgement rides with a grant */
        Akt__Remote__Credit m = AKT__REMOTE__CREDIT__INIT;
        m.messages = got - cr->granted;
        m.acked = cr->acked;
        Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
        f.body_case = AKT__REMOTE__FRAME__BODY_CREDIT;
        f.credit = &m;
        if (akt__endpoint_enqueue_frame(c, &f)) { /* no memory: the next wake-up */
            atomic_store(&cr->wake, 1);
            akt__io_wake(&n->io);
            continue;
        }
        cr->granted = got;
    }
}

int akt__on_credit(akt__conn *c, const Akt__Remote__Credit *cr) {
    uint64_t k = cr->messages;
    if (k > c->tells - c->credited) return AKT_EPROTO; /* more than was ever sent */
    /* ack: the acknowledgement is cumulative, never goes back, and names only Tells
     * written (a peer of an older akt says none: 0, the count alone). */
    if (cr->acked) {
        if (cr->acked < c->acked || cr->acked > c->wire_tells) return AKT_EPROTO;
        akt__conn_acked(c, cr->acked);
    }
    c->credited += k;
    akt__window_give(c->peer ? c->peer->win : NULL, k);
    return 0;
}

void akt__flow_conn_closed(akt__conn *c) {
    if (c->peer) {
        akt__window_give(c->peer->win, c->tells - c->credited);
        c->credited = c->tells;
    }
    if (c->credit) {
        /* release: a releaser that sees closed sees the loop's last use of the node. */
        atomic_store_explicit(&c->credit->closed, 1, memory_order_release);
        akt__credit_unref(c->credit);
        c->credit = NULL;
    }
}
