/*
 * aktj_system.c -- systems whose threads attach to this JVM, paths, and the event stream.
 */
#include <stdlib.h>
#include <string.h>

#include "aktj_internal.h"

#include <akt/remote.h>

/* What the binding keeps per system besides akt's handle. */
typedef struct aktj_system {
    jobject decider;    /* supervisor decider of top-level actors, or NULL */
    jobject guardian;   /* the future a guardian's shutdown completes (terminated), or NULL */
    jobject propagator; /* local: the Propagation akt's inject calls, or NULL */
    /* local: the grain activations' dependency sets (aktj_grain_deps), freed with rec */
    _Atomic(aktj_grain_depset *) grain_deps;
    size_t next; /* extensions: global references, akt's pointers to them */
    jobject ext[];
} aktj_system;

static void grain_deps_free(JNIEnv *env, aktj_grain_depset *d) {
    for (size_t i = 0; i < d->n; i++) {
        free(d->names[i]);
        if (d->values[i] != NULL) (*env)->DeleteGlobalRef(env, d->values[i]);
    }
    free(d->names);
    free(d);
}

static void ext_free(JNIEnv *env, aktj_system *rec) {
    for (size_t i = 0; i < rec->next; i++)
        if (rec->ext[i] != NULL) (*env)->DeleteGlobalRef(env, rec->ext[i]);
    /* acquire: pairs with aktj_grain_deps' release push (the system is gone: no more) */
    aktj_grain_depset *d = atomic_load_explicit(&rec->grain_deps, memory_order_acquire);
    while (d != NULL) {
        aktj_grain_depset *next = d->next;
        grain_deps_free(env, d);
        d = next;
    }
    atomic_store_explicit(&rec->grain_deps, NULL, memory_order_relaxed);
}

jlong aktj_grain_deps(JNIEnv *env, jlong record, jobjectArray names, jobjectArray values) {
    aktj_system *rec = AKTJ_PTR(record);
    if (rec == NULL || names == NULL || values == NULL) return 0;
    jsize n = (*env)->GetArrayLength(env, names);
    if (n < 1 || (*env)->GetArrayLength(env, values) != n) return 0;
    aktj_grain_depset *d = calloc(1, sizeof *d + (size_t)n * sizeof(jobject));
    if (d == NULL || (d->names = calloc((size_t)n, sizeof *d->names)) == NULL) {
        free(d);
        return 0;
    }
    int ok = 1;
    for (jsize i = 0; ok && i < n; i++) {
        jstring jn = (*env)->GetObjectArrayElement(env, names, i);
        jobject v = (*env)->GetObjectArrayElement(env, values, i);
        const char *name = jn != NULL ? (*env)->GetStringUTFChars(env, jn, NULL) : NULL;
        d->n = (size_t)i + 1;
        d->names[i] = name != NULL ? strdup(name) : NULL;
        d->values[i] = v != NULL ? (*env)->NewGlobalRef(env, v) : NULL;
        ok = d->names[i] != NULL && d->values[i] != NULL;
        if (name != NULL) (*env)->ReleaseStringUTFChars(env, jn, name);
        (*env)->DeleteLocalRef(env, jn);
        (*env)->DeleteLocalRef(env, v);
    }
    if (!ok) {
        grain_deps_free(env, d);
        return 0;
    }
    aktj_grain_depset *head = atomic_load_explicit(&rec->grain_deps, memory_order_relaxed);
    do {
        d->next = head;
        /* release: the set's fields are written before a reader (ext_free) finds it; the
         * handle itself reaches aktj_grain_send through Java, which orders it as well */
    } while (!atomic_compare_exchange_weak_explicit(&rec->grain_deps, &head, d,
                                                    memory_order_release, memory_order_relaxed));
    return AKTJ_HANDLE(d);
}

