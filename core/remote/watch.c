/* Remote watch (loop thread). The watching node: a proxy whose first watcher is kept sends
 * Watch for its path to its node, its last watcher dropped sends Unwatch; a Terminated
 * from that node, or the loss of the connection to it, stops the proxy, so that the
 * kernel tells its watchers as for any actor that stops (a loss also publishes the reason
 * as the proxy's failure). The watched node: one actor of its own (the node's watcher, run
 * on the I/O thread) watches the local actors other nodes watch, and turns each
 * Terminated into Terminated frames for the connections that asked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor/send.h"
#include "endpoint.h"
#include "kernel/msg.h"

#define AKT__RWATCH_TYPE "akt.remote.Watch"
#define AKT__RUNWATCH_TYPE "akt.remote.Unwatch"

/* ---- the watching node ------------------------------------------------------------ */

static void akt__send_watch_frame(akt__node_r *n, akt__proxy *p, int on) {
    akt__peer *q = akt__endpoint_peer(n, p->peer_key, p->system, p->host, p->port);
    const char *why = "remote node unreachable: out of memory";
    akt__conn *c = NULL;
    if (q && on)
        c = akt__endpoint_conn(n, q, &why);
    else if (q)
        c = q->conn; /* an unwatch needs no new connection: the watch went with the old */
    if (!c) {
        if (on) akt__proxy_terminate(n, p, why);
        return;
    }
    Akt__Remote__Watch w = AKT__REMOTE__WATCH__INIT;
    Akt__Remote__Unwatch u = AKT__REMOTE__UNWATCH__INIT;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    if (on) {
        w.path = p->path;
        f.body_case = AKT__REMOTE__FRAME__BODY_WATCH;
        f.watch = &w;
    } else {
        u.path = p->path;
        f.body_case = AKT__REMOTE__FRAME__BODY_UNWATCH;
        f.unwatch = &u;
    }
    if (akt__endpoint_enqueue_frame(c, &f) && on)
        akt__proxy_terminate(n, p, "remote watch failed: out of memory");
}

void akt__proxy_watched(akt_system *s, akt__cell *c, int on) {
    (void)s;
    akt__proxy *p = c->state;
    if (p->dead) return; /* stopping: its watchers get Terminated from the kernel */
    p->watchers += on ? 1 : -1;
    if ((on && p->watchers == 1) || (!on && p->watchers == 0))
        akt__send_watch_frame(p->node, p, on);
}

void akt__proxy_terminate(akt__node_r *n, akt__proxy *p, const char *why) {
    if (p->dead) return;
    p->dead = 1;
    size_t len = why ? strnlen(why, sizeof p->why - 1) : 0; /* a long reason is cut */
    if (len) memcpy(p->why, why, len);
    p->why[len] = 0;
    pthread_mutex_lock(&n->lock);
    for (akt__proxy **pp = &n->proxy_list; *pp; pp = &(*pp)->next)
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    if (p->reverse) n->reverse_count--;
    pthread_mutex_unlock(&n->lock);
    akt__stop_request(n->sys, p->pid); /* the kernel's own stop: not back to the node */
}

int akt__on_terminated(akt__conn *c, const Akt__Remote__Terminated *t) {
    akt__node_r *n = c->node;
    if (!t->path) return AKT_EPROTO;
    akt__proxy *hit = NULL;
    pthread_mutex_lock(&n->lock);
    for (akt__proxy *p = n->proxy_list; p; p = p->next)
        if (strcmp(p->peer_key, c->peer->key) == 0 && strcmp(p->path, t->path) == 0) {
            hit = p;
            break;
        }
    pthread_mutex_unlock(&n->lock);
    if (hit) akt__proxy_terminate(n, hit, NULL); /* its actor stopped: no failure */
    return 0;
}

/* ---- the watched node ------------------------------------------------------------- */

static void akt__send_terminated(akt__conn *c, const char *path, const char *reason) {
    Akt__Remote__Terminated t = AKT__REMOTE__TERMINATED__INIT;
    t.path = (char *)path;
    t.reason = (char *)(reason ? reason : "");
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_TERMINATED;
    f.terminated = &t;
    (void)akt__endpoint_enqueue_frame(c, &f); /* no memory: the watcher is not told */
}

