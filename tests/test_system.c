/* test_system: creating, naming, shutting down, waiting on and releasing systems, and the
 * thread hooks. */
#include "tu.h"

#include <stdio.h>
#include <string.h>

/* ---- shared actor: echoes, and answers "wait-self" with akt_system_wait's code --------- */

static atomic_int post_stops;
static atomic_int frees;
static tu_log order;

static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "wait-self")) {
        akt_system *sys = NULL;
        TU_CB_RC(0, akt_ctx_system(ctx, &sys));
        int64_t t0 = tu_now_ns();
        int rc = akt_system_wait(sys, TU_SEC(5));
        /* Refusing must be immediate, not after the timeout. */
        TU_CB_CHECK(tu_now_ns() - t0 < TU_SEC(2));
        return tu_reply_u64(ctx, "rc", (uint64_t)(int64_t)rc);
    }
    if (tu_is(msg, "bye")) {
        akt_system *sys = NULL;
        TU_CB_RC(0, akt_ctx_system(ctx, &sys));
        return akt_system_shutdown(sys, NULL, NULL);
    }
    akt_msg_retain(msg);
    int rc = akt_ctx_respond(ctx, msg);
    if (rc != 0) akt_msg_release(msg);
    return 0;
}

static void named_post_stop(akt_ctx *ctx, void *state) {
    (void)ctx;
    tu_log_add(&order, "%s", state ? (const char *)state : "?");
    atomic_fetch_add(&post_stops, 1);
}

static void count_free_state(void *state) {
    (void)state;
    atomic_fetch_add(&frees, 1);
}

static int child_pre_start(akt_ctx *ctx, void *state);

static akt_behavior echo_behavior(void) {
    akt_behavior b = tu_behavior(echo_receive);
    b.post_stop = named_post_stop;
    b.free_state = count_free_state;
    return b;
}

/* A parent that spawns one child named "kid" (state "kid") in pre_start. */
static int child_pre_start(akt_ctx *ctx, void *state) {
    (void)state;
    akt_behavior b = echo_behavior();
    akt_spawn_options o;
    TU_CB_RC(0, akt_spawn_options_init(&o));
    o.name = "kid";
    akt_pid kid;
    TU_CB_RC(0, akt_ctx_spawn(ctx, &b, (void *)"kid", &o, &kid));
    return 0;
}

static int sys_setup(void **state) {
    atomic_store(&post_stops, 0);
    atomic_store(&frees, 0);
    tu_log_init(&order);
    return tu_setup(state);
}
static int sys_teardown(void **state) {
    tu_log_destroy(&order);
    return tu_teardown(state);
}
#define SYS_TEST(f) cmocka_unit_test_setup_teardown(f, sys_setup, sys_teardown)

/* ---- creation and names --------------------------------------------------------------- */

static void test_create_with_defaults(void **state) {
    (void)state;
    akt_system *sys = NULL;
    TU_OK(akt_system_create(NULL, &sys));
    assert_non_null(sys);
    assert_string_equal(akt_system_name(sys), "akt");
    tu_system_end(sys);

    akt_system_options o;
    memset(&o, 0xab, sizeof o);
    TU_OK(akt_system_options_init(&o));
    assert_int_equal(o.size, sizeof o);
    assert_null(o.name);
    assert_null(o.allocator);
    assert_null(o.thread_start);
    assert_null(o.thread_stop);
    assert_null(o.supervisor);
    assert_true(o.workers >= 0);
    assert_true(o.throughput >= 0);
    sys = tu_system_with(&o);
    tu_system_end(sys);
}

static void test_name_is_copied(void **state) {
    (void)state;
    char name[] = "demo-1_x.y";
    akt_system *sys = tu_system(name, 1);
    name[0] = 'X';
    assert_string_equal(akt_system_name(sys), "demo-1_x.y");
    tu_system_end(sys);
}

