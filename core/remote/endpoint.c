/* Connections (loop thread only): connecting and accepting, the handshake, reading frames,
 * batched writes, inbound dispatch of tells and replies, and failing what a lost
 * connection still held. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor/send.h"
#include "base/clock.h"
#include "compress.h"
#include "endpoint.h"
#include "kernel/events.h"
#include "kernel/future.h"

uint32_t akt__remote_test_version;

/* Frames per uv_write: bounded so that one write's iovec array stays small. */
#define AKT__WRITE_BATCH 1024
/* TLS: a batch stops growing once its frames reach this many bytes (the sealed copy). */
#define AKT__TLS_BATCH_BYTES (1u << 20)
/* Chunks written and not yet completed, per connection, at most this many chunk sizes:
 * the rest of a chunked frame waits, so that a small frame queued meanwhile goes after at
 * most these few chunks (a write completes on a later turn of the loop). */
#define AKT__CHUNKS_AHEAD 4u
/* An inbound ask whose Tell carried no time left gets this much. */
#define AKT__INBOUND_ASK_NS (30ll * 1000000000ll)

typedef struct akt__write {
    uv_write_t req;
    akt__node_r *node;
    akt__conn *conn;    /* alive until its writes completed (uv_close cancels them first) */
    size_t chunk_bytes; /* of chunks: given back to conn->chunks_ahead when done */
    akt__out *items;
    uint8_t *sealed; /* TLS: the batch's records, one buffer (malloc'd) */
    int at_once;     /* failed before uv_write took it: the caller closes, as it can */
    uv_buf_t bufs[];
} akt__write;

static void akt__conn_close(akt__conn *c, int rc, const char *reason);
static void akt__conn_proto_failed(akt__conn *c, const char *reason);

/* ---- what could not be delivered -------------------------------------------------- */

static void akt__out_free(akt__out *o) {
    free(o->frame);
    if (o->msg) akt_msg_release(o->msg);
    free(o);
}

/* A message that will not reach its node: a dead letter on this one, with why. */
static void akt__out_dead(akt__node_r *n, akt__out *o, const char *reason) {
    if (o->msg)
        akt__publish_at(n->sys, AKT_EVENT_DEAD_LETTER, o->to, o->to_address, o->sender, o->msg, 0,
                        reason);
    akt__out_free(o);
}

/* ack begin: */
/* Tells written and not yet acknowledged: each keeps its message (not its frame: a Tell is
 * never sent again) until the receiver's cumulative acknowledgement passes its number. */
static void akt__unacked_add(akt__conn *c, akt__out *o) {
    free(o->frame);
    o->frame = NULL;
    o->next = NULL;
    if (c->unacked_tail)
        c->unacked_tail->next = o;
    else
        c->unacked_head = o;
    c->unacked_tail = o;
}

void akt__conn_acked(akt__conn *c, uint64_t acked) {
    c->acked = acked;
    while (c->unacked_head && c->unacked_head->seq <= acked) {
        akt__out *o = c->unacked_head;
        c->unacked_head = o->next;
        akt__out_free(o);
    }
    if (!c->unacked_head) c->unacked_tail = NULL;
}

/* The connection is lost: every Tell it wrote and the peer did not acknowledge is a dead
 * letter here (at-most-once: it may or may not have been handled there; never resent). */
static void akt__unacked_dead(akt__conn *c) {
    akt__out *o = c->unacked_head;
    c->unacked_head = c->unacked_tail = NULL;
    while (o) {
        akt__out *nx = o->next;
        if (o->ask)
            akt__out_free(o); /* its pending ask fails with the connection (akt__fail_asks) */
        else
            akt__out_dead(c->node, o, c->why);
        o = nx;
    }
}
/* ack end */

static void akt__fail_asks(akt__conn *c, int rc, const char *reason) {
    for (int b = 0; b < AKT__PENDING_BUCKETS; b++) {
        akt__pending *p = c->asks[b];
        c->asks[b] = NULL;
        while (p) {
            akt__pending *nx = p->next;
            akt__future_fail(p->future, rc, reason, NULL);
            akt__future_unref(p->future);
            free(p);
            p = nx;
        }
    }
}

/* ---- writing ---------------------------------------------------------------------- */

/* The methods this node accepts, for its Hello / HelloAck. */
static uint32_t akt__accepts(const akt__node_r *n) {
    return n->compression ? AKT__COMPRESS_ACCEPTED : 0;
}

/* The method for frames to a peer that accepts `peer` (Hello bits): the node's, or none. */
static int akt__send_method(const akt__node_r *n, uint32_t peer) {
    return n->compression && (peer & (1u << n->compression)) ? n->compression : 0;
}

/* Replaces o's frame with its compressed form when c compresses and the body is large
 * enough; left as it is when compression does not pay or memory is short. */
static void akt__out_compress(akt__conn *c, akt__out *o) {
    size_t body = o->len - AKT__FRAME_HEADER;
    if (!c->send_method || body < c->node->compress_min) return;
    const uint8_t *z;
    size_t zlen;
    if (akt__zctx_compress(&c->z, c->send_method, o->frame + AKT__FRAME_HEADER, body, &z, &zlen))
        return;
    Akt__Remote__Compressed cz = AKT__REMOTE__COMPRESSED__INIT;
    cz.method = (uint32_t)c->send_method;
    cz.length = (uint32_t)body;
    cz.data.data = (uint8_t *)z;
    cz.data.len = zlen;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_COMPRESSED;
    f.compressed = &cz;
    size_t len;
    uint8_t *frame = akt__wire_pack(&f, &len); /* z is the connection's buffer: kept */
    if (!frame) return;
    free(o->frame);
    o->frame = frame;
    o->len = len;
}

static void akt__conn_enqueue(akt__conn *c, akt__out *o) {
    if (c->state == AKT__CONN_OPEN) akt__out_compress(c, o);
    c->pending += o->len;
    o->next = NULL;
    if (c->q_tail)
        c->q_tail->next = o;
    else
        c->q_head = o;
    c->q_tail = o;
    c->q_len++;
    if (c->state == AKT__CONN_OPEN && !c->dirty) {
        c->dirty = 1;
        c->flush_next = c->node->flush_head;
        c->node->flush_head = c;
    }
}

static void akt__conn_flush(akt__conn *c);
static void akt__conn_choke(akt__conn *c);

static void akt__on_write(uv_write_t *req, int status) {
    akt__write *w = (akt__write *)req;
    akt__conn *c = w->conn;
    char why[160] = "";
    /* Only for a failure: uv_strerror allocates (and leaks) the text of a code it does not
     * know, such as 0. */
    if (status < 0)
        snprintf(why, sizeof why, "remote connection lost before the message was written (%s)",
                 uv_strerror(status));
    size_t chunk_bytes = w->chunk_bytes;
    int at_once = w->at_once;
    for (akt__out *o = w->items; o;) {
        akt__out *nx = o->next;
        if (status < 0)
            akt__out_dead(w->node, o, why);
        else if (!o->msg || !c || o->seq <= c->acked) /* ack: not a Tell, or acknowledged */
            akt__out_free(o);
        else if (c->state == AKT__CONN_CLOSING && !o->ask) /* written, then the conn was lost */
            akt__out_dead(w->node, o, c->why);
        else if (c->state == AKT__CONN_CLOSING)
            akt__out_free(o); /* an ask: it failed with the connection */
        else
            akt__unacked_add(c, o); /* until the receiver acknowledges it */
        o = nx;
    }
    free(w->sealed);
    free(w);
    if (!c) return;
    c->chunks_ahead -= chunk_bytes;
    /* A write that failed (a reset, EPIPE) lost the connection: nothing more is written to
     * it, and what it held fails as for any lost one. A failure at once is the caller's to
     * close: it may hold frames off the queue (akt__conn_send_frame) that close must see. */
    if (status < 0) {
        if (!at_once) akt__conn_close(c, AKT_EUNREACHABLE, why);
        return;
    }
    /* Room for more chunks: the next ones go (after what was queued meanwhile). */
    if (c->state == AKT__CONN_OPEN && c->bulk_head) akt__conn_flush(c);
    akt__conn_choke(c);
}

/* A write that failed before libuv took it (rc): its items fail now; the caller closes. */
static void akt__write_failed_at_once(akt__write *w, int rc) {
    w->at_once = 1;
    akt__on_write(&w->req, rc);
}

/* TLS: seals frames [o, o + k) of a batch into one buffer of records for w (bufs[0]). */
static int akt__conn_seal(akt__conn *c, akt__write *w, akt__out *o, size_t k) {
    for (size_t i = 0; i < k; i++, o = o->next)
        if (akt__tls_write(c->tls, o->frame, o->len)) return UV_EPROTO;
    if (akt__tls_flush(c->tls)) return UV_EPROTO;
    size_t len;
    w->sealed = akt__tls_take(c->tls, &len);
    if (!w->sealed) return UV_ENOMEM;
    w->bufs[0] = uv_buf_init((char *)w->sealed, (unsigned)len);
    return 0;
}

