/*
 * aktj_grain.c -- grain kinds from Java (akt.h section 14): each activation is a Java actor
 * on akt's workers, whose ActorCell the kind's dev.akt.GrainKind makes for the grain's name.
 */
#include <stdlib.h>

#include "aktj_internal.h"

/* A kind's data: the factory and the dependency values, global references dropped when
 * the system is freed. */
typedef struct aktj_grain_kind {
    jobject factory;
    size_t ndeps;
    jobject deps[]; /* handed to akt as the dependency values */
} aktj_grain_kind;

static void kind_free(void *data) {
    aktj_grain_kind *k = data;
    JNIEnv *env = aktj_env();
    if (env != NULL) {
        (*env)->DeleteGlobalRef(env, k->factory);
        for (size_t i = 0; i < k->ndeps; i++)
            if (k->deps[i] != NULL) (*env)->DeleteGlobalRef(env, k->deps[i]);
    }
    free(k);
}

/* The activation's first turn, on a worker: the cell from GrainKind.cell(name). */
static int grain_activate(void *data, const char *name, const akt_behavior **b, void **state) {
    JNIEnv *env = aktj_env();
    if (env == NULL || (*env)->PushLocalFrame(env, 4) != 0) return AKT_EFAILED;
    int rc = AKT_EFAILED;
    jstring jname = (*env)->NewStringUTF(env, name);
    jobject cell = jname != NULL
                       ? (*env)->CallStaticObjectMethod(env, aktj_g.upcalls, aktj_g.grain_activate,
                                                        ((aktj_grain_kind *)data)->factory, jname)
                       : NULL;
    /* A factory that threw was reported by Upcalls.grainActivate, which returns null. */
    if (!aktj_drop_exception(env, "grainActivate") && cell != NULL)
        rc = aktj_actor_for_cell(env, cell, b, state);
    (*env)->PopLocalFrame(env, NULL);
    return rc;
}

int aktj_grain_register(JNIEnv *env, jlong system, const char *kind, jobject factory,
                        jlong deactivate_after_ns, jobjectArray dep_names, jobjectArray dep_values,
                        jlongArray mailbox, jint reentrancy, jint max_in_flight) {
    if (factory == NULL || deactivate_after_ns < 0 || max_in_flight < 0) return AKT_EINVAL;
    akt_mailbox_spec mb = {.size = sizeof mb};
    if (mailbox != NULL) {
        jlong f[4];
        if ((*env)->GetArrayLength(env, mailbox) != 4) return AKT_EINVAL;
        (*env)->GetLongArrayRegion(env, mailbox, 0, 4, f);
        if (f[0] < 0 || f[0] > INT32_MAX || f[1] < 0 || f[1] > INT32_MAX || f[2] < 0 ||
            f[2] > INT32_MAX)
            return AKT_EINVAL;
        mb.kind = (int)f[0];
        mb.capacity = (uint32_t)f[1];
        mb.when_full = (int)f[2];
        mb.block_timeout_ns = f[3];
    }
    size_t n = dep_names != NULL ? (size_t)(*env)->GetArrayLength(env, dep_names) : 0;
    if (n > 0 && (dep_values == NULL || (size_t)(*env)->GetArrayLength(env, dep_values) != n))
        return AKT_EINVAL;
    aktj_grain_kind *k = calloc(1, sizeof *k + n * sizeof(jobject));
    const char **names = calloc(n > 0 ? n : 1, sizeof *names);
    jstring *jn = calloc(n > 0 ? n : 1, sizeof *jn);
    int rc = k == NULL || names == NULL || jn == NULL ? AKT_ENOMEM : 0;
    if (rc == 0) k->factory = (*env)->NewGlobalRef(env, factory);
    if (rc == 0 && k->factory == NULL) rc = AKT_ENOMEM;
    for (size_t i = 0; rc == 0 && i < n; i++) { /* names copied by akt, values kept here */
        jn[i] = (*env)->GetObjectArrayElement(env, dep_names, (jsize)i);
        jobject v = (*env)->GetObjectArrayElement(env, dep_values, (jsize)i);
        names[i] = jn[i] != NULL ? (*env)->GetStringUTFChars(env, jn[i], NULL) : NULL;
        k->deps[i] = v != NULL ? (*env)->NewGlobalRef(env, v) : NULL;
        k->ndeps = i + 1;
        (*env)->DeleteLocalRef(env, v);
        if (names[i] == NULL) rc = AKT_EINVAL;
    }
    if (rc == 0) {
        akt_grain_kind def;
        akt_grain_kind_init(&def);
        def.activate = grain_activate;
        def.kind_data = k;
        def.free_kind_data = kind_free;
        def.deactivate_after_ns = deactivate_after_ns;
        def.mailbox = mailbox != NULL ? &mb : NULL;
        def.dependency_names = names;
        def.dependency_values = (void *const *)k->deps;
        def.dependency_count = n;
        def.reentrancy = reentrancy;
        def.max_in_flight = (uint32_t)max_in_flight;
        rc = akt_grain_kind_register(AKTJ_PTR(system), kind, &def);
    }
    for (size_t i = 0; jn != NULL && i < n; i++) {
        if (jn[i] != NULL && names[i] != NULL) (*env)->ReleaseStringUTFChars(env, jn[i], names[i]);
        if (jn[i] != NULL) (*env)->DeleteLocalRef(env, jn[i]);
    }
    free(names);
    free(jn);
    if (rc != 0 && k != NULL) kind_free(k); /* not taken */
    return rc;
}
