/* async_receive: a message kept while its handler waits for a request (akt_ctx_suspend),
 * finished by a step the request's continuation posts (akt_suspension_post); the order
 * around the wait, a failure after it, an A -> B -> A cycle under ALLOW_ALL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static akt_system *sys;
static akt_pid server_pid;

static int server_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    int *holding = state;
    char text[64], out[80];
    if (conf_is(msg, "conf.Hold")) {
        *holding = 1;
        return 0;
    }
    if (conf_is(msg, "conf.Release")) {
        *holding = 0;
        return akt_ctx_unstash_all(ctx);
    }
    if (conf_is(msg, "conf.Inc")) {
        if (*holding) return akt_ctx_stash(ctx);
        snprintf(out, sizeof out, "%s!", conf_text(msg, text, sizeof text));
        return conf_respond(ctx, "conf.Done", out);
    }
    if (conf_is(msg, "conf.Bounce")) {
        akt_pid sender;
        CONF_OK(akt_ctx_sender(ctx, &sender));
        return akt_ctx_forward(ctx, sender);
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior server_behavior = {.size = sizeof(akt_behavior),
                                             .receive = server_receive};

/* ---- the worker: what waits, and the step that finishes it ------------------------------ */

typedef struct wait {
    akt_suspension held; /* the message waiting */
    char what[16];       /* "work", "boom", "cycle" */
    char text[64];       /* the work's text */
    int rc;              /* the request's outcome, for the step */
    char reply[64];      /* its text (work) or type (cycle) */
} wait;

static int finish(akt_ctx *ctx, void *data) {
    wait *w = data;
    int rc = w->rc;
    if (rc == 0 && strcmp(w->what, "work") == 0) {
        conf_log("end", "%s %s", w->text, w->reply);
        rc = conf_respond(ctx, "conf.Done", w->reply);
    } else if (rc == 0 && strcmp(w->what, "boom") == 0) {
        rc = akt_ctx_fail(ctx, "boom after await");
    } else if (rc == 0) {
        rc = conf_respond(ctx, "conf.Done", w->reply);
    }
    free(w);
    return rc;
}

/* The request's continuation: no message in hand; the step gets the one that waits. */
static int answered(akt_ctx *ctx, int rc, akt_msg *reply, void *data) {
    (void)ctx;
    wait *w = data;
    w->rc = rc;
    if (rc == 0 && strcmp(w->what, "cycle") == 0)
        snprintf(w->reply, sizeof w->reply, "%s", akt_msg_type(reply));
    else if (rc == 0)
        conf_text(reply, w->reply, sizeof w->reply);
    rc = akt_suspension_post(sys, w->held, finish, free, w);
    if (rc) free(w);
    return rc;
}

/* Suspends the message in hand and requests type/text from the server. */
static int wait_for(akt_ctx *ctx, const char *what, const char *type, const char *text) {
    wait *w = calloc(1, sizeof *w);
    if (!w) return AKT_ENOMEM;
    snprintf(w->what, sizeof w->what, "%s", what);
    snprintf(w->text, sizeof w->text, "%s", text);
    int rc = akt_ctx_suspend(ctx, AKT_REENTRANCY_DEFAULT, &w->held);
    akt_request_options o;
    CONF_OK(akt_request_options_init(&o));
    o.then = answered;
    o.drop = free;
    o.data = w;
    akt_msg *m = conf_msg(type, text);
    if (rc == 0) rc = akt_ctx_request(ctx, server_pid, m, &o, NULL);
    if (rc) {
        akt_msg_release(m);
        free(w);
    }
    return rc;
}

static int worker_start(akt_ctx *ctx, void *state) {
    (void)ctx;
    (void)state;
    conf_log("pre_start", "ok");
    return 0;
}

static int worker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    char text[64];
    if (conf_is(msg, "conf.Work")) {
        conf_text(msg, text, sizeof text);
        conf_log("start", "%s", text);
        return wait_for(ctx, "work", "conf.Inc", text);
    }
    if (conf_is(msg, "conf.Item")) {
        conf_log("item", "%s", conf_text(msg, text, sizeof text));
        return 0;
    }
    if (conf_is(msg, "conf.Boom")) return wait_for(ctx, "boom", "conf.Inc", "boom");
    if (conf_is(msg, "conf.Bounce")) {
        conf_log("bounced", "ok");
        return conf_respond(ctx, "conf.Pong", "");
    }
    if (conf_is(msg, "conf.Cycle")) return wait_for(ctx, "cycle", "conf.Bounce", "");
    return AKT_EUNHANDLED;
}

static const akt_behavior worker_behavior = {
    .size = sizeof(akt_behavior), .receive = worker_receive, .pre_start = worker_start};

static akt_pid spawn_worker(const char *name, int mode) {
    akt_spawn_options o;
    CONF_OK(akt_spawn_options_init(&o));
    o.name = name;
    o.reentrancy = mode;
    akt_pid pid;
    CONF_OK(akt_spawn(sys, &worker_behavior, NULL, &o, &pid));
    return pid;
}

int main(void) {
    static int holding;
    char buf[64];
    sys = conf_system_create();
    server_pid = conf_spawn(sys, &server_behavior, &holding, "server");

    /* 1. The item waits for the end of the work. */
    akt_pid worker = spawn_worker("worker", AKT_REENTRANCY_DEFAULT);
    conf_wait_log(1);
    conf_flush();
    CONF_OK(conf_tell(sys, server_pid, "conf.Hold", ""));
    CONF_OK(conf_tell(sys, worker, "conf.Work", "a"));
    CONF_OK(conf_tell(sys, worker, "conf.Item", "x"));
    conf_wait_log(1);
    CONF_OK(conf_tell(sys, server_pid, "conf.Release", ""));
    conf_wait_log(3);
    conf_flush();

    /* 2. The answer comes after the wait. */
    conf_say("work", "%s", conf_ask_str(sys, worker, "conf.Work", "b", buf, sizeof buf));
    conf_wait_log(2);
    conf_flush();

    /* 3. A failure after the wait restarts the worker. */
    conf_say("boom", "%s", conf_ask_str(sys, worker, "conf.Boom", "", buf, sizeof buf));
    conf_say("work", "%s", conf_ask_str(sys, worker, "conf.Work", "c", buf, sizeof buf));
    conf_wait_log(3);
    conf_flush();

    /* 4. ALLOW_ALL: the bounce runs while the cycle waits. */
    akt_pid allow = spawn_worker("allow", AKT_REENTRANCY_ALLOW_ALL);
    conf_say("cycle", "%s", conf_ask_str(sys, allow, "conf.Cycle", "", buf, sizeof buf));
    conf_wait_log(2);
    conf_flush();

    conf_system_finish(sys);
    return 0;
}
