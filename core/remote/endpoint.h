/* Remoting's private state: the node (one per system that called akt_remote_start), its
 * connections, its proxies. Everything marked "loop" is touched by the I/O thread only. */
#ifndef AKT_CORE_REMOTE_ENDPOINT_H
#define AKT_CORE_REMOTE_ENDPOINT_H
#include <akt/remote.h>
#include <pthread.h>
#include <stdint.h>

#include "frame.h"
#include "io/io.h"
#include "kernel/sys.h"
#include "proto/remote.pb-c.h"
#include "serial/serial.h"

struct akt__conn;

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
} akt__proxy;

/* A node this one sends to (loop): at most one outbound connection at a time. */
typedef struct akt__peer {
    struct akt__peer *next;
    char *key; /* "sys@host:port" */
    char *system;
    char host[64];
    uint16_t port;
    struct akt__conn *conn; /* NULL while none: the next message connects */
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
} akt__out;

/* An ask sent and not yet answered (loop). */
typedef struct akt__pending {
    struct akt__pending *next;
    uint64_t corr;
    akt_future *future; /* a reference */
} akt__pending;

#define AKT__PENDING_BUCKETS 64

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
    int64_t connect_timeout_ns;
    int64_t heartbeat_ns; /* negative: none */
    uint32_t heartbeat_misses;
    uint64_t incarnation;
    akt__serial *serial; /* the system's serializers (made before the node: freed after it) */
    char *address;       /* "akt://name@host:port" */
    akt_dispatcher *proxies;
    pthread_mutex_t lock; /* the proxy list */
    akt__proxy *proxy_list;
    /* loop */
    akt__peer *peers;
    akt__conn *conns;
    akt__conn *flush_head;
    uint64_t next_corr;
    int closing; /* the system is shutting down: no new connection, no new message out */
    akt__io_cmd closing_cmd;
} akt__node_r;

/* Test hook: the protocol version this node puts in its Hello (0: the real one). Set only
 * by white-box tests before they start remoting. */
extern uint32_t akt__remote_test_version;

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

/* wire.c: frames of the protocol */
/* Packs f into a new buffer with its length header; NULL on ENOMEM. */
uint8_t *akt__wire_pack(const Akt__Remote__Frame *f, size_t *len);
/* Unpacks one frame body; NULL if it is not a well-formed Frame with a body (the caller
 * frees the result with akt__wire_free). */
Akt__Remote__Frame *akt__wire_unpack(const uint8_t *body, size_t len);
void akt__wire_free(Akt__Remote__Frame *f);

/* proxy.c */
/* 1 if c is one of n's proxies (its behaviour), with its proxy record in *out. */
int akt__proxy_of(const akt__cell *c, akt__proxy **out);
/* The behaviour of proxies. */
extern const akt_behavior akt__proxy_behavior;
/* The pid for address (akt_remote_lookup). */
int akt__proxy_lookup(akt__node_r *n, const char *address, akt_pid *out);
/* Frees the proxy list. */
void akt__proxies_free(akt__node_r *n);

#endif
