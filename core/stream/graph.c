/* The builder: a graph is a list of stage descriptions, checked as they are added. */
#include "stream/stream.h"

#include "base/alloc.h"

#include <string.h>

#define WINDOW_MAX 65536u
#define BUFFER_MAX 1048576u
#define RETRIES_MAX 1000u
#define SUBS_MAX 64u

int akt__stage_is_source(int kind) { return kind <= AKT__SRC_ZIP; }
int akt__stage_is_sink(int kind) { return kind >= AKT__SK_FOR_EACH; }
int akt__stage_is_fan_in(int kind) { return kind >= AKT__SRC_MERGE && kind <= AKT__SRC_ZIP; }
int akt__stage_is_fan_out(int kind) { return kind >= AKT__SK_BROADCAST; }
int akt__stage_is_fusable(int kind) {
    return kind == AKT__FL_MAP || kind == AKT__FL_FILTER || kind == AKT__FL_FLAT_MAP;
}

static const char *kind_name(int kind) {
    /* In the order of enum akt__stage_kind. */
    static const char *const names[] = {
        "values", "range",    "unfold", "tick",      "queue",          "actor",    "merge",
        "concat", "zip",      "map",    "filter",    "flat_map",       "scan",     "dedup",
        "buffer", "throttle", "batch",  "map_async", "flat_map_merge", "for_each", "collect",
        "fold",   "first",    "ignore", "actor",     "broadcast",      "balance",  "partition"};
    _Static_assert(sizeof names / sizeof names[0] == AKT__SK_PARTITION + 1, "a name per kind");
    return names[kind];
}

int akt_stream_graph_new(akt_stream_graph **out) {
    if (!out) return AKT_EINVAL;
    akt_stream_graph *g = akt__dalloc(sizeof *g);
    if (!g) return AKT_ENOMEM;
    memset(g, 0, sizeof *g);
    g->window = 16;
    g->fusion = 1;
    *out = g;
    return 0;
}

static void def_release(akt__stage_def *d) {
    if (d->release && d->data) d->release(d->data);
    for (size_t i = 0; i < d->n_subs; i++) akt_stream_graph_free(d->subs[i]);
    akt__dfree(d->subs);
    if (d->seed) akt_msg_release(d->seed);
    for (size_t i = 0; i < d->n_values; i++) akt_msg_release(d->values[i]);
    akt__dfree(d->values);
}

void akt__stage_defs_free(akt__stage_def *defs, size_t n) {
    if (!defs) return;
    for (size_t i = 0; i < n; i++) def_release(&defs[i]);
    akt__dfree(defs);
}

int akt_stream_graph_free(akt_stream_graph *graph) {
    if (!graph) return AKT_EINVAL;
    akt__stage_defs_free(graph->stages, graph->n);
    akt__dfree(graph);
    return 0;
}

int akt_stream_graph_set_buffer(akt_stream_graph *graph, size_t window) {
    if (!graph || window == 0 || window > WINDOW_MAX) return AKT_EINVAL;
    graph->window = window;
    return 0;
}

int akt_stream_graph_set_fusion(akt_stream_graph *graph, int on) {
    if (!graph || (on != 0 && on != 1)) return AKT_EINVAL;
    graph->fusion = on;
    return 0;
}

int akt_stream_graph_set_dispatcher(akt_stream_graph *graph, akt_dispatcher *dispatcher) {
    if (!graph) return AKT_EINVAL;
    graph->dispatcher = dispatcher;
    return 0;
}

int akt_stream_graph_set_data_hooks(akt_stream_graph *graph, akt_stream_data_fn retain,
                                    akt_stream_data_fn release) {
    if (!graph || !retain != !release) return AKT_EINVAL;
    if (graph->n) return AKT_EMISUSE;
    graph->retain = retain;
    graph->release = release;
    return 0;
}

/* Checks that a stage of kind may come next; 0 or AKT_EMISUSE. */
static int order_ok(const akt_stream_graph *g, int kind) {
    int has_source = g->n > 0 || g->branch;
    if (g->branch && akt__stage_is_source(kind)) return AKT_EMISUSE;
    int has_sink = g->n > 0 && akt__stage_is_sink(g->stages[g->n - 1].kind);
    if (akt__stage_is_source(kind)) return has_source ? AKT_EMISUSE : 0;
    return has_source && !has_sink ? 0 : AKT_EMISUSE;
}

