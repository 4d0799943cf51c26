/* The C testkit (akt/testkit.h): a probe actor that queues what it receives under a mutex
 * for the test thread, which waits on a condition variable with a deadline. */
#define _POSIX_C_SOURCE 200809L
#include <akt/testkit.h>

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AKT_TK_WATCH "akt.testkit.Watch"

typedef struct akt_tk_item {
    struct akt_tk_item *next;
    akt_msg *msg;
} akt_tk_item;

/* Shared by the actor (its state) and the test's handle: the last of the two frees it. */
typedef struct akt_tk_box {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    akt_tk_item *head, *tail;
    int refs; /* under lock */
} akt_tk_box;

struct akt_tk_probe {
    akt_system *system;
    akt_pid pid;
    akt_tk_box *box;
    char error[320];
};

static void box_unref(akt_tk_box *b) {
    pthread_mutex_lock(&b->lock);
    int last = --b->refs == 0;
    pthread_mutex_unlock(&b->lock);
    if (!last) return;
    for (akt_tk_item *it = b->head; it;) {
        akt_tk_item *n = it->next;
        akt_msg_release(it->msg);
        free(it);
        it = n;
    }
    pthread_cond_destroy(&b->cond);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

static int probe_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_tk_box *b = state;
    if (strcmp(akt_msg_type(msg), AKT_TK_WATCH) == 0) {
        akt_pid who;
        const void *data;
        size_t len;
        if (akt_msg_bytes(msg, &data, &len) == 0 && len == sizeof who) {
            memcpy(&who, data, sizeof who);
            if (akt_ctx_watch(ctx, who) == 0) return 0;
        }
        /* Not watchable (gone already): its Terminated comes now, as a watch would. */
    }
    akt_tk_item *it = malloc(sizeof *it);
    if (!it) return AKT_ENOMEM;
    akt_msg_retain(msg);
    it->msg = msg;
    it->next = NULL;
    pthread_mutex_lock(&b->lock);
    if (b->tail)
        b->tail->next = it;
    else
        b->head = it;
    b->tail = it;
    pthread_cond_broadcast(&b->cond);
    pthread_mutex_unlock(&b->lock);
    return 0;
}

static void probe_free_state(void *state) { box_unref(state); }

akt_system *akt_tk_system(const char *name) {
    akt_system_options o;
    if (akt_system_options_init(&o)) return NULL;
    o.name = name ? name : "test";
    o.workers = 2;
    akt_system *s = NULL;
    return akt_system_create(&o, &s) == 0 ? s : NULL;
}

int akt_tk_system_end(akt_system *system) {
    if (!system) return AKT_EINVAL;
    int rc = akt_system_shutdown(system, NULL, NULL);
    if (rc && rc != AKT_ECLOSED) return rc;
    rc = akt_system_wait(system, AKT_TK_MS(10000));
    akt_system_release(system);
    return rc;
}

int akt_tk_probe_new(akt_system *system, akt_tk_probe **out) {
    if (!system || !out) return AKT_EINVAL;
    akt_tk_probe *p = calloc(1, sizeof *p);
    akt_tk_box *b = calloc(1, sizeof *b);
    if (!p || !b) {
        free(p);
        free(b);
        return AKT_ENOMEM;
    }
    pthread_mutex_init(&b->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&b->cond, &ca);
    pthread_condattr_destroy(&ca);
    b->refs = 2; /* the actor's state and this handle */
    akt_behavior beh;
    memset(&beh, 0, sizeof beh);
    beh.size = sizeof beh;
    beh.receive = probe_receive;
    beh.free_state = probe_free_state;
    int rc = akt_spawn(system, &beh, b, NULL, &p->pid);
    if (rc) {
        b->refs = 1;
        box_unref(b);
        free(p);
        return rc;
    }
    p->system = system;
    p->box = b;
    *out = p;
    return 0;
}

void akt_tk_probe_free(akt_tk_probe *probe) {
    if (!probe) return;
    akt_stop(probe->system, probe->pid);
    box_unref(probe->box);
    free(probe);
}

akt_pid akt_tk_probe_pid(const akt_tk_probe *probe) {
    return probe ? probe->pid : (akt_pid){0};
}

const char *akt_tk_probe_error(const akt_tk_probe *probe) { return probe ? probe->error : ""; }

static int fail(akt_tk_probe *p, int rc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->error, sizeof p->error, fmt, ap);
    va_end(ap);
    return rc;
}

