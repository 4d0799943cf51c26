/* The guardian's policy for top-level escalations (akt_system_set_guardian_policy) and what
 * it does on one (installed at creation as akt_system.guardian_escalated). */
#include "system.h"

void akt__guardian_escalated(akt_system *s) {
    pthread_mutex_lock(&s->lock);
    int policy = s->guardian_policy;
    akt_shutdown_cb cb = s->guardian_cb;
    void *data = s->guardian_data;
    pthread_mutex_unlock(&s->lock);
    if (policy == AKT_GUARDIAN_SHUTDOWN)
        akt_system_shutdown(s, cb, data); /* AKT_ECLOSED if already under way: fine */
}

AKT_API int akt_system_set_guardian_policy(akt_system *system, int policy, akt_shutdown_cb cb,
                                           void *data) {
    if (!system || (policy != AKT_GUARDIAN_STOP_ACTOR && policy != AKT_GUARDIAN_SHUTDOWN))
        return AKT_EINVAL;
    if (akt__sys_closed(system)) return AKT_ECLOSED;
    pthread_mutex_lock(&system->lock);
    system->guardian_policy = policy;
    system->guardian_cb = policy == AKT_GUARDIAN_SHUTDOWN ? cb : NULL;
    system->guardian_data = policy == AKT_GUARDIAN_SHUTDOWN ? data : NULL;
    pthread_mutex_unlock(&system->lock);
    return 0;
}
