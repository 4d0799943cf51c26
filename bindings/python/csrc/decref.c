/* decref.c -- releasing Python references from threads that must not wait for the GIL.
 *
 * akt releases a message on whichever thread drops its last reference, often inside akt
 * itself. Waiting for the GIL there could deadlock (the GIL holder may be waiting for
 * akt), and running a __del__ there would run user code inside akt. So a release that may
 * free the object is queued and done at the next safe point instead: two lists, one for
 * threads that hold the GIL (the GIL guards it) and one under a mutex for the others.
 *
 * Since Python actors run as receive_batch (actor.c), the messages of a run are released
 * inside it with the GIL held, on either placement: they use the first list or none. The
 * mutex list is left for what akt drops on threads without the GIL: a Python object read
 * by a C actor, dead letters and mailboxes drained by akt's threads, replies dropped by a
 * timed-out ask, the message a failed receive leaves to akt, a message a Python actor on
 * the workers answered (actor.c hands the GIL to the asker first), the messages of a
 * become handler on the workers (one call per message), and actor state freed by
 * free_state. The messages of a system whose actors run on its Python thread by default
 * reach it only from that last case: their ops name its dispatcher as release_on
 * (msg.c), so akt queues the releases made elsewhere, lock-free, and runs them in the
 * service's next run, GIL held, where they take the first list or none. */
#include "fastpath.h"

#include <stdlib.h>

typedef struct {
    PyObject **items;
    size_t n, cap;
} objlist;

static objlist held_list; /* guarded by the GIL */
static objlist free_list; /* guarded by free_lock */
static pthread_mutex_t free_lock = PTHREAD_MUTEX_INITIALIZER;
size_t akt_py_held_n;        /* held_list.n, for the inline check; guarded by the GIL */
atomic_size_t akt_py_free_n; /* free_list.n as last published; any thread */

static int objlist_push(objlist *l, PyObject *obj) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        PyObject **items = realloc(l->items, cap * sizeof *items);
        if (!items) return -1;
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = obj;
    return 0;
}

void akt_py_decref_later(PyObject *obj) {
    if (!obj) return;
    /* Out of memory in a push: leaking one object beats touching Python without the GIL. */
    if (PyGILState_Check()) {
        if (Py_REFCNT(obj) > 1) { /* not the last: no __del__ can run */
            Py_DECREF(obj);
            return;
        }
        if (objlist_push(&held_list, obj) == 0) akt_py_held_n = held_list.n;
        return;
    }
    pthread_mutex_lock(&free_lock);
    objlist_push(&free_list, obj);
    /* relaxed: a hint for the drain check; the mutex orders the list itself. */
    atomic_store_explicit(&akt_py_free_n, free_list.n, memory_order_relaxed);
    pthread_mutex_unlock(&free_lock);
}

static void release_all(objlist *l) {
    /* A __del__ may queue more releases: take the items out before running any. */
    while (l->n) {
        size_t n = l->n;
        PyObject **items = l->items;
        l->items = NULL;
        l->n = l->cap = 0;
        if (l == &held_list) akt_py_held_n = 0;
        for (size_t i = 0; i < n; i++) Py_DECREF(items[i]);
        if (!l->items) {
            l->items = items; /* reuse the buffer */
            l->cap = n;
        } else {
            free(items);
        }
    }
}

void akt_py_drain_slow(void) {
    release_all(&held_list);
    if (!atomic_load_explicit(&akt_py_free_n, memory_order_relaxed)) return;
    pthread_mutex_lock(&free_lock);
    objlist taken = free_list;
    free_list = (objlist){0};
    atomic_store_explicit(&akt_py_free_n, 0, memory_order_relaxed);
    pthread_mutex_unlock(&free_lock);
    release_all(&taken);
    free(taken.items);
}
