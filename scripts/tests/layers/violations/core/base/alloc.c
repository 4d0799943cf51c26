#include "alloc.h"
#include "kernel/msg.h"
