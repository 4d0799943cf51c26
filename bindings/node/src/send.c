/* Sending from JS: tell, ask (a Promise over an akt_future) and graceful stop.
 *
 * A future completes on whichever akt thread answers it; the completion is moved to the JS
 * thread through the inbox (or settled at once when it completes on the JS thread, which
 * is the case for every reply a JS actor gives). Pending asks keep the loop alive. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

typedef struct an_ask {
    an_inst *inst;
    napi_deferred deferred;
    akt_future *future;
    akt_msg *reply;
    char *reason;    /* a failed ask: the receiver's reason (malloc), or NULL */
    akt_msg *detail; /* a failed ask: the receiver's detail, or NULL */
    int rc;
    int void_result; /* graceful stop: resolves with undefined */
    int settled;
    int refs; /* the pending settlement + a JS cancel handle; JS thread only */
} an_ask;

static void ask_unref(an_ask *a) {
    if (--a->refs == 0) free(a);
}

/* The error's cause, from a reason "<type>: <message>" (or just "<type>"): an Error with
 * that name and message, for a receiver that was not a JS actor of this instance. */
static napi_value cause_of_reason(napi_env env, const char *reason) {
    const char *sep = strstr(reason, ": ");
    size_t type_len = sep ? (size_t)(sep - reason) : strlen(reason);
    const char *message = sep ? sep + 2 : "";
    if (!sep && strchr(reason, ' ')) { /* not a type name: all of it is the message */
        type_len = 0;
        message = reason;
    }
    napi_value msg, name, cause;
    if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg) != napi_ok ||
        napi_create_error(env, NULL, msg, &cause) != napi_ok)
        return NULL;
    if (type_len && napi_create_string_utf8(env, reason, type_len, &name) == napi_ok)
        napi_set_named_property(env, cause, "name", name);
    return cause;
}

/* The rejection of a failed ask: its AktError, with the receiver's reason (`reason`, and
 * in the message) and the original error as `cause` when a JS actor of this instance
 * threw it. */
static napi_value failure_error(napi_env env, an_inst *I, an_ask *a) {
    if (!a->reason) return an_make_error(env, I, a->rc);
    napi_value err = an_make_error_msg(env, I, a->rc, a->reason), reason, cause = NULL;
    if (a->detail && an_msg_is_js_value(I, a->detail))
        cause = an_msg_to_js_decoded(I, env, a->detail, NULL);
    if (!cause) cause = cause_of_reason(env, a->reason);
    if (napi_create_string_utf8(env, a->reason, NAPI_AUTO_LENGTH, &reason) == napi_ok)
        napi_set_named_property(env, err, "reason", reason);
    if (cause) napi_set_named_property(env, err, "cause", cause);
    return err;
}

void an_ask_settle(an_inst *I, void *p) {
    an_ask *a = p;
    napi_env env = I->env;
    if (!I->closing) {
        if (a->rc == 0) {
            napi_value v, thrown = NULL;
            if (a->void_result || !a->reply)
                napi_get_undefined(env, &v);
            else
                v = an_msg_to_js_decoded(I, env, a->reply, &thrown);
            if (thrown) /* a malformed reply (akt.Int64 of 7 bytes ...): the ask fails */
                napi_reject_deferred(env, a->deferred, thrown);
            else
                napi_resolve_deferred(env, a->deferred, v);
        } else {
            napi_reject_deferred(env, a->deferred, failure_error(env, I, a));
        }
    }
    if (a->reply) akt_msg_release(a->reply);
    a->reply = NULL;
    if (a->detail) akt_msg_release(a->detail);
    a->detail = NULL;
    free(a->reason);
    a->reason = NULL;
    akt_future_release(a->future);
    a->future = NULL;
    a->settled = 1;
    an_alive_add(I, -1);
    ask_unref(a);
}

