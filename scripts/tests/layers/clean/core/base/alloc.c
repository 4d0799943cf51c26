#include "alloc.h"
#include "base/alloc.h"
#  include <string.h> /* memcpy */
