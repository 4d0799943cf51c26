/* akt/stream.h -- reactive streams with demand-based backpressure (akt >= 0.4).
 *
 * A stream is a graph of stages described with a builder (akt_stream_graph) and run on a
 * system (akt_stream_run), which gives a handle (akt_stream) to wait for, drain, cancel,
 * read results and per-stage metrics from. Elements are akt messages: a binding's values
 * flow through unchanged (same-runtime objects pass by reference).
 *
 * The shape is linear: one source, any number of flows, one sink, added in that order; a
 * source may be a fan-in of several sub-graphs and a sink a fan-out to several (see the
 * junctions below), which nest.
 *
 * Running: every stage runs in an actor, or adjacent stateless stages (map, filter,
 * flat_map) share the actor of the stage before them (fusion: on by default). Backpressure
 * is demand-based: each actor grants its upstream credits (Request(n)) for at most its
 * window of elements (akt_stream_graph_set_buffer, default 16) and upstream sends no more
 * than it was granted, so a slow sink holds a fast source back and the elements in flight
 * stay bounded by about (actors x window). A buffer stage may instead drop (see there).
 *
 * Callbacks (map, filter, ... functions) run on the actor of their stage: one at a time
 * per stage, on an akt worker thread; they must not block for long. A callback returns 0,
 * or a negative AKT_E* code: a failure of that element, handled by the stage's error
 * strategy (akt_stream_stage_on_error): fail the stream (the default), resume (drop the
 * element, counted in errors and drops), or retry the call up to a budget, then fail.
 * A callback that returns 0 but no element where one is required, or an element whose
 * type starts with "akt.stream." (reserved for the protocol), fails the same way with
 * AKT_EINVAL / AKT_ETYPE.
 *
 * Messages handed to a callback as `in` are borrowed for the call (retain to keep). An
 * element a callback returns through an out-parameter or emits is a new reference that
 * akt takes. */
#ifndef AKT_STREAM_H
#define AKT_STREAM_H

#include <akt/akt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A stream's description, built stage by stage (akt_stream_graph_new, then the stage
 * functions below), run any number of times. Owned by its builder; not thread-safe. */
typedef struct akt_stream_graph akt_stream_graph;
/* A running (or ended) stream: the handle akt_stream_run gives, thread-safe, released with
 * akt_stream_release. */
typedef struct akt_stream akt_stream;

/* ---- callback types --------------------------------------------------------------- */

/* map: *out = a new element made from in. */
typedef int (*akt_stream_map_fn)(akt_msg *in, akt_msg **out, void *data);
/* filter: *keep = nonzero to pass in downstream. */
typedef int (*akt_stream_filter_fn)(akt_msg *in, int *keep, void *data);
/* flat_map (concat): emits 0..n elements for in, in order, through emit(emit_ctx, m) (which
 * takes m, also when it fails: AKT_ENOMEM). On a failure of the callback, what it emitted
 * is discarded (a retry starts over). */
typedef int (*akt_stream_emit_fn)(void *emit_ctx, akt_msg *m);
/* The flat_map callback: emits the elements made from in (borrowed) with emit(emit_ctx, m),
 * as above; returns 0 or an AKT_E* code. */
typedef int (*akt_stream_flat_map_fn)(akt_msg *in, akt_stream_emit_fn emit, void *emit_ctx,
                                      void *data);
/* scan and fold: *out = the next accumulator from acc (borrowed) and in. */
typedef int (*akt_stream_fold_fn)(akt_msg *acc, akt_msg *in, akt_msg **out, void *data);
/* unfold source: *out = the next element, or NULL to end the stream. */
typedef int (*akt_stream_unfold_fn)(void *data, akt_msg **out);
/* for_each sink. */
typedef int (*akt_stream_each_fn)(akt_msg *in, void *data);
/* zip and batch: *out = one element made from the n elements in[0..n-1] (borrowed). */
typedef int (*akt_stream_zip_fn)(akt_msg *const *in, size_t n, akt_msg **out, void *data);

/* ---- building a graph ------------------------------------------------------------- */

