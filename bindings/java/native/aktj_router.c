/*
 * aktj_router.c -- routers from Java (akt.h section 11): group routers over pids of any
 * language, broadcast of a Java object, and the routee list. The router is a C actor on
 * akt's workers.
 */
#include <stdlib.h>

#include "aktj_internal.h"

/* A router's Java side: the pool's factory (NULL for a group) and the key function (or
 * NULL), global references dropped when the router is gone. */
typedef struct aktj_pool {
    jobject factory;
    jmethodID make;
    jobject key;
    jmethodID key_fn;
} aktj_pool;

static void pool_free(void *data) {
    aktj_pool *p = data;
    JNIEnv *env = aktj_env();
    if (env != NULL) {
        if (p->factory != NULL) (*env)->DeleteGlobalRef(env, p->factory);
        if (p->key != NULL) (*env)->DeleteGlobalRef(env, p->key);
    }
    free(p);
}

/* The router's worker thread: Router$Key.key(object or null, handle), which never throws
 * (it logs what the user's function threw and answers 0). */
static uint64_t route_key(const akt_msg *msg, void *data) {
    aktj_pool *p = data;
    JNIEnv *env = aktj_env();
    if (env == NULL) return 0;
    jobject obj = aktj_msg_local(env, msg);
    jlong k = (*env)->CallLongMethod(env, p->key, p->key_fn, obj, AKTJ_HANDLE((akt_msg *)msg));
    if (obj != NULL) (*env)->DeleteLocalRef(env, obj);
    if (aktj_drop_exception(env, "a router's key")) return 0;
    return (uint64_t)k;
}

/* Sets p's key from a Router$Key (or null): 0, AKT_EINVAL, AKT_ENOMEM. */
static int pool_key(JNIEnv *env, aktj_pool *p, jobject key) {
    if (key == NULL) return 0;
    jclass cls = (*env)->GetObjectClass(env, key);
    p->key_fn = (*env)->GetMethodID(env, cls, "key", "(Ljava/lang/Object;J)J");
    (*env)->DeleteLocalRef(env, cls);
    if (p->key_fn == NULL) {
        (*env)->ExceptionClear(env);
        return AKT_EINVAL;
    }
    p->key = (*env)->NewGlobalRef(env, key);
    return p->key != NULL ? 0 : AKT_ENOMEM;
}

int aktj_router_spawn(JNIEnv *env, jlong system, jstring name, jint strategy, jobject key,
                      jlongArray pids, jlong within_ns, jlong interval_ns, jlong seed,
                      jlongArray out) {
    if (pids == NULL || out == NULL || (*env)->GetArrayLength(env, out) < 1) return AKT_EINVAL;
    aktj_pool *kd = NULL;
    if (key != NULL) {
        kd = calloc(1, sizeof *kd);
        if (kd == NULL) return AKT_ENOMEM;
        int krc = pool_key(env, kd, key);
        if (krc != 0) {
            pool_free(kd);
            return krc;
        }
    }
    jsize n = (*env)->GetArrayLength(env, pids);
    akt_pid *ps = malloc((size_t)(n > 0 ? n : 1) * sizeof *ps);
    jlong *ids = malloc((size_t)(n > 0 ? n : 1) * sizeof *ids);
    if (ps == NULL || ids == NULL) {
        free(ps);
        free(ids);
        if (kd != NULL) pool_free(kd);
        return AKT_ENOMEM;
    }
    (*env)->GetLongArrayRegion(env, pids, 0, n, ids);
    for (jsize i = 0; i < n; i++) ps[i].id = (uint64_t)ids[i];
    free(ids);
    akt_router_options o;
    akt_router_options_init(&o);
    o.strategy = strategy;
    o.routees = ps;
    o.routee_count = (size_t)n;
    o.within_ns = within_ns;
    o.interval_ns = interval_ns;
    o.seed = (uint64_t)seed;
    if (kd != NULL) { /* kept with the router, freed when it is gone */
        o.key = route_key;
        o.key_data = kd;
        o.routee_state_data = kd;
        o.routee_data_free = pool_free;
    }
    const char *cname = name != NULL ? (*env)->GetStringUTFChars(env, name, NULL) : NULL;
    if (name != NULL && cname == NULL) {
        free(ps);
        if (kd != NULL) pool_free(kd);
        return AKT_ENOMEM;
    }
    akt_pid pid = {0};
    int rc = akt_router_spawn(AKTJ_PTR(system), NULL, cname, &o, &pid);
    if (cname != NULL) (*env)->ReleaseStringUTFChars(env, name, cname);
    free(ps);
    if (rc != 0 && kd != NULL) pool_free(kd); /* not taken */
    if (rc == 0) {
        jlong id = (jlong)pid.id;
        (*env)->SetLongArrayRegion(env, out, 0, 1, &id);
    }
    return rc;
}

