/* Streams for Node (akt/stream.h): the C half of lib/stream.cjs.
 *
 * A stream's actors run on the system's external dispatcher, so every stage callback runs
 * on the JS thread inside a pump. The JS functions stay in lib/stream.cjs's table: a stage
 * hands akt only its slot in that table (a small refcounted record), and calls them through
 * one hook, call(slot, a, b). A record whose last reference goes on another thread (a
 * stream freed at shutdown) queues its slot for JS to free at the next stream call. The
 * end of a stream reaches JS through a thread-safe function, whatever thread ended it. */
#include <stdlib.h>
#include <string.h>

#include <akt/stream.h>

#include "addon.h"

typedef struct an_stage {
    /* relaxed increments (made from a reference already held); acq_rel decrement: the last
     * one frees after every holder is done. */
    atomic_int refs;
    an_inst *inst;
    an_sys *sys;
    int32_t slot; /* index in lib/stream.cjs's table */
    int kind;     /* what call() returns: see the ST_* below */
} an_stage;

enum { ST_MAP, ST_FILTER, ST_FLAT, ST_FOLD, ST_EACH, ST_UNFOLD, ST_ZIP, ST_PARTITION };

/* Hooks of lib/stream.cjs: call(slot, a, b) and the END sentinel of an unfold. */
static napi_ref hook_call, hook_end;

/* Slots freed on other threads, for JS to take (freedSlots()). */
static pthread_mutex_t freed_lock = PTHREAD_MUTEX_INITIALIZER;
static int32_t *freed;
static size_t n_freed, cap_freed;

static void stage_retain(void *d) {
    atomic_fetch_add_explicit(&((an_stage *)d)->refs, 1, memory_order_relaxed);
}

static void stage_release(void *d) {
    an_stage *st = d;
    if (atomic_fetch_sub_explicit(&st->refs, 1, memory_order_acq_rel) != 1) return;
    pthread_mutex_lock(&freed_lock);
    if (n_freed == cap_freed) {
        size_t cap = cap_freed ? cap_freed * 2 : 64;
        int32_t *v = realloc(freed, cap * sizeof *v);
        if (v) freed = v, cap_freed = cap;
    }
    if (n_freed < cap_freed) freed[n_freed++] = st->slot; /* else the slot leaks, no more */
    pthread_mutex_unlock(&freed_lock);
    free(st);
}

/* A new stage of JS slot slot (one reference, the caller's); NULL without memory. */
static an_stage *stage_new(an_inst *I, an_sys *s, int32_t slot, int kind) {
    an_stage *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    atomic_init(&st->refs, 1);
    st->inst = I;
    st->sys = s;
    st->slot = slot;
    st->kind = kind;
    return st;
}

/* Calls call(slot, a, b) on the JS thread; NULL after a JS exception (cleared: lib keeps
 * it for the stream's failure). */
static napi_value js_call(an_stage *st, napi_env env, napi_value a, napi_value b) {
    napi_value fn, argv[3], r;
    if (napi_get_reference_value(env, hook_call, &fn) != napi_ok ||
        napi_create_int32(env, st->slot, &argv[0]) != napi_ok)
        return NULL;
    argv[1] = a;
    argv[2] = b;
    if (napi_call_function(env, fn, fn, 3, argv, &r) != napi_ok) {
        napi_value ex;
        napi_get_and_clear_last_exception(env, &ex);
        return NULL;
    }
    return r;
}

/* The prologue of every callback: the JS thread, a handle scope, the values of msgs. */
#define ENTER(st)                                                            \
    an_inst *I = (st)->inst;                                                 \
    if (I->closing || !hook_call || !an_on_js_thread(I)) return AKT_ECLOSED; \
    napi_env env = I->env;                                                   \
    napi_handle_scope scope;                                                 \
    if (napi_open_handle_scope(env, &scope) != napi_ok) return AKT_EFAILED;  \
    napi_value undef;                                                        \
    napi_get_undefined(env, &undef);                                         \
    int rc = AKT_EFAILED

#define LEAVE()                          \
    napi_close_handle_scope(env, scope); \
    return rc

static napi_value value_of(an_inst *I, napi_env env, akt_msg *m) {
    napi_value thrown = NULL;
    return an_msg_to_js_decoded(I, env, m, &thrown);
}

static int st_map(akt_msg *in, akt_msg **out, void *data) {
    an_stage *st = data;
    ENTER(st);
    napi_value v = value_of(I, env, in), r = v ? js_call(st, env, v, undef) : NULL;
    if (r) rc = an_msg_from_js(st->sys, env, r, NULL, 1, out);
    LEAVE();
}

static int st_filter(akt_msg *in, int *keep, void *data) {
    an_stage *st = data;
    ENTER(st);
    napi_value v = value_of(I, env, in), r = v ? js_call(st, env, v, undef) : NULL, b;
    bool t = false;
    if (r && napi_coerce_to_bool(env, r, &b) == napi_ok &&
        napi_get_value_bool(env, b, &t) == napi_ok) {
        *keep = t;
        rc = 0;
    }
    LEAVE();
}

