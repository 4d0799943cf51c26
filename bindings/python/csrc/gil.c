/* gil.c -- entering Python from akt's threads.
 *
 * An akt worker that runs a Python actor makes one Python thread state on its first
 * callback and keeps it (PyGILState_Ensure without the matching Release) until the
 * thread_stop hook, so each later callback is a plain GIL take and drop. */
#include "fastpath.h"

atomic_int akt_py_alive;

static _Thread_local PyThreadState *tls_saved; /* this thread's state while detached */
static _Thread_local PyGILState_STATE tls_gstate;
static _Thread_local int tls_made; /* 1 once this thread made its state */

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
    } else {
        tls_gstate = PyGILState_Ensure();
        tls_made = 1;
    }
    return 0;
}

void akt_py_leave(int entered) {
    if (entered == 0) tls_saved = PyEval_SaveThread();
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
