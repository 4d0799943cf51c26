/* telemetry_metrics: the OpenTelemetry-shaped export (akt_metrics_collect) after a fixed
 * scenario, and the per-stage metrics of a stream with a resumed stage. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "conf_int64.h"

#include <akt/stream.h>
#include <akt/telemetry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int worker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (conf_is(msg, "inc")) return 0;
    if (conf_is(msg, "fail")) return AKT_EFAILED;
    if (conf_is(msg, "stash")) return akt_ctx_stash(ctx);
    if (conf_is(msg, "ping")) return conf_respond(ctx, "pong", "");
    return AKT_EUNHANDLED;
}

static const akt_behavior worker = {.size = sizeof(akt_behavior), .receive = worker_receive};

static void ping(akt_system *sys, akt_pid pid) {
    char buf[64];
    conf_ask_str(sys, pid, "ping", "", buf, sizeof buf);
    if (strcmp(buf, "pong") != 0) conf_fatal("ping: %s", buf);
}

#define MAXLINES 128
typedef struct lines {
    char text[MAXLINES][160];
    int n;
} lines;

static void add(lines *l, const char *text) {
    if (l->n >= MAXLINES) conf_fatal("too many lines");
    snprintf(l->text[l->n++], sizeof l->text[0], "%s", text);
}

static int by_text(const void *a, const void *b) { return strcmp(a, b); }

static void print_sorted(const char *step, lines *l) {
    qsort(l->text, (size_t)l->n, sizeof l->text[0], by_text);
    for (int i = 0; i < l->n; i++) conf_say(step, "%s", l->text[i]);
}

typedef struct seen {
    lines instruments, system, points;
    char attrs[2][160];
} seen;

static const char *attr(const akt_metric_point *p, const char *key) {
    for (size_t i = 0; i < p->nattrs; i++)
        if (strcmp(p->attrs[i].key, key) == 0) return p->attrs[i].value;
    return NULL;
}

static int is_time(const char *name) {
    return strcmp(name, "actorsystem.uptime") == 0 || strcmp(name, "actor.uptime") == 0 ||
           strcmp(name, "actor.last.received.duration") == 0;
}

static int on_point(const akt_metric_point *p, void *data) {
    seen *s = data;
    char line[160];
    const char *kind = p->kind == AKT_METRIC_COUNTER ? "counter" : "gauge";
    /* The first point of each instrument names its kind and unit. */
    snprintf(line, sizeof line, "%s ", p->name);
    int known = 0;
    for (int i = 0; i < s->instruments.n; i++)
        if (strncmp(s->instruments.text[i], line, strlen(line)) == 0) known = 1;
    if (!known) {
        snprintf(line, sizeof line, "%s %s %s", p->name, kind, p->unit);
        add(&s->instruments, line);
    }
    if (is_time(p->name)) return 0;
    if (p->nattrs == 0) {
        snprintf(line, sizeof line, "%s %.0f", p->name, p->value);
        add(&s->system, line);
        return 0;
    }
    const char *who = attr(p, "actor.name");
    int k = who && strcmp(who, "w1") == 0 ? 0 : who && strcmp(who, "w2") == 0 ? 1 : -1;
    if (k < 0) return 0; /* not one of the case's actors */
    snprintf(line, sizeof line, "%s %s %.0f", who, p->name, p->value);
    add(&s->points, line);
    if (strcmp(p->name, "actor.processed.count") == 0) {
        const char *sys = attr(p, "actor.system"), *addr = attr(p, "actor.address");
        const char *kd = attr(p, "actor.kind");
        snprintf(s->attrs[k], sizeof s->attrs[k], "%s system=%s address=%s kind=%s n=%zu", who,
                 sys ? sys : "?", addr ? addr : "?", kd ? kd : "?", p->nattrs);
    }
    return 0;
}

/* Step 6: the points of the instruments of grains, remoting, passivation and schedules. */
static int on_after(const akt_metric_point *p, void *data) {
    static const char *const names[] = {"actor.passivated.count", "actorsystem.grains.count",
                                        "actorsystem.peers.count", "scheduler.cancelled.count",
                                        "scheduler.scheduled.count"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(p->name, names[i]) != 0) continue;
        const char *kd = attr(p, "actor.kind");
        /* kinds of the case's actors only: a binding may have actors (and kinds) of its own */
        if (kd && strcmp(kd, "worker") != 0 && strcmp(kd, "session") != 0) return 0;
        char line[160];
        snprintf(line, sizeof line, "%s kind=%s %.0f", p->name, kd ? kd : "-", p->value);
        add(data, line);
    }
    return 0;
}

static akt_pid spawn_kind(akt_system *sys, const char *name, const char *kind) {
    akt_spawn_options o;
    CONF_OK(akt_spawn_options_init(&o));
    o.name = name;
    o.kind = kind;
    akt_pid pid;
    CONF_OK(akt_spawn(sys, &worker, NULL, &o, &pid));
    return pid;
}