static int st_flat(akt_msg *in, akt_stream_emit_fn emit, void *ectx, void *data) {
    an_stage *st = data;
    ENTER(st);
    napi_value v = value_of(I, env, in), r = v ? js_call(st, env, v, undef) : NULL;
    uint32_t n = 0;
    if (r && napi_get_array_length(env, r, &n) == napi_ok) {
        rc = 0;
        for (uint32_t i = 0; rc == 0 && i < n; i++) {
            napi_value x;
            akt_msg *m;
            rc = napi_get_element(env, r, i, &x) == napi_ok
                     ? an_msg_from_js(st->sys, env, x, NULL, 1, &m)
                     : AKT_EFAILED;
            if (rc == 0) rc = emit(ectx, m);
        }
    }
    LEAVE();
}

static int st_fold(akt_msg *acc, akt_msg *in, akt_msg **out, void *data) {
    an_stage *st = data;
    ENTER(st);
    napi_value a = value_of(I, env, acc), v = a ? value_of(I, env, in) : NULL;
    napi_value r = v ? js_call(st, env, a, v) : NULL;
    if (r) rc = an_msg_from_js(st->sys, env, r, NULL, 1, out);
    LEAVE();
}

static int st_each(akt_msg *in, void *data) {
    an_stage *st = data;
    ENTER(st);
    napi_value v = value_of(I, env, in);
    if (v && js_call(st, env, v, undef)) rc = 0;
    LEAVE();
}

static int st_unfold(void *data, akt_msg **out) {
    an_stage *st = data;
    ENTER(st);
    napi_value r = js_call(st, env, undef, undef), end;
    bool is_end = false;
    *out = NULL;
    if (r && napi_get_reference_value(env, hook_end, &end) == napi_ok &&
        napi_strict_equals(env, r, end, &is_end) == napi_ok)
        rc = is_end ? 0 : an_msg_from_js(st->sys, env, r, NULL, 1, out);
    LEAVE();
}

/* zip: call(slot, [values]) gives the combined element. */
static int st_zip(akt_msg *const *in, size_t n, akt_msg **out, void *data) {
    an_stage *st = data;
    ENTER(st);
    napi_value arr = NULL, r = NULL;
    if (napi_create_array_with_length(env, n, &arr) == napi_ok) {
        for (size_t k = 0; arr && k < n; k++) {
            napi_value v = value_of(I, env, in[k]);
            if (!v || napi_set_element(env, arr, (uint32_t)k, v) != napi_ok) arr = NULL;
        }
    }
    if (arr) r = js_call(st, env, arr, undef);
    if (r) rc = an_msg_from_js(st->sys, env, r, NULL, 1, out);
    LEAVE();
}

/* partition: call(slot, value) gives the branch's index (a number; others fail). */
static int st_partition(akt_msg *in, size_t *branch, void *data) {
    an_stage *st = data;
    ENTER(st);
    napi_value v = value_of(I, env, in), r = v ? js_call(st, env, v, undef) : NULL;
    double d = 0;
    if (r && napi_get_value_double(env, r, &d) == napi_ok) {
        *branch = d >= 0 && d < 1e9 && d == (double)(size_t)d ? (size_t)d : SIZE_MAX;
        rc = 0;
    }
    LEAVE();
}

/* ---- the handle ------------------------------------------------------------------- */

/* ---- map_async: a pending call as a JS external ---------------------------------- */

/* What the JS wrapper gets for one call; streamAsyncComplete(p, value) or
 * streamAsyncFail(p) completes it once. Collected without either, it fails the element. */
typedef struct an_pending {
    akt_stream_async *p; /* NULL once completed */
    an_sys *sys;
} an_pending;

static void pending_finalize(napi_env env, void *data, void *hint) {
    (void)env, (void)hint;
    an_pending *pd = data;
    if (pd->p) akt_stream_async_complete(pd->p, AKT_EFAILED, NULL);
    free(pd);
}

/* fn(x, pending): the JS wrapper starts the work; its promise completes it. */
static int st_async(akt_msg *in, akt_stream_async *pending, void *data) {
    an_stage *st = data;
    ENTER(st);
    an_pending *pd = calloc(1, sizeof *pd);
    napi_value ext = NULL, v = pd ? value_of(I, env, in) : NULL;
    if (v && napi_create_external(env, pd, pending_finalize, NULL, &ext) == napi_ok) {
        pd->p = pending;
        pd->sys = st->sys;
        if (js_call(st, env, v, ext) || !pd->p) {
            rc = 0; /* taken: the wrapper completes it */
        } else {
            pd->p = NULL; /* the wrapper threw at once: not taken */
        }
    } else if (pd) {
        free(pd);
    }
    LEAVE();
}

