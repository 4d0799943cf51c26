/* AKT_TYPE_INT64 messages for the C cases (the streams' elements): the payload is the value's
 * 8 bytes, least significant first, as the bindings write it. */
#ifndef AKT_CONF_INT64_H
#define AKT_CONF_INT64_H
#include "conf.h"

/* A new AKT_TYPE_INT64 message holding v (ends the program if it cannot be made). */
akt_msg *conf_int64(int64_t v);

/* The value of an AKT_TYPE_INT64 message (ends the program if m has no 8-byte payload). */
int64_t conf_int64_of(akt_msg *m);

#endif
