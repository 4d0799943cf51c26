/*
 * aktj_stream.c -- reactive streams from Java (akt/stream.h): the stage functions are Java
 * objects (dev.akt.StreamStage) called from akt's workers through one upcall; a stream's
 * end completes a CompletableFuture through StreamStage.done.
 */
#include <stdint.h>
#include <stdlib.h>

#include <akt/stream.h>

#include "aktj_internal.h"

/* dev.akt.StreamStage and its upcalls, cached from the Java thread that builds the first
 * graph (akt's threads cannot find application classes). Written once before any stream
 * exists; a stream's start publishes them to its actors. */
static jclass stage_class;
static jmethodID m_call, m_call_many, m_done, m_call_zip;

static int cache(JNIEnv *env) {
    if (stage_class) return 0;
    jclass c = (*env)->FindClass(env, "dev/akt/StreamStage");
    if (c == NULL) return AKT_EFAILED;
    m_call = (*env)->GetStaticMethodID(env, c, "call", "(Ljava/lang/Object;JJ)J");
    m_call_many = (*env)->GetStaticMethodID(env, c, "callMany", "(Ljava/lang/Object;J)[J");
    m_done = (*env)->GetStaticMethodID(env, c, "done", "(Ljava/lang/Object;I)V");
    m_call_zip = (*env)->GetStaticMethodID(env, c, "callZip", "(Ljava/lang/Object;[J)J");
    if (!m_call || !m_call_many || !m_done || !m_call_zip) return AKT_EFAILED;
    stage_class = (*env)->NewGlobalRef(env, c);
    (*env)->DeleteLocalRef(env, c);
    return stage_class ? 0 : AKT_ENOMEM;
}

/* A stage's data: a global reference to its StreamStage, refcounted by the graph and each
 * stream (akt's data hooks); the last release deletes it on whichever thread that is. */
typedef struct jstage {
    /* relaxed increments (made from a held reference); acq_rel decrement before the free. */
    atomic_int refs;
    jobject stage;
} jstage;

static void js_retain(void *d) {
    atomic_fetch_add_explicit(&((jstage *)d)->refs, 1, memory_order_relaxed);
}

static void js_release(void *d) {
    jstage *s = d;
    if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1) return;
    JNIEnv *env = aktj_env();
    if (env != NULL) (*env)->DeleteGlobalRef(env, s->stage);
    free(s);
}

/* StreamStage.call(stage, a, b): a new message handle, or a code below (see StreamStage). */
#define J_FAILED (-2)
#define J_END (-1)

static jlong upcall(jstage *s, akt_msg *a, akt_msg *b) {
    JNIEnv *env = aktj_env();
    if (env == NULL) return J_FAILED;
    jlong r = (*env)->CallStaticLongMethod(env, stage_class, m_call, s->stage, AKTJ_HANDLE(a),
                                           AKTJ_HANDLE(b));
    return aktj_drop_exception(env, "StreamStage.call") ? J_FAILED : r;
}

static int j_map(akt_msg *in, akt_msg **out, void *d) {
    jlong r = upcall(d, in, NULL);
    if (r <= 0) return AKT_EFAILED;
    *out = AKTJ_PTR(r);
    return 0;
}

static int j_fold(akt_msg *acc, akt_msg *in, akt_msg **out, void *d) {
    jlong r = upcall(d, acc, in);
    if (r <= 0) return AKT_EFAILED;
    *out = AKTJ_PTR(r);
    return 0;
}

static int j_filter(akt_msg *in, int *keep, void *d) {
    jlong r = upcall(d, in, NULL);
    if (r < 0) return AKT_EFAILED;
    *keep = r != 0;
    return 0;
}

static int j_each(akt_msg *in, void *d) { return upcall(d, in, NULL) < 0 ? AKT_EFAILED : 0; }

static int j_unfold(void *d, akt_msg **out) {
    jlong r = upcall(d, NULL, NULL);
    *out = NULL;
    if (r == J_END) return 0;
    if (r <= 0) return AKT_EFAILED;
    *out = AKTJ_PTR(r);
    return 0;
}

