/* The actor context from JS. akt's context is valid only during the callback that got it;
 * the addon keeps it in cur_ctx for exactly that long, so a late call gets AKT_EMISUSE
 * (lib/context.cjs also checks that the JS Context it was called on is the live one). */
#include <akt/remote.h>

#include "addon.h"

#define AN_CTX()               \
    akt_ctx *ctx = I->cur_ctx; \
    if (!ctx) return an_throw(env, I, AKT_EMISUSE)

#define AN_RC(expr)                            \
    do {                                       \
        int rc_ = (expr);                      \
        if (rc_) return an_throw(env, I, rc_); \
    } while (0)

static napi_value pid_getter(napi_env env, napi_callback_info info,
                             int (*get)(akt_ctx *, akt_pid *)) {
    AN_ARGS(0);
    AN_CTX();
    akt_pid pid;
    AN_RC(get(ctx, &pid));
    an_put_pid(I, AN_SCR_PID, pid);
    napi_value r;
    napi_get_boolean(env, pid.id != AKT_PID_NONE_ID, &r);
    return r;
}

static napi_value CtxSelf(napi_env env, napi_callback_info info) {
    return pid_getter(env, info, akt_ctx_self);
}
static napi_value CtxSender(napi_env env, napi_callback_info info) {
    return pid_getter(env, info, akt_ctx_sender);
}
static napi_value CtxParent(napi_env env, napi_callback_info info) {
    return pid_getter(env, info, akt_ctx_parent);
}

/* ctxRespond(value, type?, headers?); ctxRespondSlot(slot, type?) */
static napi_value respond_impl(napi_env env, napi_callback_info info, int is_slot) {
    AN_ARGS(3);
    akt_ctx *ctx = I->cur_ctx;
    char tbuf[256];
    char *type = NULL;
    if (!ctx)
        an_throw(env, I, AKT_EMISUSE);
    else
        type = argc > 1 ? an_opt_string(I, env, argv[1], tbuf, sizeof tbuf) : NULL;
    if (!ctx || type == (char *)-1) {
        an_slot_drop(I, env, argv[0], is_slot); /* the message was never made */
        return NULL;
    }
    /* By reference when the asker is JS: an outside ask from this thread (no sender) or a
     * JS actor; a C actor gets bytes. */
    akt_pid sender = {0};
    akt_ctx_sender(ctx, &sender);
    int by_ref = sender.id == AKT_PID_NONE_ID || an_js_pid(I, NULL, sender);
    /* No sender on a node with remoting: the asker may be another node's (a remote ask),
     * whose answer the remoting thread must read as bytes. */
    char addr[1];
    if (sender.id == AKT_PID_NONE_ID &&
        akt_remote_address(I->cur_sys->sys, addr, sizeof addr, NULL) != AKT_ENOTFOUND)
        by_ref = AN_BY_REF_AND_BYTES;
    /* Issue 17: who reads the reply is akt_ctx_asker_reader's answer. JS (a JS actor, or JS
     * code that asked from outside actors: its asks name JS) and akt's relays (NULL: a
     * remote asker, a router) take it as above. Any other reader -- a C actor's ask or tell,
     * or C code that asked with a plain akt_ask -- reads bytes: a value without them is
     * refused here (the responder throws; uncaught, its receive fails and the asker reads
     * that failure's reason instead of a reply it cannot read). */
    akt_receive_fn reader = NULL;
    int c_reads = akt_ctx_asker_reader(ctx, &reader) == 0 && reader &&
                  reader != an_js_behavior.receive;
    if (c_reads) by_ref = 0;
    akt_msg *m;
    AN_RC(an_msg_arg(I->cur_sys, env, argv[0], is_slot, type, by_ref, &m));
    if (c_reads) {
        char where[256] = "its asker";
        if (sender.id != AKT_PID_NONE_ID)
            akt_pid_path(I->cur_sys->sys, sender, where, sizeof where, NULL);
        if (an_bytes_check(env, I, m, "respond", where,
                           sender.id != AKT_PID_NONE_ID
                               ? "that actor"
                               : "C code that asked from outside any actor"))
            return NULL;
    }
    if (argc > 2) {
        int rc = an_headers_set(env, I, m, argv[2]);
        if (rc) return an_sent(env, I, m, rc);
    }
    return an_sent(env, I, m, akt_ctx_respond(ctx, m));
}

static napi_value CtxRespond(napi_env env, napi_callback_info info) {
    return respond_impl(env, info, 0);
}
static napi_value CtxRespondSlot(napi_env env, napi_callback_info info) {
    return respond_impl(env, info, 1);
}