static void ask_done(akt_future *f, int rc, akt_msg *reply, void *data) {
    an_ask *a = data;
    a->rc = rc;
    if (rc == 0 && reply && akt_msg_retain(reply) == 0) a->reply = reply;
    const char *reason = NULL;
    if (rc != 0 && akt_future_failure(f, &reason, &a->detail) == 0 && reason)
        a->reason = strdup(reason); /* without memory: the error without its reason */
    if (an_on_js_thread(a->inst) && !a->inst->closing)
        an_ask_settle(a->inst, a);
    else
        an_inbox_push(a->inst, AN_ITEM_ASK, a);
}

static void handle_finalize(napi_env env, void *data, void *hint) { ask_unref(data); }

/* Turns a future into a Promise; takes the caller's future reference. With cancellable,
 * returns [promise, handle] where handle is for cancel(). */
napi_value an_promise_of(napi_env env, an_inst *I, akt_future *f, int void_result,
                         int cancellable) {
    an_ask *a = calloc(1, sizeof *a);
    napi_value promise, handle = NULL, pair = NULL;
    if (!a || napi_create_promise(env, &a->deferred, &promise) != napi_ok ||
        (cancellable && napi_create_array_with_length(env, 2, &pair) != napi_ok)) {
        free(a);
        akt_future_cancel(f);
        akt_future_release(f);
        return an_throw(env, I, AKT_ENOMEM);
    }
    a->inst = I;
    a->future = f;
    a->void_result = void_result;
    a->refs = 1;
    if (cancellable && napi_create_external(env, a, handle_finalize, NULL, &handle) == napi_ok) {
        a->refs++;
        napi_set_element(env, pair, 0, promise);
        napi_set_element(env, pair, 1, handle);
    } else {
        pair = NULL; /* not cancellable after all: the promise alone */
    }
    an_alive_add(I, 1);
    /* May settle at once (on this thread) if the future already completed: a is gone then. */
    int rc = akt_future_on_complete(f, ask_done, a);
    if (rc) {
        a->rc = rc;
        an_ask_settle(I, a);
    }
    return pair ? pair : promise;
}

/* cancel(handle) -> true if the ask was still pending (it then rejects with CanceledError). */
static napi_value Cancel(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    an_ask *a = NULL;
    if (napi_get_value_external(env, argv[0], (void **)&a) != napi_ok || !a)
        return an_throw(env, I, AKT_EINVAL);
    int done = !a->settled && akt_future_cancel(a->future) == 0;
    napi_value r;
    napi_get_boolean(env, done, &r);
    return r;
}

int an_timeout_ns_of(napi_env env, napi_value v, int64_t *out) {
    double ms;
    napi_valuetype t;
    napi_typeof(env, v, &t);
    if (t == napi_undefined || t == napi_null) {
        *out = 5000LL * 1000000LL; /* the documented default: 5 s */
        return 1;
    }
    if (napi_get_value_double(env, v, &ms) != napi_ok || !(ms > 0) || ms > 9.2e12) return 0;
    *out = (int64_t)(ms * 1e6);
    if (*out <= 0) *out = 1;
    return 1;
}

/* The message of a send: a JS value, or (is_slot) a slot lib/values.cjs already filled. */
int an_msg_arg(an_sys *s, napi_env env, napi_value v, int is_slot, const char *type, int by_ref,
               akt_msg **out) {
    if (!is_slot) return an_msg_from_js(s, env, v, type, by_ref, out);
    int32_t slot;
    if (napi_get_value_int32(env, v, &slot) != napi_ok || slot < 0) return AKT_EINVAL;
    return an_msg_from_slot(s, env, slot, type, by_ref, out);
}

/* Gives back the slot of a send that failed before its message was made (once made, the
 * message owns the slot and releasing the message gives it back). Every failure of a slot
 * send before an_msg_arg goes through here, exactly once; JS put the slot in before the
 * call, so nothing else would. */
void an_slot_drop(an_inst *I, napi_env env, napi_value v, int is_slot) {
    int32_t slot;
    if (is_slot && napi_get_value_int32(env, v, &slot) == napi_ok && slot >= 0)
        an_slot_release_now(I, slot);
}

int an_js_pid(an_inst *I, an_sys *s, akt_pid pid) {
    if (!s && I->cur_ctx) s = I->cur_sys;
    int on = 0;
    return s && akt_pid_runs_on(s->sys, pid, s->disp, &on) == 0 && on;
}

