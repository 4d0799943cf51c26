/* The guardian's policy for top-level escalations (akt_system_set_guardian_policy) and the
 * shutdown it may start (installed at creation as akt_system.guardian_shutdown). */
#include "system.h"

void akt__guardian_shutdown(akt_system *s) {
    akt_system_shutdown(s, NULL, NULL); /* AKT_ECLOSED if already under way: fine */
}

AKT_API int akt_system_set_guardian_policy(akt_system *system, int policy) {
    if (!system || (policy != AKT_GUARDIAN_STOP_ACTOR && policy != AKT_GUARDIAN_SHUTDOWN))
        return AKT_EINVAL;
    /* acquire: a shutdown that started before this call is seen (state is set with
     * release by the shutdown). */
    if (atomic_load_explicit(&system->state, memory_order_acquire) != AKT__SYS_RUNNING)
        return AKT_ECLOSED;
    /* relaxed: the policy is one independent word (see its reader in actor/supervise.c) */
    atomic_store_explicit(&system->guardian_policy, policy, memory_order_relaxed);
    return 0;
}
