/* Remoting's private state: the node (one per system that called akt_remote_start), its
 * connections, its proxies. Everything marked "loop" is touched by the I/O thread only. */
#ifndef AKT_CORE_REMOTE_ENDPOINT_H
#define AKT_CORE_REMOTE_ENDPOINT_H
#include <akt/remote.h>
#include <pthread.h>
#include <stdint.h>

#include "chunk.h"
#include "compress.h"
#include "frame.h"
#include "io/io.h"
#include "kernel/sys.h"
#include "proto/remote.pb-c.h"
#include "serial/serial.h"
#include "tls.h"

struct akt__conn;

/* Flow control (flow.c): the window of Tells to one node that its receiver has not
 * consumed yet, shared by the proxies of that node. */
typedef struct akt__window {
    struct akt__window *next; /* the node's list (node lock) */
    char *peer_key;
    /* Messages admitted (told to a proxy of the node) and not yet credited back by the
     * receiver nor dropped on this side. Any thread adds; the loop subtracts. */
    _Atomic(int64_t) inflight;
    /* 1 while the node's connection holds more than the node's send cap of unwritten bytes
     * (a peer that stopped reading): admits are refused. Written by the loop, read by any. */
    atomic_int choked;
} akt__window;

/* The receiving side of a connection's flow: which of its inbound Tells were consumed (a
 * bit per sequence number, set by the message's release on any thread), against the
 * contiguous prefix the loop acknowledged. Shared with those messages, so it outlives the
 * connection: refs = the connection's + one per message not yet released. */
typedef struct akt__credit {
    _Atomic(uint64_t) consumed; /* messages released (the window's count) */
    uint64_t granted;           /* loop: the consumed the last Credit frame granted */
    /* ack begin: slot (seq - 1) & (slots - 1) holds the highest Tell number consumed there
     * (a Tell is acknowledged once the slot before the prefix holds its number) */
    _Atomic(uint64_t) *done;
    uint64_t slots;  /* a power of two: the sender's window, at most AKT__ACK_SLOTS */
    uint64_t acked;  /* loop: every Tell numbered <= acked was consumed */
    atomic_int wake; /* 1: a release asked the loop to look (cleared by the loop) */
    /* ack end */
    atomic_int refs;
    struct akt__node_r *node;
    atomic_int closed; /* the connection is gone: releases wake nobody */
} akt__credit;

/* A watch of one of this node's actors by another node (watch.c, loop): one per
 * (connection, path), removed when the actor stops, on Unwatch, or with the connection. */
typedef struct akt__rwatch {
    struct akt__rwatch *next;
    struct akt__conn *conn; /* inbound: where the Terminated goes */
    uint64_t target;        /* the local actor's pid id */
    char path[];
} akt__rwatch;

/* A remote actor as this node knows it: one per address, made by akt_remote_lookup, kept
 * until the system is freed. Its pid is a proxy actor run by the I/O thread: what is told
 * to it goes, in mailbox order, to the connection of its node. */
typedef struct akt__proxy {
    struct akt__proxy *next; /* the node's list (node lock) */
    struct akt__node_r *node;
    char *address;  /* "akt://sys@host:port/user/x" */
    char *peer_key; /* "sys@host:port" */
    char *path;     /* "/user/x" */
    char *system;   /* "sys" */
    char host[64];
    uint16_t port;
    akt_pid pid;
    /* loop: the address of the last sender seen, so that a stream of tells from one actor
     * formats it once (a pid id is never reused, so the id decides) */
    uint64_t from_id;
    char *from;
    akt__window *win; /* its node's flow-control window (lives as long as the node) */
    /* Messages its window admitted into its mailbox (any thread), and those its receive
     * handed on (loop): what is left when it is gone is given back to the window. */
    _Atomic(int64_t) admitted;
    int64_t handled;
    /* loop: watchers this proxy has (its kept watches); dead: its actor stopped or its node
     * was lost, the proxy is stopping and is off the node's list (freed with its cell) */
    int watchers;
    int dead;
    /* a reverse proxy (made for the sender of an inbound Tell, never looked up by the user):
     * evictable past the node's cap; used: the node's clock at its last lookup (node lock) */
    int reverse;
    uint64_t used;
    char why[200]; /* dead: the reason published as its failure, "" for a plain stop */
} akt__proxy;

