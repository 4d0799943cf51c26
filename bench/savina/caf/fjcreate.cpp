// Fork-Join creation: main spawns N = 40,000 actors and sends each one message.
#include "harness.hpp"

#include <atomic>

using namespace caf;

namespace {
constexpr int64_t N = 40000;

behavior fjc_actor(event_based_actor *self, std::atomic<int64_t> *handled, sv_latch *done) {
    return {
        [=](work_atom) {
            sv_compute(37.2);
            self->quit();
            // acq_rel: the N-th add is ordered after all others; only it releases the latch.
            if (handled->fetch_add(1, std::memory_order_acq_rel) + 1 == N) done->release(true);
        },
    };
}
} // namespace

bool sv_fjcreate(actor_system &sys) {
    sv_latch done;
    std::atomic<int64_t> handled{0};
    for (int64_t i = 0; i < N; i++)
        anon_send(sys.spawn(fjc_actor, &handled, &done), work_atom::value);
    return done.wait();
}
