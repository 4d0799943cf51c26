/* Remoting with frame compression: remoteStart with a method and a minimum size. */
#include <akt/remote.h>

#include "aktj.h"
#include "aktj_internal.h"

int aktj_remote_start_compress(jlong system, const char *host, int port, int compression,
                               jlong min_bytes) {
    if (port < 0 || port > 65535 || compression < AKT_REMOTE_COMPRESS_NONE ||
        compression > AKT_REMOTE_COMPRESS_BROTLI || min_bytes < 0 || min_bytes > 0xffffffffll)
        return AKT_EINVAL;
    akt_remote_options o;
    akt_remote_options_init(&o);
    o.host = host;
    o.port = (uint16_t)port;
    o.compression = compression;
    o.compress_min_bytes = (uint32_t)min_bytes;
    return akt_remote_start(AKTJ_PTR(system), &o);
}