/* A new, empty graph: fusion on, window 16. Free it with akt_stream_graph_free. A graph is
 * a reusable description: each akt_stream_run makes an independent stream from it, and it
 * may be freed (or changed) once the runs started. Not thread-safe: build on one thread. */
AKT_API int akt_stream_graph_new(akt_stream_graph **out);
AKT_API int akt_stream_graph_free(akt_stream_graph *graph);
/* The credit window of every actor: 1..65536 elements (AKT_EINVAL otherwise). */
AKT_API int akt_stream_graph_set_buffer(akt_stream_graph *graph, size_t window);
/* Fusion of stateless stages into the actor before them: on (1, the default) or off (0).
 * Results are the same; off runs one actor per stage. */
AKT_API int akt_stream_graph_set_fusion(akt_stream_graph *graph, int on);

/* The dispatcher the stream's actors run on (borrowed: it must outlive every stream run
 * from the graph); NULL, the default, is the system's workers. A binding whose callbacks
 * must run on its own thread names its external dispatcher: the stage callbacks then run
 * inside its akt_dispatcher_run. It must belong to the system the stream runs on
 * (akt_stream_run: AKT_EINVAL otherwise). */
AKT_API int akt_stream_graph_set_dispatcher(akt_stream_graph *graph, akt_dispatcher *dispatcher);

/* Optional ownership of the stages' data, for bindings whose data are objects of their
 * runtime. Set before any stage is added (AKT_EMISUSE after); both functions, or both NULL
 * (AKT_EINVAL for one of them). With hooks set, a stage added with non-NULL data takes one
 * reference to it on success (the caller's, released with release(data) when the graph is
 * freed; on failure the caller keeps it); each stream run from the graph retains every
 * stage's data at akt_stream_run and releases it when the stream's last actor is gone, on
 * whichever akt thread that is. */
typedef void (*akt_stream_data_fn)(void *data);
/* Sets the hooks above (retain and release, both or neither). AKT_EINVAL for a NULL graph
 * or only one hook, AKT_EMISUSE once a stage was added. */
AKT_API int akt_stream_graph_set_data_hooks(akt_stream_graph *graph, akt_stream_data_fn retain,
                                            akt_stream_data_fn release);

/* Adding stages. Order: one source first, then flows, then one sink; anything else is
 * AKT_EMISUSE (a second source, a flow before the source or after the sink, ...). Function
 * pointers are required (AKT_EINVAL); data is borrowed and passed to every call: it must
 * outlive every stream run from the graph. */

/* Source: the n messages of values, in order (each retained by the graph; n may be 0). */
AKT_API int akt_stream_source_values(akt_stream_graph *graph, akt_msg *const *values, size_t n);
/* Source: AKT_TYPE_INT64 elements start, start+step, ... up to end, excluded (half-open,
 * like Python's range). step != 0 (AKT_EINVAL). */
AKT_API int akt_stream_source_range(akt_stream_graph *graph, int64_t start, int64_t end,
                                    int64_t step);
/* Source: fn is called for each element on demand until it gives NULL. */
AKT_API int akt_stream_source_unfold(akt_stream_graph *graph, akt_stream_unfold_fn fn, void *data);
/* Source: tick (retained; the same message each time) every interval_ns (1 ms .. 1 hour),
 * the first initial_delay_ns (0 .. 1 hour) after the stream started, on the system's timer
 * (akt_schedule_every: no drift, no thread of its own). A tick that comes while downstream
 * has no credit is dropped (counted in the source's drops): a slow consumer gets fewer
 * ticks, never a backlog. It never ends by itself: drain, cancel, or a first sink. */
AKT_API int akt_stream_source_tick(akt_stream_graph *graph, int64_t initial_delay_ns,
                                   int64_t interval_ns, akt_msg *tick);

