/* The library version at run time. */
#include <akt/akt.h>

AKT_API unsigned akt_version(void) { return AKT_VERSION_HEX; }

#define AKT_STR2(x) #x
#define AKT_STR(x) AKT_STR2(x)
AKT_API const char *akt_version_string(void) {
    return AKT_STR(AKT_VERSION_MAJOR) "." AKT_STR(AKT_VERSION_MINOR) "." AKT_STR(AKT_VERSION_PATCH);
}
