/* The public remoting API: starting a node on a system, its address, lookups; and the
 * node's place in the system's lifecycle (a part of kernel/sys.h). */
#include <akt/remote.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/clock.h"
#include "chunk.h"
#include "endpoint.h"

static const char akt__remote_key = 0; /* the address names the part kind */

static akt__node_r *akt__node_of(akt_system *s) {
    return (akt__node_r *)akt__part_find(s, &akt__remote_key);
}

AKT_API int akt_remote_options_init(akt_remote_options *o) {
    if (!o) return AKT_EINVAL;
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    return 0;
}

/* Any thread: the proxies have mail. */
static void akt__node_notify(void *data) {
    akt__node_r *n = data;
    akt__io_wake(&n->io);
}

/* Loop thread, after each wake-up's commands: run the proxies, then write. */
static void akt__node_on_wake(akt__io *io, void *data) {
    akt__node_r *n = data;
    if (akt_dispatcher_run(n->proxies, 4096, NULL) == AKT_EAGAIN)
        akt__io_wake(io); /* more: after the sockets had their turn */
    akt__flow_grant(n);
    akt__endpoint_flush(n);
}

static void akt__node_on_quit(akt__io *io, void *data) {
    (void)io;
    akt__endpoint_close_all(data, AKT_ECLOSED, "system shut down: remoting stopped");
}

static void akt__node_closing_run(akt__io *io, akt__io_cmd *cmd) {
    (void)cmd;
    akt__node_r *n = io->wake_data;
    akt__endpoint_close_all(n, AKT_ECLOSED, "system shutting down: remoting closed");
}

/* The system began its shutdown: connections close now, so peers learn at once and what
 * the dying actors still send out becomes dead letters here. */
static void akt__node_closing(akt_system *s, akt__part *p) {
    (void)s;
    akt__node_r *n = (akt__node_r *)p;
    n->closing_cmd.run = akt__node_closing_run;
    akt__io_post(&n->io, &n->closing_cmd); /* ECLOSED: stopping anyway */
}

static void akt__node_stop(akt_system *s, akt__part *p) {
    (void)s;
    akt__io_stop(&((akt__node_r *)p)->io);
}

static void akt__node_free(akt_system *s, akt__part *p) {
    (void)s;
    akt__node_r *n = (akt__node_r *)p;
    akt__io_destroy(&n->io);
    akt__endpoint_free(n);
    akt__graceful_free(n); /* ack */
    akt__proxies_free(n);
    akt__tls_ctx_free(n->tls);
    akt__windows_free(n);
    pthread_mutex_destroy(&n->lock);
    free(n->address);
    free(n);
}

static size_t akt__node_cell_path(akt__part *part, const akt__cell *c, char *buf, size_t len) {
    (void)part;
    akt__proxy *p;
    if (!akt__proxy_of(c, &p)) return (size_t)-1;
    size_t n = strlen(p->address);
    if (buf && len) {
        size_t k = n < len ? n : len - 1;
        memcpy(buf, p->address, k);
        buf[k] = 0;
    }
    return n;
}

/* Binds and listens on the loop of n (its thread not started yet). */
static int akt__node_bind(akt__node_r *n, uint16_t port) {
    struct sockaddr_in sa;
    if (uv_ip4_addr(n->host, port, &sa)) return AKT_EINVAL;
    if (uv_tcp_init(&n->io.loop, &n->server)) return AKT_ENOMEM;
    n->listening = 1;
    if (uv_tcp_bind(&n->server, (const struct sockaddr *)&sa, 0) || akt__endpoint_listen(n))
        return AKT_EUNREACHABLE;
    struct sockaddr_in got;
    int glen = sizeof got;
    if (uv_tcp_getsockname(&n->server, (struct sockaddr *)&got, &glen)) return AKT_EUNREACHABLE;
    n->port = ntohs(got.sin_port);
    return 0;
}

