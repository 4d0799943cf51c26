#include "kernel/msg.h"
#include "base/alloc.h"