static void test_invalid_names_and_options(void **state) {
    (void)state;
    const char *bad[] = {"bad name", "a/b", "", "x@y", "ü"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        akt_system_options o;
        TU_OK(akt_system_options_init(&o));
        o.name = bad[i];
        akt_system *sys = (akt_system *)0x1;
        int rc = akt_system_create(&o, &sys);
        if (rc != AKT_EINVAL)
            fail_msg("system name \"%s\": got %s, expected AKT_EINVAL", bad[i], akt_err_name(rc));
        assert_ptr_equal(sys, (akt_system *)0x1);
    }
    akt_system_options o;
    akt_system *sys = (akt_system *)0x1;
    TU_OK(akt_system_options_init(&o));
    o.workers = -1;
    TU_RC(AKT_EINVAL, akt_system_create(&o, &sys));
    TU_OK(akt_system_options_init(&o));
    o.throughput = -1;
    TU_RC(AKT_EINVAL, akt_system_create(&o, &sys));
    TU_OK(akt_system_options_init(&o));
    o.size = 0;
    TU_RC(AKT_EINVAL, akt_system_create(&o, &sys));
    assert_ptr_equal(sys, (akt_system *)0x1);
}

/* ---- shutdown --------------------------------------------------------------------------- */

typedef struct shut_rec {
    atomic_int calls;
    akt_system *_Atomic got_sys;
    atomic_int post_stops_at_cb;
} shut_rec;

static void on_shutdown(akt_system *system, void *data) {
    shut_rec *r = data;
    atomic_store(&r->got_sys, system);
    atomic_store(&r->post_stops_at_cb, atomic_load(&post_stops));
    atomic_fetch_add(&r->calls, 1);
}

static void test_shutdown_callback_once(void **state) {
    (void)state;
    static shut_rec r1 = {0}, r2 = {0};
    akt_system *sys = tu_system("shut", 2);
    TU_OK(akt_system_shutdown(sys, on_shutdown, &r1));
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    assert_int_equal(atomic_load(&r1.calls), 1);
    assert_ptr_equal(atomic_load(&r1.got_sys), sys);
    /* A second shutdown is refused and its callback never runs. */
    TU_RC(AKT_ECLOSED, akt_system_shutdown(sys, on_shutdown, &r2));
    TU_OK(akt_system_wait(sys, 0)); /* completed: waiting again is fine */
    TU_OK(akt_system_wait(sys, -1));
    assert_int_equal(atomic_load(&r1.calls), 1);
    assert_int_equal(atomic_load(&r2.calls), 0);
    assert_string_equal(akt_system_name(sys), "shut"); /* valid until released */
    TU_OK(akt_system_release(sys));
    assert_int_equal(atomic_load(&r2.calls), 0);
}

static void test_shutdown_twice_before_completion(void **state) {
    (void)state;
    static shut_rec r1 = {0}, r2 = {0};
    akt_system *sys = tu_system("shut2", 2);
    TU_OK(akt_system_shutdown(sys, on_shutdown, &r1));
    TU_RC(AKT_ECLOSED, akt_system_shutdown(sys, on_shutdown, &r2));
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    assert_int_equal(atomic_load(&r1.calls), 1);
    assert_int_equal(atomic_load(&r2.calls), 0);
    TU_OK(akt_system_release(sys));
}

static void test_wait_times_out_while_running(void **state) {
    (void)state;
    akt_system *sys = tu_system("waiting", 1);
    int64_t t0 = tu_now_ns();
    TU_RC(AKT_ETIMEDOUT, akt_system_wait(sys, TU_MS(30)));
    int64_t dt = tu_now_ns() - t0;
    assert_true(dt >= TU_MS(25));
    assert_true(dt < TU_SEC(5));
    TU_RC(AKT_ETIMEDOUT, akt_system_wait(sys, 0));
    tu_system_end(sys);
}