/* Appends a zeroed stage of kind; NULL (with *rc set) on failure. */
static akt__stage_def *append(akt_stream_graph *g, int kind, int *rc) {
    if ((*rc = order_ok(g, kind)) != 0) return NULL;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 8;
        akt__stage_def *v = akt__heap_realloc(&akt__default_heap, g->stages, cap * sizeof *v);
        if (!v) {
            *rc = AKT_ENOMEM;
            return NULL;
        }
        g->stages = v;
        g->cap = cap;
    }
    akt__stage_def *d = &g->stages[g->n++];
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->retain = g->retain;
    d->release = g->release;
    strcpy(d->name, kind_name(kind));
    return d;
}

static int add_fn(akt_stream_graph *g, int kind, void *fn, void *data) {
    if (!g || !fn) return AKT_EINVAL;
    int rc;
    akt__stage_def *d = append(g, kind, &rc);
    if (!d) return rc;
    /* Every member of the union is a function pointer of the same size and representation;
     * the stage's kind says which one is read. */
    memcpy(&d->fn, &fn, sizeof fn);
    d->data = data;
    return 0;
}

int akt_stream_source_values(akt_stream_graph *graph, akt_msg *const *values, size_t n) {
    if (!graph || (n > 0 && !values) || n > SIZE_MAX / sizeof(akt_msg *)) return AKT_EINVAL;
    for (size_t i = 0; i < n; i++) {
        const char *t = akt_msg_type(values[i]);
        if (!t || strncmp(t, AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) == 0)
            return AKT_EINVAL;
    }
    int rc = order_ok(graph, AKT__SRC_VALUES);
    if (rc) return rc;
    akt_msg **copy = NULL;
    if (n) {
        copy = akt__dalloc(n * sizeof *copy);
        if (!copy) return AKT_ENOMEM;
    }
    akt__stage_def *d = append(graph, AKT__SRC_VALUES, &rc);
    if (!d) {
        akt__dfree(copy);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        akt_msg_retain(values[i]);
        copy[i] = values[i];
    }
    d->values = copy;
    d->n_values = n;
    return 0;
}

int akt_stream_source_range(akt_stream_graph *graph, int64_t start, int64_t end, int64_t step) {
    if (!graph || step == 0) return AKT_EINVAL;
    int rc;
    akt__stage_def *d = append(graph, AKT__SRC_RANGE, &rc);
    if (!d) return rc;
    d->start = start;
    d->end = end;
    d->step = step;
    return 0;
}

int akt_stream_source_unfold(akt_stream_graph *graph, akt_stream_unfold_fn fn, void *data) {
    return add_fn(graph, AKT__SRC_UNFOLD, (void *)fn, data);
}

int akt_stream_source_tick(akt_stream_graph *graph, int64_t initial_delay_ns, int64_t interval_ns,
                           akt_msg *tick) {
    const int64_t hour = 3600LL * 1000000000LL;
    if (!graph || !tick || !akt_msg_type(tick) || interval_ns < 1000000 || interval_ns > hour ||
        initial_delay_ns < 0 || initial_delay_ns > hour ||
        strncmp(akt_msg_type(tick), AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) == 0)
        return AKT_EINVAL;
    int rc;
    akt__stage_def *d = append(graph, AKT__SRC_TICK, &rc);
    if (!d) return rc;
    akt_msg_retain(tick);
    d->seed = tick;
    d->start = initial_delay_ns;
    d->per_ns = interval_ns;
    return 0;
}

int akt_stream_map(akt_stream_graph *graph, akt_stream_map_fn fn, void *data) {
    return add_fn(graph, AKT__FL_MAP, (void *)fn, data);
}

int akt_stream_filter(akt_stream_graph *graph, akt_stream_filter_fn fn, void *data) {
    return add_fn(graph, AKT__FL_FILTER, (void *)fn, data);
}

int akt_stream_flat_map(akt_stream_graph *graph, akt_stream_flat_map_fn fn, void *data) {
    return add_fn(graph, AKT__FL_FLAT_MAP, (void *)fn, data);
}

static int add_seeded(akt_stream_graph *g, int kind, akt_msg *seed, void *fn, void *data) {
    if (!g || !seed || !fn || !akt_msg_type(seed)) return AKT_EINVAL;
    int rc = add_fn(g, kind, fn, data);
    if (rc) return rc;
    akt_msg_retain(seed);
    g->stages[g->n - 1].seed = seed;
    return 0;
}