/* TLS: writes what the handshake produced (records of no frame: nothing to dead-letter). */
static int akt__conn_write_tls(akt__conn *c) {
    if (!akt__tls_pending(c->tls)) return 0;
    akt__write *w = calloc(1, sizeof *w + sizeof(uv_buf_t));
    if (!w) return UV_ENOMEM;
    size_t len;
    w->node = c->node;
    w->conn = c;
    w->sealed = akt__tls_take(c->tls, &len);
    if (!w->sealed) {
        free(w);
        return UV_ENOMEM;
    }
    w->bufs[0] = uv_buf_init((char *)w->sealed, (unsigned)len);
    int rc = uv_write(&w->req, (uv_stream_t *)&c->tcp, w->bufs, 1, akt__on_write);
    if (rc) akt__write_failed_at_once(w, rc);
    return rc;
}

/* Writes up to AKT__WRITE_BATCH queued frames in one uv_write; 0 or a libuv error. */
static int akt__conn_write_some(akt__conn *c) {
    size_t k = c->q_len < AKT__WRITE_BATCH ? c->q_len : AKT__WRITE_BATCH;
    if (!k) return 0;
    if (c->tls) { /* sealed into one copy: bounded in bytes too (at least one frame) */
        size_t bytes = 0, i = 0;
        for (akt__out *o = c->q_head; i < k && (i == 0 || bytes < AKT__TLS_BATCH_BYTES);
             o = o->next, i++)
            bytes += o->len;
        k = i;
    }
    akt__write *w = malloc(sizeof *w + k * sizeof(uv_buf_t));
    if (!w) return UV_ENOMEM;
    w->node = c->node;
    w->conn = c;
    w->chunk_bytes = 0;
    w->items = c->q_head;
    w->sealed = NULL;
    w->at_once = 0;
    /* TLS: the whole batch becomes one buffer of records, still one uv_write. */
    int sealed = c->tls ? akt__conn_seal(c, w, c->q_head, k) : 0;
    akt__out *last = NULL, *o = c->q_head;
    for (size_t i = 0; i < k; i++, last = o, o = o->next) {
        if (!c->tls) w->bufs[i] = uv_buf_init((char *)o->frame, (unsigned)o->len);
        if (o->msg) o->seq = ++c->wire_tells; /* ack: the number the receiver counts it by */
        w->chunk_bytes += o->chunk;
        c->pending -= o->len;
    }
    last->next = NULL;
    c->q_head = o;
    if (!o) c->q_tail = NULL;
    c->q_len -= k;
    if (sealed) {
        akt__write_failed_at_once(w, sealed);
        return sealed;
    }
    int rc = uv_write(&w->req, (uv_stream_t *)&c->tcp, w->bufs, c->tls ? 1u : (unsigned)k,
                      akt__on_write);
    if (rc) akt__write_failed_at_once(w, rc);
    return rc;
}

/* A sender -> receiver pair with messages in the bulk list. */
typedef struct akt__pair_n {
    struct akt__pair_n *next;
    uint64_t to, from;
    uint32_t n;
} akt__pair_n;

static akt__pair_n **akt__pair_at(akt__conn *c, const akt__out *o) {
    akt__pair_n **pp = &c->pairs[(o->to.id * 31 + o->sender.id) % 16];
    while (*pp && ((*pp)->to != o->to.id || (*pp)->from != o->sender.id)) pp = &(*pp)->next;
    return pp;
}

/* o (a message) enters (+1) or leaves (-1) the bulk list; 0 or AKT_ENOMEM. */
static int akt__pair_count(akt__conn *c, const akt__out *o, int d) {
    if (!o->msg) return 0;
    akt__pair_n **pp = akt__pair_at(c, o), *e = *pp;
    if (d > 0) {
        if (!e) {
            if (!(e = calloc(1, sizeof *e))) return AKT_ENOMEM;
            e->to = o->to.id;
            e->from = o->sender.id;
            *pp = e;
        }
        e->n++;
    } else if (e && --e->n == 0) {
        *pp = e->next;
        free(e);
    }
    return 0;
}

static void akt__pairs_free(akt__conn *c) {
    for (int b = 0; b < 16; b++)
        while (c->pairs[b]) {
            akt__pair_n *e = c->pairs[b];
            c->pairs[b] = e->next;
            free(e);
        }
}

/* Whether o waits behind the chunked frames: a frame too large to go whole, a frame of a
 * sender -> receiver pair that has one waiting (per-pair order), or a frame whose order
 * counts (Stop, Watch) while any waits. */
static int akt__bulk_bound(akt__conn *c, const akt__out *o) {
    if (o->len - AKT__FRAME_HEADER > c->node->chunk) return 1;
    if (!c->bulk_head) return 0;
    if (o->ordered) return 1;
    return o->msg && *akt__pair_at(c, o) != NULL;
}

/* Moves the queued frames that must wait behind the chunked ones to the bulk list, in
 * order; the others stay queued, to go now. */
static int akt__conn_sort(akt__conn *c) {
    akt__out **pp = &c->q_head, *last = NULL;
    while (*pp) {
        akt__out *o = *pp;
        if (!akt__bulk_bound(c, o)) {
            last = o;
            pp = &o->next;
            continue;
        }
        if (akt__pair_count(c, o, 1)) { /* no memory: the caller closes the connection */
            while (*pp) last = *pp, pp = &(*pp)->next;
            c->q_tail = last;
            return AKT_ENOMEM;
        }
        *pp = o->next;
        c->q_len--;
        o->next = NULL;
        if (c->bulk_tail)
            c->bulk_tail->next = o;
        else
            c->bulk_head = o;
        c->bulk_tail = o;
    }
    c->q_tail = last;
    return 0;
}

static void akt__q_append(akt__conn *c, akt__out *o) {
    o->next = NULL;
    if (c->q_tail)
        c->q_tail->next = o;
    else
        c->q_head = o;
    c->q_tail = o;
    c->q_len++;
}

/* Queues what the chunks ahead allow from the bulk list: the next chunks of its head (the
 * last one carries the message, for a dead letter if it is lost), or a frame that waited
 * behind a chunked one. 1 if it queued anything, 0 if not, AKT_ENOMEM. */
static int akt__conn_pump(akt__conn *c) {
    int moved = 0;
    uint32_t size = c->node->chunk;
    while (c->bulk_head && c->chunks_ahead < (size_t)AKT__CHUNKS_AHEAD * size) {
        akt__out *h = c->bulk_head, *o = h;
        uint32_t body = (uint32_t)(h->len - AKT__FRAME_HEADER);
        int whole = body <= size;
        if (!whole) {
            if (c->bulk_off == 0) c->chunk_id++;
            uint32_t taken;
            o = calloc(1, sizeof *o);
            if (!o || !(o->frame = akt__chunk_pack(h->frame + AKT__FRAME_HEADER, body, c->bulk_off,
                                                   c->chunk_id, size, &o->len, &taken))) {
                free(o);
                return AKT_ENOMEM;
            }
            c->bulk_off += taken;
            c->pending += o->len - taken; /* the head counts what is left of it */
            o->chunk = (uint32_t)o->len;
            c->chunks_ahead += o->len;
        }
        if (whole || c->bulk_off == body) {
            c->bulk_head = h->next;
            if (!c->bulk_head) c->bulk_tail = NULL;
            akt__pair_count(c, h, -1);
        }
        if (!whole && c->bulk_off == body) {
            o->msg = h->msg;
            o->to = h->to;
            o->sender = h->sender;
            o->to_address = h->to_address;
            o->ask = h->ask;
            h->msg = NULL;
            c->pending -= AKT__FRAME_HEADER;
            c->bulk_off = 0;
            akt__out_free(h);
        }
        akt__q_append(c, o);
        moved = 1;
    }
    return moved;
}

/* A peer that stops reading: over the node's send cap of unwritten bytes, its node's
 * window refuses admits; below half of it, admits again. */
static void akt__conn_choke(akt__conn *c) {
    if (!c->peer || !c->peer->win || c->peer->conn != c) return;
    uint64_t cap = c->node->send_cap;
    size_t total = c->pending + uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp);
    /* relaxed: a flag that publishes nothing; a stale read admits or refuses one more. */
    int was = atomic_load_explicit(&c->peer->win->choked, memory_order_relaxed);
    if (!was && total > cap)
        atomic_store_explicit(&c->peer->win->choked, 1, memory_order_relaxed);
    else if (was && total < cap / 2)
        atomic_store_explicit(&c->peer->win->choked, 0, memory_order_relaxed);
}

