/* The records of core/stream/: a graph's stage descriptions, a running stream, and the
 * state of one of its actors (a segment: one or more fused stages). */
#ifndef AKT_CORE_STREAM_H
#define AKT_CORE_STREAM_H

#include <akt/stream.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

enum akt__stage_kind {
    AKT__SRC_VALUES,
    AKT__SRC_RANGE,
    AKT__SRC_UNFOLD,
    AKT__SRC_TICK,
    AKT__SRC_QUEUE, /* offered by actors (actor_io.c) */
    AKT__SRC_ACTOR, /* a pid that takes elements as asks (actor_io.c) */
    AKT__SRC_MERGE, /* fan-in junctions (junction.c) */
    AKT__SRC_CONCAT,
    AKT__SRC_ZIP,
    AKT__FL_MAP,
    AKT__FL_FILTER,
    AKT__FL_FLAT_MAP,
    AKT__FL_SCAN,
    AKT__FL_DEDUP,
    AKT__FL_BUFFER,
    AKT__FL_THROTTLE,
    AKT__FL_BATCH,
    AKT__FL_MAP_ASYNC,  /* parallel map (async.c) */
    AKT__FL_FLAT_MERGE, /* flatMap merge (flat_merge.c) */
    AKT__SK_FOR_EACH,
    AKT__SK_COLLECT,
    AKT__SK_FOLD,
    AKT__SK_FIRST,
    AKT__SK_IGNORE,
    AKT__SK_ACTOR,     /* to an actor, acknowledged (actor_io.c) */
    AKT__SK_BROADCAST, /* fan-out junctions (junction.c) */
    AKT__SK_BALANCE,
    AKT__SK_PARTITION,
};

#define AKT__STAGE_NAME_MAX 32

typedef struct akt__stage_def {
    int kind;
    union {
        akt_stream_map_fn map;
        akt_stream_filter_fn filter;
        akt_stream_flat_map_fn flat_map;
        akt_stream_fold_fn fold;
        akt_stream_unfold_fn unfold;
        akt_stream_each_fn each;
        akt_stream_zip_fn zip;
        akt_stream_partition_fn partition;
        akt_stream_async_fn async;
        akt_stream_flat_merge_fn flat_merge;
    } fn;
    void *data;
    akt_stream_data_fn retain, release; /* the graph's data hooks, or NULL */
    akt_msg *seed;                      /* scan, fold: retained */
    akt_msg **values;                   /* values source: each retained */
    size_t n_values;
    int64_t start, end, step; /* range */
    size_t capacity;          /* buffer; throttle: n per interval */
    int64_t per_ns;           /* throttle */
    int overflow;             /* buffer */
    int on_error;
    unsigned retries;
    char name[AKT__STAGE_NAME_MAX];
    akt_stream_graph **subs; /* a junction's inputs or branches: owned copies */
    size_t n_subs;
    akt_pid target; /* actor sink; its on_complete message is seed */
    int ordered;    /* map_async; capacity is its parallelism (flat_map_merge: breadth) */
} akt__stage_def;

struct akt_stream_graph {
    akt__stage_def *stages;
    size_t n, cap;
    size_t window;
    int fusion;
    akt_stream_data_fn retain, release;
    akt_dispatcher *dispatcher;
    int branch; /* akt_stream_graph_new_branch: no source, its input is a fan-out's */
};

/* Copies graph's stages into defs (retaining their messages). */
int akt__stage_defs_copy(const akt_stream_graph *g, akt__stage_def **out);
void akt__stage_defs_free(akt__stage_def *defs, size_t n);
int akt__stage_is_source(int kind);
int akt__stage_is_sink(int kind);
/* Whether the stage may share the actor of the stage before it. */
int akt__stage_is_fusable(int kind);
int akt__stage_is_fan_in(int kind);
int akt__stage_is_fan_out(int kind);
/* A new graph with graph's settings and copies of its stages (sub-graphs included). */
int akt__graph_clone(const akt_stream_graph *graph, akt_stream_graph **out);

/* Counters a stage's actor bumps and anyone reads. */
typedef struct akt__stage_counters {
    /* Relaxed: each is a count on its own; no other memory is published through it. */
    atomic_uint_fast64_t in, out, drops, errors;
} akt__stage_counters;

/* What a stage keeps between elements; touched only by its segment's actor. */
typedef struct akt__stage_rt {
    akt_msg *acc;  /* scan, fold */
    akt_msg *last; /* dedup */
} akt__stage_rt;

struct akt_stream {
    /* acq_rel: the last release frees the record, after every other holder's writes. */
    atomic_int refs;
    akt_system *system; /* retained by the handle until akt_stream_release */
    akt__stage_def *defs;
    akt__stage_rt *rt;
    akt__stage_counters *counters;
    uint32_t *stage_actor; /* stage -> segment index */
    size_t n_stages;
    akt_pid *pids; /* one per segment, written before any segment is started */
    size_t n_segs;
    size_t n_spawned; /* under mu: how many of pids are actors to stop */
    size_t window;
    akt_dispatcher *dispatcher; /* borrowed; NULL: the workers */

    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* Acquire/release: a segment that reads 1 sees the state the finisher left (it stops
     * working); set under mu, read without it on the element path. */
    atomic_int done;
    int rc;
    char reason[128];
    akt_stream_done_fn done_cb; /* under mu; called once, outside it */
    void *done_data;
    akt_msg **results; /* moved in by the sink before it finishes */
    size_t n_results;
    int handle_released;

