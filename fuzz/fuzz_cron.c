/* fuzz_cron: arbitrary bytes as a cron expression (the first byte chooses UTC or a zone
 * with DST), then the next fire times from a few instants. Bad input is an error with a
 * column inside (or just after) the text, never a crash; a fire time is a whole second
 * after the instant asked about. */
#define _POSIX_C_SOURCE 200809L
#include "cron/cron.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    setenv("TZ", "America/New_York", 1);
    tzset();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0 || size > 256) return 0;
    unsigned flags = data[0] & 1u;
    char *expr = malloc(size);
    if (!expr) return 0;
    memcpy(expr, data + 1, size - 1);
    expr[size - 1] = '\0';
    size_t len = strlen(expr), col = 0;
    akt__cron *c = NULL;
    int rc = akt__cron_parse(expr, flags, &c, &col);
    if (rc == 0) {
        static const int64_t afters[] = {0, 1710054000LL * 1000000000LL,
                                         1730613600LL * 1000000000LL, -1, INT64_MIN};
        for (size_t i = 0; i < sizeof afters / sizeof afters[0]; i++) {
            int64_t next = 0;
            rc = akt__cron_next(c, afters[i], &next);
            if (rc == 0 && (next <= afters[i] || next % 1000000000LL != 0)) abort();
            if (rc != 0 && rc != AKT_ENOTFOUND) abort();
        }
        akt__cron_free(c);
    } else if (rc != AKT_EINVAL || col < 1 || col > len + 1) {
        abort();
    }
    free(expr);
    return 0;
}