/* Issue 17: a value a C actor (or another binding's) could not read is refused at the
 * sender, never delivered unreadable or lossy. Only a send to an actor that is not on this
 * thread's JS dispatcher (by_ref 0) is judged: one lock-free look at who reads the target
 * (akt_pid_receive); a JS actor, or one of akt's relays (NULL: a router, a topic, a remote
 * pid, which has the serializer rules), takes it as before. Any other reader reads bytes:
 * akt_msg_bytes makes them now (once; the JSON of an object is strict, lib/actor.cjs, so a
 * Map or a function has none). 0, or throws and releases m. */
int an_reader_check(napi_env env, an_inst *I, an_sys *s, akt_pid to, akt_msg *m, int by_ref,
                    const char *op) {
    akt_receive_fn reader = NULL;
    if (by_ref || !s || akt_pid_receive(s->sys, to, &reader) != 0) return 0;
    if (!reader || reader == an_js_behavior.receive) return 0;
    char path[256] = "?";
    akt_pid_path(s->sys, to, path, sizeof path, NULL);
    return an_bytes_check(env, I, m, op, path, "that actor");
}

int an_bytes_check(napi_env env, an_inst *I, akt_msg *m, const char *op, const char *where,
                   const char *who) {
    const void *data = NULL;
    size_t len = 0;
    int rc = akt_msg_bytes(m, &data, &len);
    if (!rc) return 0;
    char detail[1700];
    snprintf(detail, sizeof detail,
             "%s of a %s value to %s refused: %s is not a JS actor and reads bytes, and this "
             "value has none that keep it whole (JSON would drop or flatten a Map, Set, "
             "function, symbol, a BigInt beyond int64 or a cycle); send a string, bytes, a "
             "number, a boolean, null, a BigInt in int64 or a JSON-able object",
             op, akt_msg_type(m), where, who);
    akt_msg_release(m);
    an_throw_msg(env, I, rc, detail);
    return rc;
}

napi_value an_sent(napi_env env, an_inst *I, akt_msg *m, int rc) {
    if (!rc) return NULL;
    akt_msg_release(m);
    return an_throw(env, I, rc);
}

/* What a tell and an ask both take, from a[0] on (the arguments after the origin, argc of
 * them): a[0..1] the receiver, a[2] the value (or slot), for an ask a[3] its timeout, then
 * an optional type name. Read in that order, so a bad argument fails as it always has.
 * Makes the message; 0 after throwing. */
typedef struct send_args {
    akt_pid to;
    int64_t timeout; /* ask only */
    akt_msg *m;
} send_args;

static int send_args_of(an_inst *I, napi_env env, an_sys *s, size_t argc, napi_value *a,
                        int is_slot, int is_ask, const char *op, send_args *out) {
    size_t type_at = is_ask ? 4 : 3;
    char tbuf[256];
    char *type = NULL;
    if (!an_get_pid(I, env, a[0], a[1], &out->to)) goto fail;
    if (is_ask && !an_timeout_ns_of(env, a[3], &out->timeout)) {
        an_throw_msg(env, I, AKT_EINVAL, "expected a timeout > 0 ms");
        goto fail;
    }
    type = argc > type_at ? an_opt_string(I, env, a[type_at], tbuf, sizeof tbuf) : NULL;
    if (type == (char *)-1) goto fail;
    /* From here the slot is an_msg_arg's: it gives it back on failure. */
    int by_ref = an_js_pid(I, s, out->to);
    int rc = an_msg_arg(s, env, a[2], is_slot, type, by_ref, &out->m);
    if (rc) {
        an_throw(env, I, rc);
        return 0;
    }
    return !an_reader_check(env, I, s, out->to, out->m, by_ref, op);
fail:
    an_slot_drop(I, env, a[2], is_slot);
    return 0;
}

/* tell(handle, lo, hi, value, type?, headers?); tellSlot(handle, lo, hi, slot, type?).
 * Inside a JS actor's callback (Context.tell, or Pid.tell there) akt makes that actor the
 * sender. */