AKT_API int akt_remote_start(akt_system *system, const akt_remote_options *options) {
    if (!system) return AKT_EINVAL;
    akt_remote_options o;
    akt_remote_options_init(&o);
    if (options) {
        if (options->size < offsetof(akt_remote_options, max_frame_bytes)) return AKT_EINVAL;
        memcpy(&o, options, options->size < sizeof o ? options->size : sizeof o);
        o.size = sizeof o;
    }
    const char *host = o.host ? o.host : "127.0.0.1";
    struct sockaddr_in sa;
    if (strlen(host) >= 64 || uv_ip4_addr(host, 0, &sa)) return AKT_EINVAL;
    if (o.max_frame_bytes && o.max_frame_bytes < 64) return AKT_EINVAL;
    if (o.connect_timeout_ns < 0) return AKT_EINVAL;
    if (o.heartbeat_interval_ns > 3600ll * 1000000000ll || o.heartbeat_misses > 1000)
        return AKT_EINVAL;
    if (!o.tls_cert_file &&
        (o.tls_key_file || o.tls_ca_file || o.tls_peer_name || o.tls_require_client_cert))
        return AKT_EINVAL; /* TLS settings without TLS: a mistake, not plaintext */
    if (o.tls_peer_name && !*o.tls_peer_name) return AKT_EINVAL;
    if (o.send_window > (1u << 24)) return AKT_EINVAL;
    if (o.compression < AKT_REMOTE_COMPRESS_NONE || o.compression > AKT_REMOTE_COMPRESS_BROTLI)
        return AKT_EINVAL;
    uint32_t max_frame = o.max_frame_bytes ? o.max_frame_bytes : AKT_REMOTE_DEFAULT_MAX_FRAME;
    if (o.chunk_bytes && (o.chunk_bytes < AKT__CHUNK_MIN || o.chunk_bytes > max_frame))
        return AKT_EINVAL;
    if (o.max_message_bytes &&
        (o.max_message_bytes < max_frame || o.max_message_bytes > (1u << 30)))
        return AKT_EINVAL;
    if (o.send_buffer_bytes && o.send_buffer_bytes < 65536) return AKT_EINVAL;
    if (akt__sys_closed(system)) return AKT_ECLOSED;
    if (akt__node_of(system)) return AKT_EEXIST;
    akt__tls_ctx *tls = NULL;
    if (o.tls_cert_file) {
        akt__tls_config tc = {o.tls_cert_file, o.tls_key_file, o.tls_ca_file,
                              o.tls_require_client_cert, o.tls_peer_name};
        char err[200];
        int trc = akt__tls_ctx_new(&tc, &tls, err, sizeof err);
        if (trc) return trc;
    }
    akt__node_r *n = calloc(1, sizeof *n);
    if (!n) {
        akt__tls_ctx_free(tls);
        return AKT_ENOMEM;
    }
    n->tls = tls;
    n->sys = system;
    memcpy(n->host, host, strlen(host) + 1);
    n->max_frame = o.max_frame_bytes ? o.max_frame_bytes : AKT_REMOTE_DEFAULT_MAX_FRAME;
    n->connect_timeout_ns = o.connect_timeout_ns ? o.connect_timeout_ns : 5000000000ll;
    n->heartbeat_ns = o.heartbeat_interval_ns ? o.heartbeat_interval_ns
                                              : AKT_REMOTE_DEFAULT_HEARTBEAT_NS;
    n->heartbeat_misses = o.heartbeat_misses ? o.heartbeat_misses
                                             : AKT_REMOTE_DEFAULT_HEARTBEAT_MISSES;
    n->window = o.send_window ? o.send_window : AKT_REMOTE_DEFAULT_WINDOW;
    n->compression = o.compression;
    n->compress_min = o.compress_min_bytes ? o.compress_min_bytes : AKT_REMOTE_DEFAULT_COMPRESS_MIN;
    n->chunk = o.chunk_bytes                             ? o.chunk_bytes
               : n->max_frame < AKT_REMOTE_DEFAULT_CHUNK ? n->max_frame
                                                         : AKT_REMOTE_DEFAULT_CHUNK;
    n->max_message = o.max_message_bytes ? o.max_message_bytes
                     : n->max_frame > AKT_REMOTE_DEFAULT_MAX_MESSAGE
                         ? n->max_frame
                         : AKT_REMOTE_DEFAULT_MAX_MESSAGE;
    n->send_cap = o.send_buffer_bytes ? o.send_buffer_bytes : AKT_REMOTE_DEFAULT_SEND_BUFFER;
    n->reverse_cap = o.max_reverse_proxies ? o.max_reverse_proxies
                                           : AKT_REMOTE_DEFAULT_MAX_REVERSE_PROXIES;
    if (getrandom(&n->incarnation, sizeof n->incarnation, 0) != sizeof n->incarnation)
        n->incarnation = (uint64_t)akt__now_ns() ^ (uint64_t)(uintptr_t)n;
    n->serial = akt__serial_of(system, 1);
    n->part.key = &akt__remote_key;
    n->part.closing = akt__node_closing;
    n->part.stop = akt__node_stop;
    n->part.free = akt__node_free;
    n->part.cell_path = akt__node_cell_path;
    pthread_mutex_init(&n->lock, NULL);
    n->io.on_wake = akt__node_on_wake;
    n->io.on_quit = akt__node_on_quit;
    n->io.on_top = akt__inline_run;
    n->io.wake_data = n;
    int rc = akt__io_init(&n->io);
    if (!rc && !n->serial) rc = akt__sys_closed(system) ? AKT_ECLOSED : AKT_ENOMEM;
    if (!rc) rc = akt__node_bind(n, o.port);
    if (!rc) {
        char buf[160];
        snprintf(buf, sizeof buf, "akt://%s@%s:%u", system->name, n->host, (unsigned)n->port);
        n->address = strdup(buf);
        if (!n->address) rc = AKT_ENOMEM;
    }
    if (!rc) rc = akt_dispatcher_create_external(system, akt__node_notify, n, &n->proxies);
    if (!rc) {
        pthread_mutex_lock(&system->lock);
        akt__part *p = system->parts;
        while (p && p->key != &akt__remote_key) p = p->next;
        if (p)
            rc = AKT_EEXIST;
        else if (akt__sys_closed(system))
            rc = AKT_ECLOSED;
        else if ((rc = akt__io_start(&n->io, &system->hooks)) == 0) {
            akt__part_add_locked(system, &n->part);
            /* release: the kernel's acquire load then sees the hooks' fields (sys.h). */
            atomic_store_explicit(&system->proxy_hooks, &akt__remote_proxy_hooks,
                                  memory_order_release);
        }
        pthread_mutex_unlock(&system->lock);
    }
    if (rc) {
        /* The dispatcher, if made, stays with the system (freed with it), unused. */
        akt__node_free(system, &n->part);
        return rc;
    }
    return 0;
}