/* map: each element in becomes fn's *out (one out per in). */
AKT_API int akt_stream_map(akt_stream_graph *graph, akt_stream_map_fn fn, void *data);
/* filter: passes the elements for which fn sets *keep nonzero, drops the others. */
AKT_API int akt_stream_filter(akt_stream_graph *graph, akt_stream_filter_fn fn, void *data);
/* flat_map: each element becomes the 0..n elements fn emits, in order. */
AKT_API int akt_stream_flat_map(akt_stream_graph *graph, akt_stream_flat_map_fn fn, void *data);
/* scan: emits each new accumulator, starting from seed (retained; seed itself is not
 * emitted). */
AKT_API int akt_stream_scan(akt_stream_graph *graph, akt_msg *seed, akt_stream_fold_fn fn,
                            void *data);
/* dedup: drops an element equal to the one before it (same type and same bytes; an object
 * element without bytes fails with the code of akt_msg_bytes). */
AKT_API int akt_stream_dedup(akt_stream_graph *graph);

/* buffer: an actor holding up to n (1..1048576) elements, and what it does when full:
 *   AKT_STREAM_BACKPRESSURE  grant upstream no more credit (nothing is lost)
 *   AKT_STREAM_DROP_HEAD     keep asking upstream; drop the oldest buffered element
 *   AKT_STREAM_DROP_TAIL     keep asking upstream; drop the element arriving
 *   AKT_STREAM_FAIL          keep asking upstream; fail the stream with AKT_EFULL
 * Drops are counted in the buffer stage's metrics. */
enum akt_stream_overflow {
    AKT_STREAM_BACKPRESSURE = 0,
    AKT_STREAM_DROP_HEAD = 1,
    AKT_STREAM_DROP_TAIL = 2,
    AKT_STREAM_FAIL = 3
};
/* Adds a buffer of n elements with overflow (enum akt_stream_overflow, above). AKT_EINVAL
 * for n out of 1..1048576 or an unknown overflow. */
AKT_API int akt_stream_buffer(akt_stream_graph *graph, size_t n, int overflow);

/* throttle: at most n (>= 1) elements leave the stage per interval of per_ns (1 ms ..
 * 1 hour); it holds the rest (its actor's window) and so slows upstream down: nothing is
 * dropped. The budget is renewed at the start of each interval, counted from the stream's
 * start on the monotonic clock. */
AKT_API int akt_stream_throttle(akt_stream_graph *graph, uint32_t n, int64_t per_ns);

/* batch: up to n (1..65536) elements at a time, combined by fn into one element (in[0..k)
 * borrowed, in arrival order; fn has zip's shape): a batch leaves when it has n elements, when
 * max_wait_ns (1 ms .. 1 hour) passed since its first one came (on the system's timer), or
 * when upstream completed (the last, partial one). It fills only while downstream has
 * credit, so it holds at most n elements beyond its window. fn runs under the stage's error
 * strategy (resume drops the whole batch). */
AKT_API int akt_stream_batch(akt_stream_graph *graph, size_t n, int64_t max_wait_ns,
                             akt_stream_zip_fn fn, void *data);

/* Sinks. for_each calls fn for each element; collect keeps every element (results, in
 * order); fold keeps one result, the last accumulator (seed if the stream was empty); first
 * keeps the first element (no result for an empty stream) and completes the stream when it
 * arrives; ignore consumes and discards. */
AKT_API int akt_stream_sink_for_each(akt_stream_graph *graph, akt_stream_each_fn fn, void *data);
/* collect: every element becomes a result, in order. */
AKT_API int akt_stream_sink_collect(akt_stream_graph *graph);
/* fold: fn folds each element into the accumulator, from seed (retained; AKT_EINVAL for
 * NULL); the last accumulator is the one result. */
AKT_API int akt_stream_sink_fold(akt_stream_graph *graph, akt_msg *seed, akt_stream_fold_fn fn,
                                 void *data);
/* first: the first element is the result; its arrival completes the stream (0). */
AKT_API int akt_stream_sink_first(akt_stream_graph *graph);
/* ignore: consumes every element and keeps none (a stream run for its effects). */
AKT_API int akt_stream_sink_ignore(akt_stream_graph *graph);

/* Options of the stage added last (AKT_EMISUSE if there is none). */
/* Its name in metrics and failure reasons (copied, 1..31 bytes); the default is the kind
 * ("map", "range", ...). */
