/* test_metrics: akt/telemetry.h. Counts after a scripted scenario (spawn, tell N, a failure
 * with a restart, unhandled messages, a stash, dead letters), the mailbox gauge while an
 * actor is blocked, the OpenTelemetry-shaped export with and without the low-cardinality
 * switch, and concurrent tells under readers (the TSan build checks the counters). */
#include <akt/telemetry.h>
#include <pthread.h>
#include <string.h>

#include "tu.h"

#define N_TELLS 100

static tu_gate gate;

/* "inc": counted; "fail": a failure (restart); "bogus": unhandled; "stash": kept;
 * "unstash": the stash back; "block": waits on the gate; "get": replies. */
static int receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "inc")) return 0;
    if (tu_is(msg, "fail")) return -1000;
    if (tu_is(msg, "stash")) return akt_ctx_stash(ctx);
    if (tu_is(msg, "unstash")) return akt_ctx_unstash_all(ctx);
    if (tu_is(msg, "block")) {
        tu_gate_wait(&gate);
        return 0;
    }
    if (tu_is(msg, "get")) return tu_reply(ctx, "ok", NULL);
    return AKT_EUNHANDLED;
}

static void tell(akt_system *sys, akt_pid to, const char *type) {
    TU_OK(akt_tell(sys, to, tu_msg(type, NULL)));
}

static void get(akt_system *sys, akt_pid to) { TU_OK(tu_ask(sys, to, tu_msg("get", NULL), NULL)); }

static akt_actor_metrics actor_metrics(akt_system *sys, akt_pid pid) {
    akt_actor_metrics m = {.size = sizeof m};
    TU_OK(akt_metrics_actor(sys, pid, &m));
    return m;
}

static akt_system_metrics system_metrics(akt_system *sys) {
    akt_system_metrics m = {.size = sizeof m};
    TU_OK(akt_metrics_system(sys, &m));
    return m;
}

static void test_scripted_counts(void **state) {
    (void)state;
    akt_system *sys = tu_system("metrics", 2);
    akt_behavior b = tu_behavior(receive);
    akt_pid a = tu_spawn(sys, &b, NULL, "a");
    for (int i = 0; i < N_TELLS; i++) tell(sys, a, "inc");
    get(sys, a);
    akt_actor_metrics m = actor_metrics(sys, a);
    assert_int_equal(m.pid.id, a.id);
    assert_int_equal(m.processed, N_TELLS + 1);
    assert_int_equal(m.restarts, 0);
    assert_int_equal(m.failures, 0);
    assert_int_equal(m.mailbox_size, 0);
    assert_true(m.uptime_ns > 0);
    assert_true(m.last_processing_ns >= 0);

    tell(sys, a, "fail"); /* restart (the default directive) */
    get(sys, a);          /* handled once the restart is done */
    assert_int_equal(tu_ask(sys, a, tu_msg("bogus", NULL), NULL), AKT_EUNHANDLED);
    tell(sys, a, "stash");
    tell(sys, a, "stash");
    get(sys, a);
    m = actor_metrics(sys, a);
    assert_int_equal(m.processed, N_TELLS + 1 + 2 + 1 + 2 + 1);
    assert_int_equal(m.restarts, 1);
    assert_int_equal(m.failures, 1);
    assert_int_equal(m.unhandled, 1);
    assert_int_equal(m.stash_size, 2);

    akt_system_metrics s = system_metrics(sys);
    assert_int_equal(s.actors_alive, 1);
    assert_int_equal(s.actors_spawned, 1);
    assert_int_equal(s.restarts, 1);
    assert_int_equal(s.failures, 1);
    assert_int_equal(s.unhandled, 1);
    assert_int_equal(s.dead_letters, 0);
    assert_true(s.uptime_ns > 0);

    /* Stopping with two stashed messages: two dead letters. */
    tu_stop_wait(sys, a);
    s = system_metrics(sys);
    assert_int_equal(s.actors_alive, 0);
    assert_int_equal(s.actors_stopped, 1);
    assert_int_equal(s.dead_letters, 2);
    akt_actor_metrics gone = {.size = sizeof gone};
    assert_int_equal(akt_metrics_actor(sys, a, &gone), AKT_ENOTFOUND);

    /* A new incarnation on the slot starts from zero. */
    akt_pid again = tu_spawn(sys, &b, NULL, "a");
    get(sys, again);
    m = actor_metrics(sys, again);
    assert_int_equal(m.processed, 1);
    assert_int_equal(m.restarts + m.failures + m.unhandled + m.stash_size, 0);
    tu_system_end(sys);
}

