/* The handshake that ends a shutdown: the guardian's finalisation (actor/) wakes the reaper
 * (system/) through the system's done_lock. */
#include "sys.h"

void akt__system_guardian_gone(akt_system *s) {
    pthread_mutex_lock(&s->done_lock);
    s->guardian_gone = 1;
    pthread_cond_broadcast(&s->done_cond);
    pthread_mutex_unlock(&s->done_lock);
}
