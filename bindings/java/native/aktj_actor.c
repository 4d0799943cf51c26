/*
 * aktj_actor.c -- Java actors on akt's workers: the behaviour trampolines that call the
 * actor's ActorCell, spawning with dependencies and a supervisor, and the Java decider.
 */
#include <stdlib.h>
#include <string.h>

#include "aktj_internal.h"

/* An actor's state as akt holds it: global references owned until free_state. */
typedef struct aktj_actor {
    jobject cell;    /* dev.akt.ActorCell */
    jobject decider; /* decide_data of this actor's children's supervisor, or NULL */
    size_t ndeps;
    jobject deps[]; /* dependency values (akt borrows them) */
} aktj_actor;

static int actor_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    JNIEnv *env = aktj_env();
    if (env == NULL) return akt_ctx_fail(ctx, "akt-java: this thread cannot attach to the JVM");
    aktj_actor *a = state;
    /* One upcall per message: the Java object, or NULL and Java decodes msg. The local
     * reference is deleted here: on akt's threads no Java frame would ever free it. */
    jobject obj = aktj_msg_local(env, msg);
    /* The jvalue form: no va_list to walk against the signature on every message. */
    jvalue args[4];
    args[0].l = a->cell;
    args[1].j = AKTJ_HANDLE(ctx);
    args[2].l = obj;
    args[3].j = AKTJ_HANDLE(msg);
    jint rc = (*env)->CallStaticIntMethodA(env, aktj_g.upcalls, aktj_g.receive, args);
    if (obj != NULL) (*env)->DeleteLocalRef(env, obj);
    if (aktj_drop_exception(env, "receive"))
        return akt_ctx_fail(ctx, "akt-java: an error escaped the actor's receive");
    return rc;
}

#if AKTJ_BATCH
/* A run of messages in one upcall: Java pulls them with aktj_ctx_next_code (a downcall
 * each, several times cheaper than an upcall) and handles them in a loop. */
static int actor_receive_batch(akt_ctx *ctx, void *state) {
    JNIEnv *env = aktj_env();
    if (env == NULL) return akt_ctx_fail(ctx, "akt-java: this thread cannot attach to the JVM");
    aktj_actor *a = state;
    jvalue args[2];
    args[0].l = a->cell;
    args[1].j = AKTJ_HANDLE(ctx);
    jint rc = (*env)->CallStaticIntMethodA(env, aktj_g.upcalls, aktj_g.receive_batch, args);
    if (aktj_drop_exception(env, "receiveBatch"))
        return akt_ctx_fail(ctx, "akt-java: an error escaped the actor's receive");
    return rc;
}
#endif

/* Without akt_ctx_next (akt < 0.2) no run is ever pulled: receive_batch is not set. */
jlong aktj_ctx_next_code(jlong ctx) {
#if AKTJ_BATCH
    akt_msg *msg = NULL;
    /* Called from Java: nothing is pending while akt finishes the previous message. */
    int was = aktj_slots_clean(1);
    int rc = akt_ctx_next(AKTJ_PTR(ctx), &msg);
    aktj_slots_clean(was);
    if (rc != 0) return 0;
    void *obj = NULL;
    jlong code = akt_msg_object(msg, &aktj_object_ops, &obj) == 0 ? aktj_object_code(obj) : 0;
    return code != 0 ? code : -1;
#else
    (void)ctx;
    return 0;
#endif
}

jobject aktj_ctx_current(JNIEnv *env, jlong ctx) {
    akt_msg *msg = NULL;
    if (akt_ctx_message(AKTJ_PTR(ctx), &msg) != 0) return NULL;
    jobject obj = aktj_msg_local(env, msg);
    return obj != NULL ? obj : (*env)->NewLocalRef(env, aktj_g.native_message);
}

jlong aktj_ctx_current_msg(jlong ctx) {
    akt_msg *msg = NULL;
    return akt_ctx_message(AKTJ_PTR(ctx), &msg) == 0 ? AKTJ_HANDLE(msg) : 0;
}