static void akt__conn_flush(akt__conn *c) {
    if (c->state != AKT__CONN_OPEN || c->refusing) return;
    if (akt__conn_sort(c)) {
        akt__conn_close(c, AKT_EUNREACHABLE, "remote connection closed: out of memory");
        return;
    }
    for (;;) {
        while (c->q_len && c->state == AKT__CONN_OPEN)
            if (akt__conn_write_some(c)) {
                akt__conn_close(c, AKT_EUNREACHABLE, "remote connection failed to write");
                return;
            }
        if (c->state != AKT__CONN_OPEN) return;
        int moved = akt__conn_pump(c);
        if (moved < 0) {
            akt__conn_close(c, AKT_EUNREACHABLE, "remote connection closed: out of memory");
            return;
        }
        if (!moved) break;
    }
    akt__conn_choke(c);
}

void akt__endpoint_flush(akt__node_r *n) {
    while (n->flush_head) {
        akt__conn *c = n->flush_head;
        n->flush_head = c->flush_next;
        c->dirty = 0;
        akt__conn_flush(c);
    }
}

/* A frame of the protocol itself (handshake), written at once. */
static int akt__conn_send_frame(akt__conn *c, const Akt__Remote__Frame *f) {
    akt__out *o = calloc(1, sizeof *o);
    if (!o || !(o->frame = akt__wire_pack(f, &o->len))) {
        free(o);
        return UV_ENOMEM;
    }
    c->pending += o->len;
    o->next = c->q_head; /* in front of what waits for the handshake */
    c->q_head = o;
    if (!c->q_tail) c->q_tail = o;
    c->q_len++;
    /* Only this frame: the rest waits for the handshake to finish. */
    akt__out *rest = o->next;
    size_t rest_len = c->q_len - 1;
    akt__out *rest_tail = rest ? c->q_tail : NULL;
    o->next = NULL;
    c->q_tail = o;
    c->q_len = 1;
    int rc = akt__conn_write_some(c);
    c->q_head = rest;
    c->q_tail = rest_tail;
    c->q_len = rest_len;
    return rc;
}

/* ---- closing ---------------------------------------------------------------------- */

static void akt__conn_unref(akt__conn *c) {
    if (--c->refs || c->handles) return;
    akt__frame_decoder_free(&c->dec);
    akt__chunk_in_free(&c->rx);
    akt__zctx_free(&c->z);
    akt__tls_free(c->tls);
    if (c->prev)
        c->prev->next = c->next;
    else
        c->node->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    free(c->from);
    free(c);
}

static void akt__on_handle_closed(uv_handle_t *h) {
    akt__conn *c = h->data;
    if (--c->handles == 0) {
        c->refs++; /* akt__conn_unref's test, with the close's reference already gone */
        akt__conn_unref(c);
    }
}

static void akt__conn_close(akt__conn *c, int rc, const char *reason) {
    if (c->state == AKT__CONN_CLOSING) return;
    if (c->state == AKT__CONN_OPEN) akt__sys_stat_down(&c->node->sys->stats.peers);
    c->state = AKT__CONN_CLOSING;
    if (c->peer && c->peer->conn == c) c->peer->conn = NULL; /* the next message reconnects */
    char why[200];
    snprintf(why, sizeof why, "%s", reason);
    /* ack: what was written and not acknowledged goes first (it was sent first) */
    snprintf(c->why, sizeof c->why, "remote peer lost before acknowledgement (%.150s)", reason);
    akt__unacked_dead(c);
    akt__out *o = c->q_head;
    c->q_head = c->q_tail = NULL;
    c->q_len = 0;
    if (!o) {
        o = c->bulk_head;
        c->bulk_head = c->bulk_tail = NULL;
    }
    while (o) {
        akt__out *nx = o->next;
        akt__out_dead(c->node, o, why);
        o = nx;
        if (!o && c->bulk_head) { /* then what waited to go as chunks, or behind them */
            o = c->bulk_head;
            c->bulk_head = c->bulk_tail = NULL;
        }
    }
    c->bulk_off = 0;
    c->pending = 0;
    akt__pairs_free(c);
    akt__chunk_in_free(&c->rx);
    if (c->peer && c->peer->win) /* relaxed: as in akt__conn_choke */
        atomic_store_explicit(&c->peer->win->choked, 0, memory_order_relaxed);
    akt__fail_asks(c, rc, why);
    akt__flow_conn_closed(c);
    akt__watch_conn_closed(c, why);
    if (c->dirty) { /* off the flush list */
        akt__conn **pp = &c->node->flush_head;
        while (*pp != c) pp = &(*pp)->flush_next;
        *pp = c->flush_next;
        c->dirty = 0;
    }
    uv_close((uv_handle_t *)&c->tcp, akt__on_handle_closed);
    if (c->timer_on) uv_close((uv_handle_t *)&c->timer, akt__on_handle_closed);
    c->refs--; /* the open connection's own reference; handles keep it until closed */
}

/* ack begin: */
static void akt__on_closing_shut(uv_shutdown_t *req, int status) {
    (void)req;
    (void)status; /* the peer's close (EOF) or the deadline closes it */
}

static void akt__on_closing_timeout(uv_timer_t *t) {
    akt__conn *c = t->data;
    akt__conn_close(c, AKT_EUNREACHABLE, c->tls_why);
}

/* Says why in a Close frame, then waits (reading and dropping) for the peer to close, at
 * most the connect timeout; 0, or a code when it cannot (the caller closes at once). */
static int akt__conn_say_close(akt__conn *c, const char *reason) {
    if (c->state != AKT__CONN_OPEN || c->refusing) return AKT_ECLOSED;
    Akt__Remote__Close cl = AKT__REMOTE__CLOSE__INIT;
    cl.code = AKT_EPROTO;
    cl.reason = (char *)reason;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_CLOSE;
    f.close = &cl;
    akt__node_r *n = c->node;
    if (!c->timer_on) {
        if (uv_timer_init(&n->io.loop, &c->timer)) return AKT_ENOMEM;
        c->timer.data = c;
        c->timer_on = 1;
        c->handles++;
    }
    snprintf(c->tls_why, sizeof c->tls_why, "%s", reason);
    if (akt__conn_send_frame(c, &f) ||
        uv_shutdown(&c->shutdown, (uv_stream_t *)&c->tcp, akt__on_closing_shut))
        return AKT_EUNREACHABLE;
    c->refusing = 2; /* reads are dropped until the peer's EOF; nothing more is written */
    if (c->peer && c->peer->conn == c) c->peer->conn = NULL; /* the next message reconnects */
    uint64_t ms = (uint64_t)(n->connect_timeout_ns / 1000000);
    uv_timer_start(&c->timer, akt__on_closing_timeout, ms ? ms : 1, 0);
    return 0;
}

/* A Close frame: the peer closed the connection for a protocol error of this node. */
static int akt__on_close(akt__conn *c, const Akt__Remote__Close *cl) {
    char why[240];
    snprintf(why, sizeof why, "remote peer closed the connection: %.200s",
             cl->reason && *cl->reason ? cl->reason : "protocol error");
    akt__node_r *n = c->node;
    pthread_mutex_lock(&n->lock);
    n->proto_failures++;
    snprintf(n->proto_reason, sizeof n->proto_reason, "%s", why);
    pthread_mutex_unlock(&n->lock);
    akt__conn_close(c, cl->code < 0 && cl->code > -1000 ? cl->code : AKT_EPROTO, why);
    return AKT_ECLOSED;
}
/* ack end */

/* A peer broke the protocol: the reason is kept on the node (akt__remote_proto_failures)
 * and told to the peer in a Close frame (ack); then the connection closes. */
static void akt__conn_proto_failed(akt__conn *c, const char *reason) {
    akt__node_r *n = c->node;
    pthread_mutex_lock(&n->lock);
    n->proto_failures++;
    snprintf(n->proto_reason, sizeof n->proto_reason, "%s", reason);
    pthread_mutex_unlock(&n->lock);
    /* ack: the peer is told why first; what the connection held fails here at once */
    if (akt__conn_say_close(c, reason) == 0) return;
    akt__conn_close(c, AKT_EUNREACHABLE, reason);
}

void akt__endpoint_close_all(akt__node_r *n, int rc, const char *reason) {
    n->closing = 1;
    for (akt__conn *c = n->conns; c; c = c->next) akt__conn_close(c, rc, reason);
    if (n->listening) {
        uv_close((uv_handle_t *)&n->server, NULL);
        n->listening = 0;
    }
}

void akt__endpoint_free(akt__node_r *n) {
    /* After the loop ended every handle is closed; what is left are connections that
     * replies were still due through (their commands never ran). */
    while (n->conns) {
        akt__conn *c = n->conns;
        n->conns = c->next;
        akt__frame_decoder_free(&c->dec);
        akt__chunk_in_free(&c->rx);
        akt__zctx_free(&c->z);
        akt__tls_free(c->tls);
        akt__flow_conn_closed(c);
        if (!c->why[0]) /* ack: none after a close; kept for a loop that never ran */
            snprintf(c->why, sizeof c->why, "remote peer lost before acknowledgement (shutdown)");
        akt__unacked_dead(c);
        free(c->from);
        free(c);
    }
    while (n->peers) {
        akt__peer *p = n->peers;
        n->peers = p->next;
        free(p->key);
        free(p->system);
        free(p);
    }
}