int akt_stream_scan(akt_stream_graph *graph, akt_msg *seed, akt_stream_fold_fn fn, void *data) {
    return add_seeded(graph, AKT__FL_SCAN, seed, (void *)fn, data);
}

int akt_stream_dedup(akt_stream_graph *graph) {
    if (!graph) return AKT_EINVAL;
    int rc;
    return append(graph, AKT__FL_DEDUP, &rc) ? 0 : rc;
}

int akt_stream_buffer(akt_stream_graph *graph, size_t n, int overflow) {
    if (!graph || n == 0 || n > BUFFER_MAX || overflow < AKT_STREAM_BACKPRESSURE ||
        overflow > AKT_STREAM_FAIL)
        return AKT_EINVAL;
    int rc;
    akt__stage_def *d = append(graph, AKT__FL_BUFFER, &rc);
    if (!d) return rc;
    d->capacity = n;
    d->overflow = overflow;
    return 0;
}

int akt_stream_throttle(akt_stream_graph *graph, uint32_t n, int64_t per_ns) {
    if (!graph || n == 0 || per_ns < 1000000 || per_ns > 3600LL * 1000000000LL) return AKT_EINVAL;
    int rc;
    akt__stage_def *d = append(graph, AKT__FL_THROTTLE, &rc);
    if (!d) return rc;
    d->capacity = n;
    d->per_ns = per_ns;
    return 0;
}

int akt_stream_batch(akt_stream_graph *graph, size_t n, int64_t max_wait_ns, akt_stream_zip_fn fn,
                     void *data) {
    if (!graph || n == 0 || n > WINDOW_MAX || max_wait_ns < 1000000 ||
        max_wait_ns > 3600LL * 1000000000LL)
        return AKT_EINVAL;
    int rc = add_fn(graph, AKT__FL_BATCH, (void *)fn, data);
    if (rc) return rc;
    graph->stages[graph->n - 1].capacity = n;
    graph->stages[graph->n - 1].per_ns = max_wait_ns;
    return 0;
}

int akt_stream_sink_for_each(akt_stream_graph *graph, akt_stream_each_fn fn, void *data) {
    return add_fn(graph, AKT__SK_FOR_EACH, (void *)fn, data);
}

static int add_plain(akt_stream_graph *g, int kind) {
    if (!g) return AKT_EINVAL;
    int rc;
    return append(g, kind, &rc) ? 0 : rc;
}

int akt_stream_sink_collect(akt_stream_graph *graph) { return add_plain(graph, AKT__SK_COLLECT); }
int akt_stream_sink_first(akt_stream_graph *graph) { return add_plain(graph, AKT__SK_FIRST); }
int akt_stream_sink_ignore(akt_stream_graph *graph) { return add_plain(graph, AKT__SK_IGNORE); }

int akt_stream_sink_fold(akt_stream_graph *graph, akt_msg *seed, akt_stream_fold_fn fn,
                         void *data) {
    return add_seeded(graph, AKT__SK_FOLD, seed, (void *)fn, data);
}

int akt_stream_stage_name(akt_stream_graph *graph, const char *name) {
    if (!graph || !name) return AKT_EINVAL;
    size_t len = strlen(name);
    if (len == 0 || len >= AKT__STAGE_NAME_MAX) return AKT_EINVAL;
    if (graph->n == 0) return AKT_EMISUSE;
    memcpy(graph->stages[graph->n - 1].name, name, len + 1);
    return 0;
}

int akt_stream_stage_on_error(akt_stream_graph *graph, int strategy, unsigned retries) {
    if (!graph || strategy < AKT_STREAM_ON_ERROR_FAIL || strategy > AKT_STREAM_ON_ERROR_RETRY)
        return AKT_EINVAL;
    if (strategy == AKT_STREAM_ON_ERROR_RETRY ? retries == 0 || retries > RETRIES_MAX : retries)
        return AKT_EINVAL;
    if (graph->n == 0) return AKT_EMISUSE;
    graph->stages[graph->n - 1].on_error = strategy;
    graph->stages[graph->n - 1].retries = retries;
    return 0;
}