static int fail_on_odd(akt_msg *in, akt_msg **out, void *d) {
    (void)d;
    if (conf_int64_of(in) % 2) return AKT_EFAILED;
    *out = conf_int64(conf_int64_of(in));
    return 0;
}
static int div4(akt_msg *in, int *keep, void *d) {
    (void)d;
    *keep = conf_int64_of(in) % 4 == 0;
    return 0;
}
static int sum(akt_msg *acc, akt_msg *in, akt_msg **out, void *d) {
    (void)d;
    *out = conf_int64(conf_int64_of(acc) + conf_int64_of(in));
    return 0;
}

int main(void) {
    akt_system *sys = conf_system_create();

    /* 1. */
    akt_pid w1 = spawn_kind(sys, "w1", "worker");
    akt_pid w2 = spawn_kind(sys, "w2", "worker");
    akt_pid w3 = spawn_kind(sys, "w3", "worker");
    for (int i = 0; i < 5; i++) CONF_OK(conf_tell(sys, w1, "inc", ""));
    for (int i = 0; i < 3; i++) CONF_OK(conf_tell(sys, w2, "inc", ""));
    ping(sys, w1);
    ping(sys, w2);
    ping(sys, w3);

    /* 2. */
    CONF_OK(conf_tell(sys, w2, "fail", ""));
    ping(sys, w2);
    akt_msg *reply = NULL;
    int rc = conf_ask(sys, w1, "bogus", "", CONF_ASK_NS, &reply);
    if (reply) akt_msg_release(reply);
    conf_say("bogus", "%s", rc == AKT_EUNHANDLED ? "unhandled" : conf_rc(rc));
    ping(sys, w1);
    CONF_OK(conf_tell(sys, w3, "stash", ""));
    CONF_OK(conf_tell(sys, w3, "stash", ""));
    ping(sys, w3);

    /* 3. */
    conf_say("stop", "%s", conf_rc(conf_stop_graceful(sys, w3)));

    /* 4. One collection, printed sorted: the order of the cells depends on free slots. */
    static seen s;
    CONF_OK(akt_metrics_collect(sys, on_point, &s));
    print_sorted("instrument", &s.instruments);
    print_sorted("system", &s.system);
    print_sorted("point", &s.points);
    conf_say("attrs", "%s", s.attrs[0]);
    conf_say("attrs", "%s", s.attrs[1]);

    /* 5. */
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_range(g, 0, 10, 1));
    CONF_OK(akt_stream_map(g, fail_on_odd, NULL));
    CONF_OK(akt_stream_stage_on_error(g, AKT_STREAM_ON_ERROR_RESUME, 0));
    CONF_OK(akt_stream_filter(g, div4, NULL));
    akt_msg *zero = conf_int64(0);
    CONF_OK(akt_stream_sink_fold(g, zero, sum, NULL));
    akt_msg_release(zero);
    akt_stream *st = NULL;
    CONF_OK(akt_stream_run(sys, g, &st));
    CONF_OK(akt_stream_wait(st, CONF_ASK_NS));
    CONF_OK(akt_stream_graph_free(g));
    akt_msg *result = NULL;
    CONF_OK(akt_stream_result_at(st, 0, &result));
    conf_say("stream", "%lld", (long long)conf_int64_of(result));
    size_t stages = 0;
    CONF_OK(akt_stream_stage_count(st, &stages));
    for (size_t i = 0; i < stages; i++) {
        akt_stream_stage_metrics m = {.size = sizeof m};
        CONF_OK(akt_stream_metrics(st, i, &m));
        conf_say("stage", "%zu %s in %llu out %llu drops %llu errors %llu", i, m.name,
                 (unsigned long long)m.in, (unsigned long long)m.out, (unsigned long long)m.drops,
                 (unsigned long long)m.errors);
    }
    CONF_OK(akt_stream_release(st));

    /* 6. */
    akt_pid p1 = spawn_kind(sys, "p1", "session");
    akt_passivation pv = {.size = sizeof pv, .strategy = AKT_PASSIVATE_MESSAGES, .messages = 1};
    CONF_OK(akt_passivation_set(sys, p1, &pv));
    CONF_OK(conf_tell(sys, p1, "inc", ""));
    akt_system_metrics sm = {.size = sizeof sm};
    for (int i = 0; i < 1000 && sm.passivated < 1; i++) {
        CONF_OK(akt_metrics_system(sys, &sm));
        if (sm.passivated < 1) nanosleep(&(struct timespec){0, 5000000}, NULL);
    }
    conf_say("passivated", "%s", sm.passivated == 1 ? "ok" : "no");
    akt_schedule_options so = {.size = sizeof so, .reference = "tick"};
    akt_msg *tick = conf_msg("inc", "");
    CONF_OK(akt_schedule_every(sys, w1, tick, 60 * INT64_C(1000000000), 60 * INT64_C(1000000000),
                               &so, NULL, 0));
    CONF_OK(akt_schedule_cancel(sys, "tick"));
    static lines after;
    CONF_OK(akt_metrics_collect(sys, on_after, &after));
    print_sorted("after", &after);

    conf_system_finish(sys);
    return 0;
}