static int actor_pre_start(akt_ctx *ctx, void *state) {
    JNIEnv *env = aktj_env();
    if (env == NULL) return akt_ctx_fail(ctx, "akt-java: this thread cannot attach to the JVM");
    aktj_actor *a = state;
    jint rc = (*env)->CallStaticIntMethod(env, aktj_g.upcalls, aktj_g.pre_start, a->cell,
                                          AKTJ_HANDLE(ctx));
    if (aktj_drop_exception(env, "preStart"))
        return akt_ctx_fail(ctx, "akt-java: an error escaped the actor's preStart");
    return rc;
}

static void actor_post_stop(akt_ctx *ctx, void *state) {
    JNIEnv *env = aktj_env();
    if (env == NULL) return;
    aktj_actor *a = state;
    (*env)->CallStaticVoidMethod(env, aktj_g.upcalls, aktj_g.post_stop, a->cell, AKTJ_HANDLE(ctx));
    aktj_drop_exception(env, "postStop");
}

static void actor_free(void *state) {
    aktj_actor *a = state;
    JNIEnv *env = aktj_env();
    if (env != NULL) {
        (*env)->DeleteGlobalRef(env, a->cell);
        if (a->decider != NULL) (*env)->DeleteGlobalRef(env, a->decider);
        for (size_t i = 0; i < a->ndeps; i++)
            if (a->deps[i] != NULL) (*env)->DeleteGlobalRef(env, a->deps[i]);
    }
    free(a);
}

static const akt_behavior java_behavior = {
    .size = sizeof(akt_behavior),
    .receive = actor_receive,
    .pre_start = actor_pre_start,
    .post_stop = actor_post_stop,
    .free_state = actor_free,
#if AKTJ_BATCH
    .receive_batch = actor_receive_batch,
#endif
};

int aktj_actor_for_cell(JNIEnv *env, jobject cell, const akt_behavior **b, void **state) {
    aktj_actor *a = calloc(1, sizeof *a);
    if (a == NULL) return AKT_ENOMEM;
    a->cell = (*env)->NewGlobalRef(env, cell);
    if (a->cell == NULL) {
        free(a);
        return AKT_ENOMEM;
    }
    *b = &java_behavior;
    *state = a;
    return 0;
}

/* ---- supervision ------------------------------------------------------------------- */

static int java_decide(int code, const char *reason, void *data) {
    JNIEnv *env = aktj_env();
    if (env == NULL || (*env)->PushLocalFrame(env, 4) != 0)
        return -1; /* "anything else means the default" */
    jstring r = reason != NULL ? (*env)->NewStringUTF(env, reason) : NULL;
    jint d = (*env)->CallStaticIntMethod(env, aktj_g.upcalls, aktj_g.decide, (jobject)data,
                                         (jint)code, r);
    if (aktj_drop_exception(env, "decide")) d = -1;
    (*env)->PopLocalFrame(env, NULL);
    return d;
}

