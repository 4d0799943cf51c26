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

/* remjava begin: every remoting option at once (RemoteOptions). The sizes are longs in
 * Java: negative or beyond their C field is AKT_EINVAL here, before the core checks its own
 * ranges. */
int aktj_remote_start_options(jlong system, const char *host, int port, jlong max_frame_bytes,
                              jlong heartbeat_ns, jlong heartbeat_misses, jlong send_window,
                              int compression, jlong compress_min_bytes, jlong chunk_bytes,
                              jlong max_message_bytes, jlong send_buffer_bytes,
                              jlong max_reverse_proxies, const char *cert, const char *key,
                              const char *ca, const char *peer_name, int require_client_cert) {
    const jlong u32 = 0xffffffffll;
    if (port < 0 || port > 65535 || compression < AKT_REMOTE_COMPRESS_NONE ||
        compression > AKT_REMOTE_COMPRESS_BROTLI || max_frame_bytes < 0 || max_frame_bytes > u32 ||
        heartbeat_misses < 0 || heartbeat_misses > u32 || send_window < 0 || send_window > u32 ||
        compress_min_bytes < 0 || compress_min_bytes > u32 || chunk_bytes < 0 ||
        chunk_bytes > u32 || max_message_bytes < 0 || max_message_bytes > u32 ||
        send_buffer_bytes < 0 || max_reverse_proxies < 0 || max_reverse_proxies > u32 ||
        (key && !cert))
        return AKT_EINVAL;
    akt_remote_options o;
    akt_remote_options_init(&o);
    o.host = host;
    o.port = (uint16_t)port;
    o.max_frame_bytes = (uint32_t)max_frame_bytes;
    o.heartbeat_interval_ns = heartbeat_ns;
    o.heartbeat_misses = (uint32_t)heartbeat_misses;
    o.send_window = (uint32_t)send_window;
    o.compression = compression;
    o.compress_min_bytes = (uint32_t)compress_min_bytes;
    o.chunk_bytes = (uint32_t)chunk_bytes;
    o.max_message_bytes = (uint32_t)max_message_bytes;
    o.send_buffer_bytes = (uint64_t)send_buffer_bytes;
    o.max_reverse_proxies = (uint32_t)max_reverse_proxies;
    o.tls_cert_file = cert;
    o.tls_key_file = key;
    o.tls_ca_file = ca;
    o.tls_peer_name = peer_name;
    o.tls_require_client_cert = require_client_cert;
    return akt_remote_start(AKTJ_PTR(system), &o);
}
/* remjava end */