static napi_value tell_impl(napi_env env, napi_callback_info info, int is_slot) {
    AN_ARGS(6);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) {
        an_slot_drop(I, env, argv[3], is_slot);
        return NULL;
    }
    send_args sa;
    if (!send_args_of(I, env, s, argc - 1, argv + 1, is_slot, 0, "tell", &sa)) return NULL;
    if (argc > 5) {
        int rc = an_headers_set(env, I, sa.m, argv[5]);
        if (rc) return an_sent(env, I, sa.m, rc);
    }
    return an_sent(env, I, sa.m, akt_tell(s->sys, sa.to, sa.m));
}

static napi_value Tell(napi_env env, napi_callback_info info) { return tell_impl(env, info, 0); }
static napi_value TellSlot(napi_env env, napi_callback_info info) {
    return tell_impl(env, info, 1);
}

/* The hot path of Pid.tell for a JS value by reference: a function bound to one system
 * (its cb data) that takes no arguments; JS writes the pid and the slot to
 * scratch[AN_SCR_PID] and scratch[AN_SCR_TELL_SLOT] first. Saves the argument conversions
 * of tellSlot. */
static napi_value FastTell(napi_env env, napi_callback_info info) {
    an_sys *s = NULL;
    size_t argc = 0;
    if (napi_get_cb_info(env, info, &argc, NULL, NULL, (void **)&s) != napi_ok || !s) return NULL;
    an_inst *I = s->inst;
    const uint32_t *scr = I->shm->scratch;
    akt_pid to = {((uint64_t)scr[AN_SCR_PID + 1] << 32) | scr[AN_SCR_PID]};
    int32_t slot = (int32_t)scr[AN_SCR_TELL_SLOT];
    if (slot < 0) return an_throw(env, I, AKT_EINVAL);
    akt_msg *m;
    int by_ref = an_js_pid(I, s, to);
    int rc = an_msg_from_slot(s, env, slot, NULL, by_ref, &m);
    if (rc) return an_throw(env, I, rc);
    if (an_reader_check(env, I, s, to, m, by_ref, "tell")) return NULL;
    return an_sent(env, I, m, akt_tell(s->sys, to, m));
}

/* fastTell(handle) -> the FastTell function bound to that system */
static napi_value BindFastTell(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    napi_value fn;
    AN_CALL(napi_create_function(env, "fastTell", NAPI_AUTO_LENGTH, FastTell, s, &fn));
    return fn;
}

static int flag_of(napi_env env, napi_value v) {
    bool b = false;
    napi_valuetype t;
    return napi_typeof(env, v, &t) == napi_ok && t == napi_boolean &&
           napi_get_value_bool(env, v, &b) == napi_ok && b;
}

/* ask(handle, lo, hi, value, timeoutMs, type?, cancellable?) -> Promise | [Promise, handle];
 * askSlot: the same with a slot for value. The sender is implicit, as for tell. */
static napi_value ask_impl(napi_env env, napi_callback_info info, int is_slot) {
    AN_ARGS(7);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) {
        an_slot_drop(I, env, argv[3], is_slot);
        return NULL;
    }
    send_args sa;
    if (!send_args_of(I, env, s, argc - 1, argv + 1, is_slot, 1, "ask", &sa)) return NULL;
    akt_future *f;
    /* JS reads the answer (issue 17): a JS actor may answer with any value. */
    int rc = akt_ask_as(s->sys, sa.to, sa.m, sa.timeout, an_js_behavior.receive, &f);
    if (rc) return an_sent(env, I, sa.m, rc);
    return an_promise_of(env, I, f, 0, flag_of(env, argv[6]));
}

static napi_value Ask(napi_env env, napi_callback_info info) { return ask_impl(env, info, 0); }
static napi_value AskSlot(napi_env env, napi_callback_info info) { return ask_impl(env, info, 1); }

