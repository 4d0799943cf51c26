/* JS actors: the C behaviour akt runs on the external dispatcher (so on the JS thread), and
 * spawning. Each callback makes one call into lib/actor.cjs with the actor's cell id; for
 * user messages that one call covers a whole run (receive_batch): JS pulls the messages
 * after the first with next(), a call into C several times cheaper than a call into JS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

/* Calls a lib/actor.cjs hook for actor a (its id goes through scratch[AN_SCR_ACTOR]) and
 * turns what it did into an akt result: a failure flagged in flags[AN_FLAG_FAILED] carries
 * the reason as the result; an escaped exception is a failure too. For receive, the
 * message goes as its slot (scratch[AN_SCR_MSG], no argument) or as (value, type). */
static int call_hook(an_inst *I, napi_ref hook, napi_value fn, akt_ctx *ctx, akt_msg *msg,
                     an_actor *a) {
    napi_env env = I->env;
    /* Inside a pump (fn given) the pump's own scope holds the few handles a message makes
     * (its result; a decoded value): a scope per message would cost more than it saves. */
    napi_handle_scope scope = NULL;
    if (!fn && napi_open_handle_scope(env, &scope) != napi_ok) return AKT_EFAILED;
    akt_ctx *prev_ctx = I->cur_ctx;
    an_sys *prev_sys = I->cur_sys;
    an_actor *prev_actor = I->cur_actor;
    I->cur_ctx = ctx;
    I->cur_sys = a->sys;
    I->cur_actor = a;

    int rc = 0;
    napi_value argv[2], result;
    size_t argc = 0;
    int32_t slot = -1;
    if (msg) {
        argv[0] = an_msg_to_js(I, env, msg, &argv[1], &slot);
        if (slot < 0) argc = argv[1] ? 2 : 1;
    }
    /* Written after an_msg_to_js, which may run JS (nothing else touches them meanwhile). */
    I->shm->scratch[AN_SCR_ACTOR] = (uint32_t)a->id;
    I->shm->scratch[AN_SCR_MSG] = (uint32_t)slot;
    if (!fn) napi_get_reference_value(env, hook, &fn);
    napi_status st = napi_call_function(env, fn, fn, argc, argv, &result);
    if (st != napi_ok) {
        napi_value ex;
        napi_get_and_clear_last_exception(env, &ex);
        rc = akt_ctx_fail(ctx, "uncaught exception in the akt binding");
    } else if (I->shm->flags[AN_FLAG_FAILED]) {
        /* The reason, or [reason, slot of the error] when an asker waits: the asker then
         * gets the error itself (akt_ctx_fail_with's detail). */
        I->shm->flags[AN_FLAG_FAILED] = 0;
        char reason[512] = "error";
        size_t n;
        bool pair = false;
        akt_msg *detail = NULL;
        napi_value text = result, slot_v;
        int32_t slot = -1;
        if (napi_is_array(env, result, &pair) == napi_ok && pair &&
            napi_get_element(env, result, 0, &text) == napi_ok &&
            napi_get_element(env, result, 1, &slot_v) == napi_ok &&
            napi_get_value_int32(env, slot_v, &slot) == napi_ok &&
            an_msg_from_slot(a->sys, env, slot, AN_TYPE_OBJECT, 1, &detail) != 0)
            detail = NULL; /* the slot is consumed either way; the asker gets the reason */
        napi_get_value_string_utf8(env, text, reason, sizeof reason, &n);
        rc = akt_ctx_fail_with(ctx, reason, detail);
        if (detail) akt_msg_release(detail);
    }
    I->cur_ctx = prev_ctx;
    I->cur_sys = prev_sys;
    I->cur_actor = prev_actor;
    if (scope) napi_close_handle_scope(env, scope);
    return rc;
}

/* ------------------------------------------------------------------ requests */

/* A request of a JS actor: the continuation calls lib/actor.cjs's settle on the actor's
 * turn, with the reply as a message (like receive) and (id, rc) in requestInfo(). */
