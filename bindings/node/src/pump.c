/* Waking the JS thread and draining work on it.
 *
 * akt threads never touch JavaScript: they queue an item (inbox) or only signal that the
 * external dispatcher has work, and wake the JS thread through one threadsafe function.
 * A wake-up is sent only when none is already on its way (wake_pending), so many messages
 * cost one wake-up. On the JS thread, pump() drains the inbox and runs each system's
 * dispatcher for a budget; JS re-schedules it with setImmediate while work remains, so
 * timers and I/O keep running under load. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

int an_on_js_thread(const an_inst *I) { return pthread_equal(pthread_self(), I->js_thread); }

an_inst *an_inst_of(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
    void *data = NULL;
    if (napi_get_cb_info(env, info, argc, argv, NULL, &data) != napi_ok) return NULL;
    return data;
}

void an_wake(an_inst *I) {
    if (an_on_js_thread(I)) {
        /* We are inside a native call: JS checks flags[AN_FLAG_PUMP] when it returns and
         * schedules a pump in a microtask; no loop round-trip needed. */
        if (I->shm) I->shm->flags[AN_FLAG_PUMP] = 1;
        return;
    }
    /* acq_rel: the exchange orders this thread's queued work before the wake-up, and only
     * the first waker after a pump pays for the threadsafe call. */
    if (atomic_exchange_explicit(&I->wake_pending, 1, memory_order_acq_rel) == 0 && I->tsfn &&
        !I->closing) {
        /* relaxed: a statistic, read on the JS thread at leisure. */
        atomic_fetch_add_explicit(&I->stat_wakeups, 1, memory_order_relaxed);
        napi_call_threadsafe_function(I->tsfn, NULL, napi_tsfn_nonblocking);
    }
}

/* Dispatcher notify: any thread, must not call into akt. */
void an_notify(void *data) { an_wake((an_inst *)data); }

void an_inbox_push(an_inst *I, int kind, void *ptr) {
    pthread_mutex_lock(&I->inbox_lock);
    if (I->inbox_len == I->inbox_cap) {
        size_t cap = I->inbox_cap ? I->inbox_cap * 2 : 64;
        an_item *n = realloc(I->inbox, cap * sizeof *n);
        if (!n) { /* cannot queue: leak the item rather than touch JS off-thread */
            pthread_mutex_unlock(&I->inbox_lock);
            return;
        }
        I->inbox = n;
        I->inbox_cap = cap;
    }
    I->inbox[I->inbox_len++] = (an_item){kind, ptr};
    /* release: pairs with the pump's acquire load; the lock already orders the items. */
    atomic_store_explicit(&I->inbox_nonempty, 1, memory_order_release);
    pthread_mutex_unlock(&I->inbox_lock);
    an_wake(I);
}

void an_alive_add(an_inst *I, int delta) {
    int before = I->alive;
    I->alive += delta;
    if (!I->tsfn || I->closing) return;
    if (before <= 0 && I->alive > 0)
        napi_ref_threadsafe_function(I->env, I->tsfn);
    else if (before > 0 && I->alive <= 0)
        napi_unref_threadsafe_function(I->env, I->tsfn);
}

static void drain_item(an_inst *I, an_item *it) {
    switch (it->kind) {
    case AN_ITEM_ASK:
        an_ask_settle(I, it->ptr);
        break;
    case AN_ITEM_EVENT:
        an_event_deliver(I, it->ptr);
        break;
    case AN_ITEM_SHUTDOWN:
        an_system_shutdown_done(I, it->ptr);
        break;
    case AN_ITEM_FREED:
        an_actor_free_now(I, it->ptr);
        break;
    case AN_ITEM_SPAN:
        an_span_deliver(I, it->ptr);
        break;
    }
}