/* stopGraceful(handle, lo, hi, timeoutMs) -> Promise<void> */
static napi_value StopGraceful(napi_env env, napi_callback_info info) {
    AN_ARGS(4);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    akt_pid pid;
    if (!an_get_pid(I, env, argv[1], argv[2], &pid)) return NULL;
    int64_t timeout;
    if (!an_timeout_ns_of(env, argv[3], &timeout)) return an_throw(env, I, AKT_EINVAL);
    akt_future *f;
    int rc = akt_stop_graceful(s->sys, pid, timeout, &f);
    if (rc) return an_throw(env, I, rc);
    return an_promise_of(env, I, f, 1, 0);
}

/* Releases the messages a batch still owns (NULL: not made) and frees their array. */
static void msgs_drop(akt_msg **msgs, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (msgs[i]) akt_msg_release(msgs[i]);
    free(msgs);
}

/* Makes n messages from values[i] (typed types[i] when given); all or none. */
static int msgs_of(an_sys *s, napi_env env, akt_pid to, napi_value values, napi_value types,
                   int by_ref, akt_msg ***out, uint32_t *n_out) {
    an_inst *I = s->inst;
    uint32_t n = 0;
    bool is = false;
    if (napi_is_array(env, values, &is) != napi_ok || !is) return AKT_EINVAL;
    napi_get_array_length(env, values, &n);
    akt_msg **msgs = calloc(n ? n : 1, sizeof *msgs);
    if (!msgs) return AKT_ENOMEM;
    int rc = 0;
    for (uint32_t i = 0; i < n && !rc; i++) {
        napi_value v, t;
        char tbuf[256];
        char *type = NULL;
        napi_get_element(env, values, i, &v);
        if (napi_get_element(env, types, i, &t) == napi_ok) {
            type = an_opt_string(I, env, t, tbuf, sizeof tbuf);
            if (type == (char *)-1) {
                rc = AKT_EINVAL;
                break;
            }
        }
        rc = an_msg_from_js(s, env, v, type, by_ref, &msgs[i]);
        if (!rc && (rc = an_reader_check(env, I, s, to, msgs[i], by_ref, "tellBatch"))) {
            msgs[i] = NULL; /* released, and the error thrown */
            msgs_drop(msgs, n);
            return 1; /* > 0: thrown already */
        }
    }
    if (rc) {
        msgs_drop(msgs, n);
        return rc;
    }
    *out = msgs;
    *n_out = n;
    return 0;
}

/* What tellBatch and askBatch both take: the system (argv[0]), the receiver (argv[1..2]), for
 * an ask its timeout (argv[5]), then the messages of the values argv[3] typed by argv[4].
 * Read in that order, so a bad argument fails as it always has; 0 after throwing. */
typedef struct batch_args {
    an_sys *s;
    akt_pid to;
    int64_t timeout; /* ask only */
    akt_msg **msgs;
    uint32_t n;
} batch_args;

static int batch_args_of(an_inst *I, napi_env env, napi_value *argv, int is_ask, batch_args *out) {
    if (!(out->s = an_sys_of(env, argv[0]))) return 0;
    if (!an_get_pid(I, env, argv[1], argv[2], &out->to)) return 0;
    if (is_ask && !an_timeout_ns_of(env, argv[5], &out->timeout)) {
        an_throw(env, I, AKT_EINVAL);
        return 0;
    }
    int rc = msgs_of(out->s, env, out->to, argv[3], argv[4], an_js_pid(I, out->s, out->to),
                     &out->msgs, &out->n);
    if (rc) {
        if (rc < 0) an_throw(env, I, rc);
        return 0;
    }
    return 1;
}

/* tellBatch(handle, lo, hi, values[], types[]): in order, all or none. */
static napi_value TellBatch(napi_env env, napi_callback_info info) {
    AN_ARGS(5);
    batch_args b;
    if (!batch_args_of(I, env, argv, 0, &b)) return NULL;
    int rc = akt_tell_batch(b.s->sys, b.to, b.msgs, b.n);
    if (rc)
        msgs_drop(b.msgs, b.n);
    else
        free(b.msgs); /* akt took the messages, not their array */
    return rc ? an_throw(env, I, rc) : NULL;
}

