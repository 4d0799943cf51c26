/* test_fault: the public circuit breaker (akt_breaker_*, on an injected clock) and the
 * guardian's policy for top-level escalations. */
#include "tu.h"

#include <string.h>

/* ---- circuit breaker --------------------------------------------------------------- */

static int64_t fake_now;
static int64_t fake_clock(void *data) {
    (void)data;
    return fake_now;
}

static akt_breaker *breaker(uint32_t min, uint32_t trials) {
    akt_breaker_options o;
    TU_OK(akt_breaker_options_init(&o));
    o.min_requests = min;
    o.half_open_max_calls = trials;
    o.open_timeout_ns = TU_SEC(5);
    o.window_ns = TU_SEC(10);
    o.window_buckets = 10;
    o.clock = fake_clock;
    fake_now = TU_SEC(100);
    akt_breaker *b = NULL;
    TU_OK(akt_breaker_create(&o, &b));
    return b;
}

static int state_of(akt_breaker *b) {
    int st = -1;
    TU_OK(akt_breaker_state(b, &st));
    return st;
}

static void call(akt_breaker *b, int ok) {
    TU_OK(akt_breaker_allow(b));
    TU_OK(akt_breaker_record(b, ok));
}

static void test_breaker_defaults(void **state) {
    (void)state;
    akt_breaker_options o;
    TU_OK(akt_breaker_options_init(&o));
    assert_int_equal(o.size, sizeof o);
    assert_true(o.failure_rate == 0.5);
    assert_int_equal(o.min_requests, 10);
    assert_int_equal(o.open_timeout_ns, TU_SEC(30));
    assert_int_equal(o.window_ns, TU_SEC(60));
    assert_int_equal(o.window_buckets, 12);
    assert_int_equal(o.half_open_max_calls, 1);
    akt_breaker *b = NULL;
    TU_OK(akt_breaker_create(NULL, &b));
    assert_int_equal(state_of(b), AKT_BREAKER_CLOSED);
    /* Nine failures are below min_requests: still closed; the tenth opens it. */
    for (int i = 0; i < 9; i++) call(b, 0);
    assert_int_equal(state_of(b), AKT_BREAKER_CLOSED);
    call(b, 0);
    assert_int_equal(state_of(b), AKT_BREAKER_OPEN);
    TU_RC(AKT_EBUSY, akt_breaker_allow(b));
    TU_OK(akt_breaker_release(b));
}

static void test_breaker_cycle(void **state) {
    (void)state;
    akt_breaker *b = breaker(4, 2);
    call(b, 1);
    call(b, 0);
    call(b, 1);
    akt_breaker_metrics m = {.size = sizeof m};
    TU_OK(akt_breaker_metrics_get(b, &m));
    assert_int_equal(m.state, AKT_BREAKER_CLOSED);
    assert_int_equal(m.successes, 2);
    assert_int_equal(m.failures, 1);
    call(b, 0); /* 2 of 4: rate 0.5 >= 0.5 */
    assert_int_equal(state_of(b), AKT_BREAKER_OPEN);
    TU_RC(AKT_EBUSY, akt_breaker_allow(b));
    TU_RC(AKT_EBUSY, akt_breaker_allow(b));
    TU_OK(akt_breaker_metrics_get(b, &m));
    assert_int_equal(m.rejected, 2);
    assert_int_equal(m.successes + m.failures, 0); /* the trip empties the window */
    /* One nanosecond short of the timeout: still open; at it: half-open. */
    fake_now += TU_SEC(5) - 1;
    assert_int_equal(state_of(b), AKT_BREAKER_OPEN);
    fake_now += 1;
    assert_int_equal(state_of(b), AKT_BREAKER_HALF_OPEN);
    /* Two trials allowed, a third refused while they run; one failure reopens. */
    TU_OK(akt_breaker_allow(b));
    TU_OK(akt_breaker_allow(b));
    TU_RC(AKT_EBUSY, akt_breaker_allow(b));
    TU_OK(akt_breaker_record(b, 1));
    TU_OK(akt_breaker_record(b, 0));
    assert_int_equal(state_of(b), AKT_BREAKER_OPEN);
    /* Half-open again; two successes close it. */
    fake_now += TU_SEC(5);
    call(b, 1);
    assert_int_equal(state_of(b), AKT_BREAKER_HALF_OPEN);
    call(b, 1);
    assert_int_equal(state_of(b), AKT_BREAKER_CLOSED);
    TU_OK(akt_breaker_metrics_get(b, &m));
    assert_int_equal(m.successes + m.failures, 0);
    assert_int_equal(m.rejected, 3);
    TU_OK(akt_breaker_release(b));
}