AKT_API int akt_remote_address(akt_system *system, char *buf, size_t cap, size_t *needed) {
    if (!system || !buf || !cap) return AKT_EINVAL;
    akt__node_r *n = akt__node_of(system);
    if (!n) return AKT_ENOTFOUND;
    size_t len = strlen(n->address);
    if (needed) *needed = len;
    if (len + 1 > cap) return AKT_ERANGE;
    memcpy(buf, n->address, len + 1);
    return 0;
}

AKT_API int akt_remote_lookup(akt_system *system, const char *address, akt_pid *out) {
    if (!system || !address || !out) return AKT_EINVAL;
    akt__node_r *n = akt__node_of(system);
    if (!n) return AKT_ENOTFOUND;
    return akt__proxy_lookup(n, address, out);
}

AKT_API int akt_remote_tls_failures(akt_system *system, uint64_t *count, char *buf, size_t cap,
                                    size_t *needed) {
    if (!system || (!buf && cap)) return AKT_EINVAL;
    akt__node_r *n = akt__node_of(system);
    if (!n) return AKT_ENOTFOUND;
    pthread_mutex_lock(&n->lock);
    size_t len = strlen(n->tls_reason);
    if (count) *count = n->tls_failures;
    if (needed) *needed = len;
    int rc = 0;
    if (cap && len + 1 > cap)
        rc = AKT_ERANGE;
    else if (cap)
        memcpy(buf, n->tls_reason, len + 1);
    pthread_mutex_unlock(&n->lock);
    return rc;
}

AKT_API int akt_remote_spawn(akt_system *system, const char *node_address, const char *kind,
                             const char *name, int64_t timeout_ns, akt_pid *out) {
    if (!system) return AKT_EINVAL;
    akt__node_r *n = akt__node_of(system);
    if (!n) return AKT_ENOTFOUND;
    if (timeout_ns <= 0) return AKT_EINVAL;
    akt_remote_spawn_options o;
    akt_remote_spawn_options_init(&o);
    o.timeout_ns = timeout_ns;
    return akt__remote_spawn(n, node_address, kind, name, &o, out);
}

AKT_API int akt_remote_spawn_options_init(akt_remote_spawn_options *options) {
    if (!options) return AKT_EINVAL;
    memset(options, 0, sizeof *options);
    options->size = sizeof *options;
    options->timeout_ns = 10 * (int64_t)1000000000;
    return 0;
}

AKT_API int akt_remote_spawn_with(akt_system *system, const char *node_address, const char *kind,
                                  const char *name, const akt_remote_spawn_options *options,
                                  akt_pid *out) {
    if (!system) return AKT_EINVAL;
    akt__node_r *n = akt__node_of(system);
    if (!n) return AKT_ENOTFOUND;
    akt_remote_spawn_options o;
    akt_remote_spawn_options_init(&o);
    if (options) {
        /* Read by size: a caller built against a shorter struct gets the defaults after it. */
        if (options->size < offsetof(akt_remote_spawn_options, supervisor)) return AKT_EINVAL;
        memcpy(&o, options, options->size < sizeof o ? options->size : sizeof o);
    }
    return akt__remote_spawn(n, node_address, kind, name, &o, out);
}

uint64_t akt__remote_proto_failures(akt_system *s, char *buf, size_t cap) {
    akt__node_r *n = s ? akt__node_of(s) : NULL;
    if (buf && cap) buf[0] = 0;
    if (!n) return 0;
    pthread_mutex_lock(&n->lock);
    uint64_t k = n->proto_failures;
    if (buf && cap) snprintf(buf, cap, "%s", n->proto_reason);
    pthread_mutex_unlock(&n->lock);
    return k;
}

uint32_t akt__remote_reverse_count(akt_system *s) {
    akt__node_r *n = s ? akt__node_of(s) : NULL;
    if (!n) return 0;
    pthread_mutex_lock(&n->lock);
    uint32_t k = n->reverse_count;
    pthread_mutex_unlock(&n->lock);
    return k;
}