/* askBatch(handle, lo, hi, values[], types[], timeoutMs) -> Promise[] (one per message). */
static napi_value AskBatch(napi_env env, napi_callback_info info) {
    AN_ARGS(6);
    batch_args b;
    if (!batch_args_of(I, env, argv, 1, &b)) return NULL;
    uint32_t n = b.n;
    akt_future **futures = calloc(n ? n : 1, sizeof *futures);
    int rc = futures ? akt_ask_batch_as(b.s->sys, b.to, b.msgs, n, b.timeout,
                                        an_js_behavior.receive, futures)
                     : AKT_ENOMEM;
    if (rc) {
        msgs_drop(b.msgs, n);
        free(futures);
        return an_throw(env, I, rc);
    }
    free(b.msgs);
    napi_value arr;
    napi_create_array_with_length(env, n, &arr);
    for (uint32_t i = 0; i < n; i++) {
        napi_value p = an_promise_of(env, I, futures[i], 0, 0);
        if (!p) { /* out of memory: the remaining futures still need their reference gone */
            for (uint32_t j = i + 1; j < n; j++) akt_future_release(futures[j]);
            free(futures);
            return NULL;
        }
        napi_set_element(env, arr, i, p);
    }
    free(futures);
    return arr;
}

/* A string argument of 1..max bytes without NUL into buf (len >= max + 2): buf, or NULL
 * after throwing AKT_EINVAL with what. */
char *an_bounded_string(an_inst *I, napi_env env, napi_value v, char *buf, size_t len, size_t max,
                        const char *what) {
    size_t n = 0;
    napi_valuetype t;
    if (napi_typeof(env, v, &t) != napi_ok || t != napi_string ||
        napi_get_value_string_utf8(env, v, buf, len, &n) != napi_ok || n == 0 || n > max ||
        strlen(buf) != n) {
        an_throw_msg(env, I, AKT_EINVAL, what);
        return NULL;
    }
    return buf;
}

int an_foreign_msg(an_inst *I, an_sys *s, napi_env env, napi_value value, napi_value type_v,
                   akt_msg **out) {
    char tbuf[256];
    char *type = an_opt_string(I, env, type_v, tbuf, sizeof tbuf);
    if (type == (char *)-1) return -1;
    int rc = an_msg_from_js(s, env, value, type, 0, out);
    if (rc) {
        an_throw(env, I, rc);
        return -1;
    }
    return 0;
}

/* topicPublish(handle, topic, value, type?): values cross as for a receiver of another
 * runtime (their canonical bytes), since subscribers may be of any language. */
#define AN_TOPIC_RULE "a topic is a string of 1..255 bytes without NUL"

static napi_value TopicPublish(napi_env env, napi_callback_info info) {
    AN_ARGS(4);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    char topic[258];
    akt_msg *m;
    if (!an_bounded_string(I, env, argv[1], topic, sizeof topic, 255, AN_TOPIC_RULE) ||
        an_foreign_msg(I, s, env, argv[2], argv[3], &m))
        return NULL;
    return an_sent(env, I, m, akt_topic_publish(s->sys, topic, m));
}

/* topicOp(handle, op, topic, lo, hi, timeoutMs) -> Promise of the subscriber count (an
 * akt.Int64); op 0 subscribe, 1 unsubscribe, 2 count (lo, hi ignored). */
static napi_value TopicOp(napi_env env, napi_callback_info info) {
    AN_ARGS(6);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    int32_t op = -1;
    napi_get_value_int32(env, argv[1], &op);
    char topic[258];
    if (!an_bounded_string(I, env, argv[2], topic, sizeof topic, 255, AN_TOPIC_RULE)) return NULL;
    akt_pid pid = {0};
    if (op != 2 && !an_get_pid(I, env, argv[3], argv[4], &pid)) return NULL;
    int64_t timeout;
    if (!an_timeout_ns_of(env, argv[5], &timeout))
        return an_throw_msg(env, I, AKT_EINVAL, "expected a timeout > 0 ms");
    akt_future *f;
    int rc = op == 0   ? akt_topic_subscribe(s->sys, topic, pid, timeout, &f)
             : op == 1 ? akt_topic_unsubscribe(s->sys, topic, pid, timeout, &f)
             : op == 2 ? akt_topic_count(s->sys, topic, timeout, &f)
                       : AKT_EINVAL;
    if (rc) return an_throw(env, I, rc);
    return an_promise_of(env, I, f, 0, 0);
}