static void test_spawn_after_shutdown_is_eclosed(void **state) {
    (void)state;
    akt_system *sys = tu_system("closed", 1);
    akt_behavior b = echo_behavior();
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    akt_pid pid = {0};
    TU_RC(AKT_ECLOSED, akt_spawn(sys, &b, NULL, NULL, &pid));
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    TU_RC(AKT_ECLOSED, akt_spawn(sys, &b, NULL, NULL, &pid));
    assert_int_equal(pid.id, 0);
    /* The state was not taken. */
    assert_int_equal(atomic_load(&frees), 0);
    TU_OK(akt_system_release(sys));
}

static void test_shutdown_stops_actors_children_first(void **state) {
    (void)state;
    static shut_rec r = {0};
    akt_system *sys = tu_system("tree", 2);
    akt_behavior leaf = echo_behavior();
    akt_behavior parent = echo_behavior();
    parent.pre_start = child_pre_start;
    tu_spawn(sys, &leaf, (void *)"a", "a");
    akt_pid p = tu_spawn(sys, &parent, (void *)"parent", "parent");
    /* Make sure the parent ran pre_start (so "kid" exists) before shutting down. */
    akt_pid kid;
    TU_EVENTUALLY(akt_lookup(sys, "parent/kid", &kid) == 0);
    (void)p;
    TU_OK(akt_system_shutdown(sys, on_shutdown, &r));
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    assert_int_equal(atomic_load(&r.calls), 1);
    /* Every post_stop ran before the shutdown callback. */
    assert_int_equal(atomic_load(&r.post_stops_at_cb), 3);
    int ik = tu_log_index(&order, "kid"), ip = tu_log_index(&order, "parent");
    assert_true(ik >= 0 && ip >= 0);
    if (ik > ip) fail_msg("parent stopped before its child: %s", tu_log_str(&order));
    TU_OK(akt_system_release(sys));
    TU_EVENTUALLY(atomic_load(&frees) == 3);
}

static void test_shutdown_from_inside_an_actor(void **state) {
    (void)state;
    akt_system *sys = tu_system("inside", 2);
    akt_behavior b = echo_behavior();
    akt_pid pid = tu_spawn(sys, &b, (void *)"x", "x");
    TU_OK(akt_tell(sys, pid, tu_msg("bye", NULL)));
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    assert_int_equal(atomic_load(&post_stops), 1);
    TU_RC(AKT_ECLOSED, akt_system_shutdown(sys, NULL, NULL));
    TU_OK(akt_system_release(sys));
}

static void test_wait_from_own_thread_is_edeadlk(void **state) {
    (void)state;
    akt_system *sys = tu_system("self-wait", 2);
    akt_behavior b = echo_behavior();
    akt_pid pid = tu_spawn(sys, &b, NULL, NULL);
    uint64_t rc = tu_ask_u64(sys, pid, "wait-self");
    assert_int_equal((int)(int64_t)rc, AKT_EDEADLK);
    tu_system_end(sys);
}

/* Shutdown stops actors now: with every actor busy, what is queued behind the message in
 * progress is dead-lettered, not handled (a shutdown is bounded by one receive per actor,
 * not by a throughput batch of each). */
typedef struct busy_state {
    tu_gate *gate;
    atomic_int handled;
} busy_state;

static int busy_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    busy_state *b = state;
    if (tu_is(msg, "block"))
        tu_gate_wait(b->gate);
    else
        atomic_fetch_add(&b->handled, 1);
    return 0;
}

