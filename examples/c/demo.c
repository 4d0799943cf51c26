/* akt in one page: spawn, tell, ask, a crashing child restarted by its supervisor,
 * become, and death watch. Run it with `make demo`. */
#include <akt/akt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECOND 1000000000ll

/* ---- a counter: tell "incr", ask "get" ---------------------------------------------- */
typedef struct {
    long n;
} counter;

static akt_msg *text_msg(const char *type, const char *text) {
    akt_msg *m = NULL;
    akt_msg_new_bytes(type, text, strlen(text), AKT_COPY, &m);
    return m;
}

static int counter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    counter *c = state;
    if (strcmp(akt_msg_type(msg), "demo.Incr") == 0) {
        c->n++;
        return 0;
    }
    if (strcmp(akt_msg_type(msg), "demo.Get") == 0) {
        char buf[32];
        snprintf(buf, sizeof buf, "%ld", c->n);
        return akt_ctx_respond(ctx, text_msg("demo.Count", buf));
    }
    return AKT_EUNHANDLED;
}

/* ---- a worker that fails on "boom"; its parent restarts it ------------------------- */
typedef struct {
    int starts;
} worker;

static int worker_pre_start(akt_ctx *ctx, void *state) {
    worker *w = state;
    w->starts++;
    printf("  worker: pre_start (start #%d)\n", w->starts);
    return 0;
}

static void worker_post_stop(akt_ctx *ctx, void *state) { printf("  worker: post_stop\n"); }

static int worker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    if (strcmp(akt_msg_type(msg), "demo.Boom") == 0) return akt_ctx_fail(ctx, "boom requested");
    const void *data;
    size_t len;
    akt_msg_bytes(msg, &data, &len);
    printf("  worker: got %.*s\n", (int)len, (const char *)data);
    return akt_ctx_respond(ctx, text_msg("demo.Done", "ok"));
}

static const akt_behavior worker_behavior = {.size = sizeof(akt_behavior),
                                             .receive = worker_receive,
                                             .pre_start = worker_pre_start,
                                             .post_stop = worker_post_stop,
                                             .free_state = free};

/* The supervisor spawns the worker as its child and passes work on to it. */
static int supervisor_pre_start(akt_ctx *ctx, void *state) {
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    o.name = "worker";
    akt_pid *child = state;
    return akt_ctx_spawn(ctx, &worker_behavior, calloc(1, sizeof(worker)), &o, child);
}

static void supervisor_post_stop(akt_ctx *ctx, void *state) {
    printf("  supervisor: post_stop (its child stopped first)\n");
}

static int supervisor_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_pid *child = state;
    return akt_ctx_forward(ctx, *child);
}

/* ---- become: a light switch ---------------------------------------------------------- */
static int switch_on(akt_ctx *ctx, akt_msg *msg, void *state);

static int switch_off(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_ctx_respond(ctx, text_msg("demo.State", "was off, now on"));
    return akt_ctx_become(ctx, switch_on, state, 0);
}

static int switch_on(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_ctx_respond(ctx, text_msg("demo.State", "was on, now off"));
    return akt_ctx_become(ctx, switch_off, state, 0);
}

/* ---- a watcher: reports when the watched actor terminates --------------------------- */
static int watcher_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    if (strcmp(akt_msg_type(msg), AKT_TYPE_TERMINATED) == 0) {
        const void *path;
        size_t len;
        akt_msg_bytes(msg, &path, &len);
        printf("  watcher: %.*s terminated\n", (int)len, (const char *)path);
        return 0;
    }
    if (strcmp(akt_msg_type(msg), "demo.Report") == 0)
        return akt_ctx_respond(ctx, text_msg("demo.Report", "watcher is up to date"));
    akt_pid target;
    const void *data;
    size_t len;
    akt_msg_bytes(msg, &data, &len);
    memcpy(&target.id, data, sizeof target.id);
    akt_ctx_watch(ctx, target);
    return akt_ctx_respond(ctx, text_msg("demo.Watching", "yes"));
}

/* Asks and prints the text reply. */
static void ask_print(akt_system *sys, akt_pid to, akt_msg *q, const char *label) {
    akt_future *f = NULL;
    akt_msg *reply = NULL;
    /* The ask and its wait in one call; f is NULL if the ask was refused (q is still ours). */
    int rc = akt_ask_wait(sys, to, q, SECOND, NULL, -1, &f, &reply);
    if (!f) akt_msg_release(q);
    if (rc == 0) {
        const void *data;
        size_t len;
        akt_msg_bytes(reply, &data, &len);
        printf("%s: %.*s\n", label, (int)len, (const char *)data);
        akt_msg_release(reply);
    } else {
        printf("%s: %s\n", label, akt_err_name(rc));
    }
    if (f) akt_future_release(f);
}