int akt__stage_defs_copy(const akt_stream_graph *g, akt__stage_def **out) {
    akt__stage_def *defs = akt__dalloc(g->n * sizeof *defs);
    if (!defs) return AKT_ENOMEM;
    memcpy(defs, g->stages, g->n * sizeof *defs);
    /* Nothing is owned yet: a failure below frees only what was taken so far. */
    for (size_t i = 0; i < g->n; i++)
        defs[i].values = NULL, defs[i].n_values = 0, defs[i].seed = NULL, defs[i].subs = NULL,
        defs[i].n_subs = 0, defs[i].release = NULL; /* set once its data is retained */
    for (size_t i = 0; i < g->n; i++) {
        const akt__stage_def *src = &g->stages[i];
        if (src->n_values) {
            akt_msg **v = akt__dalloc(src->n_values * sizeof *v);
            if (!v) {
                akt__stage_defs_free(defs, g->n);
                return AKT_ENOMEM;
            }
            for (size_t k = 0; k < src->n_values; k++) {
                akt_msg_retain(src->values[k]);
                v[k] = src->values[k];
            }
            defs[i].values = v;
            defs[i].n_values = src->n_values;
        }
        if (src->seed) {
            akt_msg_retain(src->seed);
            defs[i].seed = src->seed;
        }
        if (src->n_subs) {
            akt_stream_graph **subs = akt__dalloc(src->n_subs * sizeof *subs);
            if (!subs) {
                akt__stage_defs_free(defs, g->n);
                return AKT_ENOMEM;
            }
            defs[i].subs = subs;
            for (size_t k = 0; k < src->n_subs; k++) {
                if (akt__graph_clone(src->subs[k], &subs[k]) != 0) {
                    akt__stage_defs_free(defs, g->n);
                    return AKT_ENOMEM;
                }
                defs[i].n_subs = k + 1;
            }
        }
        if (src->retain && src->data) src->retain(src->data);
        defs[i].release = src->release;
    }
    *out = defs;
    return 0;
}

int akt__graph_clone(const akt_stream_graph *graph, akt_stream_graph **out) {
    akt_stream_graph *g = akt__dalloc(sizeof *g);
    if (!g) return AKT_ENOMEM;
    *g = *graph;
    g->stages = NULL;
    g->n = g->cap = 0;
    if (graph->n) {
        if (akt__stage_defs_copy(graph, &g->stages) != 0) {
            akt__dfree(g);
            return AKT_ENOMEM;
        }
        g->n = g->cap = graph->n;
    }
    *out = g;
    return 0;
}

int akt_stream_graph_new_branch(akt_stream_graph **out) {
    int rc = akt_stream_graph_new(out);
    if (rc == 0) (*out)->branch = 1;
    return rc;
}

/* Whether sub may be a junction's sub-graph: a fan-in's input (a source and flows) or a
 * fan-out's branch (a branch graph ending with a sink). */
static int sub_ok(const akt_stream_graph *sub, int fan_out) {
    if (!sub) return 0;
    if (fan_out)
        return sub->branch && sub->n > 0 && akt__stage_is_sink(sub->stages[sub->n - 1].kind);
    return !sub->branch && sub->n > 0 && !akt__stage_is_sink(sub->stages[sub->n - 1].kind);
}

static int add_junction(akt_stream_graph *g, int kind, akt_stream_graph *const *subs, size_t n,
                        void *fn, int needs_fn, void *data) {
    if (!g || !subs || n == 0 || n > SUBS_MAX || (needs_fn && !fn)) return AKT_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (subs[i] == g || !sub_ok(subs[i], akt__stage_is_fan_out(kind))) return AKT_EINVAL;
    }
    int rc = order_ok(g, kind);
    if (rc) return rc;
    akt_stream_graph **copy = akt__dalloc(n * sizeof *copy);
    if (!copy) return AKT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if ((rc = akt__graph_clone(subs[i], &copy[i])) != 0) {
            while (i-- > 0) akt_stream_graph_free(copy[i]);
            akt__dfree(copy);
            return rc;
        }
    }
    akt__stage_def *d = append(g, kind, &rc);
    if (!d) {
        for (size_t i = 0; i < n; i++) akt_stream_graph_free(copy[i]);
        akt__dfree(copy);
        return rc;
    }
    if (fn) memcpy(&d->fn, &fn, sizeof fn); /* see add_fn */
    d->data = fn ? data : NULL;
    d->subs = copy;
    d->n_subs = n;
    return 0;
}