typedef struct an_stream {
    akt_stream *s;
    an_sys *sys;
    napi_threadsafe_function done; /* calls the JS onDone(rc) once */
} an_stream;

static void stream_finalize(napi_env env, void *data, void *hint) {
    an_stream *h = data;
    if (h->s) akt_stream_release(h->s);
    free(h);
}

static an_stream *stream_of(napi_env env, napi_value v) {
    void *p = NULL;
    if (napi_get_value_external(env, v, &p) != napi_ok || !p) {
        napi_throw_type_error(env, "AKT_EINVAL", "expected a stream handle");
        return NULL;
    }
    an_stream *h = p;
    if (!h->s) {
        napi_throw_error(env, "AKT_EINVAL", "the stream was released");
        return NULL;
    }
    return h;
}

/* Any thread: hands rc to the JS thread. */
static void on_done(akt_stream *s, int rc, void *data) {
    an_stream *h = data;
    napi_call_threadsafe_function(h->done, (void *)(intptr_t)rc, napi_tsfn_blocking);
    napi_release_threadsafe_function(h->done, napi_tsfn_release);
}

static void done_js(napi_env env, napi_value cb, void *context, void *data) {
    if (!env || !cb) return;
    napi_value arg, r;
    napi_create_int32(env, (int32_t)(intptr_t)data, &arg);
    napi_call_function(env, cb, cb, 1, &arg, &r);
}

static int build_graph(an_inst *I, an_sys *s, napi_env env, napi_value stages, int64_t window,
                       bool fusion, int branch, akt_stream_graph **out);
static int int64_of(napi_env env, napi_value v, int64_t *out);

/* flat_map_merge: the JS function gives the inner source as [rows, window, fusion]; its
 * graph is built here (on the JS thread, like every stage call) and akt takes it. */
static int st_flat_merge(akt_msg *in, akt_stream_graph **out, void *data) {
    an_stage *st = data;
    ENTER(st);
    napi_value v = value_of(I, env, in), r = v ? js_call(st, env, v, undef) : NULL;
    napi_value rows, wv, fv;
    int64_t window = 0;
    bool fusion = true;
    if (r && napi_get_element(env, r, 0, &rows) == napi_ok &&
        napi_get_element(env, r, 1, &wv) == napi_ok && int64_of(env, wv, &window) &&
        napi_get_element(env, r, 2, &fv) == napi_ok &&
        napi_get_value_bool(env, fv, &fusion) == napi_ok)
        rc = build_graph(I, st->sys, env, rows, window, fusion, 0, out);
    LEAVE();
}

static int kind_of(const char *k) {
    static const char *const names[] = {"map", "filter", "flat_map", "fold", "for_each", "unfold"};
    for (int i = 0; i < 6; i++)
        if (!strcmp(k, names[i])) return i;
    return -1;
}

/* A BigInt within int64, or a number. */
static int int64_of(napi_env env, napi_value v, int64_t *out) {
    bool lossless = false;
    if (napi_get_value_bigint_int64(env, v, out, &lossless) == napi_ok) return lossless;
    return napi_get_value_int64(env, v, out) == napi_ok;
}

static int get_int(napi_env env, napi_value arr, uint32_t i, int64_t *out) {
    napi_value v;
    return napi_get_element(env, arr, i, &v) == napi_ok && int64_of(env, v, out);
}

static int build_graph(an_inst *I, an_sys *s, napi_env env, napi_value stages, int64_t window,
                       bool fusion, int branch, akt_stream_graph **out);

static int is_junction(const char *k) {
    return !strcmp(k, "merge") || !strcmp(k, "concat") || !strcmp(k, "zip") ||
           !strcmp(k, "broadcast") || !strcmp(k, "balance") || !strcmp(k, "partition");
}

/* A junction: a = [[stages, window, fusion], ...], its inputs or branches; b = the slot of
 * zip's or partition's function (else undefined). */
