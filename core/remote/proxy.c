/* Proxies: a remote actor's local pid. Each is an actor without user code, run by the I/O
 * thread (on the node's external dispatcher); its receive hands the message, its sender
 * and its asker to the endpoint, so the send path into it is the one of every actor and
 * its mailbox keeps the senders' order. */
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "kernel/ctx.h"
#include "kernel/envelope.h"

static int akt__proxy_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt__proxy *p = state;
    akt__ctx *x = akt__ctx_current(ctx);
    akt__envelope *e = x ? x->env : NULL;
    akt__endpoint_send(p->node, p, msg, (akt_pid){e ? e->sender : 0}, e ? e->reply : NULL);
    return 0;
}

const akt_behavior akt__proxy_behavior = {
    .size = sizeof(akt_behavior),
    .receive = akt__proxy_receive,
};

int akt__proxy_of(const akt__cell *c, akt__proxy **out) {
    if (!c->beh || c->beh->receive != akt__proxy_receive) return 0;
    *out = c->state;
    return 1;
}

static void akt__proxy_free(akt__proxy *p) {
    free(p->address);
    free(p->peer_key);
    free(p->path);
    free(p->system);
    free(p->from);
    free(p);
}

void akt__proxies_free(akt__node_r *n) {
    while (n->proxy_list) {
        akt__proxy *p = n->proxy_list;
        n->proxy_list = p->next;
        akt__proxy_free(p);
    }
}

static char *akt__strndup(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* Splits "akt://sys@host:port/user/..." into a new proxy record (no pid yet). */
static int akt__address_parse(const char *a, akt__proxy **out) {
    if (strncmp(a, "akt://", 6) != 0) return AKT_EINVAL;
    const char *sys = a + 6, *at = strchr(sys, '@');
    if (!at || at == sys || at - sys > 64) return AKT_EINVAL;
    const char *host = at + 1, *colon = strchr(host, ':');
    if (!colon || colon == host || colon - host >= 64) return AKT_EINVAL;
    const char *port = colon + 1, *path = strchr(port, '/');
    if (!path || path == port || path - port > 5) return AKT_EINVAL;
    unsigned long pn = 0;
    for (const char *q = port; q < path; q++) {
        if (*q < '0' || *q > '9') return AKT_EINVAL;
        pn = pn * 10 + (unsigned long)(*q - '0');
    }
    if (pn == 0 || pn > 65535) return AKT_EINVAL;
    if (strncmp(path, "/user/", 6) != 0 || !path[6] || strlen(a) > 1024) return AKT_EINVAL;
    for (const char *q = sys; q < at; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
              *q == '-' || *q == '_' || *q == '.'))
            return AKT_EINVAL;
    akt__proxy *p = calloc(1, sizeof *p);
    if (!p) return AKT_ENOMEM;
    memcpy(p->host, host, (size_t)(colon - host));
    struct sockaddr_in sa;
    if (uv_ip4_addr(p->host, (int)pn, &sa)) {
        free(p);
        return AKT_EINVAL;
    }
    p->port = (uint16_t)pn;
    p->address = strdup(a);
    p->peer_key = akt__strndup(sys, (size_t)(path - sys));
    p->path = strdup(path);
    p->system = akt__strndup(sys, (size_t)(at - sys));
    if (!p->address || !p->peer_key || !p->path || !p->system) {
        akt__proxy_free(p);
        return AKT_ENOMEM;
    }
    *out = p;
    return 0;
}

int akt__proxy_lookup(akt__node_r *n, const char *address, akt_pid *out) {
    akt__proxy *p;
    int rc = akt__address_parse(address, &p);
    if (rc) return rc;
    /* This node's own address: the local actor. */
    size_t own = strlen(n->address);
    if (strncmp(address, n->address, own) == 0 && address[own] == '/') {
        akt__proxy_free(p);
        return akt_lookup(n->sys, address + own, out);
    }
    pthread_mutex_lock(&n->lock);
    for (akt__proxy *q = n->proxy_list; q; q = q->next)
        if (strcmp(q->address, address) == 0) {
            *out = q->pid;
            pthread_mutex_unlock(&n->lock);
            akt__proxy_free(p);
            return 0;
        }
    p->node = n;
    akt_spawn_options so;
    akt_spawn_options_init(&so);
    so.dispatcher = n->proxies;
    rc = akt_spawn(n->sys, &akt__proxy_behavior, p, &so, &p->pid);
    if (rc == 0) {
        p->next = n->proxy_list;
        n->proxy_list = p;
        *out = p->pid;
    }
    pthread_mutex_unlock(&n->lock);
    if (rc) akt__proxy_free(p);
    return rc;
}