/* ---- connections ------------------------------------------------------------------ */

static akt__conn *akt__conn_new(akt__node_r *n, akt__peer *peer) {
    akt__conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->node = n;
    c->peer = peer;
    c->refs = 1;
    akt__frame_decoder_init(&c->dec, n->max_frame);
    if (uv_tcp_init(&n->io.loop, &c->tcp)) {
        free(c);
        return NULL;
    }
    c->tcp.data = c;
    c->shutdown.data = c;
    c->handles = 1;
    uv_tcp_nodelay(&c->tcp, 1);
    c->next = n->conns;
    if (n->conns) n->conns->prev = c;
    n->conns = c;
    return c;
}

static void akt__fill_identity(akt__node_r *n, uint32_t *version, char **system, char **host,
                               uint32_t *port, uint64_t *inc) {
    *version = akt__remote_test_version ? akt__remote_test_version : AKT_REMOTE_PROTOCOL_VERSION;
    *system = n->sys->name;
    *host = n->host;
    *port = n->port;
    *inc = n->incarnation;
}

static void akt__on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf) {
    (void)hint;
    akt__conn *c = h->data;
    *buf = uv_buf_init(c->rbuf, sizeof c->rbuf);
}

static int akt__on_frame(void *data, const uint8_t *body, uint32_t len);
static int akt__conn_send_hello(akt__conn *c);

/* TLS: plaintext out of the records goes to the frame decoder. */
static int akt__on_plain(void *data, const uint8_t *p, size_t n) {
    akt__conn *c = data;
    return akt__frame_feed(&c->dec, p, n, akt__on_frame, c);
}

static void akt__on_tls_shut(uv_shutdown_t *req, int status) {
    (void)status;
    akt__conn *c = req->data;
    akt__conn_close(c, AKT_EUNREACHABLE, c->tls_why);
}

/* TLS refused or broke the connection: the reason is kept on the node (a peer that is
 * refused has nobody here to tell), what TLS has to say (an alert) is written, and the
 * connection closes once it was; what it held fails with the reason. */
static void akt__conn_tls_failed(akt__conn *c, const char *reason) {
    akt__node_r *n = c->node;
    snprintf(c->tls_why, sizeof c->tls_why, "remote %s",
             reason && *reason ? reason : "TLS connection failed");
    pthread_mutex_lock(&n->lock);
    n->tls_failures++;
    snprintf(n->tls_reason, sizeof n->tls_reason, "%s", c->tls_why);
    pthread_mutex_unlock(&n->lock);
    c->refusing = 1;
    uv_read_stop((uv_stream_t *)&c->tcp);
    if (akt__conn_write_tls(c) ||
        uv_shutdown(&c->shutdown, (uv_stream_t *)&c->tcp, akt__on_tls_shut)) {
        c->refusing = 0;
        akt__conn_close(c, AKT_EUNREACHABLE, c->tls_why);
    }
}

/* TLS: what the socket read goes through the TLS first; the handshake's own records are
 * written back, and an outbound connection says Hello once the handshake completed. */
static int akt__conn_read_tls(akt__conn *c, size_t nread) {
    int was_ready = akt__tls_ready(c->tls);
    int rc = akt__tls_feed(c->tls, (const uint8_t *)c->rbuf, nread, akt__on_plain, c);
    if (akt__tls_failed(c->tls)) {
        akt__conn_tls_failed(c, akt__tls_reason(c->tls));
        return 0;
    }
    if (rc) return rc;
    if (c->state != AKT__CONN_CLOSING && !c->refusing && akt__conn_write_tls(c)) {
        akt__conn_close(c, AKT_EUNREACHABLE, "remote node unreachable: cannot write");
        return 0;
    }
    if (!was_ready && akt__tls_ready(c->tls) && c->peer && c->state == AKT__CONN_HANDSHAKE &&
        akt__conn_send_hello(c))
        akt__conn_close(c, AKT_EUNREACHABLE, "remote node unreachable: cannot write");
    return 0;
}

static void akt__on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
    (void)buf;
    akt__conn *c = s->data;
    if (c->refusing == 2 && nread < 0) { /* ack: the peer closed after our Close */
        akt__conn_close(c, AKT_EUNREACHABLE, c->tls_why);
        return;
    }
    if (nread == 0 || c->refusing) return;
    if (nread > 0) {
        c->last_read_ns = akt__now_ns();
        akt__io_note(&c->node->io); /* bytes in: the loop polls a while for what follows */
    }
    if (nread < 0 && c->tls && !akt__tls_ready(c->tls)) {
        akt__conn_tls_failed(c, nread == UV_EOF ? "TLS handshake failed: the peer closed the "
                                                  "connection (is it a TLS node?)"
                                                : "TLS handshake failed: read error");
        return;
    }
    if (nread == UV_EOF && c->peer && c->state == AKT__CONN_HANDSHAKE) {
        /* Closed before any answer to Hello: what a TLS-only node does to plaintext. */
        akt__conn_close(c, AKT_EUNREACHABLE,
                        "remote handshake failed: the peer closed the connection before "
                        "answering (a TLS node?)");
        return;
    }
    if (nread < 0) {
        akt__conn_close(c, AKT_EUNREACHABLE,
                        nread == UV_EOF ? "remote connection lost (closed by the peer)"
                                        : "remote connection lost (read error)");
        return;
    }
    int rc = c->tls ? akt__conn_read_tls(c, (size_t)nread)
                    : akt__frame_feed(&c->dec, (const uint8_t *)c->rbuf, (size_t)nread,
                                      akt__on_frame, c);
    if (rc && c->state != AKT__CONN_CLOSING && !c->refusing)
        akt__conn_proto_failed(c, rc == AKT_EPROTO
                                      ? "remote connection closed: protocol error (bad frame)"
                                      : "remote connection closed: out of memory");
    akt__endpoint_flush(c->node); /* replies, and what waited for the handshake */
}

/* Starts c's timer as the deadline of its connect and handshake (the connect timeout);
 * without a timer (cannot happen short of ENOMEM) the connection has no deadline. */
static void akt__conn_deadline(akt__conn *c, uv_timer_cb cb) {
    akt__node_r *n = c->node;
    if (uv_timer_init(&n->io.loop, &c->timer)) return;
    c->timer.data = c;
    c->timer_on = 1;
    c->handles++;
    uint64_t ms = (uint64_t)(n->connect_timeout_ns / 1000000);
    uv_timer_start(&c->timer, cb, ms ? ms : 1, 0);
}

static void akt__on_timeout(uv_timer_t *t) {
    akt__conn *c = t->data;
    akt__conn_close(c, AKT_EUNREACHABLE, "remote node unreachable: connect timed out");
}

static void akt__on_connect(uv_connect_t *req, int status) {
    akt__conn *c = req->data;
    if (c->state == AKT__CONN_CLOSING) return;
    if (status < 0) {
        char why[160];
        snprintf(why, sizeof why, "remote node unreachable: connection refused (%s)",
                 uv_strerror(status));
        akt__conn_close(c, AKT_EUNREACHABLE, why);
        return;
    }
    c->state = AKT__CONN_HANDSHAKE;
    akt__tls_ctx *tls = c->node->tls;
    /* TLS: the ClientHello goes first; Hello waits for the TLS handshake to complete. */
    if (tls && !(c->tls = akt__tls_new(tls, 0, c->peer->host))) {
        akt__conn_close(c, AKT_EUNREACHABLE, "remote node unreachable: out of memory");
        return;
    }
    if (uv_read_start((uv_stream_t *)&c->tcp, akt__on_alloc, akt__on_read) ||
        (c->tls ? akt__conn_write_tls(c) : akt__conn_send_hello(c)))
        akt__conn_close(c, AKT_EUNREACHABLE, "remote node unreachable: cannot write");
}

/* The outbound side's first frame. */
static int akt__conn_send_hello(akt__conn *c) {
    Akt__Remote__Hello h = AKT__REMOTE__HELLO__INIT;
    akt__fill_identity(c->node, &h.version, &h.system, &h.host, &h.port, &h.incarnation);
    h.to_system = c->peer->system;
    h.compressions = akt__accepts(c->node);
    h.send_window = c->node->window; /* ack: the receiver's record of consumed Tells */
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_HELLO;
    f.hello = &h;
    return akt__conn_send_frame(c, &f);
}

akt__peer *akt__endpoint_peer(akt__node_r *n, const char *key, const char *system, const char *host,
                              uint16_t port) {
    for (akt__peer *q = n->peers; q; q = q->next)
        if (strcmp(q->key, key) == 0) return q;
    akt__peer *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->key = strdup(key);
    q->system = strdup(system);
    pthread_mutex_lock(&n->lock);
    q->win = akt__window_get_locked(n, key);
    pthread_mutex_unlock(&n->lock);
    if (!q->key || !q->system || !q->win || strlen(host) >= sizeof q->host) {
        free(q->key);
        free(q->system);
        free(q);
        return NULL;
    }
    memcpy(q->host, host, strlen(host) + 1);
    q->port = port;
    q->next = n->peers;
    n->peers = q;
    return q;
}