typedef struct an_req {
    an_actor *a;
    int32_t id; /* the promise's entry in the actor's cell */
} an_req;

static int js_request_then(akt_ctx *ctx, int rc, akt_msg *reply, void *data) {
    an_req *r = data;
    an_actor *a = r->a;
    an_inst *I = a->inst;
    int32_t id = r->id;
    free(r);
    if (I->closing) return 0;
    int32_t prev_id = I->req_id, prev_rc = I->req_rc;
    I->req_id = id;
    I->req_rc = rc;
    int out = call_hook(I, I->settle, NULL, ctx, rc == 0 ? reply : NULL, a);
    I->req_id = prev_id;
    I->req_rc = prev_rc;
    return out;
}

/* Stop, restart, shutdown: the promise never settles (lib/actor.cjs forgets it). Any
 * thread: only C memory is touched. */
static void js_request_drop(void *data) { free(data); }

/* The target of ctxRequest: the pid lo/hi, or, when lo is a string, the actor that has that
 * name now (akt_lookup's path; GoAkt's RequestName). Looked up here rather than with
 * akt_ctx_request_named because the message is made for its reader: by reference for a JS
 * actor of this thread, so the pid must be known first; the request then goes to that pid,
 * which is what akt_ctx_request_named would resolve at the call. 0 after throwing. */
static int request_target(napi_env env, an_inst *I, napi_value lo, napi_value hi, akt_pid *to) {
    napi_valuetype t;
    if (napi_typeof(env, lo, &t) != napi_ok || t != napi_string)
        return an_get_pid(I, env, lo, hi, to);
    char pbuf[1024];
    char *path = an_opt_string(I, env, lo, pbuf, sizeof pbuf);
    if (path == (char *)-1) return 0;
    size_t n = 0;
    napi_get_value_string_utf8(env, lo, NULL, 0, &n);
    if (strlen(path) != n) {
        an_throw_msg(env, I, AKT_EINVAL, "request: the name contains a NUL character");
        return 0;
    }
    int rc = akt_lookup(I->cur_sys->sys, path, to);
    if (rc) {
        char detail[1100];
        snprintf(detail, sizeof detail, "request to \"%s\": %s", path,
                 rc == AKT_ENOTFOUND ? "no actor has that name" : "not a path");
        an_throw_msg(env, I, rc, detail);
        return 0;
    }
    return 1;
}

/* ctxRequest(lo, hi, value, type, timeoutMs, mode, id): akt_ctx_request from the running
 * callback, to the pid lo/hi or to the actor named lo (a string; hi unused). timeoutMs 0 or
 * undefined: none. */
static napi_value CtxRequest(napi_env env, napi_callback_info info) {
    AN_ARGS(7);
    if (!I->cur_ctx || !I->cur_actor) return an_throw(env, I, AKT_EMISUSE);
    akt_pid to;
    if (!request_target(env, I, argv[0], argv[1], &to)) return NULL;
    char tbuf[256];
    char *type = an_opt_string(I, env, argv[3], tbuf, sizeof tbuf);
    if (type == (char *)-1) return NULL;
    akt_request_options o;
    akt_request_options_init(&o);
    napi_valuetype t;
    napi_typeof(env, argv[4], &t);
    if (t != napi_undefined && t != napi_null) {
        double ms;
        if (napi_get_value_double(env, argv[4], &ms) != napi_ok || !(ms >= 0) || ms > 9.2e12)
            return an_throw_msg(env, I, AKT_EINVAL, "expected a timeout >= 0 ms");
        o.timeout_ns = (int64_t)(ms * 1e6);
        if (ms > 0 && o.timeout_ns <= 0) o.timeout_ns = 1;
    }
    int32_t mode = 0, id = 0;
    napi_get_value_int32(env, argv[5], &mode);
    napi_get_value_int32(env, argv[6], &id);
    o.mode = mode;
    an_req *r = malloc(sizeof *r);
    if (!r) return an_throw(env, I, AKT_ENOMEM);
    r->a = I->cur_actor;
    r->id = id;
    o.then = js_request_then;
    o.drop = js_request_drop;
    o.data = r;
    akt_msg *m;
    int by_ref = an_js_pid(I, NULL, to);
    int rc = an_msg_arg(I->cur_sys, env, argv[2], 0, type, by_ref, &m);
    if (rc) {
        free(r);
        return an_throw(env, I, rc);
    }
    if (an_reader_check(env, I, I->cur_sys, to, m, by_ref, "request")) {
        free(r);
        return NULL;
    }
    akt_request *req = NULL;
    rc = akt_ctx_request(I->cur_ctx, to, m, &o, &req);
    if (rc) {
        free(r);
        akt_msg_release(m);
        return an_throw(env, I, rc);
    }
    napi_value handle; /* akt's request id: a process counter, exact below 2^53 */
    napi_create_double(env, (double)(uintptr_t)req, &handle);
    return handle;
}

