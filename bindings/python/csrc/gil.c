/* gil.c -- entering Python from akt's threads.
 *
 * An akt worker that runs a Python actor makes one Python thread state on its first
 * callback and keeps it (PyGILState_Ensure without the matching Release) until the
 * thread_stop hook, so each later callback is a plain GIL take and drop. Any other thread
 * (one that waits for an ask and runs the target's turn itself) takes the GIL for each
 * callback with PyGILState_Ensure and gives it back with PyGILState_Release. */
#include "fastpath.h"

atomic_int akt_py_alive;

static _Thread_local PyThreadState *tls_saved; /* this thread's state while detached */
static _Thread_local PyGILState_STATE tls_gstate;
static _Thread_local int tls_made;       /* 1 once this thread made its state */
static _Thread_local int tls_akt_thread; /* set by the thread_start hook on akt's threads */
static _Thread_local PyGILState_STATE tls_borrowed; /* a foreign thread's enter (2) */

static int python_finalizing(void) {
#if PY_VERSION_HEX >= 0x030D0000
    return Py_IsFinalizing();
#else
    return _Py_IsFinalizing();
#endif
}

int akt_py_enter(void) {
    /* acquire: pairs with the release store in module teardown. */
    if (!atomic_load_explicit(&akt_py_alive, memory_order_acquire)) return -1;
    if (PyGILState_Check()) return 1;
    if (python_finalizing()) return -1;
    if (tls_made) {
        PyEval_RestoreThread(tls_saved);
    } else if (tls_akt_thread) {
        tls_gstate = PyGILState_Ensure();
        tls_made = 1;
    } else {
        /* Not akt's: a thread waiting for an ask that runs its target's turn itself (akt's
         * waiters_run_turns), a Python thread with its own state or a C thread. Its state
         * is its own business: taken for this callback only, as any foreign callback. */
        tls_borrowed = PyGILState_Ensure();
        return 2;
    }
    return 0;
}

void akt_py_leave(int entered) {
    if (entered == 0)
        tls_saved = PyEval_SaveThread();
    else if (entered == 2)
        PyGILState_Release(tls_borrowed);
}

void akt_py_thread_start(void *data, int index) {
    (void)data;
    (void)index;
    tls_akt_thread = 1;
}

void akt_py_thread_stop(void *data, int index) {
    (void)data;
    (void)index;
    if (!tls_made) return;
    tls_made = 0;
    /* After finalization the state is gone with the interpreter: leave it. */
    if (!atomic_load_explicit(&akt_py_alive, memory_order_acquire) || python_finalizing()) return;
    PyEval_RestoreThread(tls_saved);
    PyGILState_Release(tls_gstate); /* deletes the thread state and drops the GIL */
}
