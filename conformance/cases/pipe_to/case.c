/* pipe_to: results delivered with the piping actor as sender (to self, a pid, a name);
 * failures, timeouts, gone targets and an open breaker as dead letters or refusals. */
#include "conf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS 1000000LL

static akt_pid sink, target;
static akt_breaker *breaker;
static pthread_mutex_t go_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cv = PTHREAD_COND_INITIALIZER;
/* A waiting task has a ticket, given in the order the tasks were piped; go_ahead releases
 * the oldest one not released yet, so a go-ahead meant for one task never lets another
 * through (a shared count did: a late waker's go could be taken by the next task). Under
 * go_mu. */
static int tickets, released;

typedef struct task {
    char value[32];
    int fail, wait, ticket;
} task;

static int run_task(void *data, akt_msg **out) {
    task *t = data;
    if (t->wait) {
        pthread_mutex_lock(&go_mu);
        while (released < t->ticket) pthread_cond_wait(&go_cv, &go_mu);
        pthread_mutex_unlock(&go_mu);
    }
    if (t->fail) return AKT_EFAILED;
    *out = conf_msg("conf.Result", t->value);
    return 0;
}

static void go_ahead(void) {
    pthread_mutex_lock(&go_mu);
    released++;
    pthread_cond_broadcast(&go_cv);
    pthread_mutex_unlock(&go_mu);
}

static void journal_result(akt_ctx *ctx, akt_msg *msg, const char *who) {
    char text[64], path[256];
    akt_pid from;
    akt_system *sys;
    CONF_OK(akt_ctx_sender(ctx, &from));
    CONF_OK(akt_ctx_system(ctx, &sys));
    conf_log(who, "%s from %s", conf_text(msg, text, sizeof text),
             conf_path(sys, from, path, sizeof path));
}

static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (conf_is(msg, "conf.Result")) {
        journal_result(ctx, msg, "sink");
        return 0;
    }
    if (conf_is(msg, "conf.Sync")) return conf_respond(ctx, "conf.Done", "");
    return AKT_EUNHANDLED;
}

static int piper_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (conf_is(msg, "conf.Result")) {
        journal_result(ctx, msg, "piper");
        return 0;
    }
    if (!conf_is(msg, "conf.Pipe")) return AKT_EUNHANDLED;
    char text[64], how[32];
    conf_text(msg, text, sizeof text);
    task *t = calloc(1, sizeof *t);
    if (!t || sscanf(text, "%31s %31s", how, t->value) != 2) conf_fatal("bad pipe command");
    akt_pipe_options o;
    CONF_OK(akt_pipe_options_init(&o));
    o.free_data = free;
    akt_pid self, to = sink;
    CONF_OK(akt_ctx_self(ctx, &self));
    int rc;
    if (strcmp(how, "name") == 0) {
        rc = akt_ctx_pipe_to_name(ctx, "/user/sink", run_task, t, &o);
    } else {
        if (strcmp(how, "self") == 0) to = self;
        if (strcmp(how, "fail") == 0) t->fail = 1;
        if (strcmp(how, "slow") == 0) {
            t->wait = 1;
            o.timeout_ns = 50 * MS;
        }
        if (strcmp(how, "gone") == 0) {
            t->wait = 1;
            to = target;
        }
        if (strcmp(how, "breaker") == 0) {
            t->fail = 1;
            o.breaker = breaker;
        }
        if (t->wait) {
            pthread_mutex_lock(&go_mu);
            t->ticket = ++tickets;
            pthread_mutex_unlock(&go_mu);
        }
        rc = akt_ctx_pipe_to(ctx, to, run_task, t, &o);
    }
    if (rc) free(t); /* not taken */
    return conf_respond(ctx, "conf.Piped", rc ? akt_err_name(rc) : "ok");
}

static void on_dead(const akt_event *ev, void *data) {
    (void)data;
    if (!ev->path || (strcmp(ev->path, "akt://conf/user/sink") != 0 &&
                      strcmp(ev->path, "akt://conf/user/target") != 0))
        return;
    conf_log("dead", "%s %s %s", ev->path, ev->reason ? ev->reason : "-",
             ev->msg ? akt_msg_type(ev->msg) : "-");
}

static void pipe(akt_system *sys, akt_pid piper, const char *step, const char *cmd) {
    char buf[128];
    conf_say(step, "%s", conf_ask_str(sys, piper, "conf.Pipe", cmd, buf, sizeof buf));
}

int main(void) {
    akt_system *sys = conf_system_create();
    akt_subscription *sub = NULL;
    CONF_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, on_dead, NULL, &sub));
    akt_breaker_options bo;
    CONF_OK(akt_breaker_options_init(&bo));
    bo.min_requests = 1;
    bo.half_open_max_calls = 1;
    bo.open_timeout_ns = 60000 * MS;
    CONF_OK(akt_breaker_create(&bo, &breaker));
    static const akt_behavior sink_b = {.size = sizeof(akt_behavior), .receive = sink_receive};
    static const akt_behavior piper_b = {.size = sizeof(akt_behavior), .receive = piper_receive};
    sink = conf_spawn(sys, &sink_b, NULL, "sink");
    target = conf_spawn(sys, &sink_b, NULL, "target");
    akt_pid piper = conf_spawn(sys, &piper_b, NULL, "piper");

    pipe(sys, piper, "pipe.self", "self 1");
    conf_wait_log(1);
    conf_flush();
    pipe(sys, piper, "pipe.pid", "pid 2");
    pipe(sys, piper, "pipe.name", "name 3");
    conf_wait_log(2);
    conf_flush_sorted();

    pipe(sys, piper, "pipe.fail", "fail 4");
    conf_wait_log(1);
    conf_flush();

    pipe(sys, piper, "pipe.slow", "slow 5");
    conf_wait_log(1);
    conf_flush();
    go_ahead();
    char buf[128];
    conf_say("sync", "%s", conf_ask_str(sys, sink, "conf.Sync", "", buf, sizeof buf));

    pipe(sys, piper, "pipe.gone", "gone 6");
    CONF_OK(conf_stop_graceful(sys, target));
    go_ahead();
    conf_wait_log(1);
    conf_flush();

    pipe(sys, piper, "pipe.breaker", "breaker 7");
    conf_wait_log(1);
    conf_flush();
    pipe(sys, piper, "pipe.breaker.open", "breaker 8");

    CONF_OK(akt_unsubscribe(sub));
    conf_system_finish(sys);
    CONF_OK(akt_breaker_release(breaker));
    return 0;
}
