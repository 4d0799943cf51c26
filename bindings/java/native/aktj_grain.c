/*
 * aktj_grain.c -- grain kinds from Java (akt.h section 14): each activation is a Java actor
 * on akt's workers, whose ActorCell the kind's dev.akt.GrainKind makes for the grain's name.
 */
#include <stdlib.h>

#include "aktj_internal.h"

static void kind_free(void *data) {
    JNIEnv *env = aktj_env();
    if (env != NULL) (*env)->DeleteGlobalRef(env, (jobject)data);
}

/* The activation's first turn, on a worker: the cell from GrainKind.cell(name). */
static int grain_activate(void *data, const char *name, const akt_behavior **b, void **state) {
    JNIEnv *env = aktj_env();
    if (env == NULL || (*env)->PushLocalFrame(env, 4) != 0) return AKT_EFAILED;
    int rc = AKT_EFAILED;
    jstring jname = (*env)->NewStringUTF(env, name);
    jobject cell = jname != NULL
                       ? (*env)->CallStaticObjectMethod(env, aktj_g.upcalls, aktj_g.grain_activate,
                                                        (jobject)data, jname)
                       : NULL;
    /* A factory that threw was reported by Upcalls.grainActivate, which returns null. */
    if (!aktj_drop_exception(env, "grainActivate") && cell != NULL)
        rc = aktj_actor_for_cell(env, cell, b, state);
    (*env)->PopLocalFrame(env, NULL);
    return rc;
}

int aktj_grain_register(JNIEnv *env, jlong system, const char *kind, jobject factory,
                        jlong deactivate_after_ns) {
    if (factory == NULL || deactivate_after_ns < 0) return AKT_EINVAL;
    jobject ref = (*env)->NewGlobalRef(env, factory);
    if (ref == NULL) return AKT_ENOMEM;
    akt_grain_kind def;
    akt_grain_kind_init(&def);
    def.activate = grain_activate;
    def.kind_data = ref;
    def.free_kind_data = kind_free;
    def.deactivate_after_ns = deactivate_after_ns;
    int rc = akt_grain_kind_register(AKTJ_PTR(system), kind, &def);
    if (rc != 0) (*env)->DeleteGlobalRef(env, ref); /* not taken */
    return rc;
}