/* ctxRequestCancel(handle) -> bool: akt_request_cancel from the running callback; true while
 * the request was in flight. */
static napi_value CtxRequestCancel(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    if (!I->cur_ctx) return an_throw(env, I, AKT_EMISUSE);
    double h = 0;
    if (napi_get_value_double(env, argv[0], &h) != napi_ok || !(h >= 1))
        return an_throw(env, I, AKT_EINVAL);
    int rc = akt_request_cancel(I->cur_ctx, (akt_request *)(uintptr_t)h);
    if (rc && rc != AKT_ENOTFOUND) return an_throw(env, I, rc);
    napi_value v;
    napi_get_boolean(env, rc == 0, &v);
    return v;
}

/* requestInfo() -> [id, rc] of the request being settled. */
static napi_value RequestInfo(napi_env env, napi_callback_info info) {
    AN_ARGS(0);
    napi_value arr, v;
    napi_create_array_with_length(env, 2, &arr);
    napi_create_int32(env, I->req_id, &v);
    napi_set_element(env, arr, 0, v);
    napi_create_int32(env, I->req_rc, &v);
    napi_set_element(env, arr, 1, v);
    return arr;
}

/* ------------------------------------------------------------------ async receive */

/* A step of a JS async receive (lib/actor.cjs): the JS step(id) runs on the actor's turn
 * with the suspended message as the context's; unless it is the last step (the receive's
 * promise settled), the message is suspended again after it. */
typedef struct an_step {
    an_actor *a; /* read only when the step runs: akt runs it only while the actor lives */
    int32_t id;
    int32_t last;
} an_step;

static int js_step(akt_ctx *ctx, int32_t id, int32_t last, an_actor *a) {
    an_inst *I = a->inst;
    if (I->closing) return 0;
    int32_t prev_id = I->req_id, prev_rc = I->req_rc;
    I->req_id = id;
    I->req_rc = last;
    int rc = call_hook(I, I->step, NULL, ctx, NULL, a);
    I->req_id = prev_id;
    I->req_rc = prev_rc;
    akt_suspension s;
    if (rc == 0 && !last) rc = akt_ctx_suspend(ctx, AKT_REENTRANCY_DEFAULT, &s);
    return rc;
}

static int js_step_run(akt_ctx *ctx, void *data) {
    an_step st = *(an_step *)data;
    free(data);
    return js_step(ctx, st.id, st.last, st.a);
}

/* ctxSuspend(wantActor) -> [id, replyExpected, hasSender, actor?]: keeps the current message
 * once this callback returns (akt_ctx_suspend with the actor's mode), with what the context
 * can no longer tell after it: whether a reply is expected, and the sender (its pid in
 * scratch[AN_SCR_PID] when hasSender). actor (for suspensionPost) only when asked: JS keeps
 * it per actor. One call, since an async receive makes one per message. */