int aktj_supervisor_init(JNIEnv *env, akt_supervisor *sup, jint directive, jobject decider,
                         jint strategy, jlong max_retries, jlong within_ns, jdoubleArray backoff) {
    memset(sup, 0, sizeof *sup);
    sup->size = sizeof *sup;
    /* {minNs, maxNs, multiplier, jitter, resetNs} (SupervisorStrategy.withBackoff); the
     * core checks the values (AKT_EINVAL). */
    jsize len = backoff != NULL ? (*env)->GetArrayLength(env, backoff) : 0;
    if (len >= 5) {
        jdouble b[5];
        (*env)->GetDoubleArrayRegion(env, backoff, 0, 5, b);
        sup->backoff_min_ns = (int64_t)b[0];
        sup->backoff_max_ns = b[1] >= 9.2e18 ? INT64_MAX : (int64_t)b[1];
        sup->backoff_multiplier = b[2];
        sup->backoff_jitter = b[3];
        sup->backoff_reset_ns = b[4] >= 9.2e18 ? INT64_MAX : (int64_t)b[4];
    }
    /* Then what a child out of retries gets (AKT_EXHAUSTED_*) and (code, directive) pairs of
     * code rules (SupervisorStrategy.nativeTuning), at most 64: a per-thread table that the
     * akt_spawn / akt_system_create following this call copies. */
    if (len > 5) {
        static _Thread_local akt_supervisor_rule rules[64];
        jdouble r[128];
        jsize n = (len - 6) / 2;
        if ((len - 6) % 2 || n > 64) return AKT_EINVAL;
        (*env)->GetDoubleArrayRegion(env, backoff, 5, 1, r);
        sup->on_retries_exhausted = (int)r[0]; /* the core checks it */
        (*env)->GetDoubleArrayRegion(env, backoff, 6, 2 * n, r);
        for (jsize i = 0; i < n; i++)
            rules[i] = (akt_supervisor_rule){(int)r[2 * i], (int)r[2 * i + 1]};
        sup->rules = rules;
        sup->rule_count = (size_t)n;
    }
    if (max_retries < 0 || max_retries > (jlong)UINT32_MAX) return AKT_EINVAL;
    sup->strategy = strategy;
    sup->max_retries = (uint32_t)max_retries;
    sup->within_ns = within_ns;
    sup->default_directive = directive;
    if (decider != NULL) {
        sup->decide_data = (*env)->NewGlobalRef(env, decider);
        if (sup->decide_data != NULL) sup->decide = java_decide;
    }
    return 0;
}

/* ---- spawning ------------------------------------------------------------------------ */

/* Fills names/values from the Java arrays; returns 0 or AKT_ENOMEM/AKT_EINVAL. names[i]
 * point into UTF chars released by release_names. */
static int collect_dependencies(JNIEnv *env, aktj_actor *a, jobjectArray jnames,
                                jobjectArray jvalues, const char **names) {
    for (size_t i = 0; i < a->ndeps; i++) {
        jstring n = (*env)->GetObjectArrayElement(env, jnames, (jsize)i);
        jobject v = (*env)->GetObjectArrayElement(env, jvalues, (jsize)i);
        names[i] = n != NULL ? (*env)->GetStringUTFChars(env, n, NULL) : NULL;
        a->deps[i] = v != NULL ? (*env)->NewGlobalRef(env, v) : NULL;
        (*env)->DeleteLocalRef(env, n); /* the UTF chars stay valid until released */
        (*env)->DeleteLocalRef(env, v);
        if (names[i] == NULL) return AKT_EINVAL;
    }
    return 0;
}

static void release_names(JNIEnv *env, jobjectArray jnames, const char **names, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (names[i] != NULL) {
            jstring s = (*env)->GetObjectArrayElement(env, jnames, (jsize)i);
            (*env)->ReleaseStringUTFChars(env, s, names[i]);
            (*env)->DeleteLocalRef(env, s);
        }
}

/* For pool routers (aktj_router.c): the behaviour of every Java actor, and the state of a
 * new one for cell (a global reference is taken); NULL without memory. */
const akt_behavior *aktj_actor_behavior(void) { return &java_behavior; }

void *aktj_actor_state(JNIEnv *env, jobject cell) {
    aktj_actor *a = calloc(1, sizeof *a);
    if (a == NULL) return NULL;
    a->cell = (*env)->NewGlobalRef(env, cell);
    if (a->cell == NULL) {
        free(a);
        return NULL;
    }
    return a;
}

/* A priority mailbox's order: Upcalls.compare(cell, ...), which never throws (it logs what
 * the comparator throws and answers 0). akt calls it on the thread that runs the actor, a
 * worker attached to the JVM; one that cannot attach answers 0 (arrival order). */
