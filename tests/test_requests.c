/* test_requests: reentrant requests (akt_ctx_request). The continuation runs on the
 * requester's own turn; ALLOW_ALL lets an A -> B -> A cycle complete; STASH keeps user
 * messages waiting, in order; timeouts, cancels, stops and restarts; the in-flight limit;
 * asks whose asker gave up are skipped by the callee; requests by name
 * (akt_ctx_request_named). */
#include "tu.h"

#include <stdio.h>
#include <string.h>

static akt_system *sys;
static tu_events ev;
static akt_subscription *sub;

static int rq_setup(void **state) {
    sys = tu_system("requests", 2);
    tu_events_init(&ev);
    TU_OK(akt_subscribe(sys, AKT_EVENT_ALL, tu_events_cb, &ev, &sub));
    return tu_setup(state);
}

static int rq_teardown(void **state) {
    if (sub) TU_OK(akt_unsubscribe(sub));
    sub = NULL;
    if (sys) tu_system_end(sys);
    sys = NULL;
    tu_events_destroy(&ev);
    return tu_teardown(state);
}
#define RQ_TEST(f) cmocka_unit_test_setup_teardown(f, rq_setup, rq_teardown)

/* ---- the callee ------------------------------------------------------------------------ */

/* "wait": blocks on the gate; "inc" (u64): replies the value + 1; "sync": replies;
 * "ask-back" (pid): asks that actor "pong" and waits (blocking this worker), then replies
 * what it got. handled counts every message but "wait". */
typedef struct server {
    tu_gate *gate;
    atomic_int handled;
} server;

static int server_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    server *s = state;
    if (tu_is(msg, "wait")) {
        tu_gate_wait(s->gate);
        return 0;
    }
    atomic_fetch_add(&s->handled, 1);
    if (tu_is(msg, "inc")) return tu_reply_u64(ctx, "inc", tu_u64(msg) + 1);
    if (tu_is(msg, "sync")) return tu_reply(ctx, "sync", NULL);
    if (tu_is(msg, "ask-back")) {
        akt_future *f = NULL;
        int rc = akt_ctx_ask(ctx, tu_pid(msg), tu_msg("pong", NULL), TU_SEC(10), &f);
        if (rc) return rc;
        akt_msg *r = NULL;
        rc = akt_future_wait(f, TU_SEC(10), &r);
        akt_future_release(f);
        if (rc) return tu_reply(ctx, "no-answer", akt_strerror(rc));
        akt_msg_release(r);
        return tu_reply(ctx, "answered", NULL);
    }
    return AKT_EUNHANDLED;
}

static server *server_new(tu_gate *g) {
    static server s;
    s.gate = g;
    atomic_store(&s.handled, 0);
    return &s;
}

/* A server held inside its first message ("wait") until the test opens g, so that what is
 * sent to it meanwhile waits in its mailbox. *out (optional) gets its state. */
static akt_pid held_server(tu_gate *g, server **out) {
    tu_gate_init(g);
    akt_behavior sb = tu_behavior(server_receive);
    server *s = server_new(g);
    akt_pid srv = tu_spawn(sys, &sb, s, NULL);
    TU_OK(akt_tell(sys, srv, tu_msg("wait", NULL)));
    tu_gate_await_waiters(g, 1);
    if (out) *out = s;
    return srv;
}

/* ---- the requester ----------------------------------------------------------------------- */

/* What the requester does and what its continuations saw. */
typedef struct client {
    akt_pid server;
    int mode;           /* per call: AKT_REENTRANCY_* */
    int64_t timeout_ns; /* per call */
    int n;              /* "go": how many requests */
    atomic_int inside;  /* 1 while receive or a continuation runs: never two at once */
    atomic_int overlaps;
    atomic_int thens;
    atomic_int drops;
    atomic_int last_rc;
    atomic_int busy; /* requests refused with AKT_EBUSY */
    atomic_int cancel_rc[3];
    atomic_uint_fast64_t sum; /* of the replies */
    akt_request *req;         /* the last one ("go"); owner-only */
    const char *path;         /* "go-named": the callee's path */
    atomic_int named_rc;      /* "go-named": akt_ctx_request_named's code */
    atomic_int kept;          /* "go-named": 1 if a refused msg was still the caller's */
    tu_log log;
} client;

