#include "kernel/msg.h"
#include "base/alloc.h"
#include "actor/send.h"
#include <akt/akt.h>
// #include "io/loop.h" is a comment, not an include
static const char *s = "#include \"io/loop.h\"";