/* Settles everything akt threads queued. Items may queue more (JS code runs): loop. */
static void drain_inbox(an_inst *I, napi_env env) {
    /* acquire: pairs with the release in an_inbox_push. */
    while (atomic_load_explicit(&I->inbox_nonempty, memory_order_acquire)) {
        pthread_mutex_lock(&I->inbox_lock);
        an_item *items = I->inbox;
        size_t n = I->inbox_len;
        I->inbox = NULL;
        I->inbox_len = I->inbox_cap = 0;
        atomic_store_explicit(&I->inbox_nonempty, 0, memory_order_relaxed);
        pthread_mutex_unlock(&I->inbox_lock);
        for (size_t i = 0; i < n; i++) {
            napi_handle_scope scope;
            napi_open_handle_scope(env, &scope);
            drain_item(I, &items[i]);
            napi_close_handle_scope(env, scope);
        }
        free(items);
    }
}

/* pump(budget) -> true while work remains (JS then calls it again from setImmediate). */
static napi_value Pump(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    uint32_t budget = 1024;
    napi_get_value_uint32(env, argv[0], &budget);
    if (!budget) budget = 1024;
    /* release: a notify after this point sends a new wake-up, so no work is missed. */
    atomic_store_explicit(&I->wake_pending, 0, memory_order_release);
    I->shm->flags[AN_FLAG_PUMP] = 0;
    I->stat_pumps++;
    an_slots_flush(I);
    drain_inbox(I, env);
    int more = 0;
    if (!I->in_run) {
        I->in_run = 1;
        /* Resolved once here rather than once per message (valid until Pump returns). */
        if (napi_get_reference_value(env, I->deliver, &I->deliver_fn) != napi_ok)
            I->deliver_fn = NULL;
        /* After its shutdown a system's run only runs the releases of its messages (values
         * JS reclaims), until the system is freed. */
        for (an_sys *s = I->systems; s; s = s->next) {
            int rc = akt_dispatcher_run(s->disp, budget, NULL);
            if (rc == AKT_EAGAIN) more = 1;
        }
        I->deliver_fn = NULL;
        I->in_run = 0;
    }
    drain_inbox(I, env);
    if (I->shm->flags[AN_FLAG_PUMP]) more = 1;
    I->shm->flags[AN_FLAG_PUMP] = 0;
    napi_value r;
    napi_get_boolean(env, more, &r);
    return r;
}

static void stop_systems_at_exit(an_inst *I) {
    /* The environment is going away: stop every system, running the JS actors' callbacks
     * as no-ops (closing is set), so no akt thread calls us after the addon is gone. */
    for (an_sys *s = I->systems; s; s = s->next) {
        if (s->shut_down) continue;
        akt_system_shutdown(s->sys, NULL, NULL);
        for (int i = 0; i < 600; i++) {
            akt_dispatcher_run(s->disp, 4096, NULL);
            if (akt_system_wait(s->sys, 5 * 1000 * 1000) == 0) break;
        }
    }
}

static void cleanup_hook(void *arg) {
    an_inst *I = arg;
    I->closing = 1;
    stop_systems_at_exit(I);
    if (I->tsfn) napi_release_threadsafe_function(I->tsfn, napi_tsfn_abort);
    I->tsfn = NULL;
}

/* init({deliver, preStart, postStop, freed, makeError, decode, pump, json, put, get, settle,
 * step}) ->
 * the shared ArrayBuffer, an an_shared (addon.h) that JS views through `layout`. */