static void enter(client *c) {
    if (atomic_exchange(&c->inside, 1)) atomic_fetch_add(&c->overlaps, 1);
}
static void leave(client *c) { atomic_store(&c->inside, 0); }

static int client_then(akt_ctx *ctx, int rc, akt_msg *reply, void *data) {
    client *c = data;
    enter(c);
    akt_pid self = {0};
    TU_CB_RC(0, akt_ctx_self(ctx, &self)); /* a live context of the requester */
    atomic_store(&c->last_rc, rc);
    if (rc == 0 && reply && tu_is(reply, "inc")) atomic_fetch_add(&c->sum, tu_u64(reply));
    if (rc == 0 && reply)
        tu_log_add(&c->log, "reply:%s", akt_msg_type(reply));
    else
        tu_log_add(&c->log, "reply:%s", akt_err_name(rc));
    if (c->req) atomic_store(&c->cancel_rc[2], akt_request_cancel(ctx, c->req));
    atomic_fetch_add(&c->thens, 1);
    leave(c);
    return 0;
}

static void client_drop(void *data) {
    client *c = data;
    atomic_fetch_add(&c->drops, 1);
}

static int client_request(akt_ctx *ctx, client *c, akt_msg *m, akt_request **out) {
    akt_request_options o;
    TU_CB_RC(0, akt_request_options_init(&o));
    o.mode = c->mode;
    o.timeout_ns = c->timeout_ns;
    o.then = client_then;
    o.drop = client_drop;
    o.data = c;
    int rc = akt_ctx_request(ctx, c->server, m, &o, out);
    if (rc) akt_msg_release(m);
    return rc;
}

/* "go": n requests "inc" i; "go-cancel": one request, cancelled twice; "go-back": requests
 * "ask-back" with self; "pong": replies "pong"; "boom": fails; anything else is logged. */
static int client_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    client *c = state;
    enter(c);
    int rc = 0;
    if (tu_is(msg, "go")) {
        for (int i = 0; i < c->n; i++) {
            akt_request *r_ = NULL;
            int r = client_request(ctx, c, tu_msg_u64("inc", (uint64_t)i), &r_);
            if (r == AKT_EBUSY)
                atomic_fetch_add(&c->busy, 1);
            else
                TU_CB_RC(0, r);
        }
        tu_log_add(&c->log, "go");
    } else if (tu_is(msg, "go-cancel")) {
        TU_CB_RC(0, client_request(ctx, c, tu_msg_u64("inc", 1), &c->req));
        atomic_store(&c->cancel_rc[0], akt_request_cancel(ctx, c->req));
        atomic_store(&c->cancel_rc[1], akt_request_cancel(ctx, c->req)); /* idempotent */
    } else if (tu_is(msg, "go-named")) {
        akt_request_options o;
        TU_CB_RC(0, akt_request_options_init(&o));
        o.then = client_then;
        o.drop = client_drop;
        o.data = c;
        akt_msg *m = tu_msg_u64("inc", 41);
        int r = akt_ctx_request_named(ctx, c->path, m, &o, NULL);
        atomic_store(&c->named_rc, r);
        if (r) { /* not taken: still ours, and still readable */
            atomic_store(&c->kept, tu_is(m, "inc") && tu_u64(m) == 41);
            akt_msg_release(m);
        }
        tu_log_add(&c->log, "named:%s", r ? akt_err_name(r) : "ok");
    } else if (tu_is(msg, "go-back")) {
        akt_pid self;
        TU_CB_RC(0, akt_ctx_self(ctx, &self));
        TU_CB_RC(0, client_request(ctx, c, tu_msg_pid("ask-back", self), NULL));
    } else if (tu_is(msg, "pong")) {
        tu_log_add(&c->log, "pong");
        rc = tu_reply(ctx, "pong", NULL);
    } else if (tu_is(msg, "boom")) {
        rc = AKT_EFAILED;
    } else if (tu_is(msg, "sync")) {
        rc = tu_reply(ctx, "sync", NULL);
    } else {
        tu_log_add(&c->log, "%s", akt_msg_type(msg));
    }
    leave(c);
    return rc;
}

static client *client_new(akt_pid server, int mode, int n) {
    static client c;
    memset(&c, 0, sizeof c);
    c.server = server;
    c.mode = mode;
    c.n = n;
    tu_log_init(&c.log);
    return &c;
}

