// Fork-Join throughput: main sends N = 10,000 messages to each of A = 60 actors.
#include "harness.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace caf;

namespace {
constexpr int64_t N = 10000;
constexpr int A = 60;

struct fjt_state {
    int64_t seen = 0;
};

behavior fjt_actor(stateful_actor<fjt_state> *self, std::atomic<int> *finished, sv_latch *done) {
    return {
        [=](work_atom, int64_t i) {
            auto &s = self->state;
            if (i != s.seen) {
                std::fprintf(stderr, "savina: fjthrput: message %ld arrived as number %ld\n",
                             static_cast<long>(i), static_cast<long>(s.seen));
                std::exit(1);
            }
            sv_compute(37.2);
            if (++s.seen != N) return;
            self->quit();
            // acq_rel: the last actor's add is ordered after the others'.
            if (finished->fetch_add(1, std::memory_order_acq_rel) + 1 == A) done->release(true);
        },
    };
}
} // namespace

bool sv_fjthrput(actor_system &sys) {
    sv_latch done;
    std::atomic<int> finished{0};
    std::vector<actor> actors;
    for (int i = 0; i < A; i++) actors.push_back(sys.spawn(fjt_actor, &finished, &done));
    for (int64_t n = 0; n < N; n++)
        for (auto &a : actors) anon_send(a, work_atom::value, n);
    return done.wait();
}
