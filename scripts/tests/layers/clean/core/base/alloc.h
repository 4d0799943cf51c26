#include <stddef.h>
#include <akt/akt.h>
