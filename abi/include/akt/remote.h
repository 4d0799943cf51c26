/* akt remoting: actors of other processes as pids of this one.
 *
 * A system that calls akt_remote_start listens on a TCP address and can reach actors of
 * other systems by address, "akt://<system>@<host>:<port>/user/<path>". akt_remote_lookup
 * gives a pid for such an actor: akt_tell, akt_ask and akt_ctx_forward work on it as on a
 * local one, and akt_pid_path returns its address. Delivery is at most once and ordered
 * per sender -> receiver pair. A message sent by an actor under /user carries its address:
 * on the receiving node its sender (akt_ctx_sender) is a pid whose path is that address (one
 * per remote actor, made on first sight), so akt_ctx_respond to a plain tell, or a tell to
 * the sender, reaches the remote actor. A message that was accepted and could not be delivered
 * (connection refused or lost) becomes a dead letter on this node with its reason, and an
 * ask to a node that is known to be unreachable fails at once with AKT_EUNREACHABLE (every
 * pending ask of a connection that is lost fails so). Messages cross as bytes: an object
 * message crosses through its to_bytes (AKT_ENOTSUP: a dead letter, and its ask fails).
 *
 * The I/O runs on one libuv thread of the system, started by akt_remote_start and stopped
 * with the system's shutdown. When an ask arrives for an idle actor while every worker is
 * idle, that thread runs the actor's turn itself (as a waiting asker does, under
 * akt_system_options.waiters_run_turns), so the answer needs no hand-off to a worker and
 * back; a wait inside such a turn keeps the connections served, and a turn that blocks
 * longer than 5 ms has them served by a stand-in thread (thread hooks index -4) until it
 * returns. */
#ifndef AKT_REMOTE_H
#define AKT_REMOTE_H
#include <akt/akt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The protocol version this library speaks on the wire (Hello.version). */
#define AKT_REMOTE_PROTOCOL_VERSION 1
/* Default largest frame accepted or sent (a larger one closes the connection). */
#define AKT_REMOTE_DEFAULT_MAX_FRAME (4u << 20)
/* Default heartbeat interval (1 s) and intervals of silence before a connection is lost. */
#define AKT_REMOTE_DEFAULT_HEARTBEAT_NS 1000000000ll
#define AKT_REMOTE_DEFAULT_HEARTBEAT_MISSES 5u /* silent intervals before it is closed */
/* Default flow-control window per node (akt_remote_options.send_window). */
#define AKT_REMOTE_DEFAULT_WINDOW 65536u
/* Frame compression methods (akt_remote_options.compression). */
#define AKT_REMOTE_COMPRESS_NONE 0
#define AKT_REMOTE_COMPRESS_ZSTD 1   /* Zstandard */
#define AKT_REMOTE_COMPRESS_GZIP 2   /* zlib (deflate) */
#define AKT_REMOTE_COMPRESS_BROTLI 3 /* Brotli */
/* Default smallest frame body compressed (akt_remote_options.compress_min_bytes). */
#define AKT_REMOTE_DEFAULT_COMPRESS_MIN 512u
/* remchunk begin: */
/* Defaults of akt_remote_options.chunk_bytes, max_message_bytes and send_buffer_bytes. */
#define AKT_REMOTE_DEFAULT_CHUNK (64u << 10)
#define AKT_REMOTE_DEFAULT_MAX_MESSAGE (64u << 20)   /* 64 MiB: largest message, chunked */
#define AKT_REMOTE_DEFAULT_SEND_BUFFER (64ull << 20) /* 64 MiB queued per connection */
/* Default of akt_remote_options.max_reverse_proxies: pids kept for remote senders. */
#define AKT_REMOTE_DEFAULT_MAX_REVERSE_PROXIES 10000u
/* remchunk end */