static int j_flat(akt_msg *in, akt_stream_emit_fn emit, void *ectx, void *d) {
    jstage *s = d;
    JNIEnv *env = aktj_env();
    if (env == NULL || (*env)->PushLocalFrame(env, 2) != 0) return AKT_EFAILED;
    jlongArray arr = (*env)->CallStaticObjectMethod(env, stage_class, m_call_many, s->stage,
                                                    AKTJ_HANDLE(in));
    int rc = AKT_EFAILED;
    if (!aktj_drop_exception(env, "StreamStage.callMany") && arr != NULL) {
        jsize n = (*env)->GetArrayLength(env, arr);
        jlong *v = (*env)->GetLongArrayElements(env, arr, NULL);
        rc = v ? 0 : AKT_ENOMEM;
        for (jsize i = 0; v && i < n; i++) {
            akt_msg *m = AKTJ_PTR(v[i]);
            if (rc == 0)
                rc = emit(ectx, m); /* emit takes m, also on failure */
            else
                akt_msg_release(m);
        }
        if (v) (*env)->ReleaseLongArrayElements(env, arr, v, JNI_ABORT);
    }
    (*env)->PopLocalFrame(env, NULL);
    return rc;
}

/* zip: StreamStage.callZip(stage, [handles]) gives the combined element. */
static int j_zip(akt_msg *const *in, size_t n, akt_msg **out, void *d) {
    jstage *s = d;
    JNIEnv *env = aktj_env();
    if (env == NULL || (*env)->PushLocalFrame(env, 2) != 0) return AKT_EFAILED;
    int rc = AKT_EFAILED;
    jlongArray arr = (*env)->NewLongArray(env, (jsize)n);
    for (size_t i = 0; arr && i < n; i++) {
        jlong h = AKTJ_HANDLE(in[i]);
        (*env)->SetLongArrayRegion(env, arr, (jsize)i, 1, &h);
    }
    if (arr) {
        jlong r = (*env)->CallStaticLongMethod(env, stage_class, m_call_zip, s->stage, arr);
        if (!aktj_drop_exception(env, "StreamStage.callZip") && r > 0) {
            *out = AKTJ_PTR(r);
            rc = 0;
        }
    } else {
        aktj_drop_exception(env, "NewLongArray");
    }
    (*env)->PopLocalFrame(env, NULL);
    return rc;
}

/* partition: StreamStage.call(stage, in, 0) gives the branch index (>= 0) or FAILED. */
static int j_partition(akt_msg *in, size_t *branch, void *d) {
    jlong r = upcall(d, in, NULL);
    if (r < 0) return AKT_EFAILED;
    *branch = (uint64_t)r > SIZE_MAX ? SIZE_MAX : (size_t)r;
    return 0;
}

/* map_async: StreamStage.call(stage, in, pending) starts the call (0) or fails (FAILED:
 * pending not taken). */
static int j_async(akt_msg *in, akt_stream_async *pending, void *d) {
    jlong r = upcall(d, in, (akt_msg *)(void *)pending);
    return r < 0 ? AKT_EFAILED : 0;
}

/* flat_map_merge: StreamStage.call gives the inner source's graph (a new handle, taken). */
static int j_flat_merge(akt_msg *in, akt_stream_graph **out, void *d) {
    jlong r = upcall(d, in, NULL);
    if (r <= 0) return AKT_EFAILED;
    *out = AKTJ_PTR(r);
    return 0;
}

/* A CompletableFuture completed with a stream's rc (StreamStage.done): the end of a run
 * (akt_stream_on_complete) or room for the next offer (akt_stream_on_room). */
typedef struct jdone {
    jobject cf;
} jdone;

static void on_done(akt_stream *s, int rc, void *data) {
    (void)s;
    jdone *d = data;
    JNIEnv *env = aktj_env();
    if (env != NULL) {
        (*env)->CallStaticVoidMethod(env, stage_class, m_done, d->cf, rc);
        aktj_drop_exception(env, "StreamStage.done");
        (*env)->DeleteGlobalRef(env, d->cf);
    }
    free(d);
}

int aktj_stream_on_room(JNIEnv *env, jlong stream, jobject future) {
    if (future == NULL || cache(env) != 0) return AKT_EINVAL;
    jdone *d = malloc(sizeof *d);
    if (d == NULL) return AKT_ENOMEM;
    d->cf = (*env)->NewGlobalRef(env, future);
    int rc = d->cf ? akt_stream_on_room(AKTJ_PTR(stream), on_done, d) : AKT_ENOMEM;
    if (rc != 0) {
        if (d->cf) (*env)->DeleteGlobalRef(env, d->cf);
        free(d);
    }
    return rc;
}

int aktj_stream_offer(jlong stream, jlong msg) {
    return akt_stream_offer(AKTJ_PTR(stream), AKTJ_PTR(msg));
}

/* streamref begin */
jlong aktj_stream_source_pid(jlong stream) {
    akt_pid p = {0};
    int rc = akt_stream_source_pid(AKTJ_PTR(stream), &p);
    return rc ? rc : (jlong)p.id;
}