/* The next message within ns (NULL after the deadline). */
static akt_msg *next_within(akt_tk_probe *p, int64_t ns) {
    akt_tk_box *b = p->box;
    struct timespec dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    if (ns < 0) ns = 0;
    dl.tv_sec += (time_t)(ns / 1000000000);
    dl.tv_nsec += (long)(ns % 1000000000);
    if (dl.tv_nsec >= 1000000000) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&b->lock);
    while (!b->head)
        if (pthread_cond_timedwait(&b->cond, &b->lock, &dl) == ETIMEDOUT && !b->head) break;
    akt_tk_item *it = b->head;
    if (it) {
        b->head = it->next;
        if (!b->head) b->tail = NULL;
    }
    pthread_mutex_unlock(&b->lock);
    if (!it) return NULL;
    akt_msg *m = it->msg;
    free(it);
    return m;
}

static int give(akt_msg *m, akt_msg **out) {
    if (out)
        *out = m;
    else
        akt_msg_release(m);
    return 0;
}

static double ms_of(int64_t ns) { return (double)ns / 1e6; }

static int arg_check(akt_tk_probe *p, akt_msg **out) {
    if (out) *out = NULL;
    if (!p) return AKT_EINVAL;
    p->error[0] = 0;
    return 0;
}

int akt_tk_expect_message(akt_tk_probe *probe, int64_t within_ns, akt_msg **out) {
    if (arg_check(probe, out)) return AKT_EINVAL;
    akt_msg *m = next_within(probe, within_ns);
    if (!m)
        return fail(probe, AKT_ETIMEDOUT, "expected a message within %.0f ms, got none",
                    ms_of(within_ns));
    return give(m, out);
}

int akt_tk_expect_type(akt_tk_probe *probe, const char *type, int64_t within_ns,
                       akt_msg **out) {
    if (arg_check(probe, out) || !type) return AKT_EINVAL;
    akt_msg *m = next_within(probe, within_ns);
    if (!m)
        return fail(probe, AKT_ETIMEDOUT, "expected a %s within %.0f ms, got none", type,
                    ms_of(within_ns));
    if (strcmp(akt_msg_type(m), type) != 0) {
        fail(probe, AKT_ETYPE, "expected a %s, got a %s", type, akt_msg_type(m));
        akt_msg_release(m);
        return AKT_ETYPE;
    }
    return give(m, out);
}

int akt_tk_expect_match(akt_tk_probe *probe, akt_tk_match_fn match, void *data,
                        int64_t within_ns, akt_msg **out) {
    if (arg_check(probe, out) || !match) return AKT_EINVAL;
    akt_msg *m = next_within(probe, within_ns);
    if (!m)
        return fail(probe, AKT_ETIMEDOUT,
                    "expected a matching message within %.0f ms, got none", ms_of(within_ns));
    if (!match(m, data)) {
        fail(probe, AKT_EUNHANDLED, "expected a matching message, got a %s that does not match",
             akt_msg_type(m));
        akt_msg_release(m);
        return AKT_EUNHANDLED;
    }
    return give(m, out);
}

int akt_tk_expect_no_message(akt_tk_probe *probe, int64_t for_ns) {
    if (arg_check(probe, NULL)) return AKT_EINVAL;
    akt_msg *m = next_within(probe, for_ns);
    if (!m) return 0;
    fail(probe, AKT_EEXIST, "expected no message for %.0f ms, got a %s", ms_of(for_ns),
         akt_msg_type(m));
    akt_msg_release(m);
    return AKT_EEXIST;
}

int akt_tk_expect_terminated(akt_tk_probe *probe, akt_pid pid, int64_t within_ns) {
    if (arg_check(probe, NULL) || !pid.id) return AKT_EINVAL;
    akt_msg *w = NULL;
    int rc = akt_msg_new_bytes(AKT_TK_WATCH, &pid, sizeof pid, AKT_COPY, &w);
    if (rc) return rc;
    rc = akt_tell(probe->system, probe->pid, w);
    if (rc) {
        akt_msg_release(w);
        return fail(probe, rc, "could not watch: the probe is gone (%s)", akt_err_name(rc));
    }
    akt_msg *m = next_within(probe, within_ns);
    if (!m)
        return fail(probe, AKT_ETIMEDOUT, "expected the Terminated of the watched actor within "
                    "%.0f ms, got none", ms_of(within_ns));
    akt_pid about = {0};
    int is_term = strcmp(akt_msg_type(m), AKT_TYPE_TERMINATED) == 0 &&
                  akt_msg_pid(m, &about) == 0 && about.id == pid.id;
    if (!is_term) {
        fail(probe, AKT_ETYPE, "expected the Terminated of the watched actor, got a %s",
             akt_msg_type(m));
        akt_msg_release(m);
        return AKT_ETYPE;
    }
    akt_msg_release(m);
    return 0;
}