static void test_breaker_window_slides(void **state) {
    (void)state;
    akt_breaker *b = breaker(4, 1);
    call(b, 0);
    call(b, 0);
    call(b, 0);
    /* The window is 10 s: after it the three failures are gone, and one more is 1 of 1. */
    fake_now += TU_SEC(10);
    call(b, 0);
    akt_breaker_metrics m = {.size = sizeof m};
    TU_OK(akt_breaker_metrics_get(b, &m));
    assert_int_equal(m.failures, 1);
    assert_true(m.failure_rate == 1.0);
    assert_int_equal(m.state, AKT_BREAKER_CLOSED);
    TU_OK(akt_breaker_release(b));
}

static void test_breaker_refs_and_sizes(void **state) {
    (void)state;
    akt_breaker *b = breaker(1, 1);
    TU_OK(akt_breaker_retain(b));
    TU_OK(akt_breaker_release(b));
    /* A caller's smaller metrics struct: only the fields it knows are written. */
    struct {
        akt_breaker_metrics m;
        uint64_t canary;
    } small;
    memset(&small, 0x5a, sizeof small);
    small.m.size = offsetof(akt_breaker_metrics, successes);
    TU_OK(akt_breaker_metrics_get(b, &small.m));
    assert_int_equal(small.m.state, AKT_BREAKER_CLOSED);
    assert_int_equal(small.m.failures, 0x5a5a5a5a5a5a5a5aULL);
    TU_OK(akt_breaker_release(b));
}

/* ---- guardian policy ---------------------------------------------------------------- */

static int fail_on_boom(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (tu_is(msg, "t.Boom")) return akt_ctx_fail(ctx, "boom");
    return tu_reply(ctx, "t.Pong", "pong");
}

static akt_system *escalating_system(void) {
    akt_supervisor sup = {.size = sizeof sup,
                          .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                          .default_directive = AKT_DIRECTIVE_ESCALATE};
    akt_system_options o;
    TU_OK(akt_system_options_init(&o));
    o.name = "guardian";
    o.workers = 2;
    o.supervisor = &sup;
    return tu_system_with(&o);
}

static void test_guardian_stops_actor_by_default(void **state) {
    (void)state;
    akt_system *sys = escalating_system();
    akt_behavior b = tu_behavior(fail_on_boom);
    akt_pid a = tu_spawn(sys, &b, NULL, "a");
    akt_pid other = tu_spawn(sys, &b, NULL, "other");
    TU_OK(akt_tell(sys, a, tu_msg("t.Boom", "")));
    tu_wait_dead(sys, a);
    /* The system and the other top-level actor go on. */
    TU_OK(tu_ask(sys, other, tu_msg("t.Ping", ""), NULL));
    TU_RC(AKT_ETIMEDOUT, akt_system_wait(sys, TU_MS(50)));
    tu_system_end(sys);
}

static atomic_int shutdown_calls;
static void on_shutdown(akt_system *sys, void *data) {
    (void)sys;
    atomic_fetch_add((atomic_int *)data, 1);
}

static void test_guardian_shutdown_policy(void **state) {
    (void)state;
    akt_system *sys = escalating_system();
    TU_RC(AKT_EINVAL, akt_system_set_guardian_policy(sys, 2, NULL, NULL));
    TU_RC(AKT_EINVAL, akt_system_set_guardian_policy(sys, -1, NULL, NULL));
    atomic_store(&shutdown_calls, 0);
    TU_OK(akt_system_set_guardian_policy(sys, AKT_GUARDIAN_SHUTDOWN, on_shutdown, &shutdown_calls));
    akt_behavior b = tu_behavior(fail_on_boom);
    akt_pid a = tu_spawn(sys, &b, NULL, "a");
    TU_OK(tu_ask(sys, a, tu_msg("t.Ping", ""), NULL));
    TU_OK(akt_tell(sys, a, tu_msg("t.Boom", "")));
    /* The escalation shuts the system down: the wait completes within the deadline. */
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    assert_int_equal(atomic_load(&shutdown_calls), 1); /* the policy's callback */
    assert_int_equal(akt_pid_is_alive(sys, a), 0);
    TU_RC(AKT_ECLOSED, akt_system_set_guardian_policy(sys, AKT_GUARDIAN_STOP_ACTOR, NULL, NULL));
    tu_system_end(sys);
}

