/* akt telemetry: metrics of a system and of its actors.
 *
 * Every reading comes from counters the runtime keeps anyway: relaxed atomic counters on
 * each actor's cell and on the system, bumped on the paths that already do the work (a
 * tell adds one relaxed increment, a turn one clock pair for its first message), and read
 * here on demand. Nothing runs unless you read. Readings are snapshots: each value was
 * really held, but values read together were loaded one after another while actors ran.
 *
 * Three ways to read: one system (akt_metrics_system), one actor (akt_metrics_actor), every
 * live actor (akt_metrics_foreach); and akt_metrics_collect, which calls back once per data
 * point in OpenTelemetry's shape (instrument name, kind, unit, attributes, value), so a
 * binding can hand it to its OpenTelemetry SDK from one observable callback (a constant
 * number of callbacks, not one per actor, as GoAkt does).
 *
 * The instruments, named as GoAkt v4's (github.com/Tochemey/goakt/v4/telemetry) where GoAkt
 * has them; "akt" marks akt's own. Kind: C = counter (monotonic), G = gauge.
 *
 *   instrument                      kind unit  attributes  value
 *   actorsystem.actors.count        G    1     -           live actors (the guardian aside)
 *   actorsystem.deadletters.count   C    1     -           dead letters of the system
 *   actorsystem.uptime              G    s     -           seconds since creation
 *   actor.spawned.count             C    1     -           actors spawned
 *   actor.stopped.count             C    1     -           actors stopped
 *   actorsystem.restart.count       C    1     -           restarts of any actor (akt)
 *   actorsystem.failure.count       C    1     -           failures of any actor (akt)
 *   actorsystem.unhandled.count     C    1     -           unhandled messages (akt)
 *   actorsystem.grains.count        G    1     -           grain activations now
 *   actorsystem.peers.count         G    1     -           remote connections open now
 *   scheduler.scheduled.count       C    1     -           schedules made
 *   scheduler.cancelled.count       C    1     -           schedules cancelled
 *   actor.passivated.count          C    1     kind        actors passivated (below)
 *   actor.processed.count           C    1     per actor   messages that reached receive
 *   actor.restart.count             C    1     per actor   restarts of this incarnation
 *   actor.failure.count             C    1     per actor   failures (receive, pre_start)
 *   actor.unhandled.count           C    1     per actor   messages not handled
 *   actor.mailbox.size              G    1     per actor   messages waiting
 *   actor.stash.size                G    1     per actor   messages stashed
 *   actor.children.count            G    1     per actor   live children
 *   actor.last.received.duration    G    ms    per actor   last timed receive (see below)
 *   actor.uptime                    G    s     per actor   seconds since its spawn
 *   actor.deadletters.count         C    1     per actor   messages to it dead-lettered
 *   actor.reinstate.count           C    1     per actor   reinstates of this incarnation
 *
 * Per-actor attributes: actor.system (the system's name), actor.name (the actor's name),
 * actor.address (its path, "akt://sys/user/a/b") and actor.kind (akt_spawn_options.kind:
 * GoAkt's actor.kind, the Go type; the bindings give the actor's class name; a grain
 * activation, its grain kind's name). An actor without a kind has no actor.kind attribute
 * (absent, not ""), so the points of C code that gives no kinds keep three attributes.
 * Under the low-cardinality switch (akt_metrics_set_low_cardinality, GoAkt's
 * WithLowCardinalityMetrics), as GoAkt keeps only actor.kind, each per-actor instrument
 * gives one point per kind among the live actors, with the one attribute actor.kind, and
 * one point without attributes for the actors without a kind (also alone when no actor is
 * live): the sum over those actors (the maximum for actor.last.received.duration and
 * actor.uptime). actor.passivated.count has, whatever the switch, one point without
 * attributes for actors without a kind, then one point per kind the system has seen
 * (attribute actor.kind), in the order the kinds first appeared.
 *
 * actor.deadletters.count counts the dead letters addressed to the actor while its pid
 * was live (a bounded mailbox's drop, a stopping actor's mailbox, ...; GoAkt adds a
 * message.type attribute, akt does not). actorsystem.peers.count counts connections
 * whose handshake completed, inbound and outbound (two nodes that both dialled count two
 * each). Every count is a relaxed counter bumped where the event already happens (a
 * spawn, a passivation, a schedule, a connection, a dead letter): no message pays for them.
 *
 * Not yet: GoAkt's cluster, relocation and CRDT instruments (akt has no cluster), and the
 * message.type attribute of actor.deadletters.count.
 */
