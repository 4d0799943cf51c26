/* The thread-local block and the thread hooks. */
#include "tls.h"

#include <stddef.h>

AKT__TLS akt__tls akt__self;

void akt__thread_enter(const akt__thread_hooks *h, int index) {
    akt__self.own_system = h->owner;
    if (h->start) h->start(h->data, index);
}

void akt__thread_leave(const akt__thread_hooks *h, int index) {
    if (h->stop) h->stop(h->data, index);
    akt__self.own_system = NULL;
}