/* Options of akt_remote_start: where this node listens and how its connections behave. */
typedef struct akt_remote_options {
    size_t size;      /* sizeof(akt_remote_options) */
    const char *host; /* an IPv4 address to listen on; NULL = "127.0.0.1" */
    uint16_t port;    /* 0: an ephemeral port (akt_remote_address tells which) */
    /* Largest frame, header excluded; 0 = AKT_REMOTE_DEFAULT_MAX_FRAME; at least 64. */
    uint32_t max_frame_bytes;
    /* Time a connection attempt may take before its messages fail; 0 = 5 s. */
    int64_t connect_timeout_ns;
    /* Appended in 0.4 (read by size). Heartbeats: both ends of an open connection send a
     * Ping every interval and answer the other's with a Pong. A connection that received
     * nothing (no frame of any kind) for more than heartbeat_misses intervals is closed: its
     * queued messages become dead letters and its pending asks fail with AKT_EUNREACHABLE,
     * so a peer that hangs (stops reading) is found within about (misses + 1) intervals.
     * Interval: 0 = AKT_REMOTE_DEFAULT_HEARTBEAT_NS, negative = no heartbeats, at most
     * 1 hour. Misses: 0 = AKT_REMOTE_DEFAULT_HEARTBEAT_MISSES, at most 1000. */
    int64_t heartbeat_interval_ns;
    uint32_t heartbeat_misses;
    /* Appended in 0.4 (read by size). TLS 1.3: with tls_cert_file set, every connection of
     * this node, inbound and outbound, is TLS, and the TLS handshake completes before any
     * akt frame is read; a plaintext peer is refused (closed), and so is a peer whose
     * certificate does not chain to the CAs of tls_ca_file (NULL: the system's CAs). An
     * outbound connection checks that the server's certificate names tls_peer_name (a DNS
     * name or an IP address; NULL: the host of the address it connects to). With
     * tls_require_client_cert (mutual TLS), an inbound peer without a valid certificate is
     * refused too. Files are PEM, read by akt_remote_start (AKT_EINVAL if one cannot be
     * used, the key does not match the certificate, or a key is missing). A message or ask
     * that a TLS failure stops fails as on any lost connection (AKT_EUNREACHABLE, with
     * the TLS reason); akt_remote_tls_failures tells the last reason on this node. */
    const char *tls_cert_file;   /* this node's certificate (chain); NULL = no TLS */
    const char *tls_key_file;    /* its private key; required with tls_cert_file */
    const char *tls_ca_file;     /* CAs that peers' certificates must chain to; NULL = system's */
    const char *tls_peer_name;   /* name outbound servers must have; NULL = the host dialled */
    int tls_require_client_cert; /* 1: refuse inbound peers without a valid certificate */
    /* Appended in 0.4 (read by size). Flow control: the most messages told or asked to the
     * actors of one other node that its receiving end has not consumed yet (handled, or
     * dropped as dead letters, there). A tell or ask beyond it fails with AKT_EFULL and the
     * caller keeps its message; the receiver grants credit back as it consumes. 0 =
     * AKT_REMOTE_DEFAULT_WINDOW; at most 1 << 24. */
    uint32_t send_window;
    /* Appended in 0.4 (read by size). Frame compression: with a method other than
     * AKT_REMOTE_COMPRESS_NONE, this node accepts every method (its Hello says so) and
     * compresses each frame of at least compress_min_bytes (0 = AKT_REMOTE_DEFAULT_COMPRESS_MIN)
     * with `compression` when the peer accepts it; a peer that does not (a NONE node) gets
     * plain frames, so mixed nodes interoperate. With NONE (the default) nothing is
     * compressed and a compressed frame closes the connection. A compressed frame that
     * would inflate beyond max_frame_bytes, or is malformed, closes its connection.
     * AKT_EINVAL for an unknown method. */
    int compression;
    uint32_t compress_min_bytes;
    /* remchunk begin: */
    /* Appended in 0.4 (read by size). Chunking: a frame whose body is larger than
     * chunk_bytes (0 = AKT_REMOTE_DEFAULT_CHUNK, or max_frame_bytes if that is smaller;
     * else 256..max_frame_bytes) goes as chunks of at most chunk_bytes, interleaved with
     * the connection's other frames, so a large message never holds back small ones told
     * after it by other senders (the order of each sender -> receiver pair is kept). A
     * message whose frame is larger than max_message_bytes (0 =
     * AKT_REMOTE_DEFAULT_MAX_MESSAGE; else max_frame_bytes..1 GiB) is refused on the
     * sending node: a dead letter with the reason, an ask fails with AKT_EINVAL. The
     * receiver puts one chunked frame at a time back together, in memory that grows with
     * what came: chunks declaring more than its max_message_bytes, out of order, or never
     * finished (no chunk for heartbeat_misses intervals) close the connection with the
     * reason. */
    uint32_t chunk_bytes;
    uint32_t max_message_bytes;
    /* A peer that stops reading: the bytes queued for one connection (its frames not yet
     * taken by the socket) are capped at send_buffer_bytes (0 =
     * AKT_REMOTE_DEFAULT_SEND_BUFFER; at least 65536). A message that would go to a
     * connection over the cap becomes a dead letter with the reason (an ask fails with
     * AKT_EFULL), and while it is over the cap a tell or ask to that node fails with
     * AKT_EFULL on the caller's thread (the caller keeps its message); below half the cap
     * it is accepted again. */
    uint64_t send_buffer_bytes;
    /* Reverse proxies: the pids this node makes for the remote senders of the messages it
     * receives (akt_ctx_sender) are at most max_reverse_proxies (0 =
     * AKT_REMOTE_DEFAULT_MAX_REVERSE_PROXIES); past it the least recently seen one that
     * nothing watches is stopped (a pid of it kept by an actor is then dead, as a stopped
     * actor's: a tell to it is AKT_ENOTFOUND; its next message makes a new one). A pid that
     * akt_remote_lookup gave is never evicted. */
    uint32_t max_reverse_proxies;
    /* remchunk end */
} akt_remote_options;

