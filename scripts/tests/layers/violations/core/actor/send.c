#include "send.h"
#include "kernel/msg.h"