static int actor_compare(akt_msg *ma, akt_msg *mb, void *data) {
    JNIEnv *env = aktj_env();
    if (env == NULL) return 0;
    aktj_actor *a = data;
    jobject oa = aktj_msg_local(env, ma), ob = aktj_msg_local(env, mb);
    jvalue args[5];
    args[0].l = a->cell;
    args[1].l = oa;
    args[2].j = AKTJ_HANDLE(ma);
    args[3].l = ob;
    args[4].j = AKTJ_HANDLE(mb);
    jint r = (*env)->CallStaticIntMethodA(env, aktj_g.upcalls, aktj_g.compare, args);
    if (oa != NULL) (*env)->DeleteLocalRef(env, oa);
    if (ob != NULL) (*env)->DeleteLocalRef(env, ob);
    if (aktj_drop_exception(env, "mailbox compare")) return 0;
    return r < 0 ? -1 : r > 0;
}

int aktj_mailbox_read(JNIEnv *env, jlongArray mailbox, akt_mailbox_spec *mb) {
    memset(mb, 0, sizeof *mb);
    mb->size = sizeof *mb;
    jlong f[4];
    if (mailbox == NULL || (*env)->GetArrayLength(env, mailbox) != 4) return AKT_EINVAL;
    (*env)->GetLongArrayRegion(env, mailbox, 0, 4, f);
    if (f[0] < INT32_MIN || f[0] > INT32_MAX || f[1] < 0 || f[1] > INT32_MAX || f[2] < INT32_MIN ||
        f[2] > INT32_MAX)
        return AKT_EINVAL;
    mb->kind = (int)f[0];
    mb->capacity = (uint32_t)f[1];
    mb->when_full = (int)f[2];
    mb->block_timeout_ns = f[3];
    return 0;
}

int aktj_spawn(JNIEnv *env, jlong system, jlong ctx, jobject cell, jstring name,
               jobjectArray dep_names, jobjectArray dep_values, jint directive, jobject decider,
               jint strategy, jlong max_retries, jlong within_ns, jdoubleArray backoff,
               jlongArray mailbox, jint reentrancy, jint max_in_flight, jstring kind,
               jlongArray out) {
    if (cell == NULL || out == NULL || (*env)->GetArrayLength(env, out) < 1) return AKT_EINVAL;
    akt_mailbox_spec mb = {.size = sizeof mb};
    if (mailbox != NULL && aktj_mailbox_read(env, mailbox, &mb) != 0) return AKT_EINVAL;
    if (max_retries < 0 || max_retries > (jlong)UINT32_MAX || max_in_flight < 0) return AKT_EINVAL;
    size_t ndeps = dep_names != NULL ? (size_t)(*env)->GetArrayLength(env, dep_names) : 0;
    if (ndeps > 0 &&
        (dep_values == NULL || (size_t)(*env)->GetArrayLength(env, dep_values) != ndeps))
        return AKT_EINVAL;
    aktj_actor *a = calloc(1, sizeof *a + ndeps * sizeof(jobject));
    const char **names = calloc(ndeps > 0 ? ndeps : 1, sizeof *names);
    if (a == NULL || names == NULL) {
        free(a);
        free(names);
        return AKT_ENOMEM;
    }
    a->ndeps = ndeps;
    int rc = collect_dependencies(env, a, dep_names, dep_values, names);

    akt_supervisor sup;
    aktj_supervisor_init(env, &sup, directive, decider, strategy, max_retries, within_ns, backoff);
    a->decider = sup.decide_data;
    a->cell = (*env)->NewGlobalRef(env, cell);
    const char *cname = name != NULL ? (*env)->GetStringUTFChars(env, name, NULL) : NULL;

    akt_spawn_options opts;
    akt_spawn_options_init(&opts);
    opts.name = cname;
    opts.supervisor = &sup;
    opts.dependency_names = names;
    opts.dependency_values = (void *const *)a->deps;
    opts.dependency_count = ndeps;
    if (mailbox != NULL) opts.mailbox = &mb;
    if (mb.kind == AKT_MAILBOX_PRIORITY) { /* a->cell is the comparator's (Java checked it) */
        mb.compare = actor_compare;
        mb.compare_data = a;
    }
    opts.reentrancy = reentrancy;
    opts.max_in_flight = (uint32_t)max_in_flight;
    /* the actor's kind (akt interns it: the chars live only for the call) */
    const char *ckind = kind != NULL ? (*env)->GetStringUTFChars(env, kind, NULL) : NULL;
    opts.kind = ckind;

    akt_pid pid = {0};
    if (rc == 0 && a->cell == NULL) rc = AKT_ENOMEM;
    if (rc == 0)
        rc = ctx != 0 ? akt_ctx_spawn(AKTJ_PTR(ctx), &java_behavior, a, &opts, &pid)
                      : akt_spawn(AKTJ_PTR(system), &java_behavior, a, &opts, &pid);
    if (cname != NULL) (*env)->ReleaseStringUTFChars(env, name, cname);
    if (ckind != NULL) (*env)->ReleaseStringUTFChars(env, kind, ckind);
    release_names(env, dep_names, names, ndeps);
    free(names);
    if (rc != 0) {
        actor_free(a); /* state is taken only on success */
        return rc;
    }
    jlong id = (jlong)pid.id;
    (*env)->SetLongArrayRegion(env, out, 0, 1, &id);
    return 0;
}