static akt_pid client_spawn(client *c, int mode, uint32_t max_in_flight) {
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.reentrancy = mode;
    o.max_in_flight = max_in_flight;
    akt_behavior b = tu_behavior(client_receive);
    akt_pid pid = {0};
    TU_OK(akt_spawn(sys, &b, c, &o, &pid));
    return pid;
}

static void sync_with(akt_pid pid) {
    akt_msg *r = NULL;
    TU_OK(tu_ask(sys, pid, tu_msg("sync", NULL), &r));
    akt_msg_release(r);
}

/* ---- tests ------------------------------------------------------------------------------- */

/* Continuations run on the requester's turn: never beside receive (a flood of user
 * messages runs meanwhile), with a live context, each exactly once with its reply. */
static void test_continuation_runs_on_the_actors_turn(void **state) {
    (void)state;
    akt_behavior sb = tu_behavior(server_receive);
    akt_pid srv = tu_spawn(sys, &sb, server_new(NULL), NULL);
    client *c = client_new(srv, AKT_REENTRANCY_DEFAULT, 200);
    akt_pid a = client_spawn(c, AKT_REENTRANCY_ALLOW_ALL, 0);
    TU_OK(akt_tell(sys, a, tu_msg("go", NULL)));
    for (int i = 0; i < 500; i++) TU_OK(akt_tell(sys, a, tu_msg("tick", NULL)));
    TU_EVENTUALLY(atomic_load(&c->thens) == 200);
    assert_int_equal(atomic_load(&c->overlaps), 0);
    assert_int_equal((int)atomic_load(&c->sum), 200 * 201 / 2); /* sum of i + 1 */
    assert_int_equal(atomic_load(&c->drops), 0);
    TU_EVENTUALLY(tu_log_count(&c->log) == 1 + 500 + 200);
    tu_stop_wait(sys, a);
    assert_int_equal(atomic_load(&c->thens), 200);
    tu_log_destroy(&c->log);
}

/* A requests B; B calls A back and waits for it; A answers while its request is in flight,
 * so the cycle completes. */
static void test_cycle_completes_with_allow_all(void **state) {
    (void)state;
    akt_behavior sb = tu_behavior(server_receive);
    akt_pid srv = tu_spawn(sys, &sb, server_new(NULL), NULL);
    client *c = client_new(srv, AKT_REENTRANCY_DEFAULT, 0);
    akt_pid a = client_spawn(c, AKT_REENTRANCY_ALLOW_ALL, 0);
    TU_OK(akt_tell(sys, a, tu_msg("go-back", NULL)));
    TU_EVENTUALLY(atomic_load(&c->thens) == 1);
    assert_int_equal(atomic_load(&c->last_rc), 0);
    char item[64];
    tu_log_get(&c->log, 0, item, sizeof item);
    assert_string_equal(item, "pong");
    tu_log_get(&c->log, 1, item, sizeof item);
    assert_string_equal(item, "reply:answered");
    tu_log_destroy(&c->log);
}

/* Messages that arrive while requests are in flight: STASH keeps them (in order) until the
 * last answer came; ALLOW_ALL handles them at once. */
static void run_order(int mode, const char *want) {
    tu_gate g;
    akt_pid srv = held_server(&g, NULL);
    client *c = client_new(srv, AKT_REENTRANCY_DEFAULT, 2);
    akt_pid a = client_spawn(c, mode, 0);
    TU_OK(akt_tell(sys, a, tu_msg("go", NULL)));
    const char *names[] = {"m1", "m2", "m3", "m4"};
    for (int i = 0; i < 4; i++) TU_OK(akt_tell(sys, a, tu_msg(names[i], NULL)));
    if (mode == AKT_REENTRANCY_ALLOW_ALL)
        TU_EVENTUALLY(tu_log_count(&c->log) == 5);
    else
        TU_EVENTUALLY(tu_log_count(&c->log) == 1); /* "go" (and nothing may follow) */
    tu_gate_open(&g);
    TU_EVENTUALLY(tu_log_count(&c->log) == 7);
    assert_string_equal(tu_log_str(&c->log), want);
    assert_int_equal(atomic_load(&c->overlaps), 0);
    tu_log_destroy(&c->log);
    tu_gate_destroy(&g);
}