/* Fills options with the defaults (and sets options->size). */
AKT_API int akt_remote_options_init(akt_remote_options *options);

/* Starts remoting on system: binds and listens (options may be NULL for the defaults),
 * starts the I/O thread. AKT_EEXIST if already started, AKT_EINVAL for a bad host or
 * frame size, AKT_EUNREACHABLE if the address cannot be bound, AKT_ECLOSED during
 * shutdown. */
AKT_API int akt_remote_start(akt_system *system, const akt_remote_options *options);

/* Writes this node's address, "akt://<name>@<host>:<port>", NUL-terminated, into buf.
 * *needed (may be NULL) gets its length without the NUL. AKT_ERANGE if cap is too small,
 * AKT_ENOTFOUND if remoting was not started. */
AKT_API int akt_remote_address(akt_system *system, char *buf, size_t cap, size_t *needed);

/* A pid for the actor at address ("akt://<system>@<host>:<port>/user/<path>"). Nothing is
 * sent: an actor that does not exist shows when a message reaches its node (a dead letter
 * there; an ask fails with AKT_ENOTFOUND). The same address gives the same pid. An address
 * of this node gives the local actor (akt_lookup). AKT_EINVAL for a malformed address,
 * AKT_ENOTFOUND if remoting was not started. */
AKT_API int akt_remote_lookup(akt_system *system, const char *address, akt_pid *out);

/* tls begin: remoting transport: TLS, compression, chunking */
/* How many connections of this node TLS closed (a failed handshake, a rejected or missing
 * certificate, a plaintext peer on a TLS node, a malformed record stream), in *count (may
 * be NULL), and the last one's reason, NUL-terminated, in buf ("" if none; cap may be 0
 * with buf NULL to ask only the count). *needed (may be NULL) gets the reason's length.
 * AKT_ERANGE if cap is too small (count still set), AKT_ENOTFOUND if remoting was not
 * started, AKT_EINVAL for a NULL system or a NULL buf with cap > 0. */