static napi_value CtxSuspend(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    if (!I->cur_ctx || !I->cur_actor) return an_throw(env, I, AKT_EMISUSE);
    akt_suspension s;
    int rc = akt_ctx_suspend(I->cur_ctx, AKT_REENTRANCY_DEFAULT, &s);
    if (rc) return an_throw(env, I, rc);
    int expected = 0;
    akt_pid sender = {0};
    akt_ctx_reply_expected(I->cur_ctx, &expected);
    int has_sender = akt_ctx_sender(I->cur_ctx, &sender) == 0 && sender.id != 0;
    if (has_sender) an_put_pid(I, AN_SCR_PID, sender);
    bool want = false;
    napi_get_value_bool(env, argv[0], &want);
    napi_value arr, v;
    napi_create_array_with_length(env, want ? 4 : 3, &arr);
    napi_create_double(env, (double)s.id, &v); /* a process counter: exact below 2^53 */
    napi_set_element(env, arr, 0, v);
    napi_get_boolean(env, expected != 0, &v);
    napi_set_element(env, arr, 1, v);
    napi_get_boolean(env, has_sender, &v);
    napi_set_element(env, arr, 2, v);
    if (want) {
        napi_create_external(env, I->cur_actor, NULL, NULL, &v);
        napi_set_element(env, arr, 3, v);
    }
    return arr;
}

/* suspensionPost(system, actor, lo, hi, id, step, last): queues the JS step (its id) for the
 * suspended message id of the actor lo/hi. */
static napi_value SuspensionPost(napi_env env, napi_callback_info info) {
    AN_ARGS(7);
    an_sys *s = NULL;
    an_actor *a = NULL;
    akt_pid pid;
    double id = 0;
    int32_t step = 0;
    bool last = false;
    if (napi_get_value_external(env, argv[0], (void **)&s) != napi_ok || !s ||
        napi_get_value_external(env, argv[1], (void **)&a) != napi_ok || !a ||
        napi_get_value_double(env, argv[4], &id) != napi_ok || !(id >= 1) ||
        napi_get_value_int32(env, argv[5], &step) != napi_ok ||
        napi_get_value_bool(env, argv[6], &last) != napi_ok)
        return an_throw(env, I, AKT_EINVAL);
    if (!an_get_pid(I, env, argv[2], argv[3], &pid)) return NULL;
    an_step *st = malloc(sizeof *st);
    if (!st) return an_throw(env, I, AKT_ENOMEM);
    *st = (an_step){a, step, last};
    int rc = akt_suspension_post(s->sys, (akt_suspension){pid, (uint64_t)id}, js_step_run, free,
                                 st);
    if (rc) {
        free(st);
        return an_throw(env, I, rc);
    }
    return NULL;
}

static int js_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    an_actor *a = state;
    if (a->inst->closing) return 0;
    a->inst->stat_received++;
    a->inst->stat_runs++;
    return call_hook(a->inst, a->inst->deliver, a->inst->deliver_fn, ctx, msg, a);
}

/* A run of user messages in one call into JS. The first message is pulled here, so a turn
 * that finds the mailbox empty costs no call into JS; lib/actor.cjs pulls the others with
 * next() after handling each one, since akt_ctx_next also finishes the previous message
 * (ctx must be about the message JS is handling). A failure returns before the next pull,
 * so it is the failure of the message being handled and the rest stay in the mailbox. */
static int js_receive_batch(akt_ctx *ctx, void *state) {
    an_actor *a = state;
    akt_msg *msg;
    if (akt_ctx_next(ctx, &msg) != 0) return 0;
    if (a->inst->closing) { /* no JS any more: handled as no-ops, like js_receive */
        while (akt_ctx_next(ctx, &msg) == 0) {
        }
        return 0;
    }
    return js_receive(ctx, msg, state);
}

/* next() -> the next message of the run, kind or slot in scratch[AN_SCR_MSG]. Outside a
 * run (akt called js_receive: a single message) akt_ctx_next refuses and the run ends
 * there. */