/* ---- passivation ------------------------------------------------------------------- */

static atomic_int handled;
static int count_and_reply(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)msg;
    (void)st;
    atomic_fetch_add(&handled, 1);
    return tu_reply(ctx, "t.Ok", "ok");
}

static akt_passivation idle_after(int64_t ns) {
    akt_passivation p = {.size = sizeof p, .strategy = AKT_PASSIVATE_IDLE, .idle_ns = ns};
    return p;
}

static void test_passivation_idle(void **state) {
    (void)state;
    akt_system *sys = tu_system("passivate", 2);
    tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_ACTOR_PASSIVATED | AKT_EVENT_ACTOR_STOPPED, tu_events_cb,
                        &ev, &sub));
    akt_behavior b = tu_behavior(count_and_reply);
    akt_pid a = tu_spawn(sys, &b, NULL, "idle");
    akt_pid keep = tu_spawn(sys, &b, NULL, "keep");
    akt_passivation p = idle_after(TU_MS(30));
    int64_t t0 = tu_now_ns();
    TU_OK(akt_passivation_set(sys, a, &p));
    TU_OK(tu_ask(sys, a, tu_msg("t.Ping", ""), NULL)); /* after the strategy: same turn order */
    tu_wait_dead(sys, a);
    assert_true(tu_now_ns() - t0 >= TU_MS(30)); /* never before idle_ns */
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_ACTOR_STOPPED, a) == 1);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ACTOR_PASSIVATED, a), 1);
    /* The long-lived one is still there. */
    assert_int_equal(akt_pid_is_alive(sys, keep), 1);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ACTOR_PASSIVATED, keep), 0);
    TU_OK(akt_unsubscribe(sub));
    tu_events_destroy(&ev);
    tu_system_end(sys);
}

/* An actor that gets a message every few milliseconds is never idle for 40 ms. */
static void test_passivation_busy_actor_stays(void **state) {
    (void)state;
    akt_system *sys = tu_system("passivate", 2);
    akt_behavior b = tu_behavior(count_and_reply);
    akt_pid a = tu_spawn(sys, &b, NULL, "busy");
    akt_passivation p = idle_after(TU_MS(40));
    TU_OK(akt_passivation_set(sys, a, &p));
    for (int i = 0; i < 30; i++) {
        TU_OK(tu_ask(sys, a, tu_msg("t.Ping", ""), NULL));
        tu_sleep_ms(5);
    }
    assert_int_equal(akt_pid_is_alive(sys, a), 1);
    tu_wait_dead(sys, a); /* then it goes idle */
    tu_system_end(sys);
}

static atomic_int notified;
static void on_notify(void *data) {
    (void)data;
    atomic_fetch_add(&notified, 1);
}

/* Runs the external dispatcher until it has no work left. */
static void drain(akt_dispatcher *d) {
    int rc;
    while ((rc = akt_dispatcher_run(d, 64, NULL)) == AKT_EAGAIN) {
    }
    TU_OK(rc);
}

/* The check and a message that arrives at the deadline: the timer fired (its check is
 * queued) and a message came before the actor's turn: the message wins, deterministically
 * (this thread runs the actor's turns). */
