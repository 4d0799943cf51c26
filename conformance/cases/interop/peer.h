/*
 * peer.h -- the C actor of the interop case, header-only so that the C version (case.c)
 * and a binding's native test library (e.g. bindings/java/conformance/native) run the very
 * same code.
 *
 * peer:
 *   conf.Question "<t>"  -> responds conf.Answer "peer:<t>"
 *   conf.AskOf "<path>"  -> asks the actor at <path> conf.Question "from-c" (an ask made by a
 *                           C actor) and responds with the answer it got, or
 *                           conf.AskFailed "<reason>" when the ask failed (the failure's
 *                           reason, else the error name)
 *   conf.AskPlainOf "<path>" -> the same ask made by a plain C thread (akt_ask outside any
 *                           actor: no sender pid, C code reads the answer); the peer waits
 *                           for that thread and responds as for conf.AskOf
 *   anything else        -> reads the message's bytes (an object message of another
 *                           language is serialized by that language's to_bytes) and
 *                           responds conf.Seen "<text>", or conf.NoBytes "<error name>"
 *                           when the message has no bytes.
 * echo (conf_echo()):
 *   conf.Null            -> responds akt.Null (0 bytes): the one scalar Java cannot send
 *   any other message    -> responds a bytes message of the same type and bytes, or
 *                           conf.NoBytes "<error name>": what a C actor sends back of a
 *                           canonical scalar (akt.Int64 ...), read and rebuilt.
 */
#ifndef AKT_CONF_INTEROP_PEER_H
#define AKT_CONF_INTEROP_PEER_H

#include "conf.h"

#include <pthread.h>
#include <stdio.h>

/* conf.AskOf: the ask waits on this worker (a test's peer; an actor would use
 * akt_ctx_request). */
static int conf_peer_ask_of(akt_ctx *ctx, akt_msg *msg) {
    char path[256];
    akt_system *sys = NULL;
    akt_pid to;
    akt_ctx_system(ctx, &sys);
    int rc = akt_lookup(sys, conf_text(msg, path, sizeof path), &to);
    if (rc != 0) return conf_respond(ctx, "conf.AskFailed", akt_err_name(rc));
    akt_msg *q = NULL;
    if ((rc = akt_msg_new_bytes("conf.Question", "from-c", 6, AKT_COPY, &q)) != 0) return rc;
    akt_future *f = NULL;
    if ((rc = akt_ctx_ask(ctx, to, q, 5000000000LL, &f)) != 0) {
        akt_msg_release(q);
        return rc;
    }
    akt_msg *reply = NULL;
    rc = akt_future_wait(f, -1, &reply);
    if (rc == 0) {
        akt_future_release(f);
        if ((rc = akt_ctx_respond(ctx, reply)) != 0) akt_msg_release(reply);
        return rc;
    }
    const char *why = NULL;
    akt_future_failure(f, &why, NULL);
    rc = conf_respond(ctx, "conf.AskFailed", why ? why : akt_err_name(rc));
    akt_future_release(f);
    return rc;
}

/* conf.AskPlainOf: a thread of no actor asks with a plain akt_ask and waits; the peer's
 * worker waits for it (a test's peer). */
typedef struct conf_plain_ask {
    akt_system *sys;
    akt_pid to;
    int rc;
    akt_msg *reply; /* on rc 0 */
    char why[1024]; /* on a failure: its reason, else the error name */
} conf_plain_ask;

static void *conf_plain_ask_run(void *arg) {
    conf_plain_ask *a = arg;
    akt_msg *q = NULL;
    akt_future *f = NULL;
    if ((a->rc = akt_msg_new_bytes("conf.Question", "from-c", 6, AKT_COPY, &q)) != 0) return NULL;
    if ((a->rc = akt_ask(a->sys, a->to, q, 5000000000LL, &f)) != 0) {
        akt_msg_release(q);
        return NULL;
    }
    a->rc = akt_future_wait(f, -1, &a->reply);
    if (a->rc != 0) {
        const char *why = NULL;
        akt_future_failure(f, &why, NULL);
        snprintf(a->why, sizeof a->why, "%s", why ? why : akt_err_name(a->rc));
    }
    akt_future_release(f);
    return NULL;
}

static int conf_peer_ask_plain_of(akt_ctx *ctx, akt_msg *msg) {
    char path[256];
    conf_plain_ask a = {.sys = NULL, .rc = 0, .reply = NULL, .why = ""};
    akt_ctx_system(ctx, &a.sys);
    int rc = akt_lookup(a.sys, conf_text(msg, path, sizeof path), &a.to);
    if (rc != 0) return conf_respond(ctx, "conf.AskFailed", akt_err_name(rc));
    pthread_t t;
    if (pthread_create(&t, NULL, conf_plain_ask_run, &a) != 0) return AKT_ENOMEM;
    pthread_join(t, NULL);
    if (a.rc != 0)
        return conf_respond(ctx, "conf.AskFailed", a.why[0] ? a.why : akt_err_name(a.rc));
    if ((rc = akt_ctx_respond(ctx, a.reply)) != 0) akt_msg_release(a.reply);
    return rc;
}

static int conf_peer_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[128], answer[160];
    (void)state;
    if (conf_is(msg, "conf.Question")) {
        snprintf(answer, sizeof answer, "peer:%s", conf_text(msg, text, sizeof text));
        return conf_respond(ctx, "conf.Answer", answer);
    }
    if (conf_is(msg, "conf.AskOf")) return conf_peer_ask_of(ctx, msg);
    if (conf_is(msg, "conf.AskPlainOf")) return conf_peer_ask_plain_of(ctx, msg);
    const void *data = NULL;
    size_t len = 0;
    int rc = akt_msg_bytes(msg, &data, &len);
    if (rc != 0) return conf_respond(ctx, "conf.NoBytes", akt_err_name(rc));
    snprintf(answer, sizeof answer, "%.*s", (int)(len < 128 ? len : 128), (const char *)data);
    return conf_respond(ctx, "conf.Seen", answer);
}

static const akt_behavior conf_peer_behavior = {.size = sizeof(akt_behavior),
                                                .receive = conf_peer_receive};

static int conf_echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    const void *data = NULL;
    size_t len = 0;
    int rc;
    akt_msg *r = NULL;
    if (conf_is(msg, "conf.Null")) {
        if ((rc = akt_msg_new_bytes(AKT_TYPE_NULL, NULL, 0, AKT_BORROW, &r)) != 0) return rc;
        if ((rc = akt_ctx_respond(ctx, r)) != 0) akt_msg_release(r);
        return rc;
    }
    rc = akt_msg_bytes(msg, &data, &len);
    if (rc != 0) return conf_respond(ctx, "conf.NoBytes", akt_err_name(rc));
    if ((rc = akt_msg_new_bytes(akt_msg_type(msg), data, len, AKT_COPY, &r)) != 0) return rc;
    if ((rc = akt_ctx_respond(ctx, r)) != 0) akt_msg_release(r);
    return rc;
}

static inline const akt_behavior *conf_echo(void) {
    static const akt_behavior b = {.size = sizeof(akt_behavior), .receive = conf_echo_receive};
    return &b;
}

#endif /* AKT_CONF_INTEROP_PEER_H */