/* A node this one sends to (loop): at most one outbound connection at a time. */
typedef struct akt__peer {
    struct akt__peer *next;
    char *key; /* "sys@host:port" */
    char *system;
    char host[64];
    uint16_t port;
    struct akt__conn *conn; /* NULL while none: the next message connects */
    akt__window *win;
} akt__peer;

/* A message on its way out (loop): its frame, and what a dead letter about it needs. */
typedef struct akt__out {
    struct akt__out *next;
    uint8_t *frame; /* header + body, malloc'd */
    size_t len;
    akt_msg *msg; /* a reference for the dead letter, or NULL (a reply) */
    akt_pid to;   /* the proxy it was told to */
    akt_pid sender;
    const char *to_address; /* the proxy's (lives as long as the node) */
    int ordered;            /* a frame that must stay behind the chunked ones (Stop, Watch) */
    uint32_t chunk;         /* a chunk: its bytes count in the connection's chunks ahead */
    uint64_t seq;           /* ack: a Tell's number on its connection, given when written */
    int ask;                /* ack: an ask (its failure, not a dead letter, says it is lost) */
} akt__out;

/* An ask sent and not yet answered (loop). */
typedef struct akt__pending {
    struct akt__pending *next;
    uint64_t corr;
    akt_future *future; /* a reference */
    int bare;           /* ack: answered with no message (a graceful stop): ok completes it empty */
} akt__pending;

#define AKT__PENDING_BUCKETS 64
#define AKT__INLINE_SLOW_SLOTS 64

/* An actor whose turns on the loop thread were slow (inline.c): its next `skip` inbound
 * asks go to the workers. */
typedef struct akt__inline_slow {
    uint64_t id; /* its pid's id (0: none) */
    uint32_t skip;
    uint32_t strikes; /* slow turns in a row */
} akt__inline_slow;

enum akt__conn_state {
    AKT__CONN_CONNECTING = 0, /* outbound: TCP connect under way */
    AKT__CONN_HANDSHAKE,      /* waiting for Hello (inbound) or HelloAck (outbound) */
    AKT__CONN_OPEN,
    AKT__CONN_CLOSING,
};