static void test_mailbox_gauge(void **state) {
    (void)state;
    tu_gate_init(&gate);
    akt_system *sys = tu_system("mailbox", 2);
    akt_behavior b = tu_behavior(receive);
    akt_pid a = tu_spawn(sys, &b, NULL, "blocked");
    tell(sys, a, "block");
    tu_gate_await_waiters(&gate, 1);
    for (int i = 0; i < 5; i++) tell(sys, a, "inc");
    assert_int_equal(actor_metrics(sys, a).mailbox_size, 5);
    akt_msg *batch[3] = {tu_msg("inc", NULL), tu_msg("inc", NULL), tu_msg("inc", NULL)};
    TU_OK(akt_tell_batch(sys, a, batch, 3));
    assert_int_equal(actor_metrics(sys, a).mailbox_size, 8);
    tu_gate_open(&gate);
    get(sys, a);
    akt_actor_metrics m = actor_metrics(sys, a);
    assert_int_equal(m.mailbox_size, 0);
    assert_int_equal(m.processed, 10);
    tu_system_end(sys);
    tu_gate_destroy(&gate);
}

typedef struct walk {
    int actors;
    int points;
    int processed_points;
    double processed;
    int child_seen;
    char names[512];
} walk;

static int on_actor(const akt_actor_metrics *m, const char *path, void *data) {
    walk *w = data;
    w->actors++;
    if (strcmp(path, "akt://walk/user/p/c") == 0) w->child_seen = (int)m->processed + 1;
    return 0;
}

static int on_point(const akt_metric_point *p, void *data) {
    walk *w = data;
    w->points++;
    assert_int_equal(p->size, sizeof *p);
    assert_non_null(p->unit);
    assert_true(p->kind == AKT_METRIC_COUNTER || p->kind == AKT_METRIC_GAUGE);
    if (strcmp(p->name, "actor.processed.count") == 0) {
        w->processed_points++;
        w->processed += p->value;
        if (p->nattrs) {
            assert_int_equal(p->nattrs, 3);
            assert_string_equal(p->attrs[0].key, "actor.system");
            assert_string_equal(p->attrs[0].value, "walk");
            assert_string_equal(p->attrs[1].key, "actor.name");
            assert_string_equal(p->attrs[2].key, "actor.address");
        }
    }
    if (strcmp(p->name, "actorsystem.actors.count") == 0) assert_true(p->value == 2);
    if (!strstr(w->names, p->name) && strlen(w->names) + strlen(p->name) + 2 < sizeof w->names) {
        strcat(w->names, p->name);
        strcat(w->names, " ");
    }
    return 0;
}

static int child_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "spawn")) {
        akt_behavior b = tu_behavior(receive);
        akt_spawn_options o;
        akt_spawn_options_init(&o);
        o.name = "c";
        akt_pid c;
        int rc = akt_ctx_spawn(ctx, &b, NULL, &o, &c);
        if (rc) return rc;
        return tu_reply_u64(ctx, "pid", c.id);
    }
    return receive(ctx, msg, state);
}