static void test_passivation_message_at_deadline_wins(void **state) {
    (void)state;
    akt_system *sys = tu_system("passivate", 1);
    akt_dispatcher *d = NULL;
    atomic_store(&notified, 0);
    TU_OK(akt_dispatcher_create_external(sys, on_notify, NULL, &d));
    tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_ACTOR_PASSIVATED, tu_events_cb, &ev, &sub));
    akt_behavior b = tu_behavior(count_and_reply);
    akt_spawn_options so;
    TU_OK(akt_spawn_options_init(&so));
    so.name = "edge";
    so.dispatcher = d;
    akt_pid a;
    TU_OK(akt_spawn(sys, &b, NULL, &so, &a));
    /* Long enough that the deadline comes after n0 is read even when a loaded sanitizer
     * run stalls this thread between the drain and the load (a deadline before it was
     * counted in n0, and no later notification would come). */
    akt_passivation p = idle_after(TU_MS(250));
    TU_OK(akt_passivation_set(sys, a, &p));
    atomic_store(&handled, 0);
    drain(d); /* the strategy is set; the timer is armed */
    int n0 = atomic_load(&notified);
    TU_EVENTUALLY(atomic_load(&notified) > n0); /* the deadline: the check is queued */
    TU_OK(akt_tell(sys, a, tu_msg("t.Ping", "")));
    drain(d);
    assert_int_equal(atomic_load(&handled), 1);
    assert_int_equal(akt_pid_is_alive(sys, a), 1);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ACTOR_PASSIVATED, a), 0);
    /* Left alone, it is passivated by a later check. */
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    while (akt_pid_is_alive(sys, a) && tu_now_ns() < dl) {
        drain(d);
        tu_sleep_ms(1);
    }
    assert_int_equal(akt_pid_is_alive(sys, a), 0);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ACTOR_PASSIVATED, a), 1);
    TU_OK(akt_unsubscribe(sub));
    tu_events_destroy(&ev);
    tu_system_end_running(sys, d);
}

/* After n messages, once the mailbox is empty: queued messages are all handled first. */
static void test_passivation_after_messages(void **state) {
    (void)state;
    akt_system *sys = tu_system("passivate", 1);
    akt_dispatcher *d = NULL;
    TU_OK(akt_dispatcher_create_external(sys, on_notify, NULL, &d));
    akt_behavior b = tu_behavior(count_and_reply);
    akt_spawn_options so;
    TU_OK(akt_spawn_options_init(&so));
    so.dispatcher = d;
    akt_pid a;
    TU_OK(akt_spawn(sys, &b, NULL, &so, &a));
    akt_passivation p = {.size = sizeof p, .strategy = AKT_PASSIVATE_MESSAGES, .messages = 3};
    TU_OK(akt_passivation_set(sys, a, &p));
    atomic_store(&handled, 0);
    drain(d);
    TU_OK(akt_tell(sys, a, tu_msg("t.Ping", "")));
    TU_OK(akt_tell(sys, a, tu_msg("t.Ping", "")));
    drain(d);
    assert_int_equal(akt_pid_is_alive(sys, a), 1);
    for (int i = 0; i < 4; i++) TU_OK(akt_tell(sys, a, tu_msg("t.Ping", "")));
    drain(d);
    assert_int_equal(atomic_load(&handled), 6); /* the third did not cut the others off */
    assert_int_equal(akt_pid_is_alive(sys, a), 0);
    tu_system_end_running(sys, d);
}

/* The system default reaches actors spawned after it; a per-actor NEVER overrides it. */
static void test_passivation_system_default(void **state) {
    (void)state;
    akt_system *sys = tu_system("passivate", 2);
    akt_behavior b = tu_behavior(count_and_reply);
    akt_pid before = tu_spawn(sys, &b, NULL, "before");
    akt_passivation p = idle_after(TU_MS(20));
    TU_OK(akt_system_set_passivation(sys, &p));
    akt_pid after = tu_spawn(sys, &b, NULL, "after");
    akt_pid never = tu_spawn(sys, &b, NULL, "never");
    akt_passivation off = {.size = sizeof off, .strategy = AKT_PASSIVATE_NEVER};
    TU_OK(akt_passivation_set(sys, never, &off));
    tu_wait_dead(sys, after);
    /* Three idle windows later the other two are still there. */
    tu_sleep_ms(60);
    assert_int_equal(akt_pid_is_alive(sys, before), 1);
    assert_int_equal(akt_pid_is_alive(sys, never), 1);
    TU_OK(akt_system_set_passivation(sys, NULL));
    akt_pid later = tu_spawn(sys, &b, NULL, "later");
    tu_sleep_ms(60);
    assert_int_equal(akt_pid_is_alive(sys, later), 1);
    tu_system_end(sys);
}