/* The peer's connection, connecting if there is none; NULL if it cannot even start (the
 * reason in why). */
akt__conn *akt__endpoint_conn(akt__node_r *n, akt__peer *q, const char **why) {
    if (q->conn) return q->conn;
    struct sockaddr_in sa;
    if (uv_ip4_addr(q->host, q->port, &sa)) {
        *why = "remote node unreachable: bad address";
        return NULL;
    }
    akt__conn *c = akt__conn_new(n, q);
    if (!c) {
        *why = "remote node unreachable: out of memory";
        return NULL;
    }
    c->state = AKT__CONN_CONNECTING;
    c->connect.data = c;
    q->conn = c;
    akt__conn_deadline(c, akt__on_timeout);
    int rc = uv_tcp_connect(&c->connect, &c->tcp, (const struct sockaddr *)&sa, akt__on_connect);
    if (rc) {
        akt__conn_close(c, AKT_EUNREACHABLE, "remote node unreachable: cannot connect");
        *why = "remote node unreachable: cannot connect";
        return NULL;
    }
    return c;
}

/* ---- sending user messages -------------------------------------------------------- */

/* The sender's address as the receiving node can reach it, "" when it has none there: a
 * local actor under /user is "<this node's address>/user/...", a proxy (a message forwarded
 * on) is its remote address; anything else (no sender, a temporary or system actor, one
 * that is gone) crosses without one. Cached per proxy for the last sender id. */
static const char *akt__sender_address(akt__node_r *n, akt__proxy *p, akt_pid sender) {
    if (!sender.id) return "";
    if (p->from && p->from_id == sender.id) return p->from;
    char path[1100], full[1300];
    if (akt_pid_path(n->sys, sender, path, sizeof path, NULL)) return "";
    size_t name = strlen(n->sys->name);
    const char *out = NULL;
    if (strncmp(path, "akt://", 6) == 0 && strncmp(path + 6, n->sys->name, name) == 0 &&
        strncmp(path + 6 + name, "/user/", 6) == 0) {
        snprintf(full, sizeof full, "%s%s", n->address, path + 6 + name);
        out = full;
    } else if (strncmp(path, "akt://", 6) == 0) {
        const char *at = strchr(path + 6, '@'), *slash = strchr(path + 6, '/');
        if (at && slash && at < slash) out = path; /* a proxy: akt://sys@host:port/user/... */
    }
    char *copy = out ? strdup(out) : NULL;
    if (!copy) return "";
    free(p->from);
    p->from = copy;
    p->from_id = sender.id;
    return p->from;
}

void akt__endpoint_send(akt__node_r *n, akt__proxy *p, akt_msg *msg, akt_pid sender,
                        akt_future *reply) {
    const char *why = NULL;
    int code = AKT_EUNREACHABLE;
    char refused[400];
    akt__serial_out so = {.name = ""};
    akt__out *o = calloc(1, sizeof *o);
    akt__conn *c = NULL;
    if (!o) {
        why = "out of memory on the way to a remote node";
        code = AKT_ENOMEM;
    } else if (n->closing) {
        why = "system shutting down: remoting is closed";
        code = AKT_ECLOSED;
    } else if ((code = akt__serial_encode(n->serial, msg, &so, refused, sizeof refused)) != 0) {
        why = refused; /* refused here: nothing of it is sent */
    } else {
        akt__peer *q = akt__endpoint_peer(n, p->peer_key, p->system, p->host, p->port);
        c = q ? akt__endpoint_conn(n, q, &why) : NULL;
        if (!q) why = "out of memory on the way to a remote node";
        code = AKT_EUNREACHABLE;
    }
    if (o) {
        akt_msg_retain(msg);
        o->msg = msg;
        o->to = p->pid;
        o->sender = sender;
        o->to_address = p->address;
        o->ask = reply != NULL;
    }
    if (!c) {
        akt__window_give(p->win, 1); /* admitted, never sent */
        if (o)
            akt__out_dead(n, o, why);
        else
            akt__publish_at(n->sys, AKT_EVENT_DEAD_LETTER, p->pid, p->address, sender, msg, 0, why);
        if (reply) akt__future_fail(reply, code, why, NULL);
        akt__serial_done(&so);
        return;
    }
    Akt__Remote__Tell t = AKT__REMOTE__TELL__INIT;
    t.to = p->path;
    t.from = (char *)akt__sender_address(n, p, sender);
    t.type = (char *)akt_msg_type(msg);
    t.serializer = (char *)so.name;
    t.payload.data = (uint8_t *)so.data;
    t.payload.len = so.len;
    akt__wire_hdrs hd;
    int hdrs_rc = akt__wire_headers_out(msg, &hd);
    t.headers = hd.items;
    t.n_headers = hd.count;
    akt__pending *pa = NULL;
    if (reply) {
        pa = malloc(sizeof *pa);
        if (pa) {
            pa->bare = 0;
            pa->corr = ++n->next_corr;
            t.correlation = pa->corr;
            int64_t left = reply->timer.deadline - akt__now_ns();
            t.timeout_ns = left > 0 ? left : 1;
        }
    }
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_TELL;
    f.tell = &t;
    int big = akt__remote__frame__get_packed_size(&f) > n->max_message;
    int packed = !hdrs_rc && !(reply && !pa) && !big &&
                 (o->frame = akt__wire_pack(&f, &o->len)) != NULL;
    akt__serial_done(&so); /* the frame holds a copy */
    akt__wire_headers_done(&hd);
    if (!packed) {
        code = big ? AKT_EINVAL : AKT_ENOMEM;
        free(pa);
        why = big ? "message larger than the remote message limit (max_message_bytes)"
                  : "out of memory on the way to a remote node";
        akt__window_give(p->win, 1);
        akt__out_dead(n, o, why);
        if (reply) akt__future_fail(reply, code, why, NULL);
        return;
    }
    if (pa) {
        akt__future_ref(reply);
        pa->future = reply;
        akt__pending **b = &c->asks[pa->corr % AKT__PENDING_BUCKETS];
        pa->next = *b;
        *b = pa;
    }
    size_t waiting = c->pending + uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp);
    if (waiting > c->node->send_cap) { /* a peer that stopped reading: memory stays bounded */
        char full[200];
        snprintf(full, sizeof full,
                 "remote connection's send buffer is full (%zu bytes wait: the peer is not "
                 "reading)",
                 waiting);
        if (pa) {
            akt__pending **b = &c->asks[pa->corr % AKT__PENDING_BUCKETS];
            *b = pa->next;
            akt__future_unref(reply);
            free(pa);
        }
        akt__window_give(p->win, 1);
        akt__out_dead(n, o, full);
        if (reply) akt__future_fail(reply, AKT_EFULL, full, NULL);
        akt__conn_choke(c);
        return;
    }
    c->tells++; /* in the window until credited, or given back when c closes */
    akt__conn_enqueue(c, o);
}

static void akt__request(akt__node_r *n, akt__peer *q, Akt__Remote__Frame *f, uint64_t *corr,
                         akt_future *reply, int bare) {
    const char *why = "out of memory on the way to a remote node";
    int code = AKT_ENOMEM;
    akt__conn *c = n->closing ? NULL : akt__endpoint_conn(n, q, &why);
    if (n->closing) {
        why = "system shutting down: remoting is closed";
        code = AKT_ECLOSED;
    } else if (!c) {
        code = AKT_EUNREACHABLE;
    }
    akt__pending *pa = c ? malloc(sizeof *pa) : NULL;
    if (pa) {
        pa->bare = bare;
        pa->corr = ++n->next_corr;
        *corr = pa->corr;
        if (akt__endpoint_enqueue_frame(c, f) == 0) {
            akt__future_ref(reply);
            pa->future = reply;
            akt__pending **b = &c->asks[pa->corr % AKT__PENDING_BUCKETS];
            pa->next = *b;
            *b = pa;
            return;
        }
        free(pa);
        code = AKT_ENOMEM;
        why = "out of memory on the way to a remote node";
    }
    akt__future_fail(reply, code, why, NULL);
}

void akt__endpoint_request(akt__node_r *n, akt__peer *q, Akt__Remote__Frame *f, uint64_t *corr,
                           akt_future *reply) {
    akt__request(n, q, f, corr, reply, 0);
}

/* ack begin: */
void akt__endpoint_request_bare(akt__node_r *n, akt__peer *q, Akt__Remote__Frame *f, uint64_t *corr,
                                akt_future *reply) {
    akt__request(n, q, f, corr, reply, 1);
}
/* ack end */

/* ---- heartbeats -------------------------------------------------------------------- */