static void test_stash_keeps_order(void **state) {
    (void)state;
    run_order(AKT_REENTRANCY_STASH, "go reply:inc reply:inc m1 m2 m3 m4");
}

static void test_allow_all_keeps_going(void **state) {
    (void)state;
    run_order(AKT_REENTRANCY_ALLOW_ALL, "go m1 m2 m3 m4 reply:inc reply:inc");
}

/* A per-call STASH on an ALLOW_ALL actor stashes too. */
static void test_per_call_mode(void **state) {
    (void)state;
    tu_gate g;
    akt_pid srv = held_server(&g, NULL);
    client *c = client_new(srv, AKT_REENTRANCY_STASH, 1);
    akt_pid a = client_spawn(c, AKT_REENTRANCY_ALLOW_ALL, 0);
    TU_OK(akt_tell(sys, a, tu_msg("go", NULL)));
    TU_OK(akt_tell(sys, a, tu_msg("m1", NULL)));
    TU_EVENTUALLY(tu_log_count(&c->log) == 1);
    tu_gate_open(&g);
    TU_EVENTUALLY(tu_log_count(&c->log) == 3);
    assert_string_equal(tu_log_str(&c->log), "go reply:inc m1");
    tu_log_destroy(&c->log);
    tu_gate_destroy(&g);
}

static void test_timeout(void **state) {
    (void)state;
    tu_gate g;
    server *s;
    akt_pid srv = held_server(&g, &s);
    client *c = client_new(srv, AKT_REENTRANCY_STASH, 1);
    c->timeout_ns = TU_MS(20);
    akt_pid a = client_spawn(c, AKT_REENTRANCY_OFF, 0);
    TU_OK(akt_tell(sys, a, tu_msg("go", NULL)));
    TU_EVENTUALLY(atomic_load(&c->thens) == 1);
    assert_int_equal(atomic_load(&c->last_rc), AKT_ETIMEDOUT);
    sync_with(a); /* the stash is over: the actor answers again */
    tu_gate_open(&g);
    sync_with(srv);
    assert_int_equal(atomic_load(&s->handled), 1); /* the sync: the request was skipped */
    tu_gate_destroy(&g);
    tu_log_destroy(&c->log);
}

/* A cancelled request: its continuation runs once with AKT_ECANCELED, the callee skips the
 * message (a dead letter: the asker gave up), the handle names nothing afterwards. */
static void test_cancel(void **state) {
    (void)state;
    tu_gate g;
    server *s;
    akt_pid srv = held_server(&g, &s);
    client *c = client_new(srv, AKT_REENTRANCY_DEFAULT, 0);
    akt_pid a = client_spawn(c, AKT_REENTRANCY_ALLOW_ALL, 0);
    TU_OK(akt_tell(sys, a, tu_msg("go-cancel", NULL)));
    TU_EVENTUALLY(atomic_load(&c->thens) == 1);
    assert_int_equal(atomic_load(&c->last_rc), AKT_ECANCELED);
    assert_int_equal(atomic_load(&c->cancel_rc[0]), 0);
    assert_int_equal(atomic_load(&c->cancel_rc[1]), 0);
    assert_int_equal(atomic_load(&c->cancel_rc[2]), AKT_ENOTFOUND); /* over */
    tu_gate_open(&g);
    sync_with(srv);
    assert_int_equal(atomic_load(&s->handled), 1); /* the sync only */
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, srv) >= 1);
    tu_ev e;
    assert_true(tu_events_find(&ev, AKT_EVENT_DEAD_LETTER, srv, &e));
    assert_true(e.has_reason);
    assert_true(strncmp(e.reason, "asker gave up", 13) == 0);
    assert_string_equal(e.type, "inc");
    assert_int_equal(atomic_load(&c->drops), 0);
    tu_gate_destroy(&g);
    tu_log_destroy(&c->log);
}