static void test_shutdown_dead_letters_queued_messages(void **state) {
    (void)state;
    enum { NBUSY = 3, QUEUED = 100 };
    akt_system *sys = tu_system("busy", 2);
    static tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &ev, &sub));
    static tu_gate gate;
    tu_gate_init(&gate);
    static busy_state b[NBUSY];
    akt_behavior beh = tu_behavior(busy_receive);
    for (int i = 0; i < NBUSY; i++) {
        b[i].gate = &gate;
        akt_pid pid = tu_spawn(sys, &beh, &b[i], NULL);
        TU_OK(akt_tell(sys, pid, tu_msg("block", NULL)));
        if (i < 2) /* two workers: the third actor waits its turn, its mail all queued */
            tu_gate_await_waiters(&gate, i + 1);
        for (int k = 0; k < QUEUED; k++) TU_OK(akt_tell(sys, pid, tu_msg("queued", NULL)));
    }
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    tu_gate_open(&gate);
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    int handled = 0;
    for (int i = 0; i < NBUSY; i++) handled += atomic_load(&b[i].handled);
    assert_int_equal(handled, 0);
    /* Every queued message was dead-lettered before the shutdown completed (the third
     * actor's "block" too, if it never got to run). */
    int dead = tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, (akt_pid){0});
    if (dead < NBUSY * QUEUED)
        fail_msg("%d dead letters, expected at least %d", dead, NBUSY * QUEUED);
    TU_OK(akt_system_release(sys));
    tu_events_destroy(&ev);
    tu_gate_destroy(&gate);
}

/* ---- handle references ------------------------------------------------------------------ */

static void test_retain_keeps_system_alive(void **state) {
    (void)state;
    akt_system *sys = tu_system("retained", 1);
    TU_OK(akt_system_retain(sys));
    TU_OK(akt_system_release(sys));
    /* Still one reference: the system still works. */
    akt_behavior b = echo_behavior();
    akt_pid pid = tu_spawn(sys, &b, NULL, NULL);
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, pid, tu_msg("ping", "p"), &reply));
    assert_true(tu_is(reply, "ping"));
    akt_msg_release(reply);

    /* Two references during shutdown: the memory stays until the last release. */
    TU_OK(akt_system_retain(sys));
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    TU_OK(akt_system_release(sys));
    assert_string_equal(akt_system_name(sys), "retained");
    TU_RC(AKT_ECLOSED, akt_spawn(sys, &b, NULL, NULL, &pid));
    TU_OK(akt_system_release(sys));
}

/* ---- thread hooks -------------------------------------------------------------------------- */

#define MAX_THREADS 64
typedef struct hook_rec {
    pthread_mutex_t mu;
    int starts, stops, bad;
    char why[128]; /* the first problem */
    struct {
        int index;
        pthread_t tid;
        int stops;
    } t[MAX_THREADS];
} hook_rec;

static _Thread_local int tls_hook_started;

static void hook_start(void *data, int index) {
    hook_rec *r = data;
    pthread_mutex_lock(&r->mu);
    for (int i = 0; i < r->starts && i < MAX_THREADS; i++)
        if (pthread_equal(r->t[i].tid, pthread_self()) && r->bad++ == 0)
            snprintf(r->why, sizeof r->why, "second thread_start(%d) on one thread", index);
    if (r->starts < MAX_THREADS) {
        r->t[r->starts].index = index;
        r->t[r->starts].tid = pthread_self();
        r->t[r->starts].stops = 0;
    }
    r->starts++;
    pthread_mutex_unlock(&r->mu);
    tls_hook_started = 1;
}

static void hook_stop(void *data, int index) {
    hook_rec *r = data;
    pthread_mutex_lock(&r->mu);
    int found = 0;
    for (int i = 0; i < r->starts && i < MAX_THREADS; i++) {
        if (pthread_equal(r->t[i].tid, pthread_self())) {
            found = 1;
            r->t[i].stops++;
            if (r->t[i].index != index && r->bad++ == 0)
                snprintf(r->why, sizeof r->why, "thread_stop(%d) on the thread of start(%d)", index,
                         r->t[i].index);
        }
    }
    if (!found && r->bad++ == 0)
        snprintf(r->why, sizeof r->why, "thread_stop(%d) on a thread without thread_start", index);
    r->stops++;
    pthread_mutex_unlock(&r->mu);
}

static int hooked_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    /* thread_start runs first thing on every akt thread: before any actor code. */
    TU_CB_CHECK(tls_hook_started);
    return tu_reply(ctx, "ok", NULL);
}