/* A frame of the connection itself (Ping, Pong) behind what is queued; 0 or AKT_ENOMEM. */
int akt__endpoint_enqueue_frame(akt__conn *c, const Akt__Remote__Frame *f) {
    akt__out *o = calloc(1, sizeof *o);
    if (!o || !(o->frame = akt__wire_pack(f, &o->len))) {
        free(o);
        return AKT_ENOMEM;
    }
    o->ordered = f->body_case == AKT__REMOTE__FRAME__BODY_STOP ||
                 f->body_case == AKT__REMOTE__FRAME__BODY_REINSTATE ||
                 f->body_case == AKT__REMOTE__FRAME__BODY_WATCH ||
                 f->body_case == AKT__REMOTE__FRAME__BODY_UNWATCH;
    akt__conn_enqueue(c, o);
    return 0;
}

static void akt__on_heartbeat(uv_timer_t *t) {
    akt__conn *c = t->data;
    akt__node_r *n = c->node;
    if (c->state != AKT__CONN_OPEN) return;
    int64_t silent = akt__now_ns() - c->last_read_ns;
    if (silent > n->heartbeat_ns * (int64_t)n->heartbeat_misses) {
        char why[160];
        snprintf(why, sizeof why,
                 "remote connection lost: nothing received for more than %u heartbeat "
                 "intervals",
                 n->heartbeat_misses);
        akt__conn_close(c, AKT_EUNREACHABLE, why);
        return;
    }
    if (c->rx.id &&
        akt__now_ns() - c->rx.last_ns > n->heartbeat_ns * (int64_t)n->heartbeat_misses) {
        akt__conn_proto_failed(c, "remote connection closed: a chunked frame was never finished "
                                  "(no chunk for more than the heartbeat bound)");
        return;
    }
    Akt__Remote__Ping ping = AKT__REMOTE__PING__INIT;
    ping.nonce = ++c->pings;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_PING;
    f.ping = &ping;
    if (akt__endpoint_enqueue_frame(c, &f) == 0) akt__endpoint_flush(n);
}

/* An open connection starts its heartbeat (or, without heartbeats, stops its timer). */
static void akt__heartbeat_start(akt__conn *c) {
    akt__node_r *n = c->node;
    c->last_read_ns = akt__now_ns();
    if (n->heartbeat_ns <= 0) {
        if (c->timer_on) uv_timer_stop(&c->timer);
        return;
    }
    if (!c->timer_on) {
        if (uv_timer_init(&n->io.loop, &c->timer)) return; /* no heartbeat, still usable */
        c->timer.data = c;
        c->timer_on = 1;
        c->handles++;
    }
    uint64_t ms = (uint64_t)(n->heartbeat_ns / 1000000);
    uv_timer_start(&c->timer, akt__on_heartbeat, ms ? ms : 1, ms ? ms : 1);
}

static int akt__on_ping(akt__conn *c, const Akt__Remote__Ping *p) {
    Akt__Remote__Pong pong = AKT__REMOTE__PONG__INIT;
    pong.nonce = p->nonce;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_PONG;
    f.pong = &pong;
    return akt__endpoint_enqueue_frame(c, &f);
}

/* ---- the handshake ---------------------------------------------------------------- */

static void akt__on_refused(uv_shutdown_t *req, int status) {
    (void)status;
    akt__conn *c = req->data;
    akt__conn_close(c, AKT_EPROTO, "remote handshake refused");
}

static void akt__refuse(akt__conn *c, int code, const char *reason) {
    Akt__Remote__Failure fl = AKT__REMOTE__FAILURE__INIT;
    fl.code = code;
    fl.reason = (char *)reason;
    Akt__Remote__HelloAck a = AKT__REMOTE__HELLO_ACK__INIT;
    akt__fill_identity(c->node, &a.version, &a.system, &a.host, &a.port, &a.incarnation);
    a.result_case = AKT__REMOTE__HELLO_ACK__RESULT_REFUSED;
    a.refused = &fl;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_HELLO_ACK;
    f.hello_ack = &a;
    /* The refusal must reach the peer: the close waits for the write (uv_shutdown), and
     * nothing more is read meanwhile. */
    c->refusing = 1;
    uv_read_stop((uv_stream_t *)&c->tcp);
    if (akt__conn_send_frame(c, &f) ||
        uv_shutdown(&c->shutdown, (uv_stream_t *)&c->tcp, akt__on_refused))
        akt__conn_close(c, code, reason);
}

static int akt__on_hello(akt__conn *c, const Akt__Remote__Hello *h) {
    akt__node_r *n = c->node;
    char why[200];
    if (h->version != AKT_REMOTE_PROTOCOL_VERSION) {
        snprintf(why, sizeof why,
                 "remote handshake refused: protocol version %u not supported (this node "
                 "speaks %u)",
                 h->version, AKT_REMOTE_PROTOCOL_VERSION);
        akt__refuse(c, AKT_EPROTO, why);
        return 0;
    }
    if (!h->to_system || strcmp(h->to_system, n->sys->name) != 0) {
        snprintf(why, sizeof why,
                 "remote handshake refused: this node is system '%.64s', not '%.64s'", n->sys->name,
                 h->to_system ? h->to_system : "");
        akt__refuse(c, AKT_EPROTO, why);
        return 0;
    }
    Akt__Remote__HelloAck a = AKT__REMOTE__HELLO_ACK__INIT;
    akt__fill_identity(n, &a.version, &a.system, &a.host, &a.port, &a.incarnation);
    a.result_case = AKT__REMOTE__HELLO_ACK__RESULT_ACCEPTED;
    a.accepted = 1;
    a.compressions = akt__accepts(n);
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_HELLO_ACK;
    f.hello_ack = &a;
    if (akt__conn_send_frame(c, &f)) return AKT_ENOMEM;
    c->send_method = akt__send_method(n, h->compressions);
    c->peer_window = h->send_window; /* ack */
    c->state = AKT__CONN_OPEN;
    akt__sys_stat(&n->sys->stats.peers); /* actorsystem.peers.count */
    akt__heartbeat_start(c);
    return 0;
}

static int akt__on_hello_ack(akt__conn *c, const Akt__Remote__HelloAck *a) {
    char why[240];
    if (a->result_case == AKT__REMOTE__HELLO_ACK__RESULT_REFUSED) {
        snprintf(why, sizeof why, "%s",
                 a->refused && a->refused->reason && *a->refused->reason
                     ? a->refused->reason
                     : "remote handshake refused");
        akt__conn_close(c, AKT_EPROTO, why);
        return 0;
    }
    if (a->version != AKT_REMOTE_PROTOCOL_VERSION ||
        a->result_case != AKT__REMOTE__HELLO_ACK__RESULT_ACCEPTED) {
        snprintf(why, sizeof why,
                 "remote handshake failed: the peer speaks protocol version %u (this node "
                 "speaks %u)",
                 a->version, AKT_REMOTE_PROTOCOL_VERSION);
        akt__conn_close(c, AKT_EPROTO, why);
        return 0;
    }
    c->send_method = akt__send_method(c->node, a->compressions);
    for (akt__out *o = c->q_head; o; o = o->next) { /* waited for this */
        c->pending -= o->len;
        akt__out_compress(c, o);
        c->pending += o->len;
    }
    c->state = AKT__CONN_OPEN;
    akt__sys_stat(&c->node->sys->stats.peers); /* actorsystem.peers.count */
    akt__heartbeat_start(c); /* the connect deadline's timer becomes the heartbeat's */
    if (c->q_len && !c->dirty) {
        c->dirty = 1;
        c->flush_next = c->node->flush_head;
        c->node->flush_head = c;
    }
    return 0;
}

/* ---- inbound tells and replies ---------------------------------------------------- */

/* An inbound ask's answer, carried back to the loop thread. */
typedef struct akt__reply_cmd {
    akt__io_cmd cmd;
    akt__conn *conn; /* holds a reference */
    uint64_t corr;
    akt_future *future; /* the local ask's handle */
} akt__reply_cmd;

/* Frames a Reply and queues it on c (dropped without memory: the asker's timeout answers). */
static void akt__send_reply(akt__conn *c, Akt__Remote__Reply *rp) {
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_REPLY;
    f.reply = rp;
    akt__out *o = calloc(1, sizeof *o);
    if (o && (o->frame = akt__wire_pack(&f, &o->len)))
        akt__conn_enqueue(c, o);
    else
        free(o);
}