typedef struct akt__conn {
    uv_tcp_t tcp;
    uv_connect_t connect;
    /* outbound: the connect + handshake deadline; then, once open (both ways), the
     * heartbeat */
    uv_timer_t timer;
    uv_shutdown_t shutdown; /* a refusal: closes once it was written */
    int refusing;
    struct akt__node_r *node;
    struct akt__conn *next, *prev; /* the node's list of connections */
    akt__peer *peer;               /* outbound: its peer; NULL inbound */
    int state;
    int handles; /* open uv handles of the conn: freed when the last one closed */
    int refs;    /* replies still to come through it (inbound asks) + 1 while not closed */
    int timer_on;
    int64_t last_read_ns; /* when the last bytes arrived (the heartbeat's measure) */
    uint64_t pings;       /* the last Ping's nonce */
    akt__frame_decoder dec;
    akt__out *q_head, *q_tail; /* waiting for the handshake or the next flush */
    size_t q_len;
    int dirty; /* on the node's flush list */
    struct akt__conn *flush_next;
    akt__pending *asks[AKT__PENDING_BUCKETS];
    /* inbound: the sender address of the last Tell and its reverse proxy, so that a stream
     * from one remote actor looks its proxy up once */
    char *from;
    akt_pid from_pid;
    akt__tls *tls;     /* TLS nodes: the connection's TLS (the frames ride inside it) */
    char tls_why[240]; /* a TLS failure's reason, kept until the close it waits for */
    /* flow: outbound, Tells put on this connection and credits received for them;
     * inbound, what was granted back and the record its messages count in */
    uint64_t tells, credited;
    akt__credit *credit;
    /* ack begin: outbound, the Tells handed to the socket (the last one's number), the
     * cumulative acknowledgement received, and the Tells written and not yet acknowledged
     * (their frames freed, each still holding its message for a dead letter), in number
     * order; inbound, the Tells received (the last one's number) and the sender's window
     * (its Hello). why: the reason the connection closed (for writes completing after). */
    uint64_t wire_tells, acked;
    akt__out *unacked_head, *unacked_tail;
    uint64_t rx_tells;
    uint32_t peer_window;
    char why[200];
    /* ack end */
    /* compression (compress.h): the method frames to the peer go with (0: plain, until the
     * handshake says the peer accepts the node's), and a compressed frame being unpacked */
    int send_method;
    int inflating;
    /* chunking (chunk.h): outbound, the frames waiting to go as chunks (the head is being
     * cut, bulk_off bytes of its body sent) and the frames of the same sender -> receiver
     * pairs behind them; chunk bytes written and not yet completed (at most a few chunks
     * ahead, so that small frames pass between them); inbound, the frame being put back
     * together; `chunked`: a frame put back together is being handled */
    akt__zctx z; /* compression contexts, reused frame after frame (compress.h) */
    /* the sender -> receiver pairs with messages in the bulk list, and how many each (so
     * that a frame's check for one waiting ahead of it is one bucket, not the list) */
    struct akt__pair_n *pairs[16];
    akt__out *bulk_head, *bulk_tail;
    uint32_t bulk_off;
    uint64_t chunk_id;
    size_t chunks_ahead;
    akt__chunk_in rx;
    int chunked;
    /* bytes of the frames queued (q and bulk) and not yet handed to the socket; with the
     * socket's own write queue, held to the node's send cap */
    size_t pending;
    char rbuf[64 * 1024];
} akt__conn;

typedef struct akt__node_r {
    akt__part part; /* first: the system's part list links it */
    akt_system *sys;
    akt__io io;
    uv_tcp_t server;
    int listening;
    char host[64];
    uint16_t port;
    uint32_t max_frame;
    int compression;       /* AKT_REMOTE_COMPRESS_*: what this node sends with */
    uint32_t compress_min; /* smallest frame body compressed */
    uint32_t chunk;        /* largest frame body sent whole; larger ones go as chunks */
    uint32_t max_message;  /* largest frame body put back together from chunks */
    uint64_t send_cap;     /* bytes waiting on one connection, at most */
    int64_t connect_timeout_ns;
    int64_t heartbeat_ns; /* negative: none */
    uint32_t heartbeat_misses;
    uint64_t incarnation;
    akt__tls_ctx *tls;     /* NULL: plaintext */
    uint64_t tls_failures; /* under lock: akt_remote_tls_failures */
    char tls_reason[240];
    uint64_t proto_failures; /* under lock: connections closed for breaking the protocol */
    char proto_reason[240];  /* the last one's reason */
    akt__serial *serial;     /* the system's serializers (made before the node: freed after it) */
    char *address;           /* "akt://name@host:port" */
    akt_dispatcher *proxies;
    pthread_mutex_t lock; /* the proxy list; the TLS failure record */
    akt__proxy *proxy_list;
    /* loop */
    akt__peer *peers;
    akt__conn *conns;
    akt__conn *flush_head;
    uint64_t next_corr;
    int closing; /* the system is shutting down: no new connection, no new message out */
    akt__io_cmd closing_cmd;
    /* remote watch, stop, spawn, flow (watch.c, control.c, flow.c) */
    uint32_t window;       /* Tells in flight per node (flow control) */
    akt__window *windows;  /* node lock */
    akt__rwatch *rwatches; /* loop */
    akt_pid watcher;       /* loop: the actor that watches local actors for other nodes */
    /* reverse proxies (node lock): how many live, at most how many, and the use clock */
    uint32_t reverse_count, reverse_cap;
    uint64_t reverse_clock;
    /* ack: graceful stops posted to proxies and not yet sent (node lock): id -> future */
    struct akt__graceful *graceful;
    uint64_t graceful_ids;
    /* inbound asks run on the loop thread (inline.c; loop only): the actor whose turn is
     * due at the top level and the wake-up its ask left owed; the actors whose turns
     * there were slow (one per slot, by pid) */
    uint64_t inline_target;
    akt_dispatcher *inline_owed;
    akt__inline_slow inline_slow[AKT__INLINE_SLOW_SLOTS];
} akt__node_r;