/* Many passivating actors stopping while the system shuts down: nothing leaks (ASan). */
static void test_passivation_shutdown_with_armed_timers(void **state) {
    (void)state;
    akt_system *sys = tu_system("passivate", 2);
    akt_behavior b = tu_behavior(count_and_reply);
    akt_passivation p = idle_after(TU_SEC(3600));
    TU_OK(akt_system_set_passivation(sys, &p));
    for (int i = 0; i < 200; i++) {
        akt_pid a;
        TU_OK(akt_spawn(sys, &b, NULL, NULL, &a));
        if (i % 2) TU_OK(akt_stop(sys, a));
    }
    akt_passivation quick = idle_after(TU_MS(1));
    TU_OK(akt_system_set_passivation(sys, &quick));
    for (int i = 0; i < 200; i++) {
        akt_pid a;
        TU_OK(akt_spawn(sys, &b, NULL, NULL, &a));
    }
    tu_sleep_ms(3);
    tu_system_end(sys);
}

/* ---- pipe_to ------------------------------------------------------------------------ */

typedef struct piper {
    akt_pid target;     /* id 0: self */
    const char *name;   /* pipe_to_name when set */
    int fail;           /* the task returns this code */
    int64_t timeout_ns; /* the pipe's timeout */
    tu_gate *gate;      /* the task waits here when set */
    akt_breaker *breaker;
    atomic_int piped_rc; /* akt_ctx_pipe_to's result, + 1000 once set */
} piper;

static atomic_int task_runs, data_frees, results_seen;
static atomic_uint_fast64_t result_sender;

static int pipe_task(void *data, akt_msg **out) {
    piper *p = data;
    atomic_fetch_add(&task_runs, 1);
    if (p->gate) tu_gate_wait(p->gate);
    if (p->fail) return p->fail;
    *out = tu_msg("t.Result", "42");
    return *out ? 0 : AKT_ENOMEM;
}

static void pipe_free(void *data) {
    (void)data;
    atomic_fetch_add(&data_frees, 1);
}

static int piper_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    piper *p = st;
    if (tu_is(msg, "t.Result")) {
        akt_pid from;
        akt_ctx_sender(ctx, &from);
        atomic_store(&result_sender, from.id);
        atomic_fetch_add(&results_seen, 1);
        return 0;
    }
    akt_pipe_options o;
    akt_pipe_options_init(&o);
    o.timeout_ns = p->timeout_ns;
    o.breaker = p->breaker;
    o.free_data = pipe_free;
    akt_pid to = p->target;
    if (!to.id) akt_ctx_self(ctx, &to);
    int rc = p->name ? akt_ctx_pipe_to_name(ctx, p->name, pipe_task, p, &o)
                     : akt_ctx_pipe_to(ctx, to, pipe_task, p, &o);
    atomic_store(&p->piped_rc, rc + 1000);
    return 0;
}

static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (tu_is(msg, "t.Result")) {
        akt_pid from;
        akt_ctx_sender(ctx, &from);
        atomic_store(&result_sender, from.id);
        atomic_fetch_add(&results_seen, 1);
        return 0;
    }
    return tu_reply(ctx, "t.Ok", "");
}

static void pipe_reset(void) {
    atomic_store(&task_runs, 0);
    atomic_store(&data_frees, 0);
    atomic_store(&results_seen, 0);
    atomic_store(&result_sender, 0);
}