static void akt__reply_run(akt__io *io, akt__io_cmd *cmd) {
    (void)io;
    akt__reply_cmd *r = (akt__reply_cmd *)cmd;
    akt__conn *c = r->conn;
    akt_msg *reply = NULL;
    int rc = akt_future_wait(r->future, 0, &reply);
    if (c->state == AKT__CONN_OPEN) {
        Akt__Remote__Reply rp = AKT__REMOTE__REPLY__INIT;
        Akt__Remote__Payload pl = AKT__REMOTE__PAYLOAD__INIT;
        Akt__Remote__Failure fl = AKT__REMOTE__FAILURE__INIT;
        rp.correlation = r->corr;
        akt__serial_out so = {.name = ""};
        char refused[400] = "";
        akt__wire_hdrs hd = {NULL, 0};
        if (rc == 0 && reply)
            rc = akt__serial_encode(c->node->serial, reply, &so, refused, sizeof refused);
        if (rc == 0 && reply) {
            pl.type = (char *)akt_msg_type(reply);
            pl.serializer = (char *)so.name;
            pl.data.data = (uint8_t *)so.data;
            pl.data.len = so.len;
            rp.result_case = AKT__REMOTE__REPLY__RESULT_OK;
            rp.ok = &pl;
            rc = akt__wire_headers_out(reply, &hd);
            pl.headers = hd.items;
            pl.n_headers = hd.count;
        }
        if (rc == 0 && reply) {
            akt__send_reply(c, &rp);
            akt__wire_headers_done(&hd);
        } else if (rc == 0) { /* ack: completed with no message (a graceful stop): ok, empty */
            pl.type = "";
            pl.serializer = "";
            rp.result_case = AKT__REMOTE__REPLY__RESULT_OK;
            rp.ok = &pl;
            akt__send_reply(c, &rp);
        } else {
            const char *reason = refused[0] ? refused : NULL;
            if (rc == 0) rc = AKT_EINVAL; /* answered with nothing: cannot happen */
            if (!reason) akt_future_failure(r->future, &reason, NULL);
            fl.code = rc;
            fl.reason = (char *)(reason ? reason : akt_strerror(rc));
            rp.result_case = AKT__REMOTE__REPLY__RESULT_FAILURE;
            rp.failure = &fl;
            akt__send_reply(c, &rp);
        }
        akt__serial_done(&so);
    }
    if (reply) akt_msg_release(reply);
    akt_future_release(r->future);
    akt__conn_unref(c);
    free(r);
}

static void akt__on_local_answer(akt_future *f, int rc, akt_msg *reply, void *data) {
    (void)f;
    (void)rc;
    (void)reply;
    akt__reply_cmd *r = data;
    r->cmd.run = akt__reply_run;
    if (akt__io_post(&r->conn->node->io, &r->cmd) == 0) return;
    /* The loop is gone (shutdown): nobody can answer; the node's free takes the conn. */
    akt_future_release(r->future);
    free(r);
}

/* ack begin: */
void akt__endpoint_answer(akt__conn *c, uint64_t corr, akt_future *f) {
    akt__reply_cmd *r = malloc(sizeof *r);
    if (!r) { /* no memory: the asker's own deadline answers it */
        akt_future_release(f);
        return;
    }
    r->conn = c;
    r->corr = corr;
    r->future = f;
    c->refs++;
    akt_future_on_complete(f, akt__on_local_answer, r);
}
/* ack end */

static void akt__reply_failure(akt__conn *c, uint64_t corr, int code, const char *reason) {
    Akt__Remote__Failure fl = AKT__REMOTE__FAILURE__INIT;
    fl.code = code;
    fl.reason = (char *)reason;
    Akt__Remote__Reply rp = AKT__REMOTE__REPLY__INIT;
    rp.correlation = corr;
    rp.result_case = AKT__REMOTE__REPLY__RESULT_FAILURE;
    rp.failure = &fl;
    akt__send_reply(c, &rp);
}

/* The local pid of a Tell's sender: its reverse proxy (one per remote actor, made on first
 * sight, the last one cached on the connection), or none when the Tell names no sender or
 * a malformed one. */
static akt_pid akt__conn_sender(akt__conn *c, const char *from) {
    if (!from || !*from) return (akt_pid){0};
    if (c->from && strcmp(c->from, from) == 0) return c->from_pid;
    akt_pid pid = {0};
    if (akt__proxy_lookup_reverse(c->node, from, &pid)) return (akt_pid){0};
    char *copy = strdup(from);
    if (copy) {
        free(c->from);
        c->from = copy;
        c->from_pid = pid;
    }
    return pid;
}

static int akt__on_tell(akt__conn *c, const Akt__Remote__Tell *t) {
    akt__node_r *n = c->node;
    akt_msg *msg = NULL;
    char undecoded[400];
    const char *type = t->type && *t->type ? t->type : "";
    int rc;
    /* ack: the Tell's number; it is marked consumed exactly once, by its message's release
     * or here (a serializer's message at its arrival, a Tell refused or dead-lettered). */
    uint64_t seq = ++c->rx_tells;
    int fits = akt__flow_fits(c, seq);
    if (fits < 0) return fits;
    if (!fits) {
        akt__conn_proto_failed(c, "remote connection closed: the peer sent more unacknowledged "
                                  "messages than its window (send_window)");
        return AKT_ECLOSED;
    }
    if (!t->serializer || !*t->serializer) {
        /* an ask: acknowledged now, counted for the window at its release */
        if (t->correlation) akt__flow_acked(c, seq); /* the record exists: cannot fail */
        rc = akt__flow_msg(c, t->correlation ? 0 : seq, type, t->payload.data, t->payload.len,
                           &msg);
        if (rc) akt__flow_consumed(c, seq); /* refused below: consumed here */
    } else {
        rc = akt__serial_decode(n->serial, t->serializer, type, t->payload.data, t->payload.len,
                                &msg, undecoded, sizeof undecoded);
        if (rc == 0 && t->correlation) akt__flow_acked(c, seq); /* as above */
        /* Consumed at its free, as akt's own messages; now if that cannot be hooked. The
         * record exists (akt__flow_fits): akt__flow_consumed cannot fail. */
        if (rc || akt__flow_hook(c, t->correlation ? 0 : seq, msg)) akt__flow_consumed(c, seq);
    }
    if (rc && t->serializer && *t->serializer &&
        akt_msg_new_bytes(type, t->payload.data, t->payload.len, AKT_COPY, &msg) == 0) {
        /* A payload this node cannot decode: a dead letter here, with the bytes as they came. */
        akt__publish_at(n->sys, AKT_EVENT_DEAD_LETTER, (akt_pid){0}, t->to,
                        akt__conn_sender(c, t->from), msg, 0, undecoded);
        akt_msg_release(msg);
        if (t->correlation) akt__reply_failure(c, t->correlation, rc, undecoded);
        return 0;
    }
    if (rc) {
        if (t->correlation)
            akt__reply_failure(c, t->correlation, rc, "message refused by the remote node");
        return 0;
    }
    akt_pid to = {0};
    akt_pid sender = akt__conn_sender(c, t->from);
    char why[300];
    int hrc = akt__wire_headers_in(msg, t->headers, t->n_headers);
    rc = t->to && strncmp(t->to, "/user/", 6) == 0 ? akt_lookup(n->sys, t->to, &to) : AKT_ENOTFOUND;
    if (rc == 0 && hrc) rc = hrc;
    if (rc == 0) {
        if (!t->correlation) {
            rc = akt__deliver(n->sys, to, msg, sender.id, NULL, AKT__ENV_USER);
            if (rc == 0) return 0;
        } else {
            akt__reply_cmd *r = malloc(sizeof *r);
            int64_t ns = t->timeout_ns > 0 ? t->timeout_ns : AKT__INBOUND_ASK_NS;
            rc = r ? akt__inline_ask(n, to, msg, ns, sender.id, &r->future) : AKT_ENOMEM;
            if (rc == 0) {
                r->conn = c;
                r->corr = t->correlation;
                c->refs++;
                akt_future_on_complete(r->future, akt__on_local_answer, r);
                return 0;
            }
            free(r);
        }
    }
    snprintf(why, sizeof why, "remote message for %.200s: %s", t->to ? t->to : "",
             rc == AKT_ENOTFOUND ? "no actor at this path"
             : hrc == AKT_EINVAL ? "its headers break the limits (AKT_HEADERS_MAX & co)"
                                 : akt_strerror(rc));
    akt__publish_at(n->sys, AKT_EVENT_DEAD_LETTER, to, t->to, sender, msg, 0, why);
    akt_msg_release(msg);
    if (t->correlation) akt__reply_failure(c, t->correlation, rc, why);
    return 0;
}

