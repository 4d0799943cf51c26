/* Extensions: named system-wide values given at creation (akt_system_options), copied into
 * the system once and never changed, so every reader goes without a lock. */
#include <string.h>

#include "system.h"

/* GoAkt's rule for extension ids: 2..255 characters, [A-Za-z0-9][A-Za-z0-9_-]*. */
static int akt__extension_name_check(const char *n) {
    if (!n) return AKT_EINVAL;
    size_t len = strnlen(n, 256);
    if (len < 2 || len > 255) return AKT_EINVAL;
    for (size_t i = 0; i < len; i++) {
        char ch = n[i];
        int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9');
        if (!alnum && (i == 0 || (ch != '-' && ch != '_'))) return AKT_EINVAL;
    }
    return 0;
}

int akt__extensions_init(akt_system *s, const akt_system_options *o) {
    size_t n = o->extension_count;
    if (!n) return 0;
    if (!o->extension_names || !o->extension_values || n > UINT32_MAX) return AKT_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (akt__extension_name_check(o->extension_names[i])) return AKT_EINVAL;
        for (size_t j = 0; j < i; j++)
            if (strcmp(o->extension_names[i], o->extension_names[j]) == 0) return AKT_EEXIST;
    }
    s->ext_names = akt__heap_calloc(&s->heap, n * sizeof(char *));
    s->ext_values = akt__heap_calloc(&s->heap, n * sizeof(void *));
    if (!s->ext_names || !s->ext_values) return AKT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        s->ext_names[i] = akt__heap_strdup(&s->heap, o->extension_names[i]);
        if (!s->ext_names[i]) return AKT_ENOMEM;
        s->ext_values[i] = o->extension_values[i];
        s->next = (uint32_t)i + 1;
    }
    return 0;
}

void akt__extensions_free(akt_system *s) {
    for (uint32_t i = 0; i < s->next; i++) akt__heap_free(&s->heap, s->ext_names[i]);
    akt__heap_free(&s->heap, s->ext_names);
    akt__heap_free(&s->heap, s->ext_values);
    s->ext_names = NULL;
    s->ext_values = NULL;
    s->next = 0;
}

AKT_API int akt_system_extension(akt_system *system, const char *name, void **value) {
    if (!system || !name || !value) return AKT_EINVAL;
    return akt__extension_find(system, name, value);
}