static int akt__watcher_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt__node_r *n = state;
    akt_pid self, sender, about = {akt__msg_about(msg)};
    akt_ctx_self(ctx, &self);
    akt_ctx_sender(ctx, &sender);
    const char *type = akt_msg_type(msg);
    if (about.id && sender.id == self.id && strcmp(type, AKT__RWATCH_TYPE) == 0) {
        if (akt_ctx_watch(ctx, about) == 0) return 0;
        /* Not even a stale pid of this system: gone. */
    } else if (about.id && sender.id == self.id && strcmp(type, AKT__RUNWATCH_TYPE) == 0) {
        akt_ctx_unwatch(ctx, about);
        return 0;
    } else if (!about.id || strcmp(type, AKT_TYPE_TERMINATED) != 0) {
        return 0; /* nothing for it: it has no address anyone can tell */
    }
    for (akt__rwatch **pp = &n->rwatches; *pp;) {
        akt__rwatch *w = *pp;
        if (w->target == about.id) {
            *pp = w->next;
            akt__send_terminated(w->conn, w->path, NULL);
            free(w);
        } else {
            pp = &w->next;
        }
    }
    akt__endpoint_flush(n);
    return 0;
}

static const akt_behavior akt__watcher_behavior = {
    .size = sizeof(akt_behavior),
    .receive = akt__watcher_receive,
};

/* Tells the node's watcher (made on first use) to watch or unwatch target. */
static int akt__watcher_tell(akt__node_r *n, uint64_t target, const char *type) {
    if (!n->watcher.id) {
        akt_spawn_options so;
        akt_spawn_options_init(&so);
        so.dispatcher = n->proxies;
        int rc = akt_spawn(n->sys, &akt__watcher_behavior, n, &so, &n->watcher);
        if (rc) return rc;
    }
    akt_msg *m;
    int rc = akt__msg_new_about(type, (akt_pid){target}, NULL, &m);
    if (rc) return rc;
    rc = akt__deliver_internal(n->sys, n->watcher, m, n->watcher.id);
    if (rc) akt_msg_release(m);
    return rc;
}

static int akt__target_watched(akt__node_r *n, uint64_t target) {
    for (akt__rwatch *w = n->rwatches; w; w = w->next)
        if (w->target == target) return 1;
    return 0;
}

int akt__on_watch(akt__conn *c, const Akt__Remote__Watch *w) {
    akt__node_r *n = c->node;
    if (!w->path) return AKT_EPROTO;
    akt_pid pid = {0};
    if (strncmp(w->path, "/user/", 6) != 0 || akt_lookup(n->sys, w->path, &pid)) {
        akt__send_terminated(c, w->path, "no actor at this path");
        return 0;
    }
    for (akt__rwatch *e = n->rwatches; e; e = e->next)
        if (e->conn == c && e->target == pid.id) return 0; /* already */
    size_t len = strlen(w->path);
    akt__rwatch *e = malloc(sizeof *e + len + 1); /* a path akt_lookup found: bounded */
    if (!e) {
        akt__send_terminated(c, w->path, "remote watch refused: out of memory");
        return 0;
    }
    int first = !akt__target_watched(n, pid.id);
    e->conn = c;
    e->target = pid.id;
    memcpy(e->path, w->path, len + 1);
    e->next = n->rwatches;
    n->rwatches = e;
    if (first && akt__watcher_tell(n, pid.id, AKT__RWATCH_TYPE)) {
        n->rwatches = e->next;
        free(e);
        akt__send_terminated(c, w->path, "remote watch refused");
    }
    return 0;
}

/* Removes c's watches (of path, or all when path is NULL); unwatches what none is left of. */
static void akt__rwatch_remove(akt__node_r *n, akt__conn *c, const char *path) {
    for (akt__rwatch **pp = &n->rwatches; *pp;) {
        akt__rwatch *w = *pp;
        if (w->conn == c && (!path || strcmp(w->path, path) == 0)) {
            *pp = w->next;
            uint64_t target = w->target;
            free(w);
            if (!akt__target_watched(n, target) && !n->closing)
                akt__watcher_tell(n, target, AKT__RUNWATCH_TYPE);
        } else {
            pp = &w->next;
        }
    }
}

int akt__on_unwatch(akt__conn *c, const Akt__Remote__Unwatch *w) {
    if (!w->path) return AKT_EPROTO;
    akt__rwatch_remove(c->node, c, w->path);
    return 0;
}

void akt__watch_conn_closed(akt__conn *c, const char *why) {
    akt__node_r *n = c->node;
    if (!c->peer) {
        akt__rwatch_remove(n, c, NULL);
        return;
    }
    /* The node is lost for this one: every watched proxy of it stops, with the reason. */
    char reason[240];
    snprintf(reason, sizeof reason, "remote node %.64s lost: %s", c->peer->key, why);
    for (;;) {
        akt__proxy *hit = NULL;
        pthread_mutex_lock(&n->lock);
        for (akt__proxy *p = n->proxy_list; p; p = p->next)
            if (p->watchers > 0 && !p->dead && strcmp(p->peer_key, c->peer->key) == 0) {
                hit = p;
                break;
            }
        pthread_mutex_unlock(&n->lock);
        if (!hit) break;
        akt__proxy_terminate(n, hit, reason);
    }
}
