/*
 * conf_peer_jni.c -- lets a Java conformance case spawn the C actor of the interop case
 * (conformance/cases/interop/peer.h) in a Java ActorSystem: CPeer.spawn(system, name), and its echo
 * actor: CPeer.spawnEcho(system, name). Linked against libakt.so.0, which resolves to the copy the
 * Java binding already loaded.
 */
#include <jni.h>

#include "conf.h"
#include "peer.h"

/* Spawns behavior named name; returns the new actor's pid id, or a negative AKT_E* code. */
static jlong spawn_c(JNIEnv *env, jlong system, jstring name, const akt_behavior *behavior) {
    const char *cname = name != NULL ? (*env)->GetStringUTFChars(env, name, NULL) : NULL;
    if (name != NULL && cname == NULL) return AKT_ENOMEM; /* OutOfMemoryError pending */
    akt_spawn_options options;
    akt_spawn_options_init(&options);
    options.name = cname;
    akt_pid pid = {AKT_PID_NONE_ID};
    int rc = akt_spawn((akt_system *)(intptr_t)system, behavior, NULL, &options, &pid);
    if (cname != NULL) (*env)->ReleaseStringUTFChars(env, name, cname);
    return rc != 0 ? rc : (jlong)pid.id;
}

/* The interop peer (conf_peer_behavior). */
JNIEXPORT jlong JNICALL Java_CPeer_spawnNative(JNIEnv *env, jclass cls, jlong system,
                                               jstring name) {
    (void)cls;
    return spawn_c(env, system, name, &conf_peer_behavior);
}

/* The echo actor of peer.h (conf_echo()), used by the scalars case. */
JNIEXPORT jlong JNICALL Java_CPeer_spawnEchoNative(JNIEnv *env, jclass cls, jlong system,
                                                   jstring name) {
    (void)cls;
    return spawn_c(env, system, name, conf_echo());
}
