/* actor.h -- the state akt keeps for one Python actor (shared by actor.c and ctx.c). */
#ifndef AKT_PY_ACTOR_H
#define AKT_PY_ACTOR_H
#include "fastpath.h"

struct akt_py_cell {
    akt_py_system *system; /* strong */
    PyObject *actor;       /* the akt.Actor instance now in use */
    PyObject *factory;     /* makes a fresh instance on restart, or NULL */
    PyObject *receive;     /* actor.receive, bound */
    PyObject *pre_start;   /* bound, or NULL when the class keeps Actor's no-op */
    PyObject *post_stop;   /* idem */
    PyObject *stack;       /* list: handlers pushed by become, mirroring akt's stack */
    PyObject *deps;        /* dict name -> value (akt borrows the values), or NULL */
    PyObject *keep;        /* objects the spawn options borrow (supervisor), or NULL */
    PyObject *mailbox_key; /* akt.Priority's key, called by the mailbox's comparator */
    PyObject *ctx;         /* a Context reused while nobody else holds it */
    PyObject *self_pid;    /* cached */
    int mode;
    int started; /* pre_start ran once: a new one means a restart */
};

typedef struct akt_py_context {
    PyObject_HEAD akt_ctx *ctx; /* NULL outside the callback */
    akt_py_cell *cell;          /* NULL outside the callback */
    unsigned long thread;       /* the thread running the callback: the only one that may use it */
    int unhandled;
    int responded; /* ctx.respond() answered the current message */
} akt_py_context;

/* Fails the running callback with the current Python exception: logs it, hands its
 * traceback to akt_ctx_fail and returns AKT_EFAILED. */
int akt_py_fail(akt_py_cell *c, akt_ctx *ctx, const char *where);
/* A request's continuation (akt_request_options.then / .drop): data is an
 * akt_py_request_new. */
int akt_py_request_then(akt_ctx *ctx, int rc, akt_msg *reply, void *data);
void akt_py_request_drop(void *data);
/* The data of a request of cell c whose continuation is then (a new reference is taken);
 * NULL with MemoryError set. */
void *akt_py_request_new(akt_py_cell *c, PyObject *then);
/* Async receive (suspend.c): a suspension handle for Python (the module function that
 * posts a step to it is in fastpath.h). */
PyObject *akt_py_suspension_handle(akt_py_cell *c, akt_suspension s);
/* A reentrancy mode by name ("off", "allow_all", "stash") or None (the default). 0, or -1
 * with ValueError / TypeError set. */
int akt_py_reentrancy_arg(PyObject *obj, int *out);
/* The receive akt calls for handlers pushed with become (state = the cell). */
int akt_py_become_receive(akt_ctx *ctx, akt_msg *msg, void *state);

#endif