static napi_value pid_op(napi_env env, napi_callback_info info, int (*op)(akt_ctx *, akt_pid)) {
    AN_ARGS(2);
    AN_CTX();
    akt_pid pid;
    if (!an_get_pid(I, env, argv[0], argv[1], &pid)) return NULL;
    AN_RC(op(ctx, pid));
    return NULL;
}

static napi_value CtxForward(napi_env env, napi_callback_info info) {
    return pid_op(env, info, akt_ctx_forward);
}
static napi_value CtxStop(napi_env env, napi_callback_info info) {
    return pid_op(env, info, akt_ctx_stop);
}
static napi_value CtxWatch(napi_env env, napi_callback_info info) {
    return pid_op(env, info, akt_ctx_watch);
}
static napi_value CtxUnwatch(napi_env env, napi_callback_info info) {
    return pid_op(env, info, akt_ctx_unwatch);
}

static napi_value plain_op(napi_env env, napi_callback_info info, int (*op)(akt_ctx *)) {
    AN_ARGS(0);
    AN_CTX();
    AN_RC(op(ctx));
    return NULL;
}

static napi_value CtxUnhandled(napi_env env, napi_callback_info info) {
    return plain_op(env, info, akt_ctx_unhandled);
}
static napi_value CtxStash(napi_env env, napi_callback_info info) {
    return plain_op(env, info, akt_ctx_stash);
}
static napi_value CtxUnstashAll(napi_env env, napi_callback_info info) {
    return plain_op(env, info, akt_ctx_unstash_all);
}

/* ctxUnstash() -> bool: false when the stash was empty. */
static napi_value CtxUnstash(napi_env env, napi_callback_info info) {
    AN_ARGS(0);
    AN_CTX();
    int rc = akt_ctx_unstash(ctx);
    if (rc && rc != AKT_EAGAIN) return an_throw(env, I, rc);
    napi_value r;
    napi_get_boolean(env, rc == 0, &r);
    return r;
}

/* ctxDependency(name) -> value */
static napi_value CtxDependency(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_CTX();
    char buf[256];
    char *name = an_opt_string(I, env, argv[0], buf, sizeof buf);
    if (name == (char *)-1) return NULL;
    if (!name) return an_throw(env, I, AKT_EINVAL);
    void *value = NULL;
    AN_RC(akt_ctx_dependency(ctx, name, &value));
    napi_value v;
    if (!value || napi_get_reference_value(env, (napi_ref)value, &v) != napi_ok)
        return an_throw(env, I, AKT_ENOTFOUND);
    return v;
}

/* ctxReplyExpected() -> whether someone waits for a reply to the current message */
static napi_value CtxReplyExpected(napi_env env, napi_callback_info info) {
    AN_ARGS(0);
    AN_CTX();
    int expected = 0;
    AN_RC(akt_ctx_reply_expected(ctx, &expected));
    napi_value r;
    napi_get_boolean(env, expected != 0, &r);
    return r;
}

/* ctxMessageType() -> the type name of the message being handled */
static napi_value CtxMessageType(napi_env env, napi_callback_info info) {
    AN_ARGS(0);
    AN_CTX();
    akt_msg *msg;
    AN_RC(akt_ctx_message(ctx, &msg)); /* AKT_EMISUSE outside a message (pre_start, ...) */
    napi_value r;
    napi_create_string_utf8(env, akt_msg_type(msg), NAPI_AUTO_LENGTH, &r);
    return r;
}

napi_status an_register_ctx(napi_env env, napi_value exports, an_inst *I) {
    /* Tells and asks from inside an actor are send.c's (akt picks the sender). */
    static const an_fn fns[] = {{"ctxSelf", CtxSelf},
                                {"ctxSender", CtxSender},
                                {"ctxParent", CtxParent},
                                {"ctxRespond", CtxRespond},
                                {"ctxForward", CtxForward},
                                {"ctxRespondSlot", CtxRespondSlot},
                                {"ctxStop", CtxStop},
                                {"ctxWatch", CtxWatch},
                                {"ctxUnwatch", CtxUnwatch},
                                {"ctxUnhandled", CtxUnhandled},
                                {"ctxStash", CtxStash},
                                {"ctxUnstash", CtxUnstash},
                                {"ctxUnstashAll", CtxUnstashAll},
                                {"ctxDependency", CtxDependency},
                                {"ctxMessageType", CtxMessageType},
                                {"ctxReplyExpected", CtxReplyExpected},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