static napi_value Init(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    static const char *names[] = {"deliver", "preStart", "postStop", "freed", "makeError", "decode",
                                  "pump",    "json",     "put",      "get",   "settle",    "step"};
    napi_ref *slots[] = {&I->deliver,    &I->pre_start, &I->post_stop, &I->freed,
                         &I->make_error, &I->decode,    &I->pump,      &I->json,
                         &I->put,        &I->get,       &I->settle,    &I->step};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        napi_value fn;
        AN_CALL(napi_get_named_property(env, argv[0], names[i], &fn));
        if (*slots[i]) napi_delete_reference(env, *slots[i]);
        AN_CALL(napi_create_reference(env, fn, 1, slots[i]));
    }
    void *data;
    napi_value ab;
    AN_CALL(napi_create_arraybuffer(env, sizeof(an_shared), &data, &ab));
    memset(data, 0, sizeof(an_shared));
    if (I->shared_ref) napi_delete_reference(env, I->shared_ref);
    AN_CALL(napi_create_reference(env, ab, 1, &I->shared_ref));
    I->shm = data;

    if (!I->tsfn) {
        napi_value pump, name;
        AN_CALL(napi_get_reference_value(env, I->pump, &pump));
        AN_CALL(napi_create_string_utf8(env, "akt.pump", NAPI_AUTO_LENGTH, &name));
        AN_CALL(napi_create_threadsafe_function(env, pump, NULL, name, 0, 1, NULL, NULL, NULL, NULL,
                                                &I->tsfn));
        /* Idle systems must not keep the process alive: referenced only while asks or
         * shutdowns are pending (an_alive_add). */
        AN_CALL(napi_unref_threadsafe_function(env, I->tsfn));
    }
    return ab;
}

void an_export(napi_env env, napi_value exports, an_inst *I, const an_fn *fns) {
    for (; fns->name; fns++) {
        napi_value fn;
        napi_create_function(env, fns->name, NAPI_AUTO_LENGTH, fns->cb, I, &fn);
        napi_set_named_property(env, exports, fns->name, fn);
    }
}

/* keepAlive(delta): holds (+1) or releases (-1) the event loop for a system created with
 * { keepAlive: true }, which then lives like a server until its shutdown. */
static napi_value KeepAlive(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    int32_t d = 0;
    napi_get_value_int32(env, argv[0], &d);
    if (d == 1 || d == -1) an_alive_add(I, d);
    return NULL;
}

/* stats() -> { wakeups, pumps, received, runs, released, releasedElsewhere } */
static napi_value Stats(napi_env env, napi_callback_info info) {
    AN_ARGS(0);
    napi_value o, v;
    napi_create_object(env, &o);
    napi_create_double(env, (double)atomic_load_explicit(&I->stat_wakeups, memory_order_relaxed),
                       &v);
    napi_set_named_property(env, o, "wakeups", v);
    napi_create_double(env, (double)I->stat_pumps, &v);
    napi_set_named_property(env, o, "pumps", v);
    napi_create_double(env, (double)I->stat_received, &v);
    napi_set_named_property(env, o, "received", v);
    napi_create_double(env, (double)I->stat_runs, &v);
    napi_set_named_property(env, o, "runs", v);
    napi_create_double(env, (double)I->stat_released, &v);
    napi_set_named_property(env, o, "released", v);
    napi_create_double(
        env, (double)atomic_load_explicit(&I->stat_released_elsewhere, memory_order_relaxed), &v);
    napi_set_named_property(env, o, "releasedElsewhere", v);
    return o;
}

/* One part of `layout`: named integers. */
typedef struct an_const {
    const char *name;
    int32_t value;
} an_const;

static napi_status frozen_consts(napi_env env, const an_const *c, napi_value *out) {
    napi_status st = napi_create_object(env, out);
    for (; st == napi_ok && c->name; c++) {
        napi_value v;
        st = napi_create_int32(env, c->value, &v);
        if (st == napi_ok) st = napi_set_named_property(env, *out, c->name, v);
    }
    return st == napi_ok ? napi_object_freeze(env, *out) : st;
}

/* layout: where each part of an_shared lies in init()'s ArrayBuffer (offset and length in
 * elements of 4 bytes) and what each index means, so that JS writes no number of its own:
 *   { bytes, flags: { offset, length, pump, freed, failed },
 *     scratch: { offset, length, pid, pid2, tellSlot, actor, message },
 *     freed: { offset, length }, next: { value, end, typed } } */
