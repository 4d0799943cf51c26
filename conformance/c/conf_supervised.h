/* The actors of the supervision cases (supervision_all_for_one, retry_window, backoff,
 * error_rules, supervision, suspend_reinstate): a worker, a manager that spawns workers, an
 * observer that logs the end of the actors it watches. Each case brings only its supervisor
 * (conf_supervised.c). */
#ifndef AKT_CONF_SUPERVISED_H
#define AKT_CONF_SUPERVISED_H
#include "conf.h"

/* Counts conf.Incr (conf.Get answers conf.Count "<n>"); conf.Fail "<reason>" fails with
 * that reason (AKT_EINVAL for "invalid", AKT_ETIMEDOUT for "fatal"); conf.Mark "<text>"
 * logs handled. Logs pre_start and post_stop (with n).
 * State: conf_worker_new(), freed by the behaviour. */
extern const akt_behavior conf_worker_behavior;
void *conf_worker_new(void);

/* conf.SpawnWorker "<name>" spawns a worker child named so and answers conf.Done "<rc>";
 * conf.SpawnManager "<name>" spawns a manager child (no state) named so whose children the
 * state supervises (supervision's judge); logs pre_start and post_stop.
 * State: NULL, or a const akt_supervisor * for the children of the managers it spawns. */
extern const akt_behavior conf_manager_behavior;

/* conf.Watch "<path>" watches the actor at path (answers conf.Done "<rc>"); its Terminated
 * logs terminated "<path>". State: a conf_observer (at most 4 actors), zeroed. */
typedef struct conf_observer {
    akt_pid pids[4];
    char paths[4][128];
    int count;
} conf_observer;
extern const akt_behavior conf_observer_behavior;

#endif