AKT_API int akt_stream_stage_name(akt_stream_graph *graph, const char *name);
/* Its error strategy; retries is the budget of AKT_STREAM_RETRY (1..1000), 0 otherwise. */
enum akt_stream_on_error {
    AKT_STREAM_ON_ERROR_FAIL = 0,
    AKT_STREAM_ON_ERROR_RESUME = 1,
    AKT_STREAM_ON_ERROR_RETRY = 2
};
/* Sets the stage's strategy (enum akt_stream_on_error). AKT_EINVAL for an unknown
 * strategy, a retries out of range or retries without RETRY; AKT_EMISUSE with no stage. */
AKT_API int akt_stream_stage_on_error(akt_stream_graph *graph, int strategy, unsigned retries);

/* ---- fan-in and fan-out junctions -------------------------------------------------- *
 *
 * A junction connects sub-graphs to the graph it is added to. Each sub-graph is copied when
 * the junction is added (the caller may free it at once) and runs as its own actors, with
 * its own window and fusion, on the dispatcher of the stream it belongs to. 1..64
 * sub-graphs (AKT_EINVAL otherwise).
 *
 * Fan-in: a source made of n inputs, each a graph with a source and flows but no sink
 * (AKT_EINVAL otherwise). The junction grants each input credit for at most the window of
 * its own stream (half-window batches, as between any two actors), so a slow consumer holds
 * every input back.
 *   merge   elements in arrival order, taking from the inputs that have one in turn;
 *           completes when every input completed.
 *   concat  every element of input 0, then of input 1, ...; only the input being read is
 *           granted credit (the others wait, unstarted); completes after the last.
 *   zip     one element of each input, combined by fn into one element; completes as soon
 *           as an input completed and has nothing left (the other inputs' extra elements
 *           are discarded). fn runs under the junction's error strategy.
 * A failure of an input fails the stream with the input's code and reason "input <k>:
 * <the input's reason>". Drain stops the junction: it takes no more from its inputs.
 *
 * Fan-out: a sink made of n branches, each a graph made with akt_stream_graph_new_branch
 * (flows, then a sink; AKT_EINVAL otherwise). The junction sends an element only to a
 * branch that granted credit:
 *   broadcast  every element to every branch, once each of them has credit: the slowest
 *              branch paces the source.
 *   balance    each element to one branch that has credit, taking them in turn.
 *   partition  each element to branch fn(element) (0..n-1; another index fails the stream
 *              with AKT_EINVAL), waiting for that branch's credit; fn runs under the
 *              junction's error strategy.
 * When upstream completes, every branch is told so; the stream completes (0) when every
 * branch completed. A branch that completes early (a first sink) no longer receives:
 * broadcast goes on with the others, and partition drops (counted) what is meant for it.
 * A failing branch fails the stream with its code and reason "branch <k>: <reason>".
 * Results: the branches' results one after the other, in branch order;
 * akt_stream_branch_results gives where branch k's are. */

/* partition: *branch = the index of the branch in goes to. */
typedef int (*akt_stream_partition_fn)(akt_msg *in, size_t *branch, void *data);

/* Source: the merge of the n graphs of inputs (copied), as described above. */
AKT_API int akt_stream_source_merge(akt_stream_graph *graph, akt_stream_graph *const *inputs,
                                    size_t n);
/* Source: the concatenation of the n graphs of inputs (copied), input 0 first. */
AKT_API int akt_stream_source_concat(akt_stream_graph *graph, akt_stream_graph *const *inputs,
                                     size_t n);
/* Source: the n graphs of inputs (copied) zipped, one element of each combined by fn. */
AKT_API int akt_stream_source_zip(akt_stream_graph *graph, akt_stream_graph *const *inputs,
                                  size_t n, akt_stream_zip_fn fn, void *data);

/* A new, empty branch graph: its stages are flows, then one sink (a source is AKT_EMISUSE);
 * it cannot be run on its own (akt_stream_run: AKT_EINVAL), only given to a fan-out. */