static napi_value Next(napi_env env, napi_callback_info info) {
    AN_ARGS(0);
    akt_msg *msg;
    if (!I->cur_ctx || akt_ctx_next(I->cur_ctx, &msg) != 0) {
        I->shm->scratch[AN_SCR_MSG] = (uint32_t)AN_NEXT_END;
        return NULL;
    }
    I->stat_received++;
    napi_value type;
    int32_t slot;
    napi_value v = an_msg_to_js(I, env, msg, &type, &slot);
    int32_t kind = slot >= 0 ? slot : type ? AN_NEXT_TYPED : AN_NEXT_VALUE;
    I->shm->scratch[AN_SCR_MSG] = (uint32_t)kind;
    return v;
}

static int js_pre_start(akt_ctx *ctx, void *state) {
    an_actor *a = state;
    if (a->inst->closing) return 0;
    return call_hook(a->inst, a->inst->pre_start, NULL, ctx, NULL, a);
}

static void js_post_stop(akt_ctx *ctx, void *state) {
    an_actor *a = state;
    if (a->inst->closing) return;
    call_hook(a->inst, a->inst->post_stop, NULL, ctx, NULL, a);
}

/* Frees an actor's state on the JS thread; notify_js tells lib/actor.cjs its cell is free. */
static void actor_free(an_inst *I, an_actor *a, int notify_js) {
    if (!I->closing) {
        napi_env env = I->env;
        napi_value fn, id, r;
        napi_create_int32(env, a->id, &id);
        if (notify_js && napi_get_reference_value(env, I->freed, &fn) == napi_ok &&
            napi_call_function(env, fn, fn, 1, &id, &r) != napi_ok) {
            napi_value ex;
            napi_get_and_clear_last_exception(env, &ex);
        }
        if (a->decider) napi_delete_reference(env, a->decider);
        if (a->compare) napi_delete_reference(env, a->compare);
        for (size_t i = 0; i < a->ndeps; i++)
            if (a->deps[i]) napi_delete_reference(env, a->deps[i]);
    }
    for (size_t i = 0; i < a->ndeps; i++) free(a->dep_names[i]);
    free(a->deps);
    free(a->dep_names);
    free(a);
}

void an_actor_free_now(an_inst *I, an_actor *a) { actor_free(I, a, 1); }

static void js_free_state(void *state) {
    an_actor *a = state;
    an_inst *I = a->inst;
    if (an_on_js_thread(I))
        an_actor_free_now(I, a);
    else
        an_inbox_push(I, AN_ITEM_FREED, a);
}

const akt_behavior an_js_behavior = {
    .size = sizeof(akt_behavior),
    .receive = js_receive,
    .pre_start = js_pre_start,
    .post_stop = js_post_stop,
    .free_state = js_free_state,
    .receive_batch = js_receive_batch,
};

/* The supervisor's decider of a JS parent: runs on the parent's dispatcher (the JS thread). */
static int js_decide(int code, const char *reason, void *data) {
    an_actor *a = data;
    an_inst *I = a->inst;
    if (I->closing || !a->decider || !an_on_js_thread(I)) return a->sup.default_directive;
    napi_env env = I->env;
    napi_handle_scope scope;
    napi_open_handle_scope(env, &scope);
    napi_value fn, argv[2], r;
    int32_t d = a->sup.default_directive;
    napi_create_int32(env, code, &argv[0]);
    if (reason)
        napi_create_string_utf8(env, reason, NAPI_AUTO_LENGTH, &argv[1]);
    else
        napi_get_null(env, &argv[1]);
    napi_get_reference_value(env, a->decider, &fn);
    if (napi_call_function(env, fn, fn, 2, argv, &r) == napi_ok)
        napi_get_value_int32(env, r, &d);
    else {
        napi_value ex;
        napi_get_and_clear_last_exception(env, &ex);
    }
    napi_close_handle_scope(env, scope);
    return d;
}

