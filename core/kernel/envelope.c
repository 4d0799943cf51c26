/* Envelopes nobody will handle. */
#include "envelope.h"

#include "future.h"
#include "msg.h"

void akt__env_discard(akt__envelope *e, int rc) {
    akt_msg *m = e->msg;
    akt_future *r = e->reply;
    akt__env_free(e); /* first: an embedded envelope lives in m */
    if (r) akt__future_complete(r, rc, NULL);
    if (m) akt_msg_release(m);
    if (r) akt__future_unref(r);
}

void akt__env_discard_chain(akt__envelope *e, int rc) {
    while (e) {
        akt__envelope *n = (akt__envelope *)atomic_load_explicit(&e->node.next,
                                                                 memory_order_relaxed);
        akt__env_discard(e, rc);
        e = n;
    }
}