AKT_API int akt_stream_graph_new_branch(akt_stream_graph **out);
/* Sink: every element to each of the n branches (copied), as described above. */
AKT_API int akt_stream_sink_broadcast(akt_stream_graph *graph, akt_stream_graph *const *branches,
                                      size_t n);
/* Sink: each element to one of the n branches (copied) that has credit, in turn. */
AKT_API int akt_stream_sink_balance(akt_stream_graph *graph, akt_stream_graph *const *branches,
                                    size_t n);
/* Sink: each element to the branch (of the n, copied) whose index fn gives. */
AKT_API int akt_stream_sink_partition(akt_stream_graph *graph, akt_stream_graph *const *branches,
                                      size_t n, akt_stream_partition_fn fn, void *data);

/* ---- running ---------------------------------------------------------------------- */

/* Starts a stream from graph (a source and a sink are required: AKT_EINVAL otherwise) on
 * system's workers. *out is the handle, released with akt_stream_release. AKT_ECLOSED
 * during shutdown. */
AKT_API int akt_stream_run(akt_system *system, const akt_stream_graph *graph, akt_stream **out);

/* Waits up to timeout_ns (< 0: no limit) for the stream to end. Returns AKT_ETIMEDOUT if it
 * did not, else how it ended: 0 (completed, drained, or first found its element),
 * AKT_ECANCELED (akt_stream_cancel), a stage's failure code (see akt_stream_reason), or
 * AKT_ESTOPPED when one of its actors was stopped from outside (its system shut down). */
AKT_API int akt_stream_wait(akt_stream *stream, int64_t timeout_ns);
/* Calls cb(stream, rc, data) exactly once, with the code akt_stream_wait would return, when
 * the stream ends: on the thread that ends it (an akt thread, or the caller of
 * akt_stream_cancel / akt_stream_release), or at once on the calling thread if it already
 * ended. cb may call any akt_stream_* function on stream except akt_stream_release; the
 * handle stays valid until released. One callback per stream: AKT_EBUSY for a second. */
typedef void (*akt_stream_done_fn)(akt_stream *stream, int rc, void *data);
AKT_API int akt_stream_on_complete(akt_stream *stream, akt_stream_done_fn cb, void *data);
/* Why it failed ("stage 2 (map): <akt_strerror>"), "" while running or when it completed.
 * Valid while the handle is. */
AKT_API int akt_stream_reason(akt_stream *stream, const char **reason);
/* Aborts: the stream ends now with AKT_ECANCELED; buffered elements are released. */
AKT_API int akt_stream_cancel(akt_stream *stream);
/* Stops the source; the elements already emitted go on to the sink, then the stream
 * completes (0). No effect once the stream ended. */
AKT_API int akt_stream_drain(akt_stream *stream);

/* The sink's results once the stream ended (AKT_EAGAIN before): collect's elements, fold's
 * accumulator, first's element; none for the others. *msg is borrowed from the handle. */
AKT_API int akt_stream_result_count(akt_stream *stream, size_t *n);
/* The result at index (0..akt_stream_result_count - 1; AKT_EINVAL beyond), borrowed. */
AKT_API int akt_stream_result_at(akt_stream *stream, size_t index, akt_msg **msg);

/* Where the results of branch k of the stream's fan-out sink are: results [*first, *first +
 * *n). AKT_EAGAIN before the stream ended; AKT_EINVAL if the sink is not a fan-out (or k is
 * out of range). A branch that is itself a fan-out has its branches' results flattened. */
AKT_API int akt_stream_branch_results(akt_stream *stream, size_t k, size_t *first, size_t *n);

/* Per-stage metrics, readable at any time (relaxed counters: a consistent view only once
 * the stream ended). Stages are numbered in the order they were added, the source 0. */