/* The router's worker thread (attached to the JVM): the index-th routee's cell. */
static int pool_state(void *data, size_t index, void **state) {
    aktj_pool *p = data;
    JNIEnv *env = aktj_env();
    if (env == NULL) return AKT_EFAILED;
    jobject cell = (*env)->CallObjectMethod(env, p->factory, p->make, (jlong)index);
    if (aktj_drop_exception(env, "a router's actor factory") || cell == NULL) return AKT_EFAILED;
    *state = aktj_actor_state(env, cell);
    (*env)->DeleteLocalRef(env, cell);
    return *state != NULL ? 0 : AKT_ENOMEM;
}

int aktj_router_spawn_pool(JNIEnv *env, jlong system, jstring name, jint strategy, jobject key,
                           jobject factory, jlong size, jlong within_ns, jlong interval_ns,
                           jlong seed, jint failure, jlong max_retries, jlong retry_within_ns,
                           jlongArray out) {
    if (factory == NULL || out == NULL || (*env)->GetArrayLength(env, out) < 1 || size < 1 ||
        max_retries < 0 || max_retries > (jlong)UINT32_MAX)
        return AKT_EINVAL;
    aktj_pool *p = calloc(1, sizeof *p);
    if (p == NULL) return AKT_ENOMEM;
    jclass cls = (*env)->GetObjectClass(env, factory);
    p->make = (*env)->GetMethodID(env, cls, "make", "(J)Ldev/akt/ActorCell;");
    (*env)->DeleteLocalRef(env, cls);
    if (p->make == NULL) {
        (*env)->ExceptionClear(env);
        free(p);
        return AKT_EINVAL;
    }
    p->factory = (*env)->NewGlobalRef(env, factory);
    if (p->factory == NULL) {
        free(p);
        return AKT_ENOMEM;
    }
    int krc = pool_key(env, p, key);
    if (krc != 0) {
        pool_free(p);
        return krc;
    }
    akt_router_options o;
    akt_router_options_init(&o);
    o.strategy = strategy;
    o.pool_size = (size_t)size;
    o.routee_behavior = aktj_actor_behavior();
    o.routee_state = pool_state;
    o.routee_state_data = p;
    o.routee_data_free = pool_free;
    o.within_ns = within_ns;
    o.interval_ns = interval_ns;
    o.seed = (uint64_t)seed;
    o.failure_policy = failure;
    o.max_retries = (uint32_t)max_retries;
    o.retry_within_ns = retry_within_ns;
    if (p->key != NULL) {
        o.key = route_key;
        o.key_data = p;
    }
    const char *cname = name != NULL ? (*env)->GetStringUTFChars(env, name, NULL) : NULL;
    akt_pid pid = {0};
    int rc = name != NULL && cname == NULL
                 ? AKT_ENOMEM
                 : akt_router_spawn(AKTJ_PTR(system), NULL, cname, &o, &pid);
    if (cname != NULL) (*env)->ReleaseStringUTFChars(env, name, cname);
    if (rc != 0) {
        pool_free(p); /* not taken */
        return rc;
    }
    jlong id = (jlong)pid.id;
    (*env)->SetLongArrayRegion(env, out, 0, 1, &id);
    return 0;
}

int aktj_router_broadcast(JNIEnv *env, jlong system, jlong router, jobject obj, jlong type,
                          jlong bytes) {
    /* A BytesMessage comes made (bytes): it crosses to remote routees as a tell of it does;
     * any other object is wrapped by reference. Either way the message is ours to release
     * when the broadcast refuses it. */
    akt_msg *msg = obj != NULL ? AKTJ_PTR(aktj_msg_new_object(env, obj, type)) : AKTJ_PTR(bytes);
    if (msg == NULL) return obj != NULL && type != 0 ? AKT_ENOMEM : AKT_EINVAL;
    int rc = akt_router_broadcast(AKTJ_PTR(system), aktj_pid(router), msg);
    if (rc != 0) akt_msg_release(msg);
    return rc;
}

int aktj_router_routees(JNIEnv *env, jlong system, jlong router, jlongArray out, jlongArray count) {
    if (out == NULL || count == NULL || (*env)->GetArrayLength(env, count) < 1) return AKT_EINVAL;
    size_t cap = (size_t)(*env)->GetArrayLength(env, out), n = 0;
    akt_pid *ps = malloc((cap > 0 ? cap : 1) * sizeof *ps);
    if (ps == NULL) return AKT_ENOMEM;
    int rc = akt_router_routees(AKTJ_PTR(system), aktj_pid(router), cap ? ps : NULL, cap, &n);
    if (rc == 0 || rc == AKT_ERANGE) {
        jlong total = (jlong)n;
        (*env)->SetLongArrayRegion(env, count, 0, 1, &total);
        for (size_t i = 0; i < n && i < cap; i++) {
            jlong id = (jlong)ps[i].id;
            (*env)->SetLongArrayRegion(env, out, (jsize)i, 1, &id);
        }
    }
    free(ps);
    return rc;
}