/* A delay or interval in ms as ns; 0 after throwing. */
static int ms_to_ns(napi_env env, an_inst *I, napi_value v, int positive, const char *what,
                    int64_t *out) {
    double ms;
    if (napi_get_value_double(env, v, &ms) != napi_ok || !(ms >= 0) || ms > 9.2e12 ||
        (positive && !(ms > 0))) {
        char m[96];
        snprintf(m, sizeof m, "%s must be a number of ms %s 0", what, positive ? ">" : ">=");
        an_throw_msg(env, I, AKT_EINVAL, m);
        return 0;
    }
    *out = (int64_t)(ms * 1e6);
    if (positive && *out <= 0) *out = 1;
    return 1;
}

/* The cron expression argument of schedule: NULL for undefined / null (*bad 0), else
 * its UTF-8 text, malloc'd (NULL with *bad 1 after throwing). lib/system.cjs validated it. */
static char *cron_arg(napi_env env, an_inst *I, napi_value v, int *bad) {
    napi_valuetype t;
    *bad = 0;
    napi_typeof(env, v, &t);
    if (t == napi_undefined || t == napi_null) return NULL;
    *bad = 1;
    size_t n = 0;
    if (t != napi_string || napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) {
        an_throw_msg(env, I, AKT_EINVAL, "a cron expression is a string");
        return NULL;
    }
    char *buf = malloc(n + 1);
    if (!buf) {
        an_throw(env, I, AKT_ENOMEM);
        return NULL;
    }
    napi_get_value_string_utf8(env, v, buf, n + 1, &n);
    *bad = 0;
    return buf;
}

/* schedule(handle, lo, hi, value, type?, delayMs, intervalMs (0: once), reference?,
 * senderLo?, senderHi?, cronExpr?, cronFlags?) -> the reference. With cronExpr the
 * schedule is on that expression (delay and interval ignored). */
static napi_value Schedule(napi_env env, napi_callback_info info) {
    AN_ARGS(12);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    int64_t delay, interval = 0;
    double iv = 0;
    if (!ms_to_ns(env, I, argv[5], 0, "delay", &delay)) return NULL;
    if (napi_get_value_double(env, argv[6], &iv) != napi_ok) iv = -1;
    if (iv != 0 && !ms_to_ns(env, I, argv[6], 1, "interval", &interval)) return NULL;
    char rbuf[AKT_SCHEDULE_REF_MAX + 2];
    char *ref = an_opt_string(I, env, argv[7], rbuf, sizeof rbuf);
    if (ref == (char *)-1) return NULL;
    akt_schedule_options o = {sizeof o, ref, {0}};
    napi_valuetype t;
    napi_typeof(env, argv[8], &t);
    if (t != napi_undefined && t != napi_null && !an_get_pid(I, env, argv[8], argv[9], &o.sender))
        return NULL;
    int bad = 0;
    char *cron = cron_arg(env, I, argv[10], &bad);
    if (bad) return NULL;
    uint32_t flags = 0;
    if (cron) napi_get_value_uint32(env, argv[11], &flags);
    send_args sa;
    if (!send_args_of(I, env, s, 4, argv + 1, 0, 0, "schedule", &sa)) {
        free(cron);
        return NULL;
    }
    char out[AKT_SCHEDULE_REF_MAX + 1];
    int rc = cron ? akt_schedule_cron(s->sys, sa.to, sa.m, cron, flags, &o, out, sizeof out, NULL)
             : interval
                 ? akt_schedule_every(s->sys, sa.to, sa.m, delay, interval, &o, out, sizeof out)
                 : akt_schedule_once(s->sys, sa.to, sa.m, delay, &o, out, sizeof out);
    free(cron);
    if (rc) return an_sent(env, I, sa.m, rc);
    napi_value r;
    AN_CALL(napi_create_string_utf8(env, out, NAPI_AUTO_LENGTH, &r));
    return r;
}