static napi_status export_layout(napi_env env, napi_value exports) {
    const an_const flags[] = {{"offset", (int32_t)offsetof(an_shared, flags)},
                              {"length", AN_FLAGS_LEN},
                              {"pump", AN_FLAG_PUMP},
                              {"freed", AN_FLAG_NFREED},
                              {"failed", AN_FLAG_FAILED},
                              {NULL, 0}};
    const an_const scratch[] = {{"offset", (int32_t)offsetof(an_shared, scratch)},
                                {"length", AN_SCRATCH_LEN},
                                {"pid", AN_SCR_PID},
                                {"pid2", AN_SCR_PID2},
                                {"tellSlot", AN_SCR_TELL_SLOT},
                                {"actor", AN_SCR_ACTOR},
                                {"message", AN_SCR_MSG},
                                {NULL, 0}};
    const an_const freed[] = {
        {"offset", (int32_t)offsetof(an_shared, freed)}, {"length", AN_FREED_CAP}, {NULL, 0}};
    const an_const next[] = {
        {"value", AN_NEXT_VALUE}, {"end", AN_NEXT_END}, {"typed", AN_NEXT_TYPED}, {NULL, 0}};
    const struct {
        const char *name;
        const an_const *part;
    } parts[] = {{"flags", flags}, {"scratch", scratch}, {"freed", freed}, {"next", next}};
    napi_value layout, v;
    napi_status st = napi_create_object(env, &layout);
    if (st == napi_ok) st = napi_create_int32(env, (int32_t)sizeof(an_shared), &v);
    if (st == napi_ok) st = napi_set_named_property(env, layout, "bytes", v);
    for (size_t i = 0; st == napi_ok && i < sizeof parts / sizeof *parts; i++) {
        st = frozen_consts(env, parts[i].part, &v);
        if (st == napi_ok) st = napi_set_named_property(env, layout, parts[i].name, v);
    }
    if (st == napi_ok) st = napi_object_freeze(env, layout);
    return st == napi_ok ? napi_set_named_property(env, exports, "layout", layout) : st;
}

napi_status an_register_pump(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {
        {"init", Init}, {"pump", Pump}, {"stats", Stats}, {"keepAlive", KeepAlive}, {NULL, NULL}};
    an_export(env, exports, I, fns);
    napi_status st = export_layout(env, exports);
    return st == napi_ok ? napi_add_env_cleanup_hook(env, cleanup_hook, I) : st;
}

static napi_value module_init(napi_env env, napi_value exports) {
    an_inst *I = calloc(1, sizeof *I);
    if (!I) {
        napi_throw_error(env, "AKT_ENOMEM", "out of memory");
        return NULL;
    }
    I->env = env;
    I->js_thread = pthread_self();
    pthread_mutex_init(&I->inbox_lock, NULL);
    if (an_register_pump(env, exports, I) != napi_ok || an_register_system(env, exports, I) ||
        an_register_send(env, exports, I) || an_register_actor(env, exports, I) ||
        an_register_ctx(env, exports, I) || an_register_events(env, exports, I) ||
        an_register_native(env, exports, I) || an_register_errors(env, exports, I) ||
        an_register_cron(env, exports, I) || an_register_router(env, exports, I) ||
        an_register_metrics(env, exports, I) || an_register_headers(env, exports, I) ||
        an_register_grain(env, exports, I) || an_register_remote2(env, exports, I) ||
        an_register_serial(env, exports, I) || an_register_stream(env, exports, I) ||
        an_register_breaker(env, exports, I) || an_register_trace(env, exports, I) ||
        an_register_otlp(env, exports, I) || an_register_typed(env, exports, I)) {
        napi_throw_error(env, NULL, "akt: cannot register the native functions");
        return NULL;
    }
    return exports;
}

NAPI_MODULE_INIT() { return module_init(env, exports); }
