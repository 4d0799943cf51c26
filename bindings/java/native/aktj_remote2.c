/* Remoting with flow control: remoteStart with a send window (remote spawn itself is the
 * SWIG wrapper of akt_remote_spawn). */
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