/* Test hook: the protocol version this node puts in its Hello (0: the real one). Set only
 * by white-box tests before they start remoting. */
extern uint32_t akt__remote_test_version;

/* How many connections of n were closed for breaking the protocol (a bad frame, chunk or
 * compressed frame), and the last reason into buf (white-box tests; any thread). */
uint64_t akt__remote_proto_failures(akt_system *s, char *buf, size_t cap);

/* inline.c (loop thread) */
/* An inbound ask of to from sender (akt__ask_from's arguments): when to is idle and so
 * are the workers, its turn runs on this thread at the loop's top level (akt__inline_run,
 * n->io.on_top) instead of on a woken worker. */
int akt__inline_ask(akt__node_r *n, akt_pid to, akt_msg *msg, int64_t timeout_ns, uint64_t sender,
                    akt_future **out);
/* n->io.on_top: runs the turn an inbound ask left due, or wakes a worker for it. */
void akt__inline_run(akt__io *io, void *data);

/* endpoint.c (loop thread) */
/* Sends a user message of proxy p: connects if needed; on a known failure the message is
 * a dead letter and its ask fails. reply may be NULL. msg is borrowed. */
void akt__endpoint_send(akt__node_r *n, akt__proxy *p, akt_msg *msg, akt_pid sender,
                        akt_future *reply);
/* Writes every connection with queued frames: many frames per uv_write. */
void akt__endpoint_flush(akt__node_r *n);
/* Starts accepting on n->server (bound). */
int akt__endpoint_listen(akt__node_r *n);
/* Shutdown: closes every connection and the server; what is queued becomes a dead letter
 * and every pending ask fails with rc. */
void akt__endpoint_close_all(akt__node_r *n, int rc, const char *reason);
/* Frees what the connections left (after the loop ended). */
void akt__endpoint_free(akt__node_r *n);

/* The peer for (key, system, host, port), made on first use; NULL without memory. */
akt__peer *akt__endpoint_peer(akt__node_r *n, const char *key, const char *system, const char *host,
                              uint16_t port);
/* The peer's connection, connecting if there is none; NULL (reason in why) if none can
 * be started. */
akt__conn *akt__endpoint_conn(akt__node_r *n, akt__peer *q, const char **why);
/* Queues a frame of the protocol behind what c has queued; 0 or AKT_ENOMEM. */
int akt__endpoint_enqueue_frame(akt__conn *c, const Akt__Remote__Frame *f);
/* Sends f (whose correlation *corr gets a new id) to peer q as a request answered by a
 * Reply that completes reply; on a known failure reply fails at once. */
void akt__endpoint_request(akt__node_r *n, akt__peer *q, Akt__Remote__Frame *f, uint64_t *corr,
                           akt_future *reply);
/* ack begin: */
/* As akt__endpoint_request, for a request answered with no message (ok: reply completes
 * with 0 and no reply). */
void akt__endpoint_request_bare(akt__node_r *n, akt__peer *q, Akt__Remote__Frame *f, uint64_t *corr,
                                akt_future *reply);