static void test_foreach_and_collect(void **state) {
    (void)state;
    akt_system *sys = tu_system("walk", 2);
    akt_behavior b = tu_behavior(child_receive);
    akt_pid p = tu_spawn(sys, &b, NULL, "p");
    akt_pid c = {tu_ask_u64(sys, p, "spawn")};
    tell(sys, c, "inc");
    get(sys, c);
    assert_int_equal(actor_metrics(sys, p).children, 1);
    walk w = {0};
    TU_OK(akt_metrics_foreach(sys, on_actor, &w));
    assert_int_equal(w.actors, 2);
    assert_int_equal(w.child_seen, 3); /* processed 2, +1 */
    memset(&w, 0, sizeof w);
    TU_OK(akt_metrics_collect(sys, on_point, &w));
    assert_int_equal(w.processed_points, 2);
    assert_true(w.processed == 3); /* p: spawn; c: inc, get */
    assert_int_equal(w.points, 8 + 9 * 2);
    static const char *const names[] = {"actorsystem.actors.count",
                                        "actorsystem.deadletters.count",
                                        "actorsystem.uptime",
                                        "actor.spawned.count",
                                        "actor.stopped.count",
                                        "actor.processed.count",
                                        "actor.restart.count",
                                        "actor.failure.count",
                                        "actor.mailbox.size",
                                        "actor.stash.size",
                                        "actor.children.count",
                                        "actor.last.received.duration",
                                        "actor.uptime",
                                        "actor.unhandled.count"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strstr(w.names, names[i])) fail_msg("no instrument %s in: %s", names[i], w.names);
    TU_OK(akt_metrics_set_low_cardinality(sys, 1));
    memset(&w, 0, sizeof w);
    TU_OK(akt_metrics_collect(sys, on_point, &w));
    assert_int_equal(w.processed_points, 1);
    assert_true(w.processed == 3);
    assert_int_equal(w.points, 8 + 9);
    tu_system_end(sys);
}

/* Concurrent tells with readers: every tell is counted once (TSan: no race). */
#define SENDERS 4
#define PER_SENDER 5000

typedef struct race {
    akt_system *sys;
    akt_pid to;
    atomic_int stop;
    atomic_int bad; /* a reader's failed check (asserts belong to the test thread) */
} race;

static void *sender(void *arg) {
    race *r = arg;
    for (int i = 0; i < PER_SENDER; i++) tell(r->sys, r->to, "inc");
    return NULL;
}

static int count_point(const akt_metric_point *p, void *data) {
    (void)p;
    ++*(int *)data;
    return 0;
}

static void *reader(void *arg) {
    race *r = arg;
    while (!atomic_load(&r->stop)) {
        akt_actor_metrics m = {.size = sizeof m};
        if (akt_metrics_actor(r->sys, r->to, &m) || m.processed > SENDERS * PER_SENDER + 1)
            atomic_store(&r->bad, 1);
        int n = 0;
        if (akt_metrics_collect(r->sys, count_point, &n) || n < 8) atomic_store(&r->bad, 1);
    }
    return NULL;
}

static void test_concurrent_tells(void **state) {
    (void)state;
    akt_system *sys = tu_system("race", 2);
    akt_behavior b = tu_behavior(receive);
    race r = {sys, tu_spawn(sys, &b, NULL, "target"), 0, 0};
    pthread_t s[SENDERS], rd;
    pthread_create(&rd, NULL, reader, &r);
    for (int i = 0; i < SENDERS; i++) pthread_create(&s[i], NULL, sender, &r);
    for (int i = 0; i < SENDERS; i++) pthread_join(s[i], NULL);
    get(sys, r.to);
    atomic_store(&r.stop, 1);
    pthread_join(rd, NULL);
    assert_int_equal(atomic_load(&r.bad), 0);
    akt_actor_metrics m = actor_metrics(sys, r.to);
    assert_int_equal(m.processed, SENDERS * PER_SENDER + 1);
    assert_int_equal(m.mailbox_size, 0);
    tu_system_end(sys);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_scripted_counts),
        TU_TEST(test_mailbox_gauge),
        TU_TEST(test_foreach_and_collect),
        TU_TEST(test_concurrent_tells),
    };
    return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