static int akt__on_reply(akt__conn *c, const Akt__Remote__Reply *rp) {
    akt__pending **pp = &c->asks[rp->correlation % AKT__PENDING_BUCKETS];
    while (*pp && (*pp)->corr != rp->correlation) pp = &(*pp)->next;
    akt__pending *p = *pp;
    if (!p) return 0; /* the asker gave up and the entry went with a lost connection */
    *pp = p->next;
    if (rp->result_case == AKT__REMOTE__REPLY__RESULT_OK && p->bare) {
        akt__future_complete(p->future, 0, NULL); /* ack: a graceful stop: done */
    } else if (rp->result_case == AKT__REMOTE__REPLY__RESULT_OK && rp->ok) {
        akt_msg *m = NULL;
        char undecoded[400] = "";
        int rc = akt__serial_decode(
            c->node->serial, rp->ok->serializer, rp->ok->type && *rp->ok->type ? rp->ok->type : "",
            rp->ok->data.data, rp->ok->data.len, &m, undecoded, sizeof undecoded);
        int hrc = rc ? 0 : akt__wire_headers_in(m, rp->ok->headers, rp->ok->n_headers);
        if (rc)
            akt__future_fail(p->future, rc,
                             rp->ok->serializer && *rp->ok->serializer
                                 ? undecoded
                                 : "the remote reply could not be read",
                             NULL);
        else if (hrc)
            akt__future_fail(p->future, hrc == AKT_EINVAL ? AKT_EPROTO : hrc,
                             hrc == AKT_EINVAL ? "the remote reply's headers break the limits"
                                               : "the remote reply could not be read",
                             NULL);
        else
            akt__future_complete(p->future, 0, m);
        if (m) akt_msg_release(m);
    } else {
        int code = rp->result_case == AKT__REMOTE__REPLY__RESULT_FAILURE && rp->failure &&
                           rp->failure->code < 0 && rp->failure->code > -1000
                       ? rp->failure->code
                       : AKT_EPROTO;
        akt__future_fail(
            p->future, code,
            rp->failure && rp->failure->reason && *rp->failure->reason ? rp->failure->reason : NULL,
            NULL);
    }
    akt__future_unref(p->future);
    free(p);
    return 0;
}

static int akt__on_frame(void *data, const uint8_t *body, uint32_t len);

/* A compressed frame: its length checked against the frame limit before anything is
 * inflated, into a buffer of exactly that length; then handled as the frame it holds. A
 * method this node did not offer, a nested one, or a stream that does not inflate to
 * exactly its length closes the connection with the reason. */
static int akt__on_compressed(akt__conn *c, const Akt__Remote__Compressed *z) {
    char why[160], full[200];
    uint8_t *buf = NULL;
    int rc = c->inflating ? AKT_EPROTO
                          : akt__zctx_inflate_frame(&c->z, z->method, z->length, z->data.data,
                                                    z->data.len, akt__accepts(c->node),
                                                    c->chunked ? c->node->max_message : c->dec.max,
                                                    &buf, why, sizeof why);
    if (c->inflating) snprintf(why, sizeof why, "compressed frame inside a compressed frame");
    if (rc == 0) {
        c->inflating = 1;
        rc = akt__on_frame(c, buf, z->length);
        c->inflating = 0;
        free(buf);
        return rc;
    }
    if (rc == AKT_ENOMEM) return rc;
    snprintf(full, sizeof full, "remote connection closed: %s", why);
    akt__conn_proto_failed(c, full);
    return AKT_ECLOSED;
}

/* A chunk: into the frame being put back together; the whole frame, once complete, is
 * handled as if it had come in one piece (never itself a chunk). */
static int akt__on_chunk(akt__conn *c, const Akt__Remote__Chunk *ch) {
    char why[200], full[240];
    uint8_t *body;
    uint32_t len;
    int rc = akt__chunk_accept(&c->rx, ch, c->node->max_message, akt__now_ns(), &body, &len, why,
                               sizeof why);
    if (rc == 0 && body) {
        c->chunked = 1;
        rc = akt__on_frame(c, body, len);
        c->chunked = 0;
        free(body);
        return rc;
    }
    if (rc != AKT_EPROTO) return rc;
    snprintf(full, sizeof full, "remote connection closed: %s", why);
    akt__conn_proto_failed(c, full);
    return AKT_ECLOSED;
}

static int akt__on_frame(void *data, const uint8_t *body, uint32_t len) {
    akt__conn *c = data;
    if (c->state == AKT__CONN_CLOSING || c->refusing) return AKT_ECLOSED;
    Akt__Remote__Frame *f = akt__wire_unpack(body, len);
    if (!f) return AKT_EPROTO;
    int rc = AKT_EPROTO;
    int inbound = c->peer == NULL;
    switch (f->body_case) {
    case AKT__REMOTE__FRAME__BODY_HELLO:
        if (inbound && c->state == AKT__CONN_HANDSHAKE) rc = akt__on_hello(c, f->hello);
        break;
    case AKT__REMOTE__FRAME__BODY_HELLO_ACK:
        if (!inbound && c->state == AKT__CONN_HANDSHAKE) rc = akt__on_hello_ack(c, f->hello_ack);
        break;
    case AKT__REMOTE__FRAME__BODY_TELL:
        if (inbound && c->state == AKT__CONN_OPEN) rc = akt__on_tell(c, f->tell);
        break;
    case AKT__REMOTE__FRAME__BODY_REPLY:
        if (!inbound && c->state == AKT__CONN_OPEN) rc = akt__on_reply(c, f->reply);
        break;
    case AKT__REMOTE__FRAME__BODY_PING:
        if (c->state == AKT__CONN_OPEN) rc = akt__on_ping(c, f->ping);
        break;
    case AKT__REMOTE__FRAME__BODY_PONG:
        if (c->state == AKT__CONN_OPEN) rc = 0; /* its arrival was the sign of life */
        break;
    case AKT__REMOTE__FRAME__BODY_WATCH:
        if (inbound && c->state == AKT__CONN_OPEN) rc = akt__on_watch(c, f->watch);
        break;
    case AKT__REMOTE__FRAME__BODY_UNWATCH:
        if (inbound && c->state == AKT__CONN_OPEN) rc = akt__on_unwatch(c, f->unwatch);
        break;
    case AKT__REMOTE__FRAME__BODY_STOP:
        if (inbound && c->state == AKT__CONN_OPEN) rc = akt__on_stop(c, f->stop);
        break;
    case AKT__REMOTE__FRAME__BODY_SPAWN:
        if (inbound && c->state == AKT__CONN_OPEN) rc = akt__on_spawn(c, f->spawn);
        break;
    case AKT__REMOTE__FRAME__BODY_REINSTATE:
        if (inbound && c->state == AKT__CONN_OPEN) rc = akt__on_reinstate(c, f->reinstate);
        break;
    case AKT__REMOTE__FRAME__BODY_TERMINATED:
        if (!inbound && c->state == AKT__CONN_OPEN) rc = akt__on_terminated(c, f->terminated);
        break;
    case AKT__REMOTE__FRAME__BODY_CREDIT:
        if (!inbound && c->state == AKT__CONN_OPEN) rc = akt__on_credit(c, f->credit);
        break;
    case AKT__REMOTE__FRAME__BODY_COMPRESSED:
        if (c->state == AKT__CONN_OPEN) rc = akt__on_compressed(c, f->compressed);
        break;
    case AKT__REMOTE__FRAME__BODY_CHUNK:
        if (c->state == AKT__CONN_OPEN && !c->chunked && !c->inflating)
            rc = akt__on_chunk(c, f->chunk);
        break;
    case AKT__REMOTE__FRAME__BODY_CLOSE: /* ack */
        rc = akt__on_close(c, f->close);
        break;
    case AKT__REMOTE__FRAME__BODY_BYE:
        akt__conn_close(c, AKT_EUNREACHABLE, "remote node said goodbye");
        rc = AKT_ECLOSED;
        break;
    default:
        break;
    }
    akt__wire_free(f);
    /* Stop reading this buffer once the connection closed (a refusal, a bye). */
    return rc ? rc : (c->state == AKT__CONN_CLOSING || c->refusing ? AKT_ECLOSED : 0);
}

/* ---- accepting -------------------------------------------------------------------- */

/* An inbound peer that did not finish its handshake (TLS, then Hello) in time: closed, so
 * that peers that never authenticate cannot hold connections. */
static void akt__on_handshake_timeout(uv_timer_t *t) {
    akt__conn *c = t->data;
    if (c->state != AKT__CONN_HANDSHAKE || c->refusing) return;
    if (c->tls && !akt__tls_ready(c->tls))
        akt__conn_tls_failed(c, "TLS handshake timed out");
    else
        akt__conn_close(c, AKT_EUNREACHABLE, "remote handshake timed out");
}

static void akt__on_accept(uv_stream_t *server, int status) {
    akt__node_r *n = server->data;
    if (status < 0 || n->closing) return;
    akt__conn *c = akt__conn_new(n, NULL);
    if (!c) return;
    c->state = AKT__CONN_HANDSHAKE;
    /* TLS: nothing is read as a frame before the TLS handshake completed. */
    if (uv_accept(server, (uv_stream_t *)&c->tcp) ||
        (n->tls && !(c->tls = akt__tls_new(n->tls, 1, NULL))) ||
        uv_read_start((uv_stream_t *)&c->tcp, akt__on_alloc, akt__on_read)) {
        akt__conn_close(c, AKT_EUNREACHABLE, "accept failed");
        return;
    }
    /* The handshake's deadline: the connect timeout, as outbound; once open, the timer is
     * the heartbeat's. */
    akt__conn_deadline(c, akt__on_handshake_timeout);
}

int akt__endpoint_listen(akt__node_r *n) {
    n->server.data = n;
    return uv_listen((uv_stream_t *)&n->server, 128, akt__on_accept);
}