jobject aktj_ctx_dependency(JNIEnv *env, jlong ctx, jstring name) {
    if (name == NULL) return NULL;
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    if (n == NULL) return NULL;
    void *value = NULL;
    int rc = akt_ctx_dependency(AKTJ_PTR(ctx), n, &value);
    (*env)->ReleaseStringUTFChars(env, name, n);
    return rc == 0 && value != NULL ? (*env)->NewLocalRef(env, (jobject)value) : NULL;
}

/* ---- requests ------------------------------------------------------------------------- */

typedef struct aktj_req {
    jobject cell; /* global reference, dropped with the request */
    jlong id;     /* the CompletableFuture's key in the cell */
} aktj_req;

static void req_free(aktj_req *r) {
    JNIEnv *env = aktj_env();
    if (env != NULL) (*env)->DeleteGlobalRef(env, r->cell);
    free(r);
}

static int req_then(akt_ctx *ctx, int rc, akt_msg *reply, void *data) {
    aktj_req *r = data;
    JNIEnv *env = aktj_env();
    if (env == NULL) {
        free(r);
        return akt_ctx_fail(ctx, "akt-java: this thread cannot attach to the JVM");
    }
    jobject obj = rc == 0 ? aktj_msg_local(env, reply) : NULL;
    jvalue args[6];
    args[0].l = r->cell;
    args[1].j = AKTJ_HANDLE(ctx);
    args[2].j = r->id;
    args[3].i = rc;
    args[4].l = obj;
    args[5].j = AKTJ_HANDLE(rc == 0 ? reply : NULL);
    jint out = (*env)->CallStaticIntMethodA(env, aktj_g.upcalls, aktj_g.settle, args);
    if (obj != NULL) (*env)->DeleteLocalRef(env, obj);
    if (aktj_drop_exception(env, "settle"))
        out = akt_ctx_fail(ctx, "akt-java: an error escaped a request's continuation");
    req_free(r);
    return out;
}

/* A stop, restart or shutdown: the future never completes (the cell forgets it). */
static void req_drop(void *data) { req_free(data); }