typedef struct akt_stream_stage_metrics {
    size_t size;      /* sizeof(akt_stream_stage_metrics), set by the caller */
    const char *name; /* the stage's name; valid while the handle is */
    uint64_t in;      /* elements it received (a source: 0) */
    uint64_t out;     /* elements it passed downstream (a sink: 0) */
    uint64_t drops;   /* elements dropped: resume after an error, buffer overflow */
    uint64_t errors;  /* failed callback calls (each retry counts) */
    uint32_t actor;   /* the index of the actor that runs it (fusion shares them) */
} akt_stream_stage_metrics;
/* The number of stages, the valid stage indexes of akt_stream_metrics being 0..n-1. */
AKT_API int akt_stream_stage_count(akt_stream *stream, size_t *n);
/* Fills *out (out->size set by the caller) with the counters of stage. AKT_EINVAL for a
 * NULL argument, a size below sizeof(akt_stream_stage_metrics) or a stage out of range. */
AKT_API int akt_stream_metrics(akt_stream *stream, size_t stage, akt_stream_stage_metrics *out);
/* How many actors run the stream's stages. */
AKT_API int akt_stream_actor_count(akt_stream *stream, size_t *n);

/* Releases the handle; a stream still running is canceled first. */
AKT_API int akt_stream_release(akt_stream *stream);

/* streams3 begin: actor sources and sinks, parallel map */

/* ---- an actor as source or sink ---------------------------------------------------- */

/* Source: a bounded queue that actors (or any thread) push elements into with
 * akt_stream_offer. At most capacity (1..65536) elements are accepted and not yet sent
 * downstream (they wait in the source's mailbox or ring); an offer beyond that is refused
 * with AKT_EFULL, so a producer faster than the stream is told to wait, never queued without
 * bound. akt_stream_drain closes the queue: later offers get AKT_ESTOPPED, the elements
 * accepted before go on to the sink, then the stream completes (0). */
AKT_API int akt_stream_source_queue(akt_stream_graph *graph, size_t capacity);
/* Offers msg to the stream's queue source; takes msg on success (0). AKT_EFULL: the queue
 * is full (msg is not taken: offer it again later); AKT_ESTOPPED: the queue was drained or
 * the stream ended; AKT_EINVAL: NULL, a reserved type, or the stream's source is not a
 * queue. Thread-safe; callable from inside an actor's receive (it never blocks). */
AKT_API int akt_stream_offer(akt_stream *stream, akt_msg *msg);
/* How many elements the queue holds (accepted, not yet sent downstream): a snapshot. */
AKT_API int akt_stream_queued(akt_stream *stream, size_t *n);

/* Sink: tells each element to target (an actor of the stream's system), with the sink's
 * actor as the sender; the actor acknowledges each element by responding to it
 * (akt_ctx_respond, any message) and each acknowledgement is the demand for one more: at
 * most in_flight (1..65536) elements are unacknowledged at any time, so a slow actor holds
 * the stream back. When upstream completed and every element was acknowledged, on_complete
 * (if not NULL; retained, the same message each run) is told to target and the stream
 * completes (0). The sink watches target: when it stops the stream fails with
 * AKT_ESTOPPED. No results. */
AKT_API int akt_stream_sink_actor(akt_stream_graph *graph, akt_pid target, size_t in_flight,
                                  akt_msg *on_complete);

