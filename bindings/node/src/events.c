/* The event stream: akt reports events on the thread where they happen; each one is copied
 * and delivered to the JS listener on the JS thread, in order, after the operation that
 * caused it. */
#include <stdlib.h>
#include <string.h>

#include "addon.h"

typedef struct an_sub {
    an_inst *inst;
    akt_subscription *sub;
    napi_ref fn;
    atomic_int refs; /* the subscription itself + each queued event */
    int active;
    int ended; /* unsubscribed, its queued events still delivered (a new mask replaced it) */
} an_sub;

typedef struct an_evt {
    an_sub *sub;
    unsigned kind;
    akt_pid pid, sender;
    char *path, *reason;
    akt_msg *msg;
    int code;
} an_evt;

static void sub_unref(an_sub *s) {
    /* acq_rel: the last owner sees every earlier owner's writes before freeing. */
    if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1) return;
    if (s->fn && !s->inst->closing) napi_delete_reference(s->inst->env, s->fn);
    free(s);
}

static void evt_free(an_evt *e) {
    if (e->msg) akt_msg_release(e->msg);
    free(e->path);
    free(e->reason);
    free(e);
}

static void on_event(const akt_event *ev, void *data) {
    an_sub *s = data;
    if (s->inst->closing) return;
    an_evt *e = calloc(1, sizeof *e);
    if (!e) return;
    e->sub = s;
    e->kind = ev->kind;
    e->pid = ev->pid;
    e->sender = ev->sender;
    e->code = ev->code;
    e->path = ev->path ? strdup(ev->path) : NULL;
    e->reason = ev->reason ? strdup(ev->reason) : NULL;
    if (ev->msg && akt_msg_retain(ev->msg) == 0) e->msg = ev->msg;
    atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
    /* Queued even on the JS thread: listeners run after the akt call, never inside it. */
    an_inbox_push(s->inst, AN_ITEM_EVENT, e);
}

static napi_value str_or_null(napi_env env, const char *s) {
    napi_value v;
    if (s)
        napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
    else
        napi_get_null(env, &v);
    return v;
}

/* Calls fn(kind, pidLo, pidHi, path, senderLo, senderHi, message, code, reason). */
void an_event_deliver(an_inst *I, void *p) {
    an_evt *e = p;
    an_sub *s = e->sub;
    napi_env env = I->env;
    if (s->active && !I->closing) {
        napi_value fn, argv[9], r;
        napi_create_uint32(env, e->kind, &argv[0]);
        napi_create_uint32(env, (uint32_t)e->pid.id, &argv[1]);
        napi_create_uint32(env, (uint32_t)(e->pid.id >> 32), &argv[2]);
        argv[3] = str_or_null(env, e->path);
        napi_create_uint32(env, (uint32_t)e->sender.id, &argv[4]);
        napi_create_uint32(env, (uint32_t)(e->sender.id >> 32), &argv[5]);
        if (e->msg)
            argv[6] = an_msg_to_js_decoded(I, env, e->msg, NULL);
        else
            napi_get_undefined(env, &argv[6]);
        napi_create_int32(env, e->code, &argv[7]);
        argv[8] = str_or_null(env, e->reason);
        napi_get_reference_value(env, s->fn, &fn);
        if (napi_call_function(env, fn, fn, 9, argv, &r) != napi_ok) {
            napi_value ex;
            napi_get_and_clear_last_exception(env, &ex);
        }
    }
    evt_free(e);
    sub_unref(s);
}

static void sub_finalize(napi_env env, void *data, void *hint) {
    an_sub *s = data;
    /* lib/system.cjs keeps every subscription reachable and ends them all when the system
     * shuts down, so only ended ones get here (the system may already be freed: never call
     * akt now). At exit they are left alone. */
    if (!s->active && !s->inst->closing) sub_unref(s);
}

/* subscribe(handle, mask, fn) -> subscription handle */
static napi_value Subscribe(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    an_sys *sys = NULL;
    if (napi_get_value_external(env, argv[0], (void **)&sys) != napi_ok || !sys)
        return an_throw(env, I, AKT_EINVAL);
    uint32_t mask;
    napi_valuetype t;
    napi_typeof(env, argv[2], &t);
    if (napi_get_value_uint32(env, argv[1], &mask) != napi_ok || t != napi_function)
        return an_throw(env, I, AKT_EINVAL);
    an_sub *s = calloc(1, sizeof *s);
    if (!s) return an_throw(env, I, AKT_ENOMEM);
    s->inst = I;
    atomic_init(&s->refs, 1);
    AN_CALL(napi_create_reference(env, argv[2], 1, &s->fn));
    int rc = akt_subscribe(sys->sys, mask, on_event, s, &s->sub);
    if (rc) {
        napi_delete_reference(env, s->fn);
        free(s);
        return an_throw(env, I, rc);
    }
    s->active = 1;
    napi_value ext;
    AN_CALL(napi_create_external(env, s, sub_finalize, NULL, &ext));
    return ext;
}

/* unsubscribe(subscription handle, keepQueued); events already queued are dropped, unless
 * keepQueued (the listeners' mask changed: a new subscription takes over from here). */
static napi_value Unsubscribe(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    an_sub *s = NULL;
    if (napi_get_value_external(env, argv[0], (void **)&s) != napi_ok || !s)
        return an_throw(env, I, AKT_EINVAL);
    bool keep = false;
    napi_get_value_bool(env, argv[1], &keep); /* undefined: stays false */
    if (s->active && !s->ended) akt_unsubscribe(s->sub);
    s->ended = 1;
    if (!keep) s->active = 0;
    return NULL;
}

napi_status an_register_events(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {
        {"subscribe", Subscribe}, {"unsubscribe", Unsubscribe}, {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