int akt_stream_source_merge(akt_stream_graph *graph, akt_stream_graph *const *inputs, size_t n) {
    return add_junction(graph, AKT__SRC_MERGE, inputs, n, NULL, 0, NULL);
}

int akt_stream_source_concat(akt_stream_graph *graph, akt_stream_graph *const *inputs, size_t n) {
    return add_junction(graph, AKT__SRC_CONCAT, inputs, n, NULL, 0, NULL);
}

int akt_stream_source_zip(akt_stream_graph *graph, akt_stream_graph *const *inputs, size_t n,
                          akt_stream_zip_fn fn, void *data) {
    return add_junction(graph, AKT__SRC_ZIP, inputs, n, (void *)fn, 1, data);
}

int akt_stream_sink_broadcast(akt_stream_graph *graph, akt_stream_graph *const *branches,
                              size_t n) {
    return add_junction(graph, AKT__SK_BROADCAST, branches, n, NULL, 0, NULL);
}

int akt_stream_sink_balance(akt_stream_graph *graph, akt_stream_graph *const *branches, size_t n) {
    return add_junction(graph, AKT__SK_BALANCE, branches, n, NULL, 0, NULL);
}

int akt_stream_sink_partition(akt_stream_graph *graph, akt_stream_graph *const *branches, size_t n,
                              akt_stream_partition_fn fn, void *data) {
    return add_junction(graph, AKT__SK_PARTITION, branches, n, (void *)fn, 1, data);
}

/* streams3 begin: actor sources and sinks, parallel map */
#define PARALLELISM_MAX 4096u

int akt_stream_source_queue(akt_stream_graph *graph, size_t capacity) {
    if (!graph || capacity == 0 || capacity > WINDOW_MAX) return AKT_EINVAL;
    int rc;
    akt__stage_def *d = append(graph, AKT__SRC_QUEUE, &rc);
    if (!d) return rc;
    d->capacity = capacity;
    return 0;
}

int akt_stream_source_actor(akt_stream_graph *graph, size_t capacity) {
    if (!graph || capacity == 0 || capacity > WINDOW_MAX) return AKT_EINVAL;
    int rc;
    akt__stage_def *d = append(graph, AKT__SRC_ACTOR, &rc);
    if (!d) return rc;
    d->capacity = capacity;
    return 0;
}

int akt_stream_sink_actor(akt_stream_graph *graph, akt_pid target, size_t in_flight,
                          akt_msg *on_complete) {
    if (!graph || target.id == AKT_PID_NONE_ID || in_flight == 0 || in_flight > WINDOW_MAX)
        return AKT_EINVAL;
    /* The end of a source reference is the one reserved type it may tell (stream to stream). */
    if (on_complete &&
        (!akt_msg_type(on_complete) ||
         (strncmp(akt_msg_type(on_complete), AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) == 0 &&
          strcmp(akt_msg_type(on_complete), AKT_STREAM_END) != 0)))
        return AKT_EINVAL;
    int rc;
    akt__stage_def *d = append(graph, AKT__SK_ACTOR, &rc);
    if (!d) return rc;
    d->target = target;
    d->capacity = in_flight;
    if (on_complete) {
        akt_msg_retain(on_complete);
        d->seed = on_complete;
    }
    return 0;
}

int akt_stream_map_async(akt_stream_graph *graph, size_t parallelism, int ordered,
                         akt_stream_async_fn fn, void *data) {
    if (!graph || parallelism == 0 || parallelism > PARALLELISM_MAX ||
        (ordered != 0 && ordered != 1))
        return AKT_EINVAL;
    int rc = add_fn(graph, AKT__FL_MAP_ASYNC, (void *)fn, data);
    if (rc) return rc;
    graph->stages[graph->n - 1].capacity = parallelism;
    graph->stages[graph->n - 1].ordered = ordered;
    return 0;
}
/* streams3 end */

#define BREADTH_MAX 4096u

int akt_stream_flat_map_merge(akt_stream_graph *graph, size_t breadth, akt_stream_flat_merge_fn fn,
                              void *data) {
    if (!graph || breadth == 0 || breadth > BREADTH_MAX) return AKT_EINVAL;
    int rc = add_fn(graph, AKT__FL_FLAT_MERGE, (void *)fn, data);
    if (rc) return rc;
    graph->stages[graph->n - 1].capacity = breadth;
    return 0;
}
