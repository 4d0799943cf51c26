/* Pids from outside: liveness, paths and lookup by path. */
#include <string.h>

#include "kernel/names.h"
#include "kernel/path.h"
#include "kernel/sys.h"

AKT_API int akt_pid_is_alive(akt_system *system, akt_pid pid) {
    if (!system) return 0;
    return akt__cell_live(system, pid) != NULL && akt__pid_index(pid) != AKT__GUARDIAN;
}

AKT_API int akt_pid_path(akt_system *system, akt_pid pid, char *buf, size_t len, size_t *needed) {
    if (!system || (!buf && len)) return AKT_EINVAL;
    int rc = 0;
    pthread_mutex_lock(&system->lock);
    akt__cell *c = akt__cell_live(system, pid);
    size_t n = (size_t)-1;
    /* A part's cell (a remote pid's proxy) has the part's path (its remote address). */
    for (akt__part *p = c ? system->parts : NULL; p && n == (size_t)-1; p = p->next)
        if (p->cell_path) n = p->cell_path(p, c, buf, len);
    if (!c || (!akt__cell_name(c) && n == (size_t)-1)) {
        rc = AKT_ENOTFOUND;
    } else {
        if (n == (size_t)-1) n = akt__path_locked(system, c, buf, len);
        if (needed) *needed = n;
        if (n + 1 > len) rc = AKT_ERANGE;
    }
    pthread_mutex_unlock(&system->lock);
    return rc;
}

AKT_API int akt_lookup(akt_system *system, const char *path, akt_pid *out) {
    if (!system || !path || !out) return AKT_EINVAL;
    const char *p = path;
    if (strncmp(p, "akt://", 6) == 0) {
        p += 6;
        size_t nl = strlen(system->name);
        if (strncmp(p, system->name, nl) != 0 || p[nl] != '/') return AKT_ENOTFOUND;
        p += nl;
    }
    if (p[0] == '/') {
        if (strncmp(p, "/user/", 6) != 0) return AKT_ENOTFOUND;
        p += 6;
    }
    if (!*p) return AKT_EINVAL;
    int rc = AKT_ENOTFOUND;
    pthread_mutex_lock(&system->lock);
    uint32_t at = AKT__GUARDIAN;
    while (at && *p) {
        const char *slash = strchr(p, '/');
        size_t l = slash ? (size_t)(slash - p) : strlen(p);
        at = l ? akt__names_find(system, at, p, l) : 0;
        p += l + (slash ? 1 : 0);
        if (slash && !*p) break; /* trailing slash */
    }
    if (at && at != AKT__GUARDIAN) {
        *out = akt__cell_pid(akt__cell_get(system, at));
        rc = 0;
    }
    pthread_mutex_unlock(&system->lock);
    return rc;
}

AKT_API int akt_reinstate_named(akt_system *system, const char *path) {
    akt_pid pid;
    int rc = akt_lookup(system, path, &pid);
    return rc ? rc : akt_reinstate(system, pid);
}