/* streamref begin: stream references across nodes */
/* ---- streams across nodes ------------------------------------------------------------- *
 * A stream runs on one node; its ends may be actors of another, reached through remoting
 * (akt/remote.h), with the stream's backpressure carried over the wire.
 *
 * Sink reference: akt_stream_sink_actor with a remote pid as target (akt_remote_lookup).
 * Each element is told across the wire and each acknowledgement crosses back, so at most
 * in_flight elements are unacknowledged, told or not yet answered, whatever the wire holds;
 * the elements arrive once each, in order (remoting keeps each sender -> receiver order).
 * The target's stop, or the loss of its node (the watch's Terminated), fails the stream
 * with AKT_ESTOPPED and reason "stage <i> (actor): the target actor stopped (<address>)".
 * A tell the remoting refuses for flow control (AKT_EFULL: the node's send window or send
 * buffer is full) is tried again, after a short pause, not failed; any other refusal fails
 * the stream.
 *
 * Source reference: akt_stream_source_actor. The stream's source is an actor whose pid
 * (akt_stream_source_pid; its address for another node: akt_stream_source_address) takes
 * elements as messages, ideally asks: each element is answered with AKT_STREAM_ACK (an
 * empty bytes message) once it is accepted into the source's buffer of capacity elements.
 * An element that finds the buffer full waits, unanswered, in the source actor's stash
 * until the stream's demand made room, so a producer that keeps at most k asks in flight
 * is paced by the stream, and the stream holds at most capacity + (what the producers have
 * in flight). Elements are accepted in the order they arrived. The message AKT_STREAM_END
 * (any payload; told or asked, answered with AKT_STREAM_ACK) ends the source: the elements
 * that came before it go on to the sink, then the stream completes (0); an element that
 * comes after it is answered with AKT_STREAM_CLOSED and dropped. akt_stream_drain ends the
 * source as AKT_STREAM_END does. The first actor that sends an element (the producer) is
 * watched: if it stops, or its node is lost, and no AKT_STREAM_END came 200 ms after (across
 * nodes a stop is not ordered with the messages sent before it), the stream fails with
 * AKT_ESTOPPED, reason "stage 0 (actor): the producer stopped before the end". A producer
 * that is itself a stream uses an actor sink
 * whose target is the source's pid and whose on_complete is an AKT_STREAM_END message: the
 * sink counts each AKT_STREAM_ACK as the acknowledgement of one element.
 *
 * Elements that cross to another node must be serializable: bytes messages, scalars, or a
 * type bound to a serializer (akt_serializer_bind). A binding's same-process objects (passed
 * by reference) have no bytes: the remoting refuses them (a dead letter on the sending
 * node) and the stream fails or waits as above. Element types must not start with
 * "akt.stream." (AKT_STREAM_END excepted as the end of a source reference). */
#define AKT_STREAM_ACK "akt.stream.Ack"       /* the answer to an accepted element */
#define AKT_STREAM_END "akt.stream.End"       /* ends a source reference */
#define AKT_STREAM_CLOSED "akt.stream.Closed" /* the answer to an element after the end */

/* Source: an actor that takes elements from any node, as described above: at most capacity
 * (1..65536) accepted and not yet sent downstream. AKT_EINVAL for a NULL graph or a capacity
 * out of range; AKT_EMISUSE if the graph already has a source. */
AKT_API int akt_stream_source_actor(akt_stream_graph *graph, size_t capacity);
/* The pid of the stream's actor source (akt_stream_source_actor), valid until the stream
 * ends. AKT_EINVAL for NULL arguments or a stream whose source is another kind. */
AKT_API int akt_stream_source_pid(akt_stream *stream, akt_pid *out);
/* The remote address of the stream's actor source, "akt://<system>@<host>:<port>/user/<name>"
 * (for akt_remote_lookup on another node), NUL-terminated, into buf; *needed (may be NULL)
 * gets its length without the NUL. AKT_ERANGE if cap is too small, AKT_ENOTFOUND if the
 * system has no remoting (akt_remote_start) or the stream ended, AKT_EINVAL as
 * akt_stream_source_pid. */
AKT_API int akt_stream_source_address(akt_stream *stream, char *buf, size_t cap, size_t *needed);
/* streamref end */

/* ---- parallel map -------------------------------------------------------------------- */

/* map_async: fn starts the work for in and hands its result later, from any thread, with
 * akt_stream_async_complete(pending, rc, out). At most parallelism (1..4096) calls are
 * pending at once; ordered (1) emits the results in the order of their inputs, unordered
 * (0) as they complete. fn returns 0 once it took pending (it must then complete it exactly
 * once), or a negative code (pending is not taken and must not be completed). A failure,
 * from fn or completed with rc < 0 or without an element, is handled by the stage's error
 * strategy (retry calls fn again on the same element with a new pending). in is borrowed for
 * the call: retain it to keep it. A pending completed after the stream ended releases out. */