jstring aktj_stream_source_address(JNIEnv *env, jlong stream) {
    char buf[512];
    if (akt_stream_source_address(AKTJ_PTR(stream), buf, sizeof buf, NULL) != 0) return NULL;
    return (*env)->NewStringUTF(env, buf);
}
/* streamref end */

jlong aktj_stream_queued(jlong stream) {
    size_t n = 0;
    int rc = akt_stream_queued(AKTJ_PTR(stream), &n);
    return rc ? rc : (jlong)n;
}

int aktj_stream_async_complete(jlong pending, jint rc, jlong msg) {
    return akt_stream_async_complete(AKTJ_PTR(pending), rc, AKTJ_PTR(msg));
}

static jlong graph_new(JNIEnv *env, jint window, jboolean fusion, int branch) {
    akt_stream_graph *g = NULL;
    if (cache(env) != 0 ||
        (branch ? akt_stream_graph_new_branch(&g) : akt_stream_graph_new(&g)) != 0)
        return 0;
    if (akt_stream_graph_set_buffer(g, (size_t)(window > 0 ? window : 0)) != 0 ||
        akt_stream_graph_set_fusion(g, fusion ? 1 : 0) != 0 ||
        akt_stream_graph_set_data_hooks(g, js_retain, js_release) != 0) {
        akt_stream_graph_free(g);
        return 0;
    }
    return AKTJ_HANDLE(g);
}

jlong aktj_stream_graph_new(JNIEnv *env, jint window, jboolean fusion) {
    return graph_new(env, window, fusion, 0);
}

jlong aktj_stream_branch_new(JNIEnv *env, jint window, jboolean fusion) {
    return graph_new(env, window, fusion, 1);
}

/* A junction (kind 20 merge, 21 concat, 22 zip, 23 broadcast, 24 balance, 25 partition) of
 * the graphs subs (copied: the caller frees them); stage: zip's or partition's StreamStage. */
int aktj_stream_junction(JNIEnv *env, jlong graph, jint kind, jlongArray subs, jobject stage) {
    if (subs == NULL) return AKT_EINVAL;
    akt_stream_graph *g = AKTJ_PTR(graph);
    jsize n = (*env)->GetArrayLength(env, subs);
    if (n <= 0 || n > 64) return AKT_EINVAL;
    akt_stream_graph *v[64];
    jlong h[64];
    (*env)->GetLongArrayRegion(env, subs, 0, n, h);
    for (jsize i = 0; i < n; i++) v[i] = AKTJ_PTR(h[i]);
    jstage *s = NULL;
    if (kind == 22 || kind == 25) {
        if (stage == NULL) return AKT_EINVAL;
        if ((s = malloc(sizeof *s)) == NULL) return AKT_ENOMEM;
        atomic_init(&s->refs, 1);
        s->stage = (*env)->NewGlobalRef(env, stage);
        if (s->stage == NULL) {
            free(s);
            return AKT_ENOMEM;
        }
    }
    int rc;
    switch (kind) {
    case 20:
        rc = akt_stream_source_merge(g, v, (size_t)n);
        break;
    case 21:
        rc = akt_stream_source_concat(g, v, (size_t)n);
        break;
    case 22:
        rc = akt_stream_source_zip(g, v, (size_t)n, j_zip, s);
        break;
    case 23:
        rc = akt_stream_sink_broadcast(g, v, (size_t)n);
        break;
    case 24:
        rc = akt_stream_sink_balance(g, v, (size_t)n);
        break;
    case 25:
        rc = akt_stream_sink_partition(g, v, (size_t)n, j_partition, s);
        break;
    default:
        rc = AKT_EINVAL;
    }
    if (rc != 0 && s) js_release(s); /* not taken */
    return rc;
}

/* [first0, n0, first1, n1, ...] of a fan-out sink's branches, or null (not a fan-out). */
jlongArray aktj_stream_branches(JNIEnv *env, jlong stream) {
    akt_stream *s = AKTJ_PTR(stream);
    size_t k = 0, first, n;
    while (akt_stream_branch_results(s, k, &first, &n) == 0) k++;
    if (k == 0) return NULL;
    jlongArray arr = (*env)->NewLongArray(env, (jsize)(2 * k));
    for (size_t i = 0; arr && i < k; i++) {
        akt_stream_branch_results(s, i, &first, &n);
        jlong v[2] = {(jlong)first, (jlong)n};
        (*env)->SetLongArrayRegion(env, arr, (jsize)(2 * i), 2, v);
    }
    return arr;
}