static int add_junction(an_inst *I, an_sys *s, napi_env env, akt_stream_graph *g, const char *kind,
                        napi_value a, napi_value b) {
    int fan_out = kind[0] == 'b' || kind[0] == 'p';
    int with_fn = !strcmp(kind, "zip") || !strcmp(kind, "partition");
    uint32_t n = 0;
    if (napi_get_array_length(env, a, &n) != napi_ok || n == 0 || n > 64) return AKT_EINVAL;
    akt_stream_graph **subs = calloc(n, sizeof *subs);
    if (!subs) return AKT_ENOMEM;
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        napi_value row, st, wv, fv;
        int64_t window = 0;
        bool fusion = true;
        if (napi_get_element(env, a, i, &row) != napi_ok ||
            napi_get_element(env, row, 0, &st) != napi_ok ||
            napi_get_element(env, row, 1, &wv) != napi_ok ||
            napi_get_element(env, row, 2, &fv) != napi_ok ||
            napi_get_value_int64(env, wv, &window) != napi_ok ||
            napi_get_value_bool(env, fv, &fusion) != napi_ok)
            rc = AKT_EINVAL;
        else
            rc = build_graph(I, s, env, st, window, fusion, fan_out, &subs[i]);
    }
    an_stage *fn = NULL;
    if (rc == 0 && with_fn) {
        int32_t slot;
        if (napi_get_value_int32(env, b, &slot) != napi_ok) rc = AKT_EINVAL;
        if (rc == 0 && !(fn = calloc(1, sizeof *fn))) rc = AKT_ENOMEM;
        if (fn) {
            atomic_init(&fn->refs, 1);
            fn->inst = I;
            fn->sys = s;
            fn->slot = slot;
            fn->kind = kind[0] == 'z' ? ST_ZIP : ST_PARTITION;
        }
    }
    if (rc == 0) {
        if (!strcmp(kind, "merge"))
            rc = akt_stream_source_merge(g, subs, n);
        else if (!strcmp(kind, "concat"))
            rc = akt_stream_source_concat(g, subs, n);
        else if (!strcmp(kind, "zip"))
            rc = akt_stream_source_zip(g, subs, n, st_zip, fn);
        else if (!strcmp(kind, "broadcast"))
            rc = akt_stream_sink_broadcast(g, subs, n);
        else if (!strcmp(kind, "balance"))
            rc = akt_stream_sink_balance(g, subs, n);
        else
            rc = akt_stream_sink_partition(g, subs, n, st_partition, fn);
    }
    if (rc && fn) stage_release(fn); /* the graph did not take it */
    for (uint32_t i = 0; i < n; i++)
        if (subs[i]) akt_stream_graph_free(subs[i]);
    free(subs);
    return rc;
}

/* Adds stage [kind, a, b, name, onError, retries] to g; slot stages: a is the slot, b the
 * seed (scan, fold) or the value list (values). 0, or an akt code (or -1 after throwing). */
