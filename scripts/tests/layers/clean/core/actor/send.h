#include <akt/akt.h>