int aktj_system_create(JNIEnv *env, jstring name, jint workers, jint throughput, jint directive,
                       jobject decider, jint strategy, jlong max_retries, jlong within_ns,
                       jdoubleArray backoff, jobjectArray ext_names, jobjectArray ext_values,
                       jobject propagator, jint waiters_run_turns, jlongArray out) {
    if (out == NULL || (*env)->GetArrayLength(env, out) < 2) return AKT_EINVAL;
    if (max_retries < 0 || max_retries > (jlong)UINT32_MAX) return AKT_EINVAL;
    size_t next = ext_names != NULL ? (size_t)(*env)->GetArrayLength(env, ext_names) : 0;
    if (next > 0 && (ext_values == NULL || (size_t)(*env)->GetArrayLength(env, ext_values) != next))
        return AKT_EINVAL;
    aktj_system *rec = calloc(1, sizeof *rec + next * sizeof(jobject));
    const char **names = calloc(next > 0 ? next : 1, sizeof *names);
    jstring *jnames = calloc(next > 0 ? next : 1, sizeof *jnames);
    if (rec == NULL || names == NULL || jnames == NULL) {
        free(rec);
        free(names);
        free(jnames);
        return AKT_ENOMEM;
    }
    int erc = 0;
    for (size_t i = 0; i < next; i++) {
        jnames[i] = (*env)->GetObjectArrayElement(env, ext_names, (jsize)i);
        jobject v = (*env)->GetObjectArrayElement(env, ext_values, (jsize)i);
        names[i] = jnames[i] != NULL ? (*env)->GetStringUTFChars(env, jnames[i], NULL) : NULL;
        rec->ext[i] = v != NULL ? (*env)->NewGlobalRef(env, v) : NULL;
        rec->next = i + 1;
        (*env)->DeleteLocalRef(env, v);
        if (names[i] == NULL) erc = AKT_EINVAL;
    }
    /* The hooks' data must outlive every thread of the system: an interned name does. */
    const char *hook_name = AKTJ_PTR(aktj_intern(env, name));
    const char *cname = name != NULL ? (*env)->GetStringUTFChars(env, name, NULL) : NULL;

    akt_supervisor sup;
    aktj_supervisor_init(env, &sup, directive, decider, strategy, max_retries, within_ns, backoff);
    rec->decider = sup.decide_data;

    akt_system_options opts;
    akt_system_options_init(&opts);
    opts.name = cname;
    opts.workers = workers;
    opts.throughput = throughput;
    opts.thread_start = aktj_thread_start;
    opts.thread_stop = aktj_thread_stop;
    opts.thread_hook_data = (void *)(hook_name != NULL ? hook_name : "akt");
    /* The hooks attach akt's threads to the JVM; a Java thread waiting for an ask is
     * attached already, so it may run the target's turn itself (AskFuture). */
    opts.waiters_run_turns = waiters_run_turns != 0;
    opts.supervisor = &sup;
    opts.extension_names = names;
    opts.extension_values = (void *const *)rec->ext;
    opts.extension_count = next;

    akt_propagator prop; /* local */
    int has_prop = erc ? 0 : aktj_propagator_of(env, propagator, &prop, &rec->propagator);
    if (has_prop < 0) erc = has_prop;
    if (has_prop > 0) opts.propagator = &prop;

    akt_system *sys = NULL;
    int rc = erc ? erc : akt_system_create(&opts, &sys);
    if (cname != NULL) (*env)->ReleaseStringUTFChars(env, name, cname);
    for (size_t i = 0; i < next; i++) { /* names are copied by akt */
        if (names[i] != NULL) (*env)->ReleaseStringUTFChars(env, jnames[i], names[i]);
        if (jnames[i] != NULL) (*env)->DeleteLocalRef(env, jnames[i]);
    }
    free(names);
    free(jnames);
    if (rc != 0) {
        if (rec->decider != NULL) (*env)->DeleteGlobalRef(env, rec->decider);
        if (rec->propagator != NULL) (*env)->DeleteGlobalRef(env, rec->propagator);
        ext_free(env, rec);
        free(rec);
        return rc;
    }
    jlong handles[2] = {AKTJ_HANDLE(sys), AKTJ_HANDLE(rec)};
    (*env)->SetLongArrayRegion(env, out, 0, 2, handles);
    return 0;
}