AKT_API int akt_remote_tls_failures(akt_system *system, uint64_t *count, char *buf, size_t cap,
                                    size_t *needed);
/* tls end */
/* remote2 begin: remoting: flow control, remote watch/stop/spawn, serializers */
/* Remote watch, stop, poison and reinstate need no call of their own: akt_ctx_watch /
 * akt_ctx_unwatch, akt_stop, akt_poison and akt_reinstate work on a remote pid as on a local
 * one (a reinstate reaches its node after the messages sent to the pid before it). A watched remote
 * actor that stops sends Terminated to its watchers (akt_msg_pid: the remote pid, the text: its
 * address); so does the loss of the connection to its node (refused, closed, or silent
 * past the heartbeat bound), for every watched pid of that node, and then the proxy also
 * publishes an AKT_EVENT_ACTOR_FAILED event (code AKT_EUNREACHABLE) with the reason. A
 * remote pid whose actor stopped is gone like a local one: akt_remote_lookup of its
 * address gives a new pid. akt_stop_graceful of a remote pid works as on a local one (ack):
 * its node stops the actor after the messages sent to it before, and the future completes
 * once it stopped there (0; also when there was none), or with AKT_ETIMEDOUT after the
 * timeout, when the actor is stopped at once; a lost connection fails it (AKT_EUNREACHABLE).
 * Delivery is at-most-once and accounted for (ack): the receiving node acknowledges the tells
 * it consumed (cumulatively, in its credit frames); when the connection is lost, each tell it
 * had not acknowledged is a dead letter here, reason "remote peer lost before acknowledgement
 * (...)" (it may or may not have been handled there: it is never sent again). A node that
 * closes a connection for a protocol error tells the peer why first: that peer's asks fail
 * with the reason ("remote peer closed the connection: ...", code AKT_EPROTO), its tells
 * become dead letters with it. */

/* Spawns an actor of kind on the node at node_address ("akt://<system>@<host>:<port>"),
 * named name under /user, and gives its pid. The kind is one registered on that node with
 * akt_grain_kind_register: its activate makes the actor's behaviour and state (on the
 * actor's first turn, on the kind's dispatcher), on_activate / on_deactivate run as for a
 * grain, and the actor lives until stopped. Waits for the answer at most timeout_ns (> 0).
 * AKT_ENOTFOUND: no such kind there; AKT_EEXIST: the name is taken there; AKT_EINVAL: a bad
 * address, kind or name (1..255 bytes, no '/', no leading '$'); AKT_EUNREACHABLE: the node
 * cannot be reached; AKT_ETIMEDOUT; AKT_EMISUSE on the I/O thread; AKT_ENOTFOUND also if
 * remoting was not started here. */
AKT_API int akt_remote_spawn(akt_system *system, const char *node_address, const char *kind,
                             const char *name, int64_t timeout_ns, akt_pid *out);

/* The options of a remote spawn (akt_remote_spawn_with), GoAkt's SpawnRequest: what of
 * akt_spawn_options and akt_passivation is data crosses to the spawning node, which checks
 * it as akt_spawn and akt_passivation_set do there. Copied during the call; every pointer
 * may be NULL (the default). akt_remote_spawn_options_init sets the defaults. */
typedef struct akt_remote_spawn_options {
    size_t size;        /* sizeof(akt_remote_spawn_options) */
    int64_t timeout_ns; /* how long to wait for the answer: > 0 (init: 10 s) */
    /* The strategy for the actor's children. A function cannot cross: decide and
     * backoff_random must be NULL (AKT_EINVAL otherwise); rules by code do cross. */
    const akt_supervisor *supervisor;
    /* The mailbox: FIFO or FAIR, bounded or not; AKT_MAILBOX_PRIORITY is refused
     * (AKT_EINVAL: its compare is a function). */
    const akt_mailbox_spec *mailbox;
    const akt_passivation *passivation; /* NULL or AKT_PASSIVATE_NEVER: none */
    int reentrancy;                     /* AKT_REENTRANCY_*, as akt_spawn_options */
    uint32_t max_in_flight;             /* as akt_spawn_options; 0 = no limit */
} akt_remote_spawn_options;

