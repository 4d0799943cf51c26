/* Test helpers for two nodes (tu_remote.h). */
#include "tu_remote.h"

#include <stdio.h>

akt_pid tu_remote_pid(akt_system *a, akt_system *b, const char *path) {
    char addr[256], full[300];
    TU_OK(akt_remote_address(b, addr, sizeof addr, NULL));
    int n = snprintf(full, sizeof full, "%s%s", addr, path);
    assert_true(n > 0 && (size_t)n < sizeof full);
    akt_pid p;
    TU_OK(akt_remote_lookup(a, full, &p));
    return p;
}