int aktj_system_destroy(JNIEnv *env, jlong system, jlong record) {
    akt_system *sys = AKTJ_PTR(system);
    aktj_system *rec = AKTJ_PTR(record);
    if (sys == NULL || rec == NULL) return AKT_EINVAL;
    akt_system_shutdown(sys, NULL, NULL); /* AKT_ECLOSED when close() did it already */
    int rc = akt_system_wait(sys, -1);
    akt_system_release(sys);
    if (rc != 0) return rc; /* still running somewhere: the decider may be needed, keep it */
    if (rec->decider != NULL) (*env)->DeleteGlobalRef(env, rec->decider);
    if (rec->guardian != NULL) (*env)->DeleteGlobalRef(env, rec->guardian);
    if (rec->propagator != NULL) (*env)->DeleteGlobalRef(env, rec->propagator);
    ext_free(env, rec);
    free(rec);
    return 0;
}

/* A shutdown the guardian's policy started is over: complete terminated (a reference of
 * its own, which aktj_future_done drops; rec's stays until aktj_system_destroy). */
static void guardian_done(akt_system *system, void *data) {
    (void)system;
    aktj_system *rec = data;
    JNIEnv *env = aktj_env();
    if (env == NULL) return;
    jobject ref = (*env)->NewGlobalRef(env, rec->guardian);
    if (ref != NULL) aktj_future_done(NULL, 0, NULL, ref);
}

int aktj_guardian_set(JNIEnv *env, jlong system, jlong record, jint policy, jobject terminated) {
    akt_system *sys = AKTJ_PTR(system);
    aktj_system *rec = AKTJ_PTR(record);
    if (sys == NULL || rec == NULL || terminated == NULL) return AKT_EINVAL;
    /* One reference for the system's life: setting the policy again replaces akt's cb and
     * data with the same ones, so nothing is left behind. Written before the policy is set;
     * akt's lock orders it before guardian_done reads it on an akt thread. */
    if (policy == AKT_GUARDIAN_SHUTDOWN && rec->guardian == NULL) {
        rec->guardian = (*env)->NewGlobalRef(env, terminated);
        if (rec->guardian == NULL) return AKT_ENOMEM;
    }
    return akt_system_set_guardian_policy(sys, policy, rec->guardian ? guardian_done : NULL, rec);
}

static jobject ext_ref(JNIEnv *env, int rc, void *value) {
    return rc == 0 && value != NULL ? (*env)->NewLocalRef(env, (jobject)value) : NULL;
}

jobject aktj_system_extension(JNIEnv *env, jlong system, jstring name) {
    if (name == NULL) return NULL;
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    if (n == NULL) return NULL;
    void *value = NULL;
    int rc = akt_system_extension(AKTJ_PTR(system), n, &value);
    (*env)->ReleaseStringUTFChars(env, name, n);
    return ext_ref(env, rc, value);
}

jobject aktj_ctx_extension(JNIEnv *env, jlong ctx, jstring name) {
    if (name == NULL) return NULL;
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    if (n == NULL) return NULL;
    void *value = NULL;
    int rc = akt_ctx_extension(AKTJ_PTR(ctx), n, &value);
    (*env)->ReleaseStringUTFChars(env, name, n);
    return ext_ref(env, rc, value);
}

jstring aktj_pid_path(JNIEnv *env, jlong system, jlong pid) {
    char buf[256];
    size_t needed = 0;
    akt_pid p = aktj_pid(pid);
    int rc = akt_pid_path(AKTJ_PTR(system), p, buf, sizeof buf, &needed);
    if (rc == 0) return (*env)->NewStringUTF(env, buf);
    if (rc != AKT_ERANGE) return NULL;
    char *big = malloc(needed + 1);
    if (big == NULL) return NULL;
    jstring s = NULL;
    if (akt_pid_path(AKTJ_PTR(system), p, big, needed + 1, NULL) == 0)
        s = (*env)->NewStringUTF(env, big);
    free(big);
    return s;
}

int aktj_remote_start(jlong system, const char *host, int port, jlong max_frame_bytes,
                      jlong heartbeat_ns, int heartbeat_misses) {
    if (port < 0 || port > 65535 || max_frame_bytes < 0 || max_frame_bytes > 0xFFFFFFFFll ||
        heartbeat_misses < 0)
        return AKT_EINVAL;
    akt_remote_options o;
    akt_remote_options_init(&o);
    o.host = host;
    o.port = (uint16_t)port;
    o.max_frame_bytes = (uint32_t)max_frame_bytes;
    o.heartbeat_interval_ns = heartbeat_ns;
    o.heartbeat_misses = (uint32_t)heartbeat_misses;
    return akt_remote_start(AKTJ_PTR(system), &o);
}

