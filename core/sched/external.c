/* External dispatchers: actors that run only inside akt_dispatcher_run, on a binding's
 * thread (a JS event loop, an asyncio loop). */
#include "base/tls.h"
#include "dispatch.h"

AKT_API int akt_dispatcher_create_external(akt_system *system, akt_notify_fn notify, void *data,
                                           akt_dispatcher **out) {
    if (!system || !notify || !out) return AKT_EINVAL;
    if (akt__sys_closed(system)) return AKT_ECLOSED;
    struct akt_dispatcher *d = akt__heap_calloc(&system->heap, sizeof *d);
    if (!d) return AKT_ENOMEM;
    if (akt__disp_init(system, d)) {
        akt__heap_free(&system->heap, d);
        return AKT_ENOMEM;
    }
    d->external = 1;
    d->notify = notify;
    d->notify_data = data;
    d->releases.magic = AKT__RELQ_MAGIC;
    d->releases.notify = notify;
    d->releases.notify_data = data;
    pthread_mutex_lock(&system->lock);
    d->next = system->externals;
    system->externals = d;
    pthread_mutex_unlock(&system->lock);
    *out = d;
    return 0;
}

AKT_API int akt_dispatcher_run(akt_dispatcher *dispatcher, size_t budget, size_t *processed) {
    if (!dispatcher || !dispatcher->external || budget == 0) return AKT_EINVAL;
    struct akt_dispatcher *d = dispatcher;
    int zero = 0;
    /* acquire: this run sees everything the previous run did to its actors. */
    if (!atomic_compare_exchange_strong_explicit(&d->running, &zero, 1, memory_order_acquire,
                                                 memory_order_relaxed))
        return AKT_EBUSY;
    if (akt__self.cell) { /* running actors from inside an actor callback */
        atomic_store_explicit(&d->running, 0, memory_order_release);
        return AKT_EMISUSE;
    }
    struct akt_dispatcher *prev = akt__self.running;
    akt__self.running = d;
    atomic_store_explicit(&d->runner, pthread_self(), memory_order_relaxed);
    atomic_store_explicit(&d->has_runner, 1, memory_order_release);
    akt__release_q_run(&d->releases); /* before any actor: what they free stays valid */
    size_t done = 0;
    while (done < budget) {
        akt__cell *c = akt__dispatch_try_pop(d);
        if (!c) break;
        size_t turn = budget - done < (size_t)d->system->throughput ? budget - done
                                                                    : (size_t)d->system->throughput;
        done += d->system->run_cell(&d->ext_worker, c, turn);
    }
    akt__self.running = prev;
    if (processed) *processed = done;
    /* relaxed: hints; whatever arrives after them also calls notify. */
    int rc = atomic_load_explicit(&d->rq_len, memory_order_relaxed) ||
                     atomic_load_explicit(&d->releases.head, memory_order_relaxed)
                 ? AKT_EAGAIN
                 : 0;
    akt_system *s = d->system;
    int free_after = d->free_system_after;
    /* release: pairs with the next run's acquire. */
    atomic_store_explicit(&d->running, 0, memory_order_release);
    if (free_after) {
        /* The system's last reference went inside this run: free it now that nothing of
         * the run is in use, or leave it to an enclosing run of the same system. */
        if (akt__external_of(prev, s))
            prev->free_system_after = 1;
        else
            s->free_system(s);
        return 0;
    }
    return rc;
}