static int add_stage(an_inst *I, an_sys *s, napi_env env, akt_stream_graph *g, napi_value d) {
    napi_value kv, a, b, nv, ev, rv;
    char kind[32], name[40];
    size_t n;
    if (napi_get_element(env, d, 0, &kv) != napi_ok ||
        napi_get_value_string_utf8(env, kv, kind, sizeof kind, &n) != napi_ok ||
        napi_get_element(env, d, 1, &a) != napi_ok || napi_get_element(env, d, 2, &b) != napi_ok ||
        napi_get_element(env, d, 3, &nv) != napi_ok ||
        napi_get_element(env, d, 4, &ev) != napi_ok || napi_get_element(env, d, 5, &rv) != napi_ok)
        return AKT_EINVAL;
    int rc;
    if (!strcmp(kind, "range")) {
        int64_t start, end, step;
        if (!get_int(env, a, 0, &start) || !get_int(env, a, 1, &end) || !int64_of(env, b, &step))
            return AKT_EINVAL;
        rc = akt_stream_source_range(g, start, end, step);
    } else if (!strcmp(kind, "values")) {
        uint32_t len = 0;
        if (napi_get_array_length(env, a, &len) != napi_ok) return AKT_EINVAL;
        akt_msg **v = calloc(len + 1, sizeof *v);
        if (!v) return AKT_ENOMEM;
        rc = 0;
        uint32_t made = 0;
        for (; rc == 0 && made < len; made++) {
            napi_value x;
            rc = napi_get_element(env, a, made, &x) == napi_ok
                     ? an_msg_from_js(s, env, x, NULL, 1, &v[made])
                     : AKT_EINVAL;
        }
        if (rc == 0) rc = akt_stream_source_values(g, v, len);
        for (uint32_t i = 0; i < made; i++)
            if (v[i]) akt_msg_release(v[i]);
        free(v);
    } else if (!strcmp(kind, "tick")) { /* a = [delayMs, intervalMs], b = the tick value */
        int64_t delay, every;
        if (!get_int(env, a, 0, &delay) || !get_int(env, a, 1, &every) || delay < 0 ||
            delay > 3600000 || every <= 0 || every > 3600000)
            return AKT_EINVAL;
        akt_msg *tick = NULL;
        rc = an_msg_from_js(s, env, b, NULL, 1, &tick);
        if (rc == 0) {
            rc = akt_stream_source_tick(g, delay * 1000000, every * 1000000, tick);
            akt_msg_release(tick);
        }
    } else if (!strcmp(kind, "dedup")) {
        rc = akt_stream_dedup(g);
    } else if (!strcmp(kind, "buffer")) {
        int64_t size, ov;
        if (napi_get_value_int64(env, a, &size) != napi_ok ||
            napi_get_value_int64(env, b, &ov) != napi_ok || size <= 0)
            return AKT_EINVAL;
        rc = akt_stream_buffer(g, (size_t)size, (int)ov);
    } else if (!strcmp(kind, "throttle")) {
        int64_t n, per_ms;
        if (!int64_of(env, a, &n) || !int64_of(env, b, &per_ms) || n <= 0 || n > UINT32_MAX ||
            per_ms <= 0 || per_ms > 3600000)
            return AKT_EINVAL;
        rc = akt_stream_throttle(g, (uint32_t)n, per_ms * 1000000);
    } else if (!strcmp(kind, "queue")) { /* a = capacity */
        int64_t cap;
        if (!int64_of(env, a, &cap) || cap <= 0) return AKT_EINVAL;
        rc = akt_stream_source_queue(g, (size_t)cap);
    } else if (!strcmp(kind, "actor_ref")) { /* a = capacity */
        int64_t cap;
        if (!int64_of(env, a, &cap) || cap <= 0) return AKT_EINVAL;
        rc = akt_stream_source_actor(g, (size_t)cap);
    } else if (!strcmp(kind, "actor")) { /* a = [lo, hi] of the pid, b = [inFlight, onComplete] */
        napi_value lo, hi, done;
        akt_pid target;
        int64_t in_flight;
        if (napi_get_element(env, a, 0, &lo) != napi_ok ||
            napi_get_element(env, a, 1, &hi) != napi_ok || !an_get_pid(I, env, lo, hi, &target) ||
            !get_int(env, b, 0, &in_flight) || in_flight <= 0 ||
            napi_get_element(env, b, 1, &done) != napi_ok)
            return AKT_EINVAL;
        napi_valuetype t;
        napi_typeof(env, done, &t);
        akt_msg *dm = NULL;
        /* b[2]: the type of a Message (its data is b[1]), else undefined. */
        char type[256];
        const char *ty = NULL;
        napi_value tv;
        napi_valuetype tt = napi_undefined;
        if (napi_get_element(env, b, 2, &tv) == napi_ok) napi_typeof(env, tv, &tt);
        if (tt == napi_string) {
            size_t n = 0;
            if (napi_get_value_string_utf8(env, tv, type, sizeof type, &n) != napi_ok ||
                n + 1 >= sizeof type)
                return AKT_EINVAL;
            ty = type;
        }
        /* With bytes too: the target may be on another node (a remote Sink.actor). */
        if (t != napi_undefined &&
            (rc = an_msg_from_js(s, env, done, ty, AN_BY_REF_AND_BYTES, &dm)) != 0)
            return rc;
        rc = akt_stream_sink_actor(g, target, (size_t)in_flight, dm);
        if (dm) akt_msg_release(dm);
    } else if (!strcmp(kind, "map_async")) { /* a = the slot, b = [parallelism, ordered] */
        int64_t par, ordered;
        int32_t slot;
        if (napi_get_value_int32(env, a, &slot) != napi_ok || !get_int(env, b, 0, &par) ||
            !get_int(env, b, 1, &ordered) || par <= 0)
            return AKT_EINVAL;
        an_stage *st = stage_new(I, s, slot, ST_MAP);
        if (!st) return AKT_ENOMEM;
        rc = akt_stream_map_async(g, (size_t)par, ordered ? 1 : 0, st_async, st);
        if (rc) stage_release(st);
    } else if (!strcmp(kind, "flat_map_merge")) { /* a = the slot, b = breadth */
        int64_t breadth;
        int32_t slot;
        if (napi_get_value_int32(env, a, &slot) != napi_ok || !int64_of(env, b, &breadth) ||
            breadth <= 0 || breadth > 4096)
            return AKT_EINVAL;
        an_stage *st = stage_new(I, s, slot, ST_MAP);
        if (!st) return AKT_ENOMEM;
        rc = akt_stream_flat_map_merge(g, (size_t)breadth, st_flat_merge, st);
        if (rc) stage_release(st);
    } else if (!strcmp(kind, "collect")) {
        rc = akt_stream_sink_collect(g);
    } else if (!strcmp(kind, "first")) {
        rc = akt_stream_sink_first(g);
    } else if (!strcmp(kind, "ignore")) {
        rc = akt_stream_sink_ignore(g);
    } else if (is_junction(kind)) {
        rc = add_junction(I, s, env, g, kind, a, b);
    } else if (!strcmp(kind, "batch")) { /* a = the slot, b = [n, maxWaitMs] */
        int64_t n, wait;
        int32_t slot;
        if (napi_get_value_int32(env, a, &slot) != napi_ok || !get_int(env, b, 0, &n) ||
            !get_int(env, b, 1, &wait) || n <= 0 || wait <= 0 || wait > 3600000)
            return AKT_EINVAL;
        an_stage *st = stage_new(I, s, slot, ST_ZIP); /* the same call: an array of the values */
        if (!st) return AKT_ENOMEM;
        rc = akt_stream_batch(g, (size_t)n, wait * 1000000, st_zip, st);
        if (rc) stage_release(st);
    } else {
        int seeded = !strcmp(kind, "scan") || !strcmp(kind, "fold_sink");
        int k = seeded ? ST_FOLD : kind_of(kind);
        int32_t slot;
        if (k < 0 || napi_get_value_int32(env, a, &slot) != napi_ok) return AKT_EINVAL;
        an_stage *st = stage_new(I, s, slot, k);
        if (!st) return AKT_ENOMEM;
        akt_msg *seed = NULL;
        rc = seeded ? an_msg_from_js(s, env, b, NULL, 1, &seed) : 0;
        if (rc == 0) {
            switch (k) {
            case ST_MAP:
                rc = akt_stream_map(g, st_map, st);
                break;
            case ST_FILTER:
                rc = akt_stream_filter(g, st_filter, st);
                break;
            case ST_FLAT:
                rc = akt_stream_flat_map(g, st_flat, st);
                break;
            case ST_EACH:
                rc = akt_stream_sink_for_each(g, st_each, st);
                break;
            case ST_UNFOLD:
                rc = akt_stream_source_unfold(g, st_unfold, st);
                break;
            default:
                rc = !strcmp(kind, "scan") ? akt_stream_scan(g, seed, st_fold, st)
                                           : akt_stream_sink_fold(g, seed, st_fold, st);
            }
        }
        if (seed) akt_msg_release(seed);
        if (rc) stage_release(st); /* the graph did not take it (its slot is freed with it) */
    }
    if (rc) return rc;
    napi_valuetype t;
    napi_typeof(env, nv, &t);
    if (t == napi_string) {
        if (napi_get_value_string_utf8(env, nv, name, sizeof name, &n) != napi_ok)
            return AKT_EINVAL;
        if ((rc = akt_stream_stage_name(g, name)) != 0) return rc;
    }
    int32_t strategy = 0, retries = 0;
    napi_get_value_int32(env, ev, &strategy);
    napi_get_value_int32(env, rv, &retries);
    if (strategy || retries)
        rc = akt_stream_stage_on_error(g, strategy, (unsigned)(retries < 0 ? 0 : retries));
    return rc;
}