typedef struct akt_stream_async akt_stream_async;
/* Starts the work for one element of akt_stream_map_async: in (borrowed), the pending
 * completion to hand to akt_stream_async_complete exactly once, and the stage's data.
 * Returns 0 once it took pending, or a negative code (pending not taken). Runs on the
 * stage's actor: it must not block. */
typedef int (*akt_stream_async_fn)(akt_msg *in, akt_stream_async *pending, void *data);
/* Appends a parallel map stage (above) to graph: fn and data, at most parallelism calls
 * pending, ordered 1 or 0. AKT_EINVAL for a NULL graph or fn, or parallelism outside
 * 1..4096, or ordered other than 0 and 1; AKT_ENOMEM. */
AKT_API int akt_stream_map_async(akt_stream_graph *graph, size_t parallelism, int ordered,
                                 akt_stream_async_fn fn, void *data);
/* Completes pending: rc 0 with out (taken), or rc < 0 (out NULL): a failure of the element.
 * Takes out also when it returns an error. AKT_EINVAL for NULL pending or rc 0 without out
 * (pending is then completed as failed with AKT_EINVAL). Exactly once per pending. */
AKT_API int akt_stream_async_complete(akt_stream_async *pending, int rc, akt_msg *out);

/* ---- flatMap merge ---------------------------------------------------------------- */

/* flat_map_merge: *out = a new graph (a source and flows, no sink: AKT_EINVAL otherwise)
 * whose elements in stands for; akt takes it (it frees it, also when the callback fails or
 * the graph is refused). Returns 0, or an AKT_E* code (a failure of the element). */
typedef int (*akt_stream_flat_merge_fn)(akt_msg *in, akt_stream_graph **out, void *data);
/* Appends a flatMap merge stage: fn makes an inner source for each element, and up to
 * breadth (1..4096) inner sources run at once, as sub-streams of their own (their own
 * window and fusion, the stream's dispatcher), their elements passed on as they come (the
 * order between inners is not kept; within one inner it is). Each inner is granted credit
 * for at most its window and the stage takes a new element from upstream only when fewer
 * than breadth inners run, so a slow downstream holds back the inners and upstream, and
 * what the stage holds stays below breadth x (inner window) + its own window. It completes
 * once upstream completed and every inner did. Errors, under the stage's strategy: fn
 * failing (or giving no graph or a refused one) is retried, resumed (the element dropped)
 * or fails the stream; an inner that fails fails the stream ("stage <i> (<name>): inner:
 * <its reason>", its code) under FAIL and RETRY (an inner is not run again: its elements
 * would repeat), and under RESUME is dropped (what it sent before stays sent; counted in
 * errors and drops). AKT_EINVAL for a NULL graph or fn or a breadth out of range. */
AKT_API int akt_stream_flat_map_merge(akt_stream_graph *graph, size_t breadth,
                                      akt_stream_flat_merge_fn fn, void *data);

/* ---- room in a queue source ---------------------------------------------------------- */

/* Called once by akt_stream_on_room: rc 0 when the queue has room for an offer, or
 * AKT_ESTOPPED when it will take no more (drained, or the stream ended). */
typedef void (*akt_stream_room_fn)(akt_stream *stream, int rc, void *data);
/* Asks to be told when the stream's queue source has room again (the non-blocking
 * akt_stream_offer refused with AKT_EFULL): cb(stream, 0, data) is called once, on the
 * thread of the stream's source actor as soon as it passed an element on, or at once on the
 * calling thread if there is room now; cb(stream, AKT_ESTOPPED, data) instead once the
 * queue was drained or the stream ended (at once if it already was). Any number of
 * callbacks may wait; each is called exactly once, and all of them on each chance of room:
 * a producer whose offer is then refused again (another took the room) asks again. cb must
 * not block; it may call akt_stream_offer and akt_stream_on_room. AKT_EINVAL for a NULL
 * argument or a stream whose source is not a queue; AKT_ENOMEM (cb is not called). */
AKT_API int akt_stream_on_room(akt_stream *stream, akt_stream_room_fn cb, void *data);

/* streams3 end */

#ifdef __cplusplus
}
#endif
#endif