/* Stop and restart cancel the requests in flight: no continuation runs (drop does). */
static void run_cancelled_by(int restart) {
    tu_gate g;
    server *s;
    akt_pid srv = held_server(&g, &s);
    client *c = client_new(srv, AKT_REENTRANCY_DEFAULT, 3);
    akt_pid a = client_spawn(c, AKT_REENTRANCY_ALLOW_ALL, 0);
    TU_OK(akt_tell(sys, a, tu_msg("go", NULL)));
    TU_EVENTUALLY(tu_log_count(&c->log) == 1);
    if (restart) {
        TU_OK(akt_tell(sys, a, tu_msg("boom", NULL)));
        TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_ACTOR_RESTARTED, a) == 1);
        sync_with(a);
    } else {
        tu_stop_wait(sys, a);
    }
    assert_int_equal(atomic_load(&c->drops), 3);
    tu_gate_open(&g);
    sync_with(srv);
    assert_int_equal(atomic_load(&s->handled), 1); /* the cancelled requests were skipped */
    if (restart) sync_with(a);                     /* any answer would have come by now */
    assert_int_equal(atomic_load(&c->thens), 0);
    tu_gate_destroy(&g);
    tu_log_destroy(&c->log);
}

static void test_stop_cancels(void **state) {
    (void)state;
    run_cancelled_by(0);
}

static void test_restart_cancels(void **state) {
    (void)state;
    run_cancelled_by(1);
}

static void test_max_in_flight(void **state) {
    (void)state;
    tu_gate g;
    akt_pid srv = held_server(&g, NULL);
    client *c = client_new(srv, AKT_REENTRANCY_DEFAULT, 5);
    akt_pid a = client_spawn(c, AKT_REENTRANCY_ALLOW_ALL, 2);
    TU_OK(akt_tell(sys, a, tu_msg("go", NULL)));
    TU_EVENTUALLY(tu_log_count(&c->log) == 1);
    assert_int_equal(atomic_load(&c->busy), 3);
    tu_gate_open(&g);
    TU_EVENTUALLY(atomic_load(&c->thens) == 2);
    /* Answered: room again. */
    TU_OK(akt_tell(sys, a, tu_msg("go", NULL)));
    TU_EVENTUALLY(atomic_load(&c->thens) == 4);
    assert_int_equal(atomic_load(&c->busy), 6);
    tu_gate_destroy(&g);
    tu_log_destroy(&c->log);
}

/* Requests still in flight at the shutdown: freed, drop runs, nothing leaks (ASan). */
static void test_shutdown_with_requests_in_flight(void **state) {
    (void)state;
    tu_gate g;
    akt_pid srv = held_server(&g, NULL);
    client *c = client_new(srv, AKT_REENTRANCY_DEFAULT, 4);
    akt_pid a = client_spawn(c, AKT_REENTRANCY_STASH, 0);
    TU_OK(akt_tell(sys, a, tu_msg("go", NULL)));
    TU_OK(akt_tell(sys, a, tu_msg("late", NULL)));
    TU_EVENTUALLY(tu_log_count(&c->log) == 1);
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    tu_gate_open(&g);
    TU_OK(akt_unsubscribe(sub));
    sub = NULL;
    tu_system_end(sys);
    sys = NULL;
    assert_int_equal(atomic_load(&c->drops), 4);
    assert_int_equal(atomic_load(&c->thens), 0);
    tu_gate_destroy(&g);
    tu_log_destroy(&c->log);
}

/* ---- requests by name -------------------------------------------------------------------- */

/* Requests path from a fresh client; returns akt_ctx_request_named's code, once the client
 * logged it (its continuation, if any, may still come). */
static int request_named(client *c, akt_pid a, const char *path) {
    c->path = path;
    int before = tu_log_count(&c->log);
    atomic_store(&c->named_rc, 1);
    TU_OK(akt_tell(sys, a, tu_msg("go-named", NULL)));
    TU_EVENTUALLY(tu_log_count(&c->log) > before);
    return atomic_load(&c->named_rc);
}

/* Each form akt_lookup reads reaches the named actor; the continuation runs on the
 * requester's turn with the reply. */
static void test_request_named_replies(void **state) {
    (void)state;
    akt_behavior sb = tu_behavior(server_receive);
    akt_pid srv = tu_spawn(sys, &sb, server_new(NULL), "srv");
    client *c = client_new((akt_pid){0}, AKT_REENTRANCY_DEFAULT, 0);
    akt_pid a = client_spawn(c, AKT_REENTRANCY_STASH, 0);
    const char *paths[] = {"srv", "/user/srv", "akt://requests/user/srv"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(request_named(c, a, paths[i]), 0);
        TU_EVENTUALLY(atomic_load(&c->thens) == i + 1);
        assert_int_equal(atomic_load(&c->last_rc), 0);
    }
    assert_int_equal((int)atomic_load(&c->sum), 3 * 42);
    assert_int_equal(atomic_load(&c->overlaps), 0);
    assert_string_equal(tu_log_str(&c->log),
                        "named:ok reply:inc named:ok reply:inc named:ok reply:inc");
    tu_stop_wait(sys, srv);
    tu_log_destroy(&c->log);
}

