/* metrics: counters of akt/telemetry.h after a scripted scenario. */
#include <akt/telemetry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static int counter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (conf_is(msg, "inc")) return 0;
    if (conf_is(msg, "fail")) return AKT_EFAILED;
    if (conf_is(msg, "stash")) return akt_ctx_stash(ctx);
    if (conf_is(msg, "ping")) return conf_respond(ctx, "pong", "");
    return AKT_EUNHANDLED;
}

static const akt_behavior counter = {.size = sizeof(akt_behavior), .receive = counter_receive};

static void ping(akt_system *sys, akt_pid pid) {
    char buf[64];
    conf_ask_str(sys, pid, "ping", "", buf, sizeof buf);
    if (strcmp(buf, "pong") != 0) conf_fatal("ping: %s", buf);
}

static void print_actor(akt_system *sys, akt_pid pid) {
    akt_actor_metrics m = {.size = sizeof m};
    int rc = akt_metrics_actor(sys, pid, &m);
    if (rc == AKT_ENOTFOUND) {
        conf_say("actor", "not found");
        return;
    }
    CONF_OK(rc);
    conf_say("actor",
             "processed=%llu restarts=%llu failures=%llu unhandled=%llu mailbox=%llu stash=%llu "
             "children=%llu",
             (unsigned long long)m.processed, (unsigned long long)m.restarts,
             (unsigned long long)m.failures, (unsigned long long)m.unhandled,
             (unsigned long long)m.mailbox_size, (unsigned long long)m.stash_size,
             (unsigned long long)m.children);
}

static void print_system(akt_system *sys) {
    akt_system_metrics m = {.size = sizeof m};
    CONF_OK(akt_metrics_system(sys, &m));
    conf_say("system",
             "alive=%llu spawned=%llu stopped=%llu restarts=%llu failures=%llu dead_letters=%llu "
             "unhandled=%llu",
             (unsigned long long)m.actors_alive, (unsigned long long)m.actors_spawned,
             (unsigned long long)m.actors_stopped, (unsigned long long)m.restarts,
             (unsigned long long)m.failures, (unsigned long long)m.dead_letters,
             (unsigned long long)m.unhandled);
}

typedef struct seen {
    char names[1024];
    char points[8][96];
    int npoints;
    double alive;
    double low_value;
    int low_points;
    size_t low_attrs;
} seen;

static const char *attr(const akt_metric_point *p, const char *key) {
    for (size_t i = 0; i < p->nattrs; i++)
        if (strcmp(p->attrs[i].key, key) == 0) return p->attrs[i].value;
    return "?";
}

static int on_point(const akt_metric_point *p, void *data) {
    seen *s = data;
    char quoted[80];
    snprintf(quoted, sizeof quoted, ",%s,", p->name);
    char all[1030];
    snprintf(all, sizeof all, ",%s,", s->names);
    if (!strstr(all, quoted)) {
        if (s->names[0]) strcat(s->names, ",");
        strcat(s->names, p->name);
    }
    if (strcmp(p->name, "actor.processed.count") == 0 && s->npoints < 8)
        snprintf(s->points[s->npoints++], sizeof s->points[0], "%s %s %.0f", attr(p, "actor.name"),
                 p->kind == AKT_METRIC_COUNTER ? "counter" : "gauge", p->value);
    if (strcmp(p->name, "actorsystem.actors.count") == 0) s->alive = p->value;
    return 0;
}

static int by_text(const void *a, const void *b) { return strcmp(a, b); }

static int on_low(const akt_metric_point *p, void *data) {
    seen *s = data;
    if (strcmp(p->name, "actor.processed.count") == 0) {
        s->low_points++;
        s->low_value = p->value;
        s->low_attrs = p->nattrs;
    }
    return 0;
}

int main(void) {
    akt_system *sys = conf_system_create();

    /* 1. */
    akt_pid c = conf_spawn(sys, &counter, NULL, "counter");
    for (int i = 0; i < 10; i++) CONF_OK(conf_tell(sys, c, "inc", ""));
    ping(sys, c);
    print_actor(sys, c);

    /* 2. */
    CONF_OK(conf_tell(sys, c, "fail", ""));
    ping(sys, c);
    akt_msg *reply = NULL;
    int rc = conf_ask(sys, c, "bogus", "", CONF_ASK_NS, &reply);
    if (reply) akt_msg_release(reply);
    conf_say("bogus", "%s", rc == AKT_EUNHANDLED ? "unhandled" : conf_rc(rc));
    CONF_OK(conf_tell(sys, c, "stash", ""));
    CONF_OK(conf_tell(sys, c, "stash", ""));
    ping(sys, c);
    print_actor(sys, c);
    print_system(sys);

    /* 3. */
    CONF_OK(conf_stop_graceful(sys, c));
    print_system(sys);
    print_actor(sys, c);

    /* 4. */
    akt_pid a = conf_spawn(sys, &counter, NULL, "a");
    akt_pid b = conf_spawn(sys, &counter, NULL, "b");
    CONF_OK(conf_tell(sys, a, "inc", ""));
    ping(sys, a);
    ping(sys, b);
    static seen s;
    CONF_OK(akt_metrics_collect(sys, on_point, &s));
    conf_say("instruments", "%s", s.names);
    /* By actor name: the order of the cells depends on which slots were free. */
    qsort(s.points, (size_t)s.npoints, sizeof s.points[0], by_text);
    for (int i = 0; i < s.npoints; i++) conf_say("point", "%s", s.points[i]);
    conf_say("alive", "%.0f", s.alive);

    /* 5. */
    CONF_OK(akt_metrics_set_low_cardinality(sys, 1));
    CONF_OK(akt_metrics_collect(sys, on_low, &s));
    conf_say("low", "%d %.0f attrs=%zu", s.low_points, s.low_value, s.low_attrs);

    conf_system_finish(sys);
    return 0;
}