static void test_pipe_to_self_pid_and_name(void **state) {
    (void)state;
    akt_system *sys = tu_system("pipe", 2);
    pipe_reset();
    piper self_p = {0};
    akt_behavior b = tu_behavior(piper_receive);
    akt_pid a = tu_spawn(sys, &b, &self_p, "a");
    TU_OK(akt_tell(sys, a, tu_msg("t.Go", "")));
    TU_EVENTUALLY(atomic_load(&results_seen) == 1);
    assert_int_equal(atomic_load(&self_p.piped_rc), 1000);
    assert_true(atomic_load(&result_sender) == a.id); /* the piping actor is the sender */
    assert_int_equal(atomic_load(&data_frees), 1);

    akt_behavior sb = tu_behavior(sink_receive);
    akt_pid sink = tu_spawn(sys, &sb, NULL, "sink");
    piper to_pid = {.target = sink};
    akt_pid c = tu_spawn(sys, &b, &to_pid, "c");
    TU_OK(akt_tell(sys, c, tu_msg("t.Go", "")));
    TU_EVENTUALLY(atomic_load(&results_seen) == 2);
    assert_true(atomic_load(&result_sender) == c.id);

    piper to_name = {.name = "/user/sink"};
    akt_pid d = tu_spawn(sys, &b, &to_name, "d");
    TU_OK(akt_tell(sys, d, tu_msg("t.Go", "")));
    TU_EVENTUALLY(atomic_load(&results_seen) == 3);
    assert_true(atomic_load(&result_sender) == d.id);
    assert_int_equal(atomic_load(&data_frees), 3);
    tu_system_end(sys);
}

static void test_pipe_to_failures_are_dead_letters(void **state) {
    (void)state;
    akt_system *sys = tu_system("pipe", 2);
    pipe_reset();
    tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &ev, &sub));
    akt_behavior b = tu_behavior(piper_receive);
    akt_behavior sb = tu_behavior(sink_receive);

    /* The task fails: a dead letter with its code. */
    akt_pid sink = tu_spawn(sys, &sb, NULL, "sink");
    piper failing = {.target = sink, .fail = AKT_ENOTSUP};
    akt_pid a = tu_spawn(sys, &b, &failing, "a");
    TU_OK(akt_tell(sys, a, tu_msg("t.Go", "")));
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, sink) == 1);
    tu_ev e;
    assert_true(tu_events_find(&ev, AKT_EVENT_DEAD_LETTER, sink, &e));
    assert_string_equal(e.reason, "pipe_to: task failed");
    assert_int_equal(e.code, AKT_ENOTSUP);
    assert_true(e.sender.id == a.id);

    /* The timeout passes first: a dead letter; the late result goes nowhere. */
    tu_gate gate;
    tu_gate_init(&gate);
    piper slow = {.target = sink, .timeout_ns = TU_MS(20), .gate = &gate};
    akt_pid c = tu_spawn(sys, &b, &slow, "c");
    TU_OK(akt_tell(sys, c, tu_msg("t.Go", "")));
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, sink) == 2);
    tu_gate_open(&gate);
    TU_EVENTUALLY(atomic_load(&data_frees) == 2);
    TU_OK(tu_ask(sys, sink, tu_msg("t.Sync", ""), NULL));
    assert_int_equal(atomic_load(&results_seen), 0);

    /* The target is gone at completion: a dead letter holding the result. */
    tu_gate gate2;
    tu_gate_init(&gate2);
    akt_pid gone = tu_spawn(sys, &sb, NULL, "gone");
    piper late = {.target = gone, .gate = &gate2};
    akt_pid d = tu_spawn(sys, &b, &late, "d");
    TU_OK(akt_tell(sys, d, tu_msg("t.Go", "")));
    TU_EVENTUALLY(atomic_load(&task_runs) == 3);
    tu_stop_wait(sys, gone);
    tu_gate_open(&gate2);
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, gone) == 1);
    assert_true(tu_events_find(&ev, AKT_EVENT_DEAD_LETTER, gone, &e));
    assert_string_equal(e.reason, "pipe_to: target gone");
    assert_string_equal(e.type, "t.Result");
    TU_OK(akt_unsubscribe(sub));
    tu_events_destroy(&ev);
    tu_system_end(sys);
    tu_gate_destroy(&gate);
    tu_gate_destroy(&gate2);
}