/* Fills options with the defaults (and sets options->size). AKT_EINVAL for NULL. */
AKT_API int akt_remote_spawn_options_init(akt_remote_spawn_options *options);

/* akt_remote_spawn with options (NULL: the defaults, a 10 s wait). Errors as
 * akt_remote_spawn, and AKT_EINVAL for options that cannot cross (above) or that the
 * spawning node refuses (as akt_spawn would: a bad supervisor, mailbox, passivation or
 * reentrancy); a refused spawn leaves nothing behind there. */
AKT_API int akt_remote_spawn_with(akt_system *system, const char *node_address, const char *kind,
                                  const char *name, const akt_remote_spawn_options *options,
                                  akt_pid *out);
/* remote2 end */
/* serial begin: serializer registry (JSON, CBOR, protobuf, custom) */
/* Serializers (akt >= 0.4): how a message crosses to another node. Each system has a
 * registry of serializers by name and of bindings type name -> serializer (and a default
 * for the types bound to none). A message crossing the wire is packed by the serializer
 * bound to its type; the frame names the serializer, and the receiving node decodes it
 * with the serializer of that name in its own registry.
 * - No serializer bound (and no default): the message crosses as its bytes (a bytes
 *   message, or an object message's to_bytes). akt's own type names ("akt.*": the canonical
 *   scalars AKT_TYPE_*, akt's system and control messages) cross so unless a serializer is
 *   bound to their exact name: the default never applies to them.
 * - A message with no serializer and no bytes (an object without to_bytes), or one its
 *   serializer cannot encode, is refused on the sending node: it becomes a dead letter there
 *   with the reason, and an ask fails with the serializer's code (AKT_ENOTSUP for no bytes),
 *   before anything is sent; nothing is ever sent half-encoded.
 * - On the receiving node a serializer name it does not know, or bytes its serializer
 *   cannot decode, make a dead letter there with the reason; an ask fails with its code.
 * Built in, registered in every system under these names:
 *   "json"      the bytes are one JSON value (RFC 8259), checked with jansson, sent as
 *               compact text; a canonical scalar maps to its JSON value (akt.Bytes and
 *               non-finite floats have none: AKT_ENOTSUP). Decodes to the same type name
 *               with the JSON text (a scalar type: its canonical bytes).
 *   "cbor"      the same values as CBOR (RFC 8949, libcbor): the JSON data model (objects
 *               with string keys, arrays, strings, 64-bit integers, doubles, booleans,
 *               null), plus akt.Bytes as a byte string. Received CBOR outside that model
 *               (tags, undefined, byte strings inside a tree, non-string keys, integers
 *               beyond int64) is a decode failure. Decodes to JSON text (the neutral tree
 *               every binding maps to its own values: dict, object, Map) or to a scalar.
 *   "protobuf"  a protobuf-c message of a descriptor registered with
 *               akt_serializer_protobuf: checked against it on both ends; the bytes are the
 *               message's protobuf encoding and its type name is the message's full name,
 *               so another language's protobuf runtime reads them as they are. A type with
 *               no registered descriptor crosses unchecked. */
#define AKT_SERIALIZER_JSON "json"
#define AKT_SERIALIZER_CBOR "cbor"         /* CBOR of the JSON data model, or a scalar */
#define AKT_SERIALIZER_PROTOBUF "protobuf" /* a registered protobuf-c message's encoding */
/* Longest serializer name, in bytes; names are [A-Za-z0-9._-]. */
#define AKT_SERIALIZER_NAME_MAX 63

