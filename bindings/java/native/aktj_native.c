/* aktj_native.c -- C actors spawned from Java (ActorSystem.spawnNative): from a factory
 * symbol of a shared library, as Node's spawnNative, or from an akt_behavior address, as
 * Python's spawn_native. */
#include <dlfcn.h>
#include <stdint.h>

#include "aktj_internal.h"

/* What the library exports: int symbol(const char *arg, const akt_behavior **behavior,
 * void **state). */
typedef int (*aktj_native_factory)(const char *arg, const akt_behavior **behavior, void **state);

static int spawn(akt_system *sys, const akt_behavior *behavior, void *state, const char *name,
                 jlongArray out, JNIEnv *env) {
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    o.name = name;
    akt_pid pid;
    int rc = akt_spawn(sys, behavior, state, &o, &pid);
    if (rc) return rc;
    jlong id = (jlong)pid.id;
    (*env)->SetLongArrayRegion(env, out, 0, 1, &id);
    return 0;
}

int aktj_spawn_native(JNIEnv *env, jlong system, jstring library, jstring symbol, jstring name,
                      jstring arg, jlongArray out) {
    if (system == 0 || library == NULL || symbol == NULL || out == NULL) return AKT_EINVAL;
    const char *lib = (*env)->GetStringUTFChars(env, library, NULL);
    const char *sym = (*env)->GetStringUTFChars(env, symbol, NULL);
    const char *n = name ? (*env)->GetStringUTFChars(env, name, NULL) : NULL;
    const char *a = arg ? (*env)->GetStringUTFChars(env, arg, NULL) : NULL;
    int rc = AKT_ENOMEM;
    if (lib && sym && (n || !name) && (a || !arg)) {
        /* Never closed: the behaviour's code must stay mapped while any actor runs it. */
        void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
        aktj_native_factory factory = h ? (aktj_native_factory)(uintptr_t)dlsym(h, sym)
                                        : (aktj_native_factory)NULL;
        const akt_behavior *behavior = NULL;
        void *state = NULL;
        rc = factory ? factory(a, &behavior, &state) : AKT_ENOTFOUND;
        if (rc == 0 && behavior == NULL) rc = AKT_EINVAL;
        if (rc == 0) {
            rc = spawn((akt_system *)(intptr_t)system, behavior, state, n, out, env);
            if (rc && state && behavior->free_state) behavior->free_state(state);
        }
    }
    if (a) (*env)->ReleaseStringUTFChars(env, arg, a);
    if (n) (*env)->ReleaseStringUTFChars(env, name, n);
    if (sym) (*env)->ReleaseStringUTFChars(env, symbol, sym);
    if (lib) (*env)->ReleaseStringUTFChars(env, library, lib);
    return rc;
}

int aktj_spawn_behavior(JNIEnv *env, jlong system, jstring name, jlong behavior, jlong state,
                        jlongArray out) {
    if (system == 0 || behavior == 0 || out == NULL) return AKT_EINVAL;
    const char *n = name ? (*env)->GetStringUTFChars(env, name, NULL) : NULL;
    if (name && !n) return AKT_ENOMEM;
    int rc = spawn((akt_system *)(intptr_t)system, (const akt_behavior *)(intptr_t)behavior,
                   (void *)(intptr_t)state, n, out, env);
    if (n) (*env)->ReleaseStringUTFChars(env, name, n);
    return rc;
}
