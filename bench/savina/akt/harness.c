#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

const sv_msg *sv_read(akt_msg *msg) {
    const void *data;
    size_t len;
    if (akt_msg_bytes(msg, &data, &len) != 0 || len != sizeof(sv_msg)) return NULL;
    return data;
}

void sv_check(int rc, const char *what) {
    if (rc) {
        fprintf(stderr, "savina: %s: %s\n", what, akt_strerror(rc));
        exit(2);
    }
}

/* Every benchmark message is one registered type (akt_type): its 16-byte payload shares
 * the message's pooled block and no type name is copied per message, as CAF's typed
 * messages carry no string either. */
static const akt_type *sv_type;

void sv_init(akt_system *sys) { sv_check(akt_type_register(sys, "sv", &sv_type), "type"); }

static akt_msg *make(int kind, int a, long b) {
    sv_msg m = {kind, a, b};
    akt_msg *msg;
    sv_check(akt_msg_new_typed(sv_type, &m, sizeof m, AKT_COPY, &msg), "msg");
    return msg;
}

void sv_tell(akt_ctx *ctx, akt_pid to, int kind, int a, long b) {
    akt_msg *msg = make(kind, a, b);
    sv_check(akt_ctx_tell(ctx, to, msg), "tell");
}

void sv_respond(akt_ctx *ctx, int kind, int a, long b) {
    akt_msg *msg = make(kind, a, b);
    sv_check(akt_ctx_respond(ctx, msg), "respond");
}

void sv_tell_ext(akt_system *sys, akt_pid to, int kind, int a, long b) {
    akt_msg *msg = make(kind, a, b);
    sv_check(akt_tell(sys, to, msg), "tell");
}

akt_pid sv_spawn(akt_system *sys, akt_receive_fn receive, void *state, void (*free_state)(void *)) {
    akt_behavior b = {.size = sizeof b, .receive = receive, .free_state = free_state};
    akt_pid pid;
    sv_check(akt_spawn(sys, &b, state, NULL, &pid), "spawn");
    return pid;
}

void sv_compute(double theta) {
    double s = sin(theta), res = s * s;
    if (res <= 0) {
        fprintf(stderr, "savina: unrealistic computation result %f\n", res);
        exit(2);
    }
}

void sv_latch_init(sv_latch *l) {
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    l->done = l->ok = 0;
}

void sv_latch_release(sv_latch *l, int ok) {
    pthread_mutex_lock(&l->mu);
    l->done = 1;
    l->ok = ok;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

int sv_latch_wait(sv_latch *l) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += SV_LATCH_TIMEOUT_S;
    pthread_mutex_lock(&l->mu);
    int rc = 0;
    while (!l->done && rc == 0) rc = pthread_cond_timedwait(&l->cv, &l->mu, &deadline);
    int ok = l->done && l->ok;
    pthread_mutex_unlock(&l->mu);
    return ok;
}

void sv_latch_destroy(sv_latch *l) {
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
}