struct ProtobufCMessage;
struct ProtobufCMessageDescriptor;

/* A serializer (akt_serializer_register): how messages of the types bound to its name
 * (akt_serializer_bind) become bytes on the sending node and messages again on the
 * receiving one, which must register one of the same name. */
typedef struct akt_serializer {
    size_t size;      /* sizeof(akt_serializer) */
    const char *name; /* 1..AKT_SERIALIZER_NAME_MAX bytes of [A-Za-z0-9._-]; copied */
    /* Packs msg (borrowed) into bytes: *bytes and *len, and *free_fn (a function akt calls
     * on *bytes once sent, or AKT_BORROW for memory that lives as long as msg). Returns 0
     * or an AKT_E* code (the message is then refused). Runs on the remoting thread. */
    int (*encode)(akt_msg *msg, void *data, void **bytes, size_t *len, akt_free_fn *free_fn);
    /* Makes the message of type type from len bytes (borrowed, for the call only) into *out
     * (a new reference akt takes). Returns 0 or an AKT_E* code (a dead letter). Runs on the
     * remoting thread. */
    int (*decode)(const char *type, const void *bytes, size_t len, void *data, akt_msg **out);
    /* Optional: called once with data when the system is freed. */
    void (*free)(void *data);
    void *data; /* passed to encode, decode and free; kept until free runs */
} akt_serializer;

/* Registers serializer (copied) by its name in system's registry. AKT_EINVAL for a NULL
 * or malformed argument (no encode or decode, a bad name); AKT_EEXIST if the name is taken
 * (the built-in names included); AKT_ENOMEM; AKT_ECLOSED once the system shut down. On
 * success free (if any) is called with data when the system is freed, and never before. */
AKT_API int akt_serializer_register(akt_system *system, const akt_serializer *serializer);

/* Binds messages of type (1..255 bytes) to the serializer registered as name; type NULL
 * binds the default (for every type bound to none, "akt.*" names excepted); name
 * NULL removes the binding. A later binding replaces an earlier one; messages already on
 * their way keep theirs. AKT_EINVAL for a bad type, AKT_ENOTFOUND for a name not
 * registered, AKT_ECLOSED once the system shut down. */
AKT_API int akt_serializer_bind(akt_system *system, const char *type, const char *name);

/* Registers descriptor (a protobuf-c message descriptor, which must outlive the system)
 * and binds its full name (descriptor->name) to the "protobuf" serializer. AKT_EINVAL for
 * NULL or a descriptor that is not a message descriptor, AKT_ECLOSED once the system shut
 * down. */
AKT_API int akt_serializer_protobuf(akt_system *system,
                                    const struct ProtobufCMessageDescriptor *descriptor);

/* The name of the serializer messages of type cross with (bound, or the default, or NULL
 * when they cross as their bytes), into *name (valid until the system is freed). AKT_EINVAL
 * for NULL arguments or a bad type. */
AKT_API int akt_serializer_for(akt_system *system, const char *type, const char **name);

/* A new bytes message holding message's protobuf encoding, of type its descriptor's full
 * name. AKT_EINVAL for NULL; AKT_ENOMEM. */
AKT_API int akt_msg_new_protobuf(const struct ProtobufCMessage *message, akt_msg **out);

/* Unpacks msg, a message of descriptor's type, into *out (free it with
 * protobuf_c_message_free_unpacked(*out, NULL)). AKT_ETYPE if msg has another type name,
 * AKT_EINVAL if its bytes are not a valid message of descriptor (or an argument is NULL),
 * the code of akt_msg_bytes if it has no bytes. */
AKT_API int akt_msg_protobuf(akt_msg *msg, const struct ProtobufCMessageDescriptor *descriptor,
                             struct ProtobufCMessage **out);
/* serial end */

#ifdef __cplusplus
}
#endif
#endif
