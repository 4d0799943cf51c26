/* A C actor that runs its own libuv loop on its own thread, as libakt's I/O thread does:
 * the test loads it into Node (whose executable exports its own libuv) to prove that the
 * two libuv copies coexist under load (DESIGN.md section 1).
 *
 *   uv.Poke      -> uv_async_send to the probe's loop (no reply)
 *   uv.Count     -> responds uv.Counts "<timer ticks> <async callbacks> <pokes sent>"
 *   uv.Version   -> responds uv.Version "<uv_version_string()> <library of uv_run>"
 *
 * The loop stops and its thread is joined when the actor is freed. */
#define _GNU_SOURCE
#include <akt/akt.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

typedef struct probe {
    uv_loop_t loop;
    uv_timer_t timer;
    uv_async_t poke, quit;
    pthread_t thread;
    atomic_long ticks, asyncs, pokes;
} probe;

static void on_tick(uv_timer_t *t) {
    probe *p = t->data;
    atomic_fetch_add_explicit(&p->ticks, 1, memory_order_relaxed);
}

static void on_poke(uv_async_t *a) {
    probe *p = a->data;
    atomic_fetch_add_explicit(&p->asyncs, 1, memory_order_relaxed);
}

static void on_quit(uv_async_t *a) {
    probe *p = a->data;
    uv_close((uv_handle_t *)&p->timer, NULL);
    uv_close((uv_handle_t *)&p->poke, NULL);
    uv_close((uv_handle_t *)&p->quit, NULL);
}

static void *loop_main(void *arg) {
    probe *p = arg;
    uv_run(&p->loop, UV_RUN_DEFAULT);
    uv_loop_close(&p->loop);
    return NULL;
}

static int respond(akt_ctx *ctx, const char *type, const char *text) {
    akt_msg *m;
    int rc = akt_msg_new_bytes(type, text, strlen(text), AKT_COPY, &m);
    if (rc) return rc;
    rc = akt_ctx_respond(ctx, m);
    if (rc) akt_msg_release(m);
    return rc;
}

static int probe_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    probe *p = state;
    const char *type = akt_msg_type(msg);
    char text[256];
    if (!strcmp(type, "uv.Poke")) {
        atomic_fetch_add_explicit(&p->pokes, 1, memory_order_relaxed);
        return uv_async_send(&p->poke) == 0 ? 0 : AKT_EFAILED;
    }
    if (!strcmp(type, "uv.Count")) {
        snprintf(text, sizeof text, "%ld %ld %ld", atomic_load(&p->ticks), atomic_load(&p->asyncs),
                 atomic_load(&p->pokes));
        return respond(ctx, "uv.Counts", text);
    }
    if (!strcmp(type, "uv.Version")) {
        Dl_info info;
        const char *where = dladdr((void *)(uintptr_t)uv_run, &info) && info.dli_fname
                                ? info.dli_fname
                                : "?";
        snprintf(text, sizeof text, "%s %s", uv_version_string(), where);
        return respond(ctx, "uv.Version", text);
    }
    return AKT_EUNHANDLED;
}

static void probe_free(void *state) {
    probe *p = state;
    uv_async_send(&p->quit);
    pthread_join(p->thread, NULL);
    free(p);
}

static const akt_behavior probe_behavior = {
    .size = sizeof(akt_behavior), .receive = probe_receive, .free_state = probe_free};

int akt_uv_probe(const char *arg, const akt_behavior **behavior, void **state);

int akt_uv_probe(const char *arg, const akt_behavior **behavior, void **state) {
    (void)arg;
    probe *p = calloc(1, sizeof *p);
    if (!p) return AKT_ENOMEM;
    if (uv_loop_init(&p->loop)) goto fail;
    uv_timer_init(&p->loop, &p->timer);
    uv_async_init(&p->loop, &p->poke, on_poke);
    uv_async_init(&p->loop, &p->quit, on_quit);
    p->timer.data = p->poke.data = p->quit.data = p;
    uv_timer_start(&p->timer, on_tick, 1, 1);
    if (pthread_create(&p->thread, NULL, loop_main, p)) goto fail;
    *behavior = &probe_behavior;
    *state = p;
    return 0;
fail:
    free(p);
    return AKT_EFAILED;
}