static int hook_counts(hook_rec *r, int *starts, int *stops) {
    pthread_mutex_lock(&r->mu);
    *starts = r->starts;
    *stops = r->stops;
    pthread_mutex_unlock(&r->mu);
    return 0;
}

static int hooks_balanced(hook_rec *r) {
    int s, t;
    hook_counts(r, &s, &t);
    return s > 0 && s == t;
}

typedef struct hook_shut {
    hook_rec *rec;
    atomic_int starts_at_cb, stops_at_cb, calls;
} hook_shut;

static void hook_on_shutdown(akt_system *system, void *data) {
    (void)system;
    hook_shut *h = data;
    int s, t;
    hook_counts(h->rec, &s, &t);
    atomic_store(&h->starts_at_cb, s);
    atomic_store(&h->stops_at_cb, t);
    atomic_fetch_add(&h->calls, 1);
}

/* Indices: workers 0..n-1, -1 the timer thread, -2 the thread that completes a shutdown. */
static void check_hook_record(hook_rec *r, int workers) {
    pthread_mutex_lock(&r->mu);
    int starts = r->starts, stops = r->stops, bad = r->bad;
    int per_index[MAX_THREADS + 2] = {0}; /* index + 2 */
    int out_of_range = 0, stop_counts_ok = 1, bad_index = 0;
    for (int i = 0; i < starts && i < MAX_THREADS; i++) {
        int ix = r->t[i].index;
        if (ix < -2 || ix >= workers) {
            out_of_range++;
            bad_index = ix;
        } else {
            per_index[ix + 2]++;
        }
        if (r->t[i].stops != 1) stop_counts_ok = 0;
    }
    char why[128];
    memcpy(why, r->why, sizeof why);
    pthread_mutex_unlock(&r->mu);
    if (bad) fail_msg("thread hooks: %s", why);
    if (out_of_range)
        fail_msg("thread hook called with index %d (workers 0..%d, timer -1, shutdown -2)",
                 bad_index, workers - 1);
    assert_true(starts <= MAX_THREADS);
    assert_int_equal(starts, stops);
    assert_true(stop_counts_ok); /* each thread stopped exactly once, on itself */
    for (int ix = -2; ix < workers; ix++)
        if (per_index[ix + 2] != 1)
            fail_msg("thread index %d started %d times, expected once", ix, per_index[ix + 2]);
}

static void test_thread_hooks_once_per_thread(void **state) {
    (void)state;
    static hook_rec r;
    memset(&r, 0, sizeof r);
    pthread_mutex_init(&r.mu, NULL);
    static hook_shut hs = {.rec = &r};
    akt_system_options o;
    TU_OK(akt_system_options_init(&o));
    o.name = "hooks";
    o.workers = 2;
    o.thread_start = hook_start;
    o.thread_stop = hook_stop;
    o.thread_hook_data = &r;
    akt_system *sys = tu_system_with(&o);
    /* Running: two workers and the timer thread have started; none has stopped (the
     * shutdown thread only exists once a shutdown began). */
    int s, t;
    TU_EVENTUALLY((hook_counts(&r, &s, &t), s >= 3));
    assert_int_equal(t, 0);

    akt_behavior b = tu_behavior(hooked_receive);
    for (int i = 0; i < 8; i++) {
        akt_pid pid = tu_spawn(sys, &b, NULL, NULL);
        for (int k = 0; k < 4; k++) TU_OK(tu_ask(sys, pid, tu_msg("hi", NULL), NULL));
    }
    TU_OK(akt_system_shutdown(sys, hook_on_shutdown, &hs));
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    assert_int_equal(atomic_load(&hs.calls), 1);
    /* At the callback every akt thread but (possibly) the callback's own had exited. */
    assert_true(atomic_load(&hs.stops_at_cb) >= atomic_load(&hs.starts_at_cb) - 1);
    /* After wait returned all of them have. */
    check_hook_record(&r, 2);
    TU_OK(akt_system_release(sys));
    pthread_mutex_destroy(&r.mu);
}