/* A priority mailbox's order for a JS actor. akt calls it where the actor runs: the
 * external dispatcher, so the JS thread. The values are decoded copies (the message stays
 * in the mailbox); lib/actor.cjs's wrapper catches what the user's compare throws (it
 * reports it and answers 0), so an exception here only means the environment is going
 * away. Anywhere else (teardown, another thread) it answers 0: arrival order. */
static int js_mailbox_compare(akt_msg *ma, akt_msg *mb, void *data) {
    an_actor *a = data;
    an_inst *I = a->inst;
    if (I->closing || !a->compare || !an_on_js_thread(I)) return 0;
    napi_env env = I->env;
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) return 0;
    int32_t r = 0;
    napi_value fn, argv[2], out;
    argv[0] = an_msg_to_js_decoded(I, env, ma, NULL);
    argv[1] = an_msg_to_js_decoded(I, env, mb, NULL);
    if (napi_get_reference_value(env, a->compare, &fn) == napi_ok && argv[0] && argv[1] &&
        napi_call_function(env, fn, fn, 2, argv, &out) == napi_ok) {
        napi_get_value_int32(env, out, &r);
    } else {
        bool pending = false;
        napi_value ex;
        napi_is_exception_pending(env, &pending);
        if (pending) napi_get_and_clear_last_exception(env, &ex);
    }
    napi_close_handle_scope(env, scope);
    return r < 0 ? -1 : r > 0;
}

/* [kind, capacity, whenFull, timeoutNs, compare?] (checked by lib/actor.cjs) into spec;
 * 0 if v is not such an array, 1 if read, -1 if it is malformed. A priority kind's compare
 * (a function) is kept in a->compare. */
static int read_mailbox(napi_env env, napi_value v, akt_mailbox_spec *spec, an_actor *a) {
    bool is_array = false;
    if (napi_is_array(env, v, &is_array) != napi_ok || !is_array) return 0;
    int64_t f[4];
    for (uint32_t i = 0; i < 4; i++) {
        napi_value e;
        if (napi_get_element(env, v, i, &e) != napi_ok ||
            napi_get_value_int64(env, e, &f[i]) != napi_ok)
            return -1;
    }
    if (f[1] < 0 || f[1] > INT32_MAX) return -1;
    *spec = (akt_mailbox_spec){.size = sizeof *spec,
                               .kind = (int)f[0],
                               .capacity = (uint32_t)f[1],
                               .when_full = (int)f[2],
                               .block_timeout_ns = f[3]};
    if (spec->kind == AKT_MAILBOX_PRIORITY) {
        napi_value fn;
        napi_valuetype t;
        if (napi_get_element(env, v, 4, &fn) != napi_ok || napi_typeof(env, fn, &t) != napi_ok ||
            t != napi_function || napi_create_reference(env, fn, 1, &a->compare) != napi_ok)
            return -1;
        spec->compare = js_mailbox_compare;
        spec->compare_data = a;
    }
    return 1;
}

/* spawn(handle|null, name, id, directive, decider, depNames, depValues,
 * [strategy, maxRetries, withinNs], [kind, capacity, whenFull, timeoutNs]|undefined, reentrancy,
 * maxInFlight, actorKind|undefined) -> the pid in scratch[AN_SCR_PID]. A null handle spawns a child
 * of the actor whose callback is running. */