/* A graph of stage rows (a branch graph: no source, if branch) on s's dispatcher. */
static int build_graph(an_inst *I, an_sys *s, napi_env env, napi_value stages, int64_t window,
                       bool fusion, int branch, akt_stream_graph **out) {
    uint32_t n = 0;
    if (window <= 0 || napi_get_array_length(env, stages, &n) != napi_ok) return AKT_EINVAL;
    akt_stream_graph *g = NULL;
    int rc = branch ? akt_stream_graph_new_branch(&g) : akt_stream_graph_new(&g);
    if (rc) return rc;
    if (!rc) rc = akt_stream_graph_set_buffer(g, (size_t)window);
    if (!rc) rc = akt_stream_graph_set_fusion(g, fusion);
    if (!rc) rc = akt_stream_graph_set_dispatcher(g, s->disp);
    if (!rc) rc = akt_stream_graph_set_data_hooks(g, stage_retain, stage_release);
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        napi_value d;
        rc = napi_get_element(env, stages, i, &d) == napi_ok ? add_stage(I, s, env, g, d)
                                                             : AKT_EINVAL;
    }
    if (rc) {
        akt_stream_graph_free(g);
        return rc;
    }
    *out = g;
    return 0;
}

/* streamRun(sysHandle, stages, window, fusion, onDone) -> handle */
static napi_value StreamRun(napi_env env, napi_callback_info info) {
    AN_ARGS(5);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    int64_t window = 0;
    bool fusion = true;
    if (napi_get_value_int64(env, argv[2], &window) != napi_ok || window <= 0 ||
        napi_get_value_bool(env, argv[3], &fusion) != napi_ok)
        return an_throw_msg(env, I, AKT_EINVAL, "bad stream options");
    akt_stream_graph *g = NULL;
    int rc = build_graph(I, s, env, argv[1], window, fusion, 0, &g);
    if (rc) return an_throw(env, I, rc);
    an_stream *h = NULL;
    akt_stream *st = NULL;
    if (!rc) rc = akt_stream_run(s->sys, g, &st);
    akt_stream_graph_free(g);
    if (rc) return an_throw(env, I, rc);
    h = calloc(1, sizeof *h);
    napi_value res, name;
    if (!h || napi_create_string_utf8(env, "akt.stream.done", NAPI_AUTO_LENGTH, &name) != napi_ok ||
        napi_create_threadsafe_function(env, argv[4], NULL, name, 0, 1, NULL, NULL, NULL, done_js,
                                        &h->done) != napi_ok) {
        free(h);
        akt_stream_release(st);
        return an_throw(env, I, AKT_ENOMEM);
    }
    h->s = st;
    h->sys = s;
    if (napi_create_external(env, h, stream_finalize, NULL, &res) != napi_ok) {
        akt_stream_cancel(st);
        akt_stream_on_complete(st, on_done, h);
        return NULL;
    }
    akt_stream_on_complete(st, on_done, h); /* first and only: cannot be busy */
    return res;
}

#define AN_STREAM(i)                          \
    an_stream *h = stream_of(env, argv[(i)]); \
    if (!h) return NULL

