#include "kernel/msg.h"