/* A name nobody has, and a name whose actor stopped: AKT_ENOTFOUND, msg not taken, no
 * continuation; once the name is spawned again, the request reaches the new actor. */
static void test_request_named_not_found(void **state) {
    (void)state;
    client *c = client_new((akt_pid){0}, AKT_REENTRANCY_DEFAULT, 0);
    akt_pid a = client_spawn(c, AKT_REENTRANCY_ALLOW_ALL, 0);
    assert_int_equal(request_named(c, a, "nobody"), AKT_ENOTFOUND);
    assert_int_equal(atomic_load(&c->kept), 1);
    assert_int_equal(request_named(c, a, "akt://other/user/srv"), AKT_ENOTFOUND);
    akt_behavior sb = tu_behavior(server_receive);
    akt_pid srv = tu_spawn(sys, &sb, server_new(NULL), "srv");
    assert_int_equal(request_named(c, a, "srv"), 0);
    TU_EVENTUALLY(atomic_load(&c->thens) == 1);
    tu_stop_wait(sys, srv); /* the name disappears with its actor */
    atomic_store(&c->kept, 0);
    assert_int_equal(request_named(c, a, "srv"), AKT_ENOTFOUND);
    assert_int_equal(atomic_load(&c->kept), 1);
    srv = tu_spawn(sys, &sb, server_new(NULL), "srv");
    assert_int_equal(request_named(c, a, "/user/srv"), 0);
    TU_EVENTUALLY(atomic_load(&c->thens) == 2);
    assert_int_equal(atomic_load(&c->last_rc), 0);
    sync_with(a);
    assert_int_equal(atomic_load(&c->thens), 2); /* none for the refused requests */
    assert_string_equal(tu_log_str(&c->log), "named:AKT_ENOTFOUND named:AKT_ENOTFOUND named:ok "
                                             "reply:inc named:AKT_ENOTFOUND named:ok reply:inc");
    tu_stop_wait(sys, srv);
    tu_log_destroy(&c->log);
}

/* A NULL or empty path is AKT_EINVAL (msg not taken); outside the callbacks AKT_EMISUSE. */
static void test_request_named_bad_input(void **state) {
    (void)state;
    client *c = client_new((akt_pid){0}, AKT_REENTRANCY_DEFAULT, 0);
    akt_pid a = client_spawn(c, AKT_REENTRANCY_OFF, 0);
    assert_int_equal(request_named(c, a, NULL), AKT_EINVAL);
    assert_int_equal(atomic_load(&c->kept), 1);
    atomic_store(&c->kept, 0);
    assert_int_equal(request_named(c, a, ""), AKT_EINVAL);
    assert_int_equal(atomic_load(&c->kept), 1);
    akt_msg *m = tu_msg("x", NULL);
    assert_int_equal(akt_ctx_request_named(NULL, "srv", m, NULL, NULL), AKT_EINVAL);
    akt_msg_release(m);
    tu_log_destroy(&c->log);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        RQ_TEST(test_continuation_runs_on_the_actors_turn),
        RQ_TEST(test_cycle_completes_with_allow_all),
        RQ_TEST(test_stash_keeps_order),
        RQ_TEST(test_allow_all_keeps_going),
        RQ_TEST(test_per_call_mode),
        RQ_TEST(test_timeout),
        RQ_TEST(test_cancel),
        RQ_TEST(test_stop_cancels),
        RQ_TEST(test_restart_cancels),
        RQ_TEST(test_max_in_flight),
        RQ_TEST(test_shutdown_with_requests_in_flight),
        RQ_TEST(test_request_named_replies),
        RQ_TEST(test_request_named_not_found),
        RQ_TEST(test_request_named_bad_input),
    };
    return cmocka_run_group_tests_name("requests", tests, NULL, NULL);
}