int aktj_stream_graph_free(jlong graph) { return akt_stream_graph_free(AKTJ_PTR(graph)); }

/* kind: see StreamStage.Kind. fn: the StreamStage (for the kinds with a function), seed a
 * message handle (scan, fold; borrowed), a/b/c integers (range; buffer size, overflow). */
int aktj_stream_add(JNIEnv *env, jlong graph, jint kind, jobject stage, jlong seed, jlong a,
                    jlong b, jlong c) {
    akt_stream_graph *g = AKTJ_PTR(graph);
    switch (kind) {
    case 0:
        return akt_stream_source_range(g, a, b, c);
    case 1:
        return akt_stream_dedup(g);
    case 2:
        return a <= 0 ? AKT_EINVAL : akt_stream_buffer(g, (size_t)a, (int)b);
    case 3:
        return akt_stream_sink_collect(g);
    case 4:
        return akt_stream_sink_first(g);
    case 5:
        return akt_stream_sink_ignore(g);
    case 6:
        return a <= 0 || a > UINT32_MAX ? AKT_EINVAL : akt_stream_throttle(g, (uint32_t)a, b);
    case 7: /* tick: seed the tick message, a the initial delay, b the interval (ns) */
        return akt_stream_source_tick(g, a, b, AKTJ_PTR(seed));
    case 9: /* queue: a the capacity */
        return a <= 0 ? AKT_EINVAL : akt_stream_source_queue(g, (size_t)a);
    case 30: /* actor source (a source reference): a the capacity */
        return a <= 0 || a > 65536 ? AKT_EINVAL : akt_stream_source_actor(g, (size_t)a);
    case 17: /* actor sink: a the pid, b the most in flight, seed the on-complete message */
        return b <= 0 ? AKT_EINVAL
                      : akt_stream_sink_actor(g, (akt_pid){(uint64_t)a}, (size_t)b, AKTJ_PTR(seed));
    default:
        break;
    }
    if (stage == NULL) return AKT_EINVAL;
    jstage *s = malloc(sizeof *s);
    if (s == NULL) return AKT_ENOMEM;
    atomic_init(&s->refs, 1);
    s->stage = (*env)->NewGlobalRef(env, stage);
    if (s->stage == NULL) {
        free(s);
        return AKT_ENOMEM;
    }
    int rc;
    switch (kind) {
    case 10:
        rc = akt_stream_source_unfold(g, j_unfold, s);
        break;
    case 11:
        rc = akt_stream_map(g, j_map, s);
        break;
    case 12:
        rc = akt_stream_filter(g, j_filter, s);
        break;
    case 13:
        rc = akt_stream_flat_map(g, j_flat, s);
        break;
    case 14:
        rc = akt_stream_scan(g, AKTJ_PTR(seed), j_fold, s);
        break;
    case 15:
        rc = akt_stream_sink_for_each(g, j_each, s);
        break;
    case 16:
        rc = akt_stream_sink_fold(g, AKTJ_PTR(seed), j_fold, s);
        break;
    case 18: /* map_async: a the parallelism, b ordered */
        rc = a <= 0 ? AKT_EINVAL : akt_stream_map_async(g, (size_t)a, b ? 1 : 0, j_async, s);
        break;
    case 19: /* flat_map_merge: a the breadth */
        rc = a <= 0 || a > 4096 ? AKT_EINVAL
                                : akt_stream_flat_map_merge(g, (size_t)a, j_flat_merge, s);
        break;
    case 8: /* batch: a elements at most, b the longest wait (ns) */
        rc = a <= 0 ? AKT_EINVAL : akt_stream_batch(g, (size_t)a, b, j_zip, s);
        break;
    default:
        rc = AKT_EINVAL;
    }
    if (rc != 0) js_release(s); /* not taken */
    return rc;
}

int aktj_stream_values(JNIEnv *env, jlong graph, jlongArray msgs) {
    if (msgs == NULL) return AKT_EINVAL;
    jsize n = (*env)->GetArrayLength(env, msgs);
    jlong *v = (*env)->GetLongArrayElements(env, msgs, NULL);
    if (v == NULL) return AKT_ENOMEM;
    akt_msg **m = malloc(((size_t)n + 1) * sizeof *m);
    int rc = m ? 0 : AKT_ENOMEM;
    for (jsize i = 0; m && i < n; i++) m[i] = AKTJ_PTR(v[i]);
    if (rc == 0) rc = akt_stream_source_values(AKTJ_PTR(graph), m, (size_t)n);
    free(m);
    (*env)->ReleaseLongArrayElements(env, msgs, v, JNI_ABORT);
    return rc;
}

