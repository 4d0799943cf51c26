/* Two nodes in one process for the remoting cases (remote_tell_ask, remote_spawn,
 * remote_watch, serializers, tls). */
#ifndef AKT_CONF_REMOTE_H
#define AKT_CONF_REMOTE_H
#include "conf.h"

#include <akt/remote.h>

/* A second system named name, with the default options (the peer node of a case). */
akt_system *conf_node_create(const char *name);

/* Starts remoting on 127.0.0.1, an ephemeral port, without TLS. */
void conf_remote_start(akt_system *system);

#endif
