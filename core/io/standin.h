/* The I/O thread's stand-in: a second thread that runs the loop while the loop thread is
 * stuck in a long top-level run (akt__io_defer: an actor's turn that blocks), so that the
 * node's connections, heartbeats and replies go on meanwhile, as Go's runtime hands a
 * processor to another thread when the one running it blocks in a system call. The loop
 * has one owner at a time: io->loop_mu is held by whoever runs it. */
#ifndef AKT_CORE_IO_STANDIN_H
#define AKT_CORE_IO_STANDIN_H
#include "io.h"

/* Makes the stand-in's thread (thread hooks index AKT__IO_STANDIN_INDEX); it sleeps until
 * top-level runs begin. AKT_ENOMEM if it cannot be made. */
int akt__standin_start(akt__io *io);
/* Ends and joins it; the loop thread has ended. Idempotent. */
void akt__standin_stop(akt__io *io);
/* Loop thread, holding loop_mu, as a top-level run begins: hands the loop to the stand-in
 * should the run last (releases loop_mu). */
void akt__standin_top_begins(akt__io *io);
/* Loop thread, as that run ends: takes the loop back (loop_mu held again on return). */
void akt__standin_top_ends(akt__io *io);

#define AKT__IO_STANDIN_INDEX -4

#endif