#ifndef AKT_TELEMETRY_H
#define AKT_TELEMETRY_H
#include <akt/akt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A system's readings. Size-first: set size to sizeof(akt_system_metrics); akt fills the
 * fields that fit in size (a later version's fields stay untouched). */
typedef struct akt_system_metrics {
    size_t size;             /* sizeof(akt_system_metrics), set by the caller */
    uint64_t actors_alive;   /* live actors, the guardian (/user) aside */
    uint64_t actors_spawned; /* since creation */
    uint64_t actors_stopped; /* since creation */
    uint64_t restarts;       /* restarts of any actor */
    uint64_t failures;       /* failures of any actor (receive or pre_start) */
    uint64_t dead_letters;   /* accepted messages that could not be delivered */
    uint64_t unhandled;      /* messages a receive did not handle */
    int64_t uptime_ns;       /* since akt_system_create */
    /* akt >= 0.4 (filled by size). PipeTo's pool (akt_system_options.pipe_threads): */
    uint64_t pipe_threads;         /* pipe threads alive now (running a task or idle) */
    uint64_t pipe_threads_retired; /* since creation: those that exited after the keepalive */
    /* akt >= 0.4, after pipe_threads_retired (filled by size): */
    uint64_t grains;     /* grain activations now (actorsystem.grains.count) */
    uint64_t peers;      /* remote connections open now, handshake done, either direction */
    uint64_t passivated; /* actors passivated since creation, of every kind */
    uint64_t scheduled;  /* schedules made since creation (once, every and cron) */
    uint64_t cancelled;  /* schedules ended by akt_schedule_cancel since creation */
} akt_system_metrics;

/* One actor's readings, of its current incarnation (a restart keeps them; a new spawn on
 * the same slot starts from zero). Size-first, filled by size as akt_system_metrics. */
typedef struct akt_actor_metrics {
    size_t size;           /* sizeof(akt_actor_metrics), set by the caller */
    akt_pid pid;           /* the actor these readings are of */
    uint64_t processed;    /* messages that reached receive (handled, unhandled or failed) */
    uint64_t restarts;     /* restarts by its supervisor */
    uint64_t failures;     /* receive or pre_start failures */
    uint64_t unhandled;    /* messages receive did not handle */
    uint64_t mailbox_size; /* messages waiting in its mailbox, the stash aside */
    uint64_t stash_size;   /* messages in its stash */
    uint64_t children;     /* live children */
    /* How long the last timed receive took: the first message of each turn is timed (two
     * clock reads a turn, not a message); for a binding's batch receive, the run's mean. */
    int64_t last_processing_ns;
    int64_t uptime_ns; /* since its spawn */
    /* akt >= 0.4, after uptime_ns (filled by size): */
    uint64_t dead_letters; /* messages to this incarnation that went to dead letters */
    uint64_t reinstates;   /* reinstates (akt_reinstate, a REINSTATE directive) */
    /* akt_spawn_options.kind: the system's copy, valid while the system lives; NULL when
     * the actor was spawned without a kind. A grain activation's kind is its grain kind's
     * name. */
    const char *kind;
} akt_actor_metrics;

/* Reads the system's metrics into *out (out->size set by the caller). AKT_EINVAL if system
 * or out is NULL or out->size < sizeof(size_t) + 8; works during and after shutdown, as long as
 * the handle is held (the counters stay). Any thread, lock-free. */
AKT_API int akt_metrics_system(akt_system *system, akt_system_metrics *out);

/* Reads the metrics of a live actor into *out (out->size set by the caller). AKT_EINVAL as
 * akt_metrics_system, AKT_ENOTFOUND if pid is not a live actor of system (a stale pid, a
 * remote pid, the guardian). Any thread; takes the system's structure lock for the
 * moment of the reading (the children links live under it). */
AKT_API int akt_metrics_actor(akt_system *system, akt_pid pid, akt_actor_metrics *out);

/* Called once per live actor by akt_metrics_foreach, on the caller's thread with no akt
 * lock held (it may call any akt function). m and path (its address) are borrowed for the
 * call. Return 0 to go on, anything else to stop the walk. */
typedef int (*akt_metrics_actor_fn)(const akt_actor_metrics *m, const char *path, void *data);

/* Calls cb for each actor live when the walk began, with its readings of that moment (all
 * taken in one pass under the structure lock, cb called after it), in the order of their
 * cells (the guardian aside). AKT_EINVAL if system or cb is NULL,
 * AKT_ENOMEM if the list of actors could not be taken (cb not called). 0 otherwise, also
 * when cb stopped the walk. */
AKT_API int akt_metrics_foreach(akt_system *system, akt_metrics_actor_fn cb, void *data);

/* OpenTelemetry-shaped export. */
enum akt_metric_kind {
    AKT_METRIC_COUNTER = 0, /* monotonic sum (an observable counter) */
    AKT_METRIC_GAUGE = 1    /* a value at the time of reading (an observable gauge) */
};

/* An attribute of a data point (OpenTelemetry's key/value): per-actor instruments carry
 * actor.system, actor.name, actor.address and, for an actor with a kind, actor.kind. */
typedef struct akt_metric_attr {
    const char *key;   /* the attribute's name, e.g. "actor.address" */
    const char *value; /* its value, as text */
} akt_metric_attr;

/* One data point. Every pointer is borrowed for the callback. */
typedef struct akt_metric_point {
    size_t size;                  /* sizeof(akt_metric_point) */
    const char *name;             /* the instrument, e.g. "actor.processed.count" */
    int kind;                     /* enum akt_metric_kind */
    const char *unit;             /* UCUM: "1", "s", "ms" */
    const char *description;      /* one line */
    const akt_metric_attr *attrs; /* nattrs attributes (NULL when nattrs is 0) */
    size_t nattrs; /* 0 for system instruments; 0 or 1 (actor.kind) under the switch */
    double value;  /* the reading: the sum so far (COUNTER) or the current value (GAUGE) */
} akt_metric_point;

/* Called once per data point by akt_metrics_collect, on the caller's thread with no akt
 * lock held. Return 0 to go on, anything else to stop. */
typedef int (*akt_metrics_collect_fn)(const akt_metric_point *p, void *data);

/* Calls cb for every data point of the table above: the system instruments first, then
 * actor.passivated.count's points, then each per-actor instrument for every live actor (one
 * point per kind under the low-cardinality switch). AKT_EINVAL if system or cb is NULL,
 * AKT_ENOMEM. */
AKT_API int akt_metrics_collect(akt_system *system, akt_metrics_collect_fn cb, void *data);

/* The low-cardinality switch (GoAkt's WithLowCardinalityMetrics): on (nonzero), per-actor
 * instruments are reported per kind (actor.kind only; no attribute for actors without a
 * kind), summed over actors. Off by default.
 * AKT_EINVAL if system is NULL. */
AKT_API int akt_metrics_set_low_cardinality(akt_system *system, int on);

/* tracing begin: W3C trace context (https://www.w3.org/TR/trace-context/) */
/* A trace context: what a "traceparent" header carries. Ids are bytes, big-endian as
 * written; an all-zero trace id or span id is invalid. */
typedef struct akt_trace_context {
    uint8_t trace_id[16]; /* the trace the message belongs to */
    uint8_t span_id[8];   /* the parent span: the sender's */
    uint8_t flags;        /* AKT_TRACE_SAMPLED and bits of later versions */
} akt_trace_context;

#define AKT_TRACE_SAMPLED 0x01 /* W3C sampled flag: the sender may have recorded the trace */
#define AKT_TRACEPARENT_LEN 55 /* "00-" 32 hex "-" 16 hex "-" 2 hex, without a NUL */

/* Parses a traceparent value of len bytes (not NUL-terminated), strictly: lowercase hex,
 * version 00 exactly AKT_TRACEPARENT_LEN bytes; a later version (01..fe) by version 00's
 * layout, longer only after a '-'; version ff, an all-zero trace or span id, upper case,
 * spaces or any other byte is AKT_EINVAL (*out then untouched). AKT_EINVAL also for a NULL
 * text (len > 0) or out. */
AKT_API int akt_traceparent_parse(const char *text, size_t len, akt_trace_context *out);

/* Writes ctx as a version 00 traceparent and a NUL into buf (cap >= AKT_TRACEPARENT_LEN + 1,
 * AKT_ERANGE otherwise). AKT_EINVAL for a NULL ctx or buf, or an all-zero id. */
AKT_API int akt_traceparent_format(const akt_trace_context *ctx, char *buf, size_t cap);

/* Spans. With a sink installed, every user message an actor handles (a tell, an ask, a
 * request; a remote pid's proxy aside) is a span: its parent is the message's
 * "traceparent" header (AKT_TRACEPARENT_HEADER) when that parses, else the span is the root
 * of a new trace (an invalid header is ignored and counted: akt_trace_invalid_count). Each
 * message first sent while the span runs (akt_ctx_tell, akt_ctx_ask, akt_ctx_respond, ...;
 * from any akt_* send on the handling thread) gets the span's traceparent header, before
 * the system's propagator runs; headers cross remoting, so a request through actors on
 * several connected systems is one trace. Off (no sink), each message costs one load and
 * a branch. */
#define AKT_TRACEPARENT_HEADER "traceparent"

/* A finished span, as the span sink gets it (borrowed for the call): one handled message. */
typedef struct akt_span {
    size_t size;              /* sizeof(akt_span) */
    const char *name;         /* "receive <message type>" */
    uint8_t trace_id[16];     /* its trace: the parent's, or a new one for a root span */
    uint8_t span_id[8];       /* this span's id, new for each handled message */
    uint8_t parent_id[8];     /* all zero: a root span */
    uint8_t flags;            /* the trace's flags (AKT_TRACE_SAMPLED) */
    int64_t start_ns;         /* CLOCK_REALTIME, ns since the Unix epoch */
    int64_t end_ns;           /* when receive returned, as start_ns */
    const char *actor_path;   /* as akt_pid_path: "akt://sys/user/a" */
    const char *message_type; /* akt_msg_type of the handled message */
    int status;               /* what receive returned: 0, or an AKT_E* code */
} akt_span;

/* Called on the handling actor's thread once its receive returned, with no akt lock held;
 * every pointer is borrowed for the call. It must not block; it may send (outside the
 * span: what it sends is not traced). */
typedef void (*akt_trace_sink_fn)(const akt_span *span, void *data);

/* Installs sink (data is passed to it; borrowed, to outlive the system or the next call),
 * replacing the one before; NULL switches tracing off. Any thread, any time: a message
 * handled concurrently with the switch is traced by the old sink or the new one. Each
 * call keeps a few bytes until the system is freed. AKT_EINVAL if system is NULL,
 * AKT_ENOMEM. */
AKT_API int akt_trace_set_sink(akt_system *system, akt_trace_sink_fn sink, void *data);

/* *count gets the number of invalid traceparent headers seen on handled messages since the
 * system was created (0 before any sink). AKT_EINVAL if system or count is NULL. */
AKT_API int akt_trace_invalid_count(akt_system *system, uint64_t *count);
/* tracing end */

/* otlp begin: export over OTLP/HTTP with protobuf (https://opentelemetry.io/docs/specs/otlp/) */
/* An exporter sends a system's spans and metrics to an OpenTelemetry collector: spans as
 * ExportTraceServiceRequest to <endpoint>/v1/traces, metrics (the akt_metrics_collect
 * points, plus the exporter's own akt.otlp.* counters) as ExportMetricsServiceRequest to
 * <endpoint>/v1/metrics, "Content-Type: application/x-protobuf", from a thread of its own.
 *
 * Off the hot path: the exporter installs the system's trace sink (akt_trace_set_sink; a
 * later call replaces it), which copies each span into a bounded queue and returns. When the
 * queue is full the span is dropped and counted, never waited for. The thread sends a
 * batch when batch_size spans wait or flush_interval_ms passed, and a metric reading every
 * flush_interval_ms. A request that fails (no connection, timeout_ms passed, HTTP 429, 502,
 * 503, 504) is tried again up to max_retries times, 100 ms doubling (1 s at most) apart; any
 * other answer than 2xx, or the last failure, drops the batch (counted). While it waits on
 * a slow collector the queue fills and spans are dropped: memory stays bounded.
 *
 * One exporter per system, a part of it: it stops when the system shuts down (once its
 * actors are gone), after one last attempt (no retries) at what is queued and one last
 * metric reading. Its stats stay readable until the system is freed. */
#define AKT_OTLP_TRACES 0x1
#define AKT_OTLP_METRICS 0x2 /* akt_otlp_options.signals: export metric readings */

/* Options of akt_otlp_start; akt_otlp_options_init sets the defaults. */
typedef struct akt_otlp_options {
    size_t size;          /* sizeof(akt_otlp_options) */
    const char *endpoint; /* base URL, "http://127.0.0.1:4318" (http:// or https://); required */
    const char *const *headers; /* nheaders "Name: value" lines sent with each request */
    size_t nheaders;            /* entries of headers; 0: none */
    const char *service_name;   /* the resource's service.name; NULL: "akt" */
    unsigned signals;           /* AKT_OTLP_TRACES | AKT_OTLP_METRICS (the default: both) */
    uint32_t batch_size;        /* spans per request: 1..65536, default 512 */
    uint32_t queue_capacity;    /* spans waiting at most: batch_size..1048576, default 2048 */
    int64_t flush_interval_ms;  /* 10..3600000, default 1000 */
    int64_t timeout_ms;         /* per request: 1..600000, default 5000 */
    uint32_t max_retries;       /* 0..10, default 2 */
} akt_otlp_options;

/* Sets *o to the defaults (endpoint NULL, to be set). */
AKT_API void akt_otlp_options_init(akt_otlp_options *o);

/* Starts the exporter of system with *o (copied, headers too). AKT_EINVAL for a NULL system
 * or o, a bad size, a NULL or non-http(s) endpoint, a header without ':' or with a CR/LF, a
 * value out of its range; AKT_EEXIST if the system has an exporter; AKT_ECLOSED if it is
 * shutting down; AKT_ENOMEM. The collector need not be up: nothing is sent before the
 * first batch or reading. */
AKT_API int akt_otlp_start(akt_system *system, const akt_otlp_options *o);

/* Asks the exporter to send what is queued and a metric reading now, and waits until it has
 * tried (with its retries) or timeout_ms passed. 0 if every request of that round was
 * accepted, AKT_EUNREACHABLE if one failed (the stats tell which), AKT_ETIMEDOUT,
 * AKT_ENOTFOUND if the system has no exporter, AKT_ECLOSED once it stopped, AKT_EINVAL for a
 * NULL system or a negative timeout. Not from an actor's turn of that system: it blocks. */
AKT_API int akt_otlp_flush(akt_system *system, int64_t timeout_ms);

/* What the exporter did, since it started. Size-first as akt_system_metrics. */
typedef struct akt_otlp_stats {
    size_t size;                 /* sizeof(akt_otlp_stats), set by the caller */
    uint64_t spans_queued;       /* spans taken into the queue */
    uint64_t spans_exported;     /* spans of accepted requests */
    uint64_t spans_dropped;      /* queue full, or their request failed for good */
    uint64_t spans_dropped_full; /* of spans_dropped: the queue was full */
    uint64_t points_exported;    /* metric data points of accepted requests */
    uint64_t points_dropped;     /* metric data points of requests that failed for good */
    uint64_t requests;           /* attempts made (a retry is one more) */
    uint64_t requests_failed;    /* attempts that failed (transport error or non-2xx) */
    uint64_t retries;            /* attempts that were retries */
    uint64_t queue_size;         /* spans waiting now */
    int last_http_status;        /* of the last attempt: 0 if no answer came */
} akt_otlp_stats;

/* Reads the exporter's stats into *out. AKT_EINVAL for a NULL argument or a size below
 * sizeof(size_t) + 8, AKT_ENOTFOUND if the system has no exporter. Any thread. */
AKT_API int akt_otlp_stats_read(akt_system *system, akt_otlp_stats *out);
/* otlp end */

#ifdef __cplusplus
}
#endif
#endif