static napi_value StreamCancel(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_STREAM(0);
    int rc = akt_stream_cancel(h->s);
    return rc ? an_throw(env, I, rc) : NULL;
}

static napi_value StreamDrain(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_STREAM(0);
    int rc = akt_stream_drain(h->s);
    return rc ? an_throw(env, I, rc) : NULL;
}

static napi_value StreamReason(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_STREAM(0);
    const char *why = "";
    akt_stream_reason(h->s, &why);
    napi_value r;
    AN_CALL(napi_create_string_utf8(env, why, NAPI_AUTO_LENGTH, &r));
    return r;
}

static napi_value StreamResults(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_STREAM(0);
    size_t n = 0;
    int rc = akt_stream_result_count(h->s, &n);
    if (rc) return an_throw(env, I, rc);
    napi_value arr;
    AN_CALL(napi_create_array_with_length(env, n, &arr));
    for (size_t i = 0; i < n; i++) {
        akt_msg *m = NULL;
        akt_stream_result_at(h->s, i, &m);
        napi_value v = value_of(I, env, m);
        if (!v) return an_throw(env, I, AKT_EINVAL);
        AN_CALL(napi_set_element(env, arr, (uint32_t)i, v));
    }
    return arr;
}

/* streamMetrics(h) -> [[name, in, out, drops, errors, actor], ...] */
static napi_value StreamMetrics(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_STREAM(0);
    size_t n = 0;
    akt_stream_stage_count(h->s, &n);
    napi_value arr;
    AN_CALL(napi_create_array_with_length(env, n, &arr));
    for (size_t i = 0; i < n; i++) {
        akt_stream_stage_metrics m = {.size = sizeof m};
        akt_stream_metrics(h->s, i, &m);
        napi_value row, v;
        AN_CALL(napi_create_array_with_length(env, 6, &row));
        AN_CALL(napi_create_string_utf8(env, m.name, NAPI_AUTO_LENGTH, &v));
        AN_CALL(napi_set_element(env, row, 0, v));
        double nums[5] = {(double)m.in, (double)m.out, (double)m.drops, (double)m.errors,
                          (double)m.actor};
        for (int k = 0; k < 5; k++) {
            AN_CALL(napi_create_double(env, nums[k], &v));
            AN_CALL(napi_set_element(env, row, (uint32_t)k + 1, v));
        }
        AN_CALL(napi_set_element(env, arr, (uint32_t)i, row));
    }
    return arr;
}

/* streamBranches(h) -> [[first, n], ...] per branch of a fan-out sink ([] otherwise) */
static napi_value StreamBranches(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_STREAM(0);
    napi_value arr;
    AN_CALL(napi_create_array(env, &arr));
    for (uint32_t k = 0;; k++) {
        size_t first = 0, n = 0;
        int rc = akt_stream_branch_results(h->s, k, &first, &n);
        if (rc == AKT_EINVAL) break;
        if (rc) return an_throw(env, I, rc);
        napi_value row, v;
        AN_CALL(napi_create_array_with_length(env, 2, &row));
        AN_CALL(napi_create_double(env, (double)first, &v));
        AN_CALL(napi_set_element(env, row, 0, v));
        AN_CALL(napi_create_double(env, (double)n, &v));
        AN_CALL(napi_set_element(env, row, 1, v));
        AN_CALL(napi_set_element(env, arr, k, row));
    }
    return arr;
}

static napi_value StreamActors(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_STREAM(0);
    size_t n = 0;
    akt_stream_actor_count(h->s, &n);
    napi_value r;
    AN_CALL(napi_create_uint32(env, (uint32_t)n, &r));
    return r;
}

static napi_value StreamRelease(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    void *p = NULL;
    if (napi_get_value_external(env, argv[0], &p) != napi_ok || !p) return NULL;
    an_stream *h = p;
    if (h->s) akt_stream_release(h->s);
    h->s = NULL;
    return NULL;
}

/* streamOffer(h, value) -> 0, or AKT_EFULL (a full queue); throws otherwise */
static napi_value StreamOffer(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    AN_STREAM(0);
    akt_msg *m = NULL;
    int rc = an_msg_from_js(h->sys, env, argv[1], NULL, 1, &m);
    if (rc) return an_throw(env, I, rc);
    rc = akt_stream_offer(h->s, m);
    if (rc) akt_msg_release(m);
    if (rc && rc != AKT_EFULL) return an_throw(env, I, rc);
    napi_value r;
    AN_CALL(napi_create_int32(env, rc, &r));
    return r;
}

/* A room wait: its code goes to the JS callback through a thread-safe function (once). */
static void on_room(akt_stream *s, int rc, void *data) {
    napi_threadsafe_function fn = data;
    napi_call_threadsafe_function(fn, (void *)(intptr_t)rc, napi_tsfn_blocking);
    napi_release_threadsafe_function(fn, napi_tsfn_release);
}