static void on_event(const akt_event *ev, void *data) {
    if (ev->kind == AKT_EVENT_ACTOR_RESTARTED) printf("  event: restarted %s\n", ev->path);
    if (ev->kind == AKT_EVENT_ACTOR_FAILED)
        printf("  event: %s failed (%s)\n", ev->path, ev->reason ? ev->reason : "?");
}

int main(void) {
    printf("akt %s demo\n\n", akt_version_string());
    akt_system_options opts;
    akt_system_options_init(&opts);
    opts.name = "demo";
    akt_system *sys;
    int rc = akt_system_create(&opts, &sys);
    if (rc) {
        fprintf(stderr, "create: %s\n", akt_strerror(rc));
        return 1;
    }
    akt_subscription *sub;
    akt_subscribe(sys, AKT_EVENT_ACTOR_RESTARTED | AKT_EVENT_ACTOR_FAILED, on_event, NULL, &sub);

    printf("1. spawn a counter, tell it 1000 times, ask for the count\n");
    akt_behavior counter_b = {
        .size = sizeof counter_b, .receive = counter_receive, .free_state = free};
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    o.name = "counter";
    akt_pid counter_pid;
    akt_spawn(sys, &counter_b, calloc(1, sizeof(counter)), &o, &counter_pid);
    for (int i = 0; i < 1000; i++) akt_tell(sys, counter_pid, text_msg("demo.Incr", ""));
    /* Messages from one sender arrive in order: the ask sees all 1000 increments. */
    ask_print(sys, counter_pid, text_msg("demo.Get", ""), "count");

    printf("\n2. a supervisor with a worker child; the child crashes and is restarted\n");
    akt_behavior sup_b = {.size = sizeof sup_b,
                          .receive = supervisor_receive,
                          .pre_start = supervisor_pre_start,
                          .post_stop = supervisor_post_stop,
                          .free_state = free};
    o.name = "supervisor";
    akt_pid sup_pid;
    akt_spawn(sys, &sup_b, calloc(1, sizeof(akt_pid)), &o, &sup_pid);
    ask_print(sys, sup_pid, text_msg("demo.Work", "job-1"), "job-1");
    ask_print(sys, sup_pid, text_msg("demo.Boom", ""), "boom");
    ask_print(sys, sup_pid, text_msg("demo.Work", "job-2"), "job-2");
    akt_pid found;
    char path[128];
    if (akt_lookup(sys, "supervisor/worker", &found) == 0 &&
        akt_pid_path(sys, found, path, sizeof path, NULL) == 0)
        printf("lookup: %s is still alive\n", path);

    printf("\n3. become: a switch changes its behaviour with each message\n");
    akt_behavior switch_b = {.size = sizeof switch_b, .receive = switch_off};
    o.name = "switch";
    akt_pid sw;
    akt_spawn(sys, &switch_b, NULL, &o, &sw);
    for (int i = 0; i < 3; i++) ask_print(sys, sw, text_msg("demo.Flip", ""), "flip");

    printf("\n4. watch: a watcher learns that the counter stopped\n");
    akt_behavior watcher_b = {.size = sizeof watcher_b, .receive = watcher_receive};
    o.name = "watcher";
    akt_pid watcher;
    akt_spawn(sys, &watcher_b, NULL, &o, &watcher);
    akt_msg *w;
    akt_msg_new_bytes("demo.Watch", &counter_pid.id, sizeof counter_pid.id, AKT_COPY, &w);
    ask_print(sys, watcher, w, "watching");
    akt_future *stopped;
    akt_stop_graceful(sys, counter_pid, SECOND, &stopped);
    akt_future_wait(stopped, -1, NULL);
    akt_future_release(stopped);
    /* The Terminated was queued before the stop completed, so it is handled first. */
    ask_print(sys, watcher, text_msg("demo.Report", ""), "report");
    akt_msg *late = text_msg("demo.Incr", "");
    rc = akt_tell(sys, counter_pid, late);
    if (rc) akt_msg_release(late);
    printf("tell to the stopped counter: %s\n", akt_err_name(rc));

    printf("\n5. shutdown: children stop before parents\n");
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_unsubscribe(sub);
    akt_system_release(sys);
    printf("done\n");
    return 0;
}