static napi_value Spawn(napi_env env, napi_callback_info info) {
    AN_ARGS(12);
    an_sys *s = NULL;
    napi_valuetype t;
    napi_typeof(env, argv[0], &t);
    if (t != napi_null && napi_get_value_external(env, argv[0], (void **)&s) != napi_ok)
        return an_throw(env, I, AKT_EINVAL);
    if (!s && !I->cur_ctx) return an_throw(env, I, AKT_EMISUSE);
    char nbuf[256];
    char *name = an_opt_string(I, env, argv[1], nbuf, sizeof nbuf);
    if (name == (char *)-1) return NULL;
    /* The actor's kind (lib/actor.cjs checked it: a string of at most 255 UTF-8 bytes, or
     * undefined); akt interns it, so this buffer lives only for the call. */
    char kbuf[257];
    char *kind = an_opt_string(I, env, argv[11], kbuf, sizeof kbuf);
    if (kind == (char *)-1) return NULL;

    an_actor *a = calloc(1, sizeof *a);
    if (!a) return an_throw(env, I, AKT_ENOMEM);
    a->inst = I;
    a->sup = (akt_supervisor){.size = sizeof(akt_supervisor),
                              .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                              .default_directive = AKT_DIRECTIVE_RESTART,
                              .decide = js_decide,
                              .decide_data = a};
    int32_t directive = AKT_DIRECTIVE_RESTART;
    napi_get_value_int32(env, argv[2], &a->id);
    napi_typeof(env, argv[3], &t);
    if (t == napi_number) napi_get_value_int32(env, argv[3], &directive);
    if (directive < 0 || directive > AKT_DIRECTIVE_SUSPEND ||
        !an_sup_budget(env, argv[7], &a->sup)) {
        free(a);
        return an_throw(env, I, AKT_EINVAL);
    }
    a->sup.default_directive = directive;
    napi_typeof(env, argv[4], &t);
    if (t == napi_function) napi_create_reference(env, argv[4], 1, &a->decider);
    if (!an_read_deps(a->inst, env, argv[5], argv[6], &a->deps, &a->dep_names, &a->ndeps)) {
        actor_free(I, a, 0);
        bool pending;
        napi_is_exception_pending(env, &pending);
        return pending ? NULL : an_throw(env, I, AKT_EINVAL);
    }

    akt_spawn_options o;
    akt_spawn_options_init(&o);
    akt_mailbox_spec mb;
    int has_mb = read_mailbox(env, argv[8], &mb, a);
    if (has_mb < 0) {
        actor_free(I, a, 0);
        return an_throw(env, I, AKT_EINVAL);
    }
    if (has_mb) o.mailbox = &mb;
    o.name = name;
    o.supervisor = &a->sup;
    o.dependency_names = (const char *const *)a->dep_names;
    o.dependency_values = (void *const *)a->deps;
    o.dependency_count = a->ndeps;
    int32_t reentrancy = 0, max_in_flight = 0;
    napi_get_value_int32(env, argv[9], &reentrancy); /* undefined: stays 0 */
    napi_get_value_int32(env, argv[10], &max_in_flight);
    o.reentrancy = reentrancy;
    o.max_in_flight = max_in_flight > 0 ? (uint32_t)max_in_flight : 0;
    o.kind = kind;
    int rc;
    /* Not into a: a preStart that fails inside akt_spawn (run on this thread) frees a
     * before the spawn returns. */
    akt_pid pid = {0};
    if (s) {
        a->sys = s;
        o.dispatcher = s->disp;
        rc = akt_spawn(s->sys, &an_js_behavior, a, &o, &pid);
    } else {
        /* A child of a JS actor runs on the same (external) dispatcher as its parent. */
        s = I->cur_sys;
        if (!s) {
            actor_free(I, a, 0);
            return an_throw(env, I, AKT_EMISUSE);
        }
        a->sys = s;
        o.dispatcher = s->disp;
        rc = akt_ctx_spawn(I->cur_ctx, &an_js_behavior, a, &o, &pid);
    }
    if (rc) {
        /* Not taken: free without telling JS, which drops the cell itself. */
        actor_free(I, a, 0);
        return an_throw(env, I, rc);
    }
    an_put_pid(I, AN_SCR_PID, pid);
    return NULL;
}

napi_status an_register_actor(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"spawn", Spawn},
                                {"next", Next},
                                {"ctxRequest", CtxRequest},
                                {"requestInfo", RequestInfo},
                                {"ctxSuspend", CtxSuspend},
                                {"ctxRequestCancel", CtxRequestCancel},
                                {"suspensionPost", SuspensionPost},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