jlong aktj_remote_tls_failures(JNIEnv *env, jlong system, jobjectArray reason) {
    char buf[256];
    uint64_t n = 0;
    if (akt_remote_tls_failures(AKTJ_PTR(system), &n, buf, sizeof buf, NULL)) return -1;
    jstring s = (*env)->NewStringUTF(env, buf);
    if (!s) return -1;
    (*env)->SetObjectArrayElement(env, reason, 0, s);
    return (jlong)n;
}

int aktj_remote_start_tls(jlong system, const char *host, int port, jlong heartbeat_ns,
                          int heartbeat_misses, const char *cert, const char *key, const char *ca,
                          const char *peer_name, int require_client_cert) {
    if (port < 0 || port > 65535 || heartbeat_misses < 0) return AKT_EINVAL;
    akt_remote_options o;
    akt_remote_options_init(&o);
    o.host = host;
    o.port = (uint16_t)port;
    o.heartbeat_interval_ns = heartbeat_ns;
    o.heartbeat_misses = (uint32_t)heartbeat_misses;
    o.tls_cert_file = cert;
    o.tls_key_file = key;
    o.tls_ca_file = ca;
    o.tls_peer_name = peer_name;
    o.tls_require_client_cert = require_client_cert;
    return akt_remote_start(AKTJ_PTR(system), &o);
}

jstring aktj_remote_address(JNIEnv *env, jlong system) {
    char buf[256];
    if (akt_remote_address(AKTJ_PTR(system), buf, sizeof buf, NULL)) return NULL;
    return (*env)->NewStringUTF(env, buf);
}

/* ---- event stream -------------------------------------------------------------------- */

typedef struct aktj_subscription {
    akt_subscription *sub;
    jobject sink; /* dev.akt.EventSink */
} aktj_subscription;

static void on_event(const akt_event *ev, void *data) {
    aktj_subscription *s = data;
    JNIEnv *env = aktj_env();
    if (env == NULL || (*env)->PushLocalFrame(env, 8) != 0) return;
    jstring path = ev->path != NULL ? (*env)->NewStringUTF(env, ev->path) : NULL;
    jstring reason = ev->reason != NULL ? (*env)->NewStringUTF(env, ev->reason) : NULL;
    jobject obj = aktj_msg_local(env, ev->msg);
    (*env)->CallStaticVoidMethod(env, aktj_g.upcalls, aktj_g.event, s->sink, (jint)ev->kind,
                                 (jlong)ev->pid.id, path, (jlong)ev->sender.id, obj,
                                 AKTJ_HANDLE(ev->msg), (jint)ev->code, reason);
    aktj_drop_exception(env, "event");
    (*env)->PopLocalFrame(env, NULL);
}

int aktj_subscribe(JNIEnv *env, jlong system, jint mask, jobject sink, jlongArray out) {
    if (sink == NULL || out == NULL || (*env)->GetArrayLength(env, out) < 1) return AKT_EINVAL;
    aktj_subscription *s = calloc(1, sizeof *s);
    if (s == NULL) return AKT_ENOMEM;
    s->sink = (*env)->NewGlobalRef(env, sink);
    int rc = s->sink != NULL ? akt_subscribe(AKTJ_PTR(system), (unsigned)mask, on_event, s, &s->sub)
                             : AKT_ENOMEM;
    if (rc != 0) {
        if (s->sink != NULL) (*env)->DeleteGlobalRef(env, s->sink);
        free(s);
        return rc;
    }
    jlong h = AKTJ_HANDLE(s);
    (*env)->SetLongArrayRegion(env, out, 0, 1, &h);
    return 0;
}

int aktj_unsubscribe(JNIEnv *env, jlong handle) {
    aktj_subscription *s = AKTJ_PTR(handle);
    if (s == NULL) return AKT_EINVAL;
    int rc = akt_unsubscribe(s->sub);
    /* After akt_unsubscribe returns, on_event is not running (except a call this very
     * thread is inside of, which finished using s->sink before calling Java's close()). */
    (*env)->DeleteGlobalRef(env, s->sink);
    free(s);
    return rc;
}
