#include "base/alloc.h" // two folders of level 0
#include "queue/mpsc.h"