/* Inbound: f (a local future, a reference the call takes) answers correlation corr on c
 * once it completes (a Reply: its message, or ok empty for none, or its failure). */
void akt__endpoint_answer(akt__conn *c, uint64_t corr, akt_future *f);
/* ack end */

/* proxy.c: what the kernel calls for proxies */
extern const akt__proxy_hooks akt__remote_proxy_hooks;

/* watch.c (loop) */
/* The kernel kept (on) or dropped a watcher of proxy cell c, on the proxy's turn. */
void akt__proxy_watched(akt_system *s, akt__cell *c, int on);
/* A proxy's actor is gone (its Terminated came) or its node is lost (why non-NULL): it
 * stops, and its watchers get Terminated; a later lookup of its address makes a new one. */
void akt__proxy_terminate(akt__node_r *n, akt__proxy *p, const char *why);
int akt__on_watch(akt__conn *c, const Akt__Remote__Watch *w);
int akt__on_unwatch(akt__conn *c, const Akt__Remote__Unwatch *w);
int akt__on_terminated(akt__conn *c, const Akt__Remote__Terminated *t);
/* A connection closes: an outbound one's watched proxies are terminated with why, an
 * inbound one's watches of local actors end. */
void akt__watch_conn_closed(akt__conn *c, const char *why);

/* control.c (loop) */
int akt__on_stop(akt__conn *c, const Akt__Remote__Stop *s);
int akt__on_spawn(akt__conn *c, const Akt__Remote__Spawn *s);
int akt__on_reinstate(akt__conn *c, const Akt__Remote__Reinstate *r);
/* The proxy got a control message (stop, poison) in its mailbox; 1 if msg was one. */
int akt__proxy_control(akt__proxy *p, akt_msg *msg, akt_pid sender);
/* akt_remote_spawn on node n (caller's thread). */
int akt__remote_spawn(akt__node_r *n, const char *node_address, const char *kind, const char *name,
                      const akt_remote_spawn_options *options, akt_pid *out);
/* akt_stop / akt_poison of a proxy: a control message into its mailbox, behind what was
 * told to it before. */
int akt__proxy_control_post(akt_system *s, akt_pid pid, int what);
/* ack: akt_stop_graceful of a proxy: a control message into its mailbox (behind what was
 * told before), which sends a Stop with a correlation; the future completes with the
 * node's answer, or AKT_ETIMEDOUT at the deadline (the actor is then stopped at once). */
int akt__proxy_graceful_post(akt_system *s, akt_pid pid, int64_t timeout_ns, akt_future **out);
/* Frees the graceful stops whose control message never ran (node free). */
void akt__graceful_free(akt__node_r *n);

/* flow.c */
/* The window of peer_key (made on first use, node lock held by the caller). */
akt__window *akt__window_get_locked(akt__node_r *n, const char *peer_key);
void akt__windows_free(akt__node_r *n);
int akt__flow_admit(akt_system *s, akt__cell *c, uint32_t k);
void akt__flow_unadmit(akt_system *s, akt__cell *c, uint32_t k);
/* Whether msg can cross (kernel/sys.h's crossable): an object message with no to_bytes
 * and no serializer for its type is refused with AKT_ENOTSUP on the caller's thread. */
int akt__flow_crossable(akt_system *s, akt__cell *c, akt_msg *msg);
/* Gives k back to win (loop: dropped messages, credits). */
void akt__window_give(akt__window *win, uint64_t k);
/* An inbound message, Tell number seq of c, whose release marks it consumed: copies data.
 * On failure nothing is marked (the caller marks it with akt__flow_consumed). */
int akt__flow_msg(akt__conn *c, uint64_t seq, const char *type, const uint8_t *data, size_t len,
                  akt_msg **out);
