/* The interop case's C actor (conformance/cases/interop/peer.h) as a library a Node
 * program loads with system.spawnNative(path, 'akt_conf_peer'). */
#include "peer.h"

int akt_conf_peer(const char *arg, const akt_behavior **behavior, void **state);

int akt_conf_peer(const char *arg, const akt_behavior **behavior, void **state) {
    (void)arg;
    *behavior = &conf_peer_behavior;
    *state = NULL;
    return 0;
}

/* The echo actor of peer.h: system.spawnNative(path, 'akt_conf_echo'). */
int akt_conf_echo(const char *arg, const akt_behavior **behavior, void **state);

int akt_conf_echo(const char *arg, const akt_behavior **behavior, void **state) {
    (void)arg;
    *behavior = conf_echo();
    *state = NULL;
    return 0;
}
