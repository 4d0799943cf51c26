/* Proxies: a remote actor's local pid. Each is an actor without user code, run by the I/O
 * thread (on the node's external dispatcher); its receive hands the message, its sender
 * and its asker to the endpoint, so the send path into it is the one of every actor and
 * its mailbox keeps the senders' order. */
#include <stdlib.h>
#include <string.h>

#include "actor/reader.h"
#include "endpoint.h"
#include "kernel/ctx.h"
#include "kernel/envelope.h"

static int akt__proxy_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt__proxy *p = state;
    akt__ctx *x = akt__ctx_current(ctx);
    akt__envelope *e = x ? x->env : NULL;
    akt_pid sender = {e ? e->sender : 0};
    if (akt__proxy_control(p, msg, sender)) return 0;
    p->handled++;
    akt__endpoint_send(p->node, p, msg, sender, e ? e->reply : NULL);
    return 0;
}

/* A proxy that stops because its node was lost says why, as a failure event. */
static void akt__proxy_post_stop(akt_ctx *ctx, void *state) {
    akt__proxy *p = state;
    if (p->dead && p->why[0]) akt_ctx_fail(ctx, p->why);
}

static void akt__proxy_free(akt__proxy *p);

/* A dead proxy is off the node's list: its cell frees it, giving back to the window what
 * its mailbox still held. A live one is the node's to free (at the system's free). */
static void akt__proxy_free_state(void *state) {
    akt__proxy *p = state;
    if (!p->dead) return;
    /* relaxed: the cell is gone, no sender admits into it any more (kernel/sys.h) */
    int64_t left = atomic_load_explicit(&p->admitted, memory_order_relaxed) - p->handled;
    if (left > 0) akt__window_give(p->win, (uint64_t)left);
    akt__proxy_free(p);
}

const akt_behavior akt__proxy_behavior = {
    .size = sizeof(akt_behavior),
    .receive = akt__proxy_receive,
    .post_stop = akt__proxy_post_stop,
    .free_state = akt__proxy_free_state,
};

const akt__proxy_hooks akt__remote_proxy_hooks = {
    .receive = akt__proxy_receive,
    .watched = akt__proxy_watched,
    .control = akt__proxy_control_post,
    .admit = akt__flow_admit,
    .unadmit = akt__flow_unadmit,
    .crossable = akt__flow_crossable,
    .graceful = akt__proxy_graceful_post, /* ack */
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

static int akt__proxy_lookup_as(akt__node_r *n, const char *address, int reverse, akt_pid *out) {
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
            if (q->reverse && !reverse) { /* the user holds it now: never evicted */
                q->reverse = 0;
                n->reverse_count--;
            }
            if (q->reverse) q->used = ++n->reverse_clock;
            *out = q->pid;
            pthread_mutex_unlock(&n->lock);
            akt__proxy_free(p);
            return 0;
        }
    p->node = n;
    p->win = akt__window_get_locked(n, p->peer_key);
    if (!p->win) {
        pthread_mutex_unlock(&n->lock);
        akt__proxy_free(p);
        return AKT_ENOMEM;
    }
    atomic_init(&p->admitted, 0);
    akt_spawn_options so;
    akt_spawn_options_init(&so);
    so.dispatcher = n->proxies;
    akt__relay_receive(akt__proxy_behavior.receive); /* serializer rules apply */
    rc = akt_spawn(n->sys, &akt__proxy_behavior, p, &so, &p->pid);
    if (rc == 0) {
        p->next = n->proxy_list;
        n->proxy_list = p;
        *out = p->pid;
        if (reverse) {
            p->reverse = 1;
            p->used = ++n->reverse_clock;
            n->reverse_count++;
        }
    }
    pthread_mutex_unlock(&n->lock);
    if (rc) akt__proxy_free(p);
    return rc;
}

int akt__proxy_lookup(akt__node_r *n, const char *address, akt_pid *out) {
    return akt__proxy_lookup_as(n, address, 0, out);
}

/* Whether a connection has pid cached as its last sender (in use right now). */
static int akt__proxy_cached(akt__node_r *n, akt_pid pid) {
    for (akt__conn *c = n->conns; c; c = c->next)
        if (c->from && c->from_pid.id == pid.id) return 1;
    return 0;
}

int akt__proxy_lookup_reverse(akt__node_r *n, const char *address, akt_pid *out) {
    int rc = akt__proxy_lookup_as(n, address, 1, out);
    if (rc) return rc;
    for (;;) {
        akt__proxy *victim = NULL;
        pthread_mutex_lock(&n->lock);
        if (n->reverse_count > n->reverse_cap)
            for (akt__proxy *q = n->proxy_list; q; q = q->next)
                if (q->reverse && !q->dead && q->watchers == 0 && q->pid.id != out->id &&
                    (!victim || q->used < victim->used) && !akt__proxy_cached(n, q->pid))
                    victim = q;
        pthread_mutex_unlock(&n->lock);
        if (!victim) return 0; /* under the cap, or nothing may go (watched, in use) */
        akt__proxy_terminate(n, victim, NULL); /* off the list, its count given back */
    }
}