/* A message made by a serializer for Tell number seq of c (0: counted only, an ask) is
 * marked consumed when it is freed, as akt__flow_msg's are; on failure nothing is marked (a
 * message the serializer shares, say: the caller marks it with akt__flow_consumed). */
int akt__flow_hook(akt__conn *c, uint64_t seq, akt_msg *msg);
/* Tell number seq of c is consumed now (a serializer's message that could not be hooked; a
 * Tell refused or dead-lettered on arrival). */
int akt__flow_consumed(akt__conn *c, uint64_t seq);
/* ack: Tell number seq of c is acknowledged now, its release counted later (an ask). */
int akt__flow_acked(akt__conn *c, uint64_t seq);
/* ack: 1 if Tell number seq fits c's record (the sender keeps to its window), 0 if not,
 * AKT_ENOMEM; loop. */
int akt__flow_fits(akt__conn *c, uint64_t seq);
/* Loop, after a wake-up: each inbound connection grants what its messages' releases
 * counted since the last grant. */
void akt__flow_grant(akt__node_r *n);
/* A Credit frame on an outbound connection: the window given back, the Tells acknowledged
 * let go (endpoint.c's akt__conn_acked). */
int akt__on_credit(akt__conn *c, const Akt__Remote__Credit *cr);
/* A connection closes: outbound, what was sent and not credited is given back; inbound,
 * its credit record is let go. */
void akt__flow_conn_closed(akt__conn *c);
/* ack: endpoint.c: the Tells of c numbered <= acked were consumed: let go. */
void akt__conn_acked(akt__conn *c, uint64_t acked);

/* wire.c: frames of the protocol */
/* Packs f into a new buffer with its length header; NULL on ENOMEM. */
uint8_t *akt__wire_pack(const Akt__Remote__Frame *f, size_t *len);
/* Unpacks one frame body; NULL if it is not a well-formed Frame with a body (the caller
 * frees the result with akt__wire_free). */
Akt__Remote__Frame *akt__wire_unpack(const uint8_t *body, size_t len);
void akt__wire_free(Akt__Remote__Frame *f);

/* headers_wire.c: a message's headers in a Tell or a reply Payload */
typedef struct akt__wire_hdrs {
    Akt__Remote__Header **items; /* borrowed from the message: valid while it lives */
    size_t count;
} akt__wire_hdrs;
/* Fills out with msg's headers (none: NULL, 0); AKT_ENOMEM. Freed by akt__wire_headers_done. */
int akt__wire_headers_out(const akt_msg *msg, akt__wire_hdrs *out);
void akt__wire_headers_done(akt__wire_hdrs *h);
/* Sets the received headers on msg (new, unsent), held to the local limits: AKT_EINVAL
 * for a bad key or a message over AKT_HEADERS_MAX / AKT_HEADER_VALUE_MAX /
 * AKT_HEADERS_BYTES_MAX, AKT_ENOMEM. */
int akt__wire_headers_in(akt_msg *msg, Akt__Remote__Header *const *items, size_t n);

/* proxy.c */
/* 1 if c is one of n's proxies (its behaviour), with its proxy record in *out. */
int akt__proxy_of(const akt__cell *c, akt__proxy **out);
/* The behaviour of proxies. */
extern const akt_behavior akt__proxy_behavior;
/* The pid for address (akt_remote_lookup): a proxy kept until it stops. */
int akt__proxy_lookup(akt__node_r *n, const char *address, akt_pid *out);
/* Loop: the pid for the sender address of an inbound Tell: a reverse proxy, made on first
 * sight; past the node's cap the least recently used reverse proxy that nobody watches and
 * no connection has cached is stopped (its pid is then dead, as a stopped actor's). */
int akt__proxy_lookup_reverse(akt__node_r *n, const char *address, akt_pid *out);
/* How many reverse proxies node s has (white-box tests). */
uint32_t akt__remote_reverse_count(akt_system *s);
/* Frees the proxy list. */
void akt__proxies_free(akt__node_r *n);

#endif