/* streamOnRoom(h, cb): cb(code) once the queue has room (0) or closed (AKT_ESTOPPED). */
static napi_value StreamOnRoom(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    AN_STREAM(0);
    napi_value name;
    napi_threadsafe_function fn;
    if (napi_create_string_utf8(env, "akt.stream.room", NAPI_AUTO_LENGTH, &name) != napi_ok ||
        napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, NULL, NULL, NULL, done_js,
                                        &fn) != napi_ok)
        return an_throw(env, I, AKT_ENOMEM);
    int rc = akt_stream_on_room(h->s, on_room, fn);
    if (rc) {
        napi_release_threadsafe_function(fn, napi_tsfn_release);
        return an_throw(env, I, rc);
    }
    return NULL;
}

static napi_value StreamQueued(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_STREAM(0);
    size_t n = 0;
    int rc = akt_stream_queued(h->s, &n);
    if (rc) return an_throw(env, I, rc);
    napi_value r;
    AN_CALL(napi_create_double(env, (double)n, &r));
    return r;
}

/* streamref begin: streamSourcePid(h) -> the pid in the scratch; streamSourceAddress(h) */
static napi_value StreamSourcePid(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_STREAM(0);
    akt_pid pid;
    int rc = akt_stream_source_pid(h->s, &pid);
    if (rc) return an_throw(env, I, rc);
    an_put_pid(I, AN_SCR_PID, pid);
    return NULL;
}

static napi_value StreamSourceAddress(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_STREAM(0);
    char buf[512];
    int rc = akt_stream_source_address(h->s, buf, sizeof buf, NULL);
    if (rc) return an_throw(env, I, rc);
    napi_value r;
    AN_CALL(napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &r));
    return r;
}
/* streamref end */

/* streamAsyncComplete(p, value) / streamAsyncFail(p): completes a map_async call once. */
static an_pending *pending_of(napi_env env, napi_value v) {
    void *p = NULL;
    if (napi_get_value_external(env, v, &p) != napi_ok || !p) return NULL;
    return p;
}

static napi_value StreamAsyncComplete(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    an_pending *pd = pending_of(env, argv[0]);
    if (!pd || !pd->p) return an_throw_msg(env, I, AKT_EMISUSE, "map_async: completed already");
    akt_stream_async *p = pd->p;
    pd->p = NULL;
    akt_msg *m = NULL;
    int rc = an_msg_from_js(pd->sys, env, argv[1], NULL, 1, &m);
    akt_stream_async_complete(p, rc ? AKT_EFAILED : 0, rc ? NULL : m);
    return NULL;
}

static napi_value StreamAsyncFail(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    an_pending *pd = pending_of(env, argv[0]);
    if (!pd || !pd->p) return an_throw_msg(env, I, AKT_EMISUSE, "map_async: completed already");
    akt_stream_async *p = pd->p;
    pd->p = NULL;
    akt_stream_async_complete(p, AKT_EFAILED, NULL);
    return NULL;
}

/* streamHook(call, END): lib/stream.cjs's dispatcher of stage calls. */
static napi_value StreamHook(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    if (hook_call) napi_delete_reference(env, hook_call);
    if (hook_end) napi_delete_reference(env, hook_end);
    napi_create_reference(env, argv[0], 1, &hook_call);
    napi_create_reference(env, argv[1], 1, &hook_end);
    return NULL;
}

/* streamFreed() -> slots whose stages are gone */
static napi_value StreamFreed(napi_env env, napi_callback_info info) {
    AN_ARGS(0);
    napi_value arr;
    pthread_mutex_lock(&freed_lock);
    size_t n = n_freed;
    napi_status st = napi_create_array_with_length(env, n, &arr);
    for (size_t i = 0; st == napi_ok && i < n; i++) {
        napi_value v;
        st = napi_create_int32(env, freed[i], &v);
        if (st == napi_ok) st = napi_set_element(env, arr, (uint32_t)i, v);
    }
    if (st == napi_ok) n_freed = 0;
    pthread_mutex_unlock(&freed_lock);
    AN_CALL(st);
    return arr;
}

napi_status an_register_stream(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"streamHook", StreamHook},
                                {"streamRun", StreamRun},
                                {"streamCancel", StreamCancel},
                                {"streamDrain", StreamDrain},
                                {"streamReason", StreamReason},
                                {"streamResults", StreamResults},
                                {"streamMetrics", StreamMetrics},
                                {"streamActors", StreamActors},
                                {"streamBranches", StreamBranches},
                                {"streamRelease", StreamRelease},
                                {"streamFreed", StreamFreed},
                                {"streamOffer", StreamOffer},
                                {"streamQueued", StreamQueued},
                                {"streamSourcePid", StreamSourcePid},
                                {"streamSourceAddress", StreamSourceAddress},
                                {"streamAsyncComplete", StreamAsyncComplete},
                                {"streamAsyncFail", StreamAsyncFail},
                                {"streamOnRoom", StreamOnRoom},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