int aktj_stream_stage_options(JNIEnv *env, jlong graph, jstring name, jint on_error, jint retries) {
    akt_stream_graph *g = AKTJ_PTR(graph);
    int rc = 0;
    if (name != NULL) {
        const char *n = (*env)->GetStringUTFChars(env, name, NULL);
        if (n == NULL) return AKT_ENOMEM;
        rc = akt_stream_stage_name(g, n);
        (*env)->ReleaseStringUTFChars(env, name, n);
    }
    if (rc == 0 && (on_error || retries))
        rc = retries < 0 ? AKT_EINVAL : akt_stream_stage_on_error(g, on_error, (unsigned)retries);
    return rc;
}

/* Runs graph on system; out[0] gets the stream. done (a CompletableFuture) gets the end
 * code through StreamStage.done. */
int aktj_stream_run(JNIEnv *env, jlong system, jlong graph, jobject done, jlongArray out) {
    if (done == NULL || out == NULL || (*env)->GetArrayLength(env, out) < 1) return AKT_EINVAL;
    jdone *d = malloc(sizeof *d);
    if (d == NULL) return AKT_ENOMEM;
    d->cf = (*env)->NewGlobalRef(env, done);
    akt_stream *s = NULL;
    int rc = d->cf ? akt_stream_run(AKTJ_PTR(system), AKTJ_PTR(graph), &s) : AKT_ENOMEM;
    if (rc != 0) {
        if (d->cf) (*env)->DeleteGlobalRef(env, d->cf);
        free(d);
        return rc;
    }
    jlong h = AKTJ_HANDLE(s);
    (*env)->SetLongArrayRegion(env, out, 0, 1, &h);
    akt_stream_on_complete(s, on_done, d); /* the first callback: cannot be busy */
    return 0;
}

int aktj_stream_cancel(jlong stream) { return akt_stream_cancel(AKTJ_PTR(stream)); }
int aktj_stream_drain(jlong stream) { return akt_stream_drain(AKTJ_PTR(stream)); }
int aktj_stream_release(jlong stream) { return akt_stream_release(AKTJ_PTR(stream)); }

jstring aktj_stream_reason(JNIEnv *env, jlong stream) {
    const char *why = "";
    akt_stream_reason(AKTJ_PTR(stream), &why);
    return (*env)->NewStringUTF(env, why);
}

/* The results as borrowed message handles (valid while the stream is), or null before the
 * end. */
jlongArray aktj_stream_results(JNIEnv *env, jlong stream) {
    akt_stream *s = AKTJ_PTR(stream);
    size_t n = 0;
    if (akt_stream_result_count(s, &n) != 0) return NULL;
    jlongArray arr = (*env)->NewLongArray(env, (jsize)n);
    for (size_t i = 0; arr && i < n; i++) {
        akt_msg *m = NULL;
        akt_stream_result_at(s, i, &m);
        jlong h = AKTJ_HANDLE(m);
        (*env)->SetLongArrayRegion(env, arr, (jsize)i, 1, &h);
    }
    return arr;
}

/* Stage i's [in, out, drops, errors, actor], or null past the last stage. */
jlongArray aktj_stream_metrics(JNIEnv *env, jlong stream, jint stage) {
    akt_stream_stage_metrics m = {.size = sizeof m};
    if (stage < 0 || akt_stream_metrics(AKTJ_PTR(stream), (size_t)stage, &m) != 0) return NULL;
    jlong v[5] = {(jlong)m.in, (jlong)m.out, (jlong)m.drops, (jlong)m.errors, (jlong)m.actor};
    jlongArray arr = (*env)->NewLongArray(env, 5);
    if (arr) (*env)->SetLongArrayRegion(env, arr, 0, 5, v);
    return arr;
}

jstring aktj_stream_stage_name(JNIEnv *env, jlong stream, jint stage) {
    akt_stream_stage_metrics m = {.size = sizeof m};
    if (stage < 0 || akt_stream_metrics(AKTJ_PTR(stream), (size_t)stage, &m) != 0) return NULL;
    return (*env)->NewStringUTF(env, m.name);
}

jint aktj_stream_stage_count(jlong stream) {
    size_t n = 0;
    akt_stream_stage_count(AKTJ_PTR(stream), &n);
    return (jint)n;
}

jint aktj_stream_actor_count(jlong stream) {
    size_t n = 0;
    akt_stream_actor_count(AKTJ_PTR(stream), &n);
    return (jint)n;
}
