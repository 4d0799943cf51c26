/* telemetry_trace: a request through three actors is one trace; spans by stable labels. */
#define _POSIX_C_SOURCE 200809L
#include "conf.h"

#include <akt/telemetry.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct rec {
    char name[64], path[128];
    uint8_t trace[16], span[8], parent[8];
    int status;
} rec;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static rec spans[8];
static int nspans;
static char c_saw[64] = "";

static void sink(const akt_span *s, void *data) {
    (void)data;
    pthread_mutex_lock(&mu);
    if (nspans < 8) {
        rec *r = &spans[nspans++];
        snprintf(r->name, sizeof r->name, "%s", s->name);
        const char *u = strstr(s->actor_path, "/user");
        snprintf(r->path, sizeof r->path, "%s", u ? u : s->actor_path);
        memcpy(r->trace, s->trace_id, 16);
        memcpy(r->span, s->span_id, 8);
        memcpy(r->parent, s->parent_id, 8);
        r->status = s->status;
    }
    pthread_mutex_unlock(&mu);
}

static int count(void) {
    pthread_mutex_lock(&mu);
    int n = nspans;
    pthread_mutex_unlock(&mu);
    return n;
}

static void wait_spans(int n) {
    for (int i = 0; i < 10000 && count() < n; i++) nanosleep(&(struct timespec){0, 1000000}, NULL);
    if (count() < n) conf_fatal("only %d spans of %d", count(), n);
}

static int relay_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    return conf_ctx_tell(ctx, *(akt_pid *)state, "conf.Step", "");
}

static int keeper_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    const void *v;
    size_t len;
    pthread_mutex_lock(&mu);
    if (akt_msg_header(msg, AKT_TRACEPARENT_HEADER, &v, &len) == 0)
        snprintf(c_saw, sizeof c_saw, "%.*s", (int)len, (const char *)v);
    pthread_mutex_unlock(&mu);
    return 0;
}

static const akt_behavior relay_behavior = {.size = sizeof(akt_behavior), .receive = relay_receive};
static const akt_behavior keeper_behavior = {.size = sizeof(akt_behavior),
                                             .receive = keeper_receive};

static const uint8_t zero[8];

/* The label (1-based chain position) of span id s among order[0..n), 0 if none. */
static int label_of(const int *order, int n, const uint8_t *s) {
    for (int i = 0; i < n; i++)
        if (memcmp(spans[order[i]].span, s, 8) == 0) return i + 1;
    return 0;
}

int main(void) {
    akt_system *sys = conf_system_create();
    CONF_OK(akt_trace_set_sink(sys, sink, NULL));
    static akt_pid a, b, c;
    c = conf_spawn(sys, &keeper_behavior, NULL, "c");
    b = conf_spawn(sys, &relay_behavior, &c, "b");
    a = conf_spawn(sys, &relay_behavior, &b, "a");
    CONF_OK(conf_tell(sys, a, "conf.Go", ""));
    wait_spans(3);
    /* The chain from the root: each next span is the child of the one before. */
    int order[3], n = 0;
    for (int i = 0; i < 3; i++)
        if (memcmp(spans[i].parent, zero, 8) == 0) order[n++] = i;
    while (n > 0 && n < 3) {
        int next = -1;
        for (int i = 0; i < 3; i++)
            if (memcmp(spans[i].parent, spans[order[n - 1]].span, 8) == 0) next = i;
        if (next < 0) break;
        order[n++] = next;
    }
    if (n != 3) conf_fatal("the spans are not one chain");
    for (int k = 0; k < 3; k++) {
        const rec *r = &spans[order[k]];
        int p = label_of(order, 3, r->parent);
        char parent[16];
        snprintf(parent, sizeof parent, p ? "S%d" : "none", p);
        int t = memcmp(r->trace, spans[order[0]].trace, 16) == 0 ? 1 : 2;
        conf_say("span", "S%d %s %s parent=%s trace=T%d status=%d", k + 1, r->name, r->path, parent,
                 t, r->status);
    }
    akt_trace_context saw;
    pthread_mutex_lock(&mu);
    int ok = akt_traceparent_parse(c_saw, strlen(c_saw), &saw) == 0;
    pthread_mutex_unlock(&mu);
    int l = ok ? label_of(order, 3, saw.span_id) : 0;
    if (l)
        conf_say("c.saw", "S%d", l);
    else
        conf_say("c.saw", "?");
    akt_msg *m = conf_msg("conf.Step", "");
    CONF_OK(akt_msg_set_header(m, AKT_TRACEPARENT_HEADER, "00-bad", 6));
    CONF_OK(akt_tell(sys, c, m));
    wait_spans(4);
    uint64_t invalid = 0;
    CONF_OK(akt_trace_invalid_count(sys, &invalid));
    conf_say("invalid", "%llu root=%s", (unsigned long long)invalid,
             memcmp(spans[3].parent, zero, 8) == 0 ? "yes" : "no");
    conf_system_finish(sys);
    return 0;
}