/* scheduleOp(handle, op, reference): 0 pause, 1 resume, 2 cancel. */
static napi_value ScheduleOp(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    int32_t op = -1;
    napi_get_value_int32(env, argv[1], &op);
    char rbuf[AKT_SCHEDULE_REF_MAX + 2];
    char *ref = an_opt_string(I, env, argv[2], rbuf, sizeof rbuf);
    if (ref == (char *)-1) return NULL;
    if (!ref || op < 0 || op > 2) return an_throw_msg(env, I, AKT_EINVAL, "expected a reference");
    int rc = op == 0   ? akt_schedule_pause(s->sys, ref)
             : op == 1 ? akt_schedule_resume(s->sys, ref)
                       : akt_schedule_cancel(s->sys, ref);
    if (rc == AKT_ENOTFOUND) {
        char m[AKT_SCHEDULE_REF_MAX + 40];
        snprintf(m, sizeof m, "no schedule '%s'", ref);
        return an_throw_msg(env, I, rc, m);
    }
    return rc ? an_throw(env, I, rc) : NULL;
}

typedef struct list_acc {
    napi_env env;
    napi_value arr;
    uint32_t n;
} list_acc;

static void list_one(const akt_schedule_info *info, void *data) {
    list_acc *a = data;
    napi_env env = a->env;
    napi_value row, v;
    if (napi_create_array_with_length(env, 10, &row) != napi_ok) return;
    napi_create_string_utf8(env, info->reference, NAPI_AUTO_LENGTH, &v);
    napi_set_element(env, row, 0, v);
    uint32_t parts[4] = {(uint32_t)info->target.id, (uint32_t)(info->target.id >> 32),
                         (uint32_t)info->sender.id, (uint32_t)(info->sender.id >> 32)};
    for (uint32_t i = 0; i < 4; i++) {
        napi_create_uint32(env, parts[i], &v);
        napi_set_element(env, row, 1 + i, v);
    }
    napi_create_int32(env, info->kind, &v);
    napi_set_element(env, row, 5, v);
    napi_get_boolean(env, info->paused, &v);
    napi_set_element(env, row, 6, v);
    napi_create_double(env, (double)info->interval_ns / 1e6, &v);
    napi_set_element(env, row, 7, v);
    int has_cron = info->size >= offsetof(akt_schedule_info, cron_flags) + sizeof info->cron_flags;
    if (has_cron && info->expression)
        napi_create_string_utf8(env, info->expression, NAPI_AUTO_LENGTH, &v);
    else
        napi_get_null(env, &v);
    napi_set_element(env, row, 8, v);
    napi_create_uint32(env, has_cron ? info->cron_flags : 0, &v);
    napi_set_element(env, row, 9, v);
    napi_set_element(env, a->arr, a->n++, row);
}

/* schedules(handle) -> [[reference, targetLo, targetHi, senderLo, senderHi, kind, paused,
 * intervalMs, expression or null, cronFlags]] */
static napi_value Schedules(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    list_acc a = {env, NULL, 0};
    AN_CALL(napi_create_array(env, &a.arr));
    int rc = akt_schedule_list(s->sys, list_one, &a, NULL);
    return rc ? an_throw(env, I, rc) : a.arr;
}

napi_status an_register_send(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"tell", Tell},
                                {"tellSlot", TellSlot},
                                {"bindFastTell", BindFastTell},
                                {"ask", Ask},
                                {"askSlot", AskSlot},
                                {"stopGraceful", StopGraceful},
                                {"cancel", Cancel},
                                {"tellBatch", TellBatch},
                                {"askBatch", AskBatch},
                                {"topicPublish", TopicPublish},
                                {"topicOp", TopicOp},
                                {"schedule", Schedule},
                                {"scheduleOp", ScheduleOp},
                                {"schedules", Schedules},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