static void test_pipe_to_open_breaker_starts_nothing(void **state) {
    (void)state;
    akt_system *sys = tu_system("pipe", 2);
    pipe_reset();
    akt_breaker *br = breaker(1, 1);
    akt_behavior b = tu_behavior(piper_receive);
    akt_behavior sb = tu_behavior(sink_receive);
    akt_pid sink = tu_spawn(sys, &sb, NULL, "sink");
    piper p = {.target = sink, .fail = AKT_EFAILED, .breaker = br};
    akt_pid a = tu_spawn(sys, &b, &p, "a");
    TU_OK(akt_tell(sys, a, tu_msg("t.Go", "")));
    TU_EVENTUALLY(atomic_load(&data_frees) == 1);
    TU_EVENTUALLY(state_of(br) == AKT_BREAKER_OPEN); /* the failure was recorded */
    TU_OK(akt_tell(sys, a, tu_msg("t.Go", "")));
    TU_EVENTUALLY(atomic_load(&p.piped_rc) == AKT_EBUSY + 1000);
    assert_int_equal(atomic_load(&task_runs), 1); /* no second task */
    assert_int_equal(atomic_load(&data_frees), 1);
    tu_system_end(sys);
    TU_OK(akt_breaker_release(br)); /* the pipe's reference went with its task */
}

static _Atomic(akt_pipe *) started_pipe;
static akt_pid start_to;

static int starter_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)msg;
    (void)st;
    akt_pipe *p = NULL;
    int rc = akt_ctx_pipe_start(ctx, start_to, NULL, NULL, &p);
    if (rc == 0) atomic_store(&started_pipe, p);
    return rc;
}

/* A pipe completed from another thread, as a binding's Promise would. */
static void test_pipe_start_and_complete_elsewhere(void **state) {
    (void)state;
    akt_system *sys = tu_system("pipe", 2);
    pipe_reset();
    tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &ev, &sub));
    akt_behavior sb = tu_behavior(sink_receive);
    start_to = tu_spawn(sys, &sb, NULL, "sink");
    akt_behavior b = tu_behavior(starter_receive);
    akt_pid a = tu_spawn(sys, &b, NULL, "a");
    atomic_store(&started_pipe, NULL);
    TU_OK(akt_tell(sys, a, tu_msg("t.Go", "")));
    TU_EVENTUALLY(atomic_load(&started_pipe) != NULL);
    akt_pipe *p = atomic_exchange(&started_pipe, NULL);
    TU_RC(AKT_EINVAL, akt_pipe_complete(p, 0, NULL)); /* nothing done */
    TU_OK(akt_pipe_complete(p, 0, tu_msg("t.Result", "7")));
    TU_EVENTUALLY(atomic_load(&results_seen) == 1);
    assert_true(atomic_load(&result_sender) == a.id);
    TU_OK(akt_tell(sys, a, tu_msg("t.Go", "")));
    TU_EVENTUALLY(atomic_load(&started_pipe) != NULL);
    TU_OK(akt_pipe_complete(atomic_exchange(&started_pipe, NULL), AKT_ETIMEDOUT,
                            tu_msg("t.Ignored", "")));
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, start_to) == 1);
    tu_ev e;
    assert_true(tu_events_find(&ev, AKT_EVENT_DEAD_LETTER, start_to, &e));
    assert_string_equal(e.reason, "pipe_to: task failed");
    assert_int_equal(e.code, AKT_ETIMEDOUT);
    TU_OK(akt_unsubscribe(sub));
    tu_events_destroy(&ev);
    tu_system_end(sys);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_breaker_defaults),
        TU_TEST(test_breaker_cycle),
        TU_TEST(test_breaker_window_slides),
        TU_TEST(test_breaker_refs_and_sizes),
        TU_TEST(test_guardian_stops_actor_by_default),
        TU_TEST(test_guardian_shutdown_policy),
        TU_TEST(test_passivation_idle),
        TU_TEST(test_passivation_busy_actor_stays),
        TU_TEST(test_passivation_message_at_deadline_wins),
        TU_TEST(test_passivation_after_messages),
        TU_TEST(test_passivation_system_default),
        TU_TEST(test_passivation_shutdown_with_armed_timers),
        TU_TEST(test_pipe_to_self_pid_and_name),
        TU_TEST(test_pipe_to_failures_are_dead_letters),
        TU_TEST(test_pipe_to_open_breaker_starts_nothing),
        TU_TEST(test_pipe_start_and_complete_elsewhere),
    };
    return cmocka_run_group_tests_name("fault", tests, NULL, NULL);
}
