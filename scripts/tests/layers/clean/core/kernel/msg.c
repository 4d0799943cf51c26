#include "msg.h"
#include "wire/codec.h"
#include <time.h>
#include <sys/types.h>
