/*
 * conf_peer_jni.c -- lets a Java conformance case spawn the C actor of the interop case
 * (conformance/cases/interop/peer.h) in a Java ActorSystem: CPeer.spawn(system, name).
 * Linked against libakt.so.0, which resolves to the copy the Java binding already loaded.
 */
#include <jni.h>

#include "conf.h"
#include "peer.h"

/* Returns the new actor's pid id, or a negative AKT_E* code. */
JNIEXPORT jlong JNICALL Java_CPeer_spawnNative(JNIEnv *env, jclass cls, jlong system,
                                               jstring name) {
    (void)cls;
    const char *cname = name != NULL ? (*env)->GetStringUTFChars(env, name, NULL) : NULL;
    akt_spawn_options options;
    akt_spawn_options_init(&options);
    options.name = cname;
    akt_pid pid = {AKT_PID_NONE_ID};
    int rc = akt_spawn((akt_system *)(intptr_t)system, &conf_peer_behavior, NULL, &options, &pid);
    if (cname != NULL) (*env)->ReleaseStringUTFChars(env, name, cname);
    return rc != 0 ? rc : (jlong)pid.id;
}