/* aktj_ctx_request, to pid or, when path is not NULL, to the actor at path. */
static int ctx_request_to(JNIEnv *env, jlong ctx, const char *path, jlong pid, jlong msg,
                          jobject cell, jlong id, jlong timeout_ns, jint mode, jlongArray out) {
    if (cell == NULL || msg == 0 || out == NULL || (*env)->GetArrayLength(env, out) < 1)
        return AKT_EINVAL;
    aktj_req *r = malloc(sizeof *r);
    if (r == NULL) return AKT_ENOMEM;
    r->cell = (*env)->NewGlobalRef(env, cell);
    r->id = id;
    if (r->cell == NULL) {
        free(r);
        return AKT_ENOMEM;
    }
    akt_request_options o;
    akt_request_options_init(&o);
    o.timeout_ns = timeout_ns;
    o.mode = mode;
    o.then = req_then;
    o.drop = req_drop;
    o.data = r;
    akt_request *req = NULL;
    int rc = path ? akt_ctx_request_named(AKTJ_PTR(ctx), path, AKTJ_PTR(msg), &o, &req)
                  : akt_ctx_request(AKTJ_PTR(ctx), aktj_pid(pid), AKTJ_PTR(msg), &o, &req);
    if (rc != 0) {
        req_free(r);
        return rc;
    }
    jlong h = (jlong)(uintptr_t)req;
    (*env)->SetLongArrayRegion(env, out, 0, 1, &h);
    return 0;
}

int aktj_ctx_request(JNIEnv *env, jlong ctx, jlong pid, jlong msg, jobject cell, jlong id,
                     jlong timeout_ns, jint mode, jlongArray out) {
    return ctx_request_to(env, ctx, NULL, pid, msg, cell, id, timeout_ns, mode, out);
}

int aktj_ctx_request_named(JNIEnv *env, jlong ctx, const char *path, jlong msg, jobject cell,
                           jlong id, jlong timeout_ns, jint mode, jlongArray out) {
    if (path == NULL) return AKT_EINVAL;
    return ctx_request_to(env, ctx, path, 0, msg, cell, id, timeout_ns, mode, out);
}

int aktj_request_cancel(jlong ctx, jlong request) {
    if (request == 0) return AKT_EINVAL;
    return akt_request_cancel(AKTJ_PTR(ctx), (akt_request *)(uintptr_t)request);
}

/* ---- async receive -------------------------------------------------------------------- */

int aktj_ctx_suspend(JNIEnv *env, jlong ctx, jlongArray out) {
    if (out == NULL || (*env)->GetArrayLength(env, out) < 2) return AKT_EINVAL;
    akt_suspension s;
    int rc = akt_ctx_suspend(AKTJ_PTR(ctx), AKT_REENTRANCY_DEFAULT, &s);
    if (rc != 0) return rc;
    jlong v[2] = {(jlong)s.actor.id, (jlong)s.id};
    (*env)->SetLongArrayRegion(env, out, 0, 2, v);
    return 0;
}

/* A step: reuses the request's record (the cell's global reference and a key). */
static int step_run(akt_ctx *ctx, void *data) {
    aktj_req *r = data;
    JNIEnv *env = aktj_env();
    if (env == NULL) {
        free(r);
        return akt_ctx_fail(ctx, "akt-java: this thread cannot attach to the JVM");
    }
    jvalue args[3];
    args[0].l = r->cell;
    args[1].j = AKTJ_HANDLE(ctx);
    args[2].j = r->id;
    jint out = (*env)->CallStaticIntMethodA(env, aktj_g.upcalls, aktj_g.step, args);
    if (aktj_drop_exception(env, "step"))
        out = akt_ctx_fail(ctx, "akt-java: an error escaped an async receive's step");
    req_free(r);
    return out;
}

int aktj_suspension_post(JNIEnv *env, jlong system, jlong pid, jlong id, jobject cell, jlong step) {
    if (system == 0 || cell == NULL) return AKT_EINVAL;
    aktj_req *r = malloc(sizeof *r);
    if (r == NULL) return AKT_ENOMEM;
    r->cell = (*env)->NewGlobalRef(env, cell);
    r->id = step;
    if (r->cell == NULL) {
        free(r);
        return AKT_ENOMEM;
    }
    akt_suspension s = {aktj_pid(pid), (uint64_t)id};
    int rc = akt_suspension_post(AKTJ_PTR(system), s, step_run, req_drop, r);
    if (rc != 0) req_free(r);
    return rc;
}