    /* Junctions. A sub-stream (an input or a branch) is linked to the junction's actor:
     * LINK_INPUT sends its last segment's elements there (it has no sink), LINK_BRANCH takes
     * its first segment's elements from there (it has no source); its end is told to that
     * actor as Ended(port, rc). A stream owns its sub-streams (children, one reference
     * each; child_stage[k] is the junction stage of children[k]); a sub-stream knows its
     * junction only by pid, so nothing is shared in a cycle. */
    int link_kind;
    akt_pid link;
    size_t port;
    akt_stream **children;
    size_t *child_stage;
    size_t n_children; /* under mu while spawning; fixed once the stream started */
    size_t *ranges;    /* fan-out results: (first, n) per branch, written before the end */
    size_t n_ranges;

    /* flatMap inners (flat_merge.c) are not children: a long stream starts many and keeps
     * at most breadth. Each running one is listed here, with a reference of the list's, so
     * that the end of this stream ends them before akt_stream_wait returns, as it does its
     * children. The list and the links are under the owner's mu; inner_of names the
     * stream whose list holds this one (NULL once removed or taken by the finisher). */
    akt_stream *inners;
    akt_stream *inner_prev, *inner_next;
    akt_stream *inner_of;

    /* A queue source (actor_io.c): elements accepted by akt_stream_offer and not yet sent
     * on, plus AKT__QUEUE_CLOSED once drained. Relaxed: a bound on its own; the elements
     * themselves are published by the tell that carries them. */
    atomic_uint_fast64_t queued;
    /* Callbacks waiting for room in the queue (akt_stream_on_room), under mu; n_room_waiters
     * counts them. seq_cst, with the source's seq_cst decrement of queued: either the
     * source sees a waiter registered before its decrement, or the registrant's re-check of
     * queued (after its increment) sees the decrement; no room is missed. */
    struct akt__room_waiter *room_waiters;
    atomic_size_t n_room_waiters;
};

/* Calls every waiting room callback with rc (0: room; AKT_ESTOPPED: closed). */
void akt__stream_wake_room(akt_stream *s, int rc);

#define AKT__QUEUE_CLOSED ((uint64_t)1 << 62)

enum { AKT__LINK_NONE = 0, AKT__LINK_INPUT = 1, AKT__LINK_BRANCH = 2 };

/* Makes a stream of graph on system and spawns its actors and its sub-streams' (none is
 * started). link_kind/link/port: how it connects to a junction (AKT__LINK_NONE for a
 * root). On failure nothing is left running. */
int akt__stream_spawn(akt_system *system, const akt_stream_graph *graph, akt_dispatcher *dispatcher,
                      int link_kind, akt_pid link, size_t port, akt_stream **out);
/* Lists c (a flatMap inner, not started yet) as running for s: s's end finishes it with
 * AKT_ECANCELED at once; an s that ended already finishes it now. */
void akt__stream_adopt_inner(akt_stream *s, akt_stream *c);
/* Takes c off s's list (it ended, or its slot was cleared). */
void akt__stream_disown_inner(akt_stream *s, akt_stream *c);
/* Tells Start to every actor of s, its sub-streams' first. */
int akt__stream_start(akt_stream *s);

void akt__stream_retain(akt_stream *s);
void akt__stream_unref(akt_stream *s);
/* Ends the stream once (later calls do nothing): records rc, reason and the sink's results
 * (taken: n references and the array, released if the stream had already ended), stops
 * every segment's actor and wakes the waiters. It holds a reference of its own meanwhile:
 * any thread may call it with a reference it holds, even one the end lets go. */
void akt__stream_finish_with(akt_stream *s, int rc, const char *reason, akt_msg **results,
                             size_t n);
void akt__stream_finish(akt_stream *s, int rc, const char *reason);
/* Ends the stream because stage failed with rc. */
void akt__stream_fail_stage(akt_stream *s, size_t stage, int rc);

/* Counts one more of a stage's counters (relaxed: see akt__stage_counters). */
#define AKT__COUNT(s, i, field) \
    atomic_fetch_add_explicit(&(s)->counters[i].field, 1, memory_order_relaxed)

/* What stage's error strategy makes of a call that failed with rc (< 0) on its attempt-th
 * try (0 first): counts the error, then AKT__STAGE_RETRY (call again), 1 (drop the element,
 * counted) or rc once the stream is failed. */
#define AKT__STAGE_RETRY 2
int akt__stage_failed(akt_stream *s, size_t stage, unsigned attempt, int rc);

/* Spawns the actor of one segment: stages [first, last] of s. */
int akt__segment_spawn(akt_stream *s, size_t seg, size_t first, size_t last, akt_pid *out);

/* Protocol message types (reserved prefix "akt.stream."). */
#define AKT__STREAM_PREFIX "akt.stream."
#define AKT__T_START "akt.stream.Start"
#define AKT__T_REQUEST "akt.stream.Request"
#define AKT__T_COMPLETE "akt.stream.Complete"
#define AKT__T_DRAIN "akt.stream.Drain"
#define AKT__T_WAKE "akt.stream.Wake"
#define AKT__T_ENDED "akt.stream.Ended"
#define AKT__T_TICK "akt.stream.Tick"
#define AKT__T_FLUSH "akt.stream.Flush"
#define AKT__T_DONE "akt.stream.Done" /* a map_async call completed */
#define AKT__T_GONE "akt.stream.Gone" /* an actor source's producer stopped */

#endif