/* Releasing the last reference of a running system shuts it down. */
static hook_rec release_rec = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void test_release_while_running(void **state) {
    (void)state;
    akt_system_options o;
    TU_OK(akt_system_options_init(&o));
    o.name = "released";
    o.workers = 2;
    o.thread_start = hook_start;
    o.thread_stop = hook_stop;
    o.thread_hook_data = &release_rec;
    akt_system *sys = tu_system_with(&o);
    akt_behavior b = echo_behavior();
    akt_pid pid = tu_spawn(sys, &b, (void *)"r", "r");
    TU_OK(tu_ask(sys, pid, tu_msg("ping", NULL), NULL));
    TU_OK(akt_system_release(sys));
    /* Nothing to wait on any more (the handle is gone): poll for the effects. */
    TU_EVENTUALLY(atomic_load(&post_stops) == 1);
    TU_EVENTUALLY(atomic_load(&frees) == 1);
    TU_EVENTUALLY(hooks_balanced(&release_rec));
    check_hook_record(&release_rec, 2);
}

/* ---- many systems at once -------------------------------------------------------------- */

#define NSYS 8

static void test_many_systems_at_once(void **state) {
    (void)state;
    akt_system *sys[NSYS];
    akt_pid pid[NSYS];
    akt_behavior b = echo_behavior();
    for (int i = 0; i < NSYS; i++) {
        char name[32];
        snprintf(name, sizeof name, "many-%d", i);
        sys[i] = tu_system(name, 1);
        pid[i] = tu_spawn(sys[i], &b, NULL, "echo");
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < NSYS; i++) {
            akt_msg *reply = NULL;
            char text[16];
            snprintf(text, sizeof text, "%d", i);
            TU_OK(tu_ask(sys[i], pid[i], tu_msg("ping", text), &reply));
            char got[16];
            tu_text(reply, got, sizeof got);
            assert_string_equal(got, text);
            akt_msg_release(reply);
        }
    }
    /* A pid belongs to its system: the same name in another system is another actor. */
    akt_pid found;
    TU_OK(akt_lookup(sys[1], "echo", &found));
    assert_int_equal(found.id, pid[1].id);
    char path[128];
    TU_OK(akt_pid_path(sys[3], pid[3], path, sizeof path, NULL));
    assert_string_equal(path, "akt://many-3/user/echo");
    for (int i = 0; i < NSYS; i++) TU_OK(akt_system_shutdown(sys[i], NULL, NULL));
    for (int i = 0; i < NSYS; i++) {
        TU_OK(akt_system_wait(sys[i], TU_DEADLINE_NS));
        TU_OK(akt_system_release(sys[i]));
    }
    assert_int_equal(atomic_load(&post_stops), NSYS);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        SYS_TEST(test_create_with_defaults),
        SYS_TEST(test_name_is_copied),
        SYS_TEST(test_invalid_names_and_options),
        SYS_TEST(test_shutdown_callback_once),
        SYS_TEST(test_shutdown_twice_before_completion),
        SYS_TEST(test_wait_times_out_while_running),
        SYS_TEST(test_spawn_after_shutdown_is_eclosed),
        SYS_TEST(test_shutdown_stops_actors_children_first),
        SYS_TEST(test_shutdown_from_inside_an_actor),
        SYS_TEST(test_wait_from_own_thread_is_edeadlk),
        SYS_TEST(test_shutdown_dead_letters_queued_messages),
        SYS_TEST(test_retain_keeps_system_alive),
        SYS_TEST(test_thread_hooks_once_per_thread),
        SYS_TEST(test_release_while_running),
        SYS_TEST(test_many_systems_at_once),
    };
    return cmocka_run_group_tests_name("system", tests, NULL, NULL);
}
