#include "queue/mpsc.h"
