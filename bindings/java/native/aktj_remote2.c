/* Remoting with flow control: remoteStart with a send window; remote spawn with options
 * (the plain remote spawn is the SWIG wrapper of akt_remote_spawn). */
#include <akt/remote.h>

#include "aktj.h"
#include "aktj_internal.h"

int aktj_remote_start_window(jlong system, const char *host, int port, jlong heartbeat_ns,
                             int heartbeat_misses, jlong send_window) {
    if (port < 0 || port > 65535 || heartbeat_misses < 0 || send_window < 0 ||
        send_window > (1 << 24))
        return AKT_EINVAL;
    akt_remote_options o;
    akt_remote_options_init(&o);
    o.host = host;
    o.port = (uint16_t)port;
    o.heartbeat_interval_ns = heartbeat_ns;
    o.heartbeat_misses = (uint32_t)heartbeat_misses;
    o.send_window = (uint32_t)send_window;
    return akt_remote_start(AKTJ_PTR(system), &o);
}

int aktj_remote_spawn_with(JNIEnv *env, jlong system, const char *address, const char *kind,
                           const char *name, jlong timeout_ns, int supervised, jint directive,
                           jint strategy, jlong max_retries, jlong within_ns, jdoubleArray tuning,
                           jlongArray mailbox, jint passivation, jlong passivation_value,
                           jint reentrancy, jint max_in_flight, jlongArray out) {
    if (out == NULL || (*env)->GetArrayLength(env, out) < 1 || max_in_flight < 0 || timeout_ns <= 0)
        return AKT_EINVAL;
    akt_remote_spawn_options o;
    akt_remote_spawn_options_init(&o);
    o.timeout_ns = timeout_ns;
    /* No decider: Java refused one before the call (a function cannot cross). */
    akt_supervisor sup;
    if (supervised) {
        int rc = aktj_supervisor_init(env, &sup, directive, NULL, strategy, max_retries, within_ns,
                                      tuning);
        if (rc != 0) return rc;
        o.supervisor = &sup;
    }
    akt_mailbox_spec mb;
    if (mailbox != NULL) {
        if (aktj_mailbox_read(env, mailbox, &mb) != 0) return AKT_EINVAL;
        o.mailbox = &mb;
    }
    akt_passivation pv = aktj_passivation_of(passivation, passivation_value);
    if (passivation != AKT_PASSIVATE_NEVER) o.passivation = &pv;
    o.reentrancy = reentrancy;
    o.max_in_flight = (uint32_t)max_in_flight;
    akt_pid pid = {0};
    int rc = akt_remote_spawn_with(AKTJ_PTR(system), address, kind, name, &o, &pid);
    if (rc != 0) return rc;
    jlong id = (jlong)pid.id;
    (*env)->SetLongArrayRegion(env, out, 0, 1, &id);
    return 0;
}
