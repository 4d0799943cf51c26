// ThreadRing: N = 100 actors pass a token R = 100,000 times, then an exit goes round once.
#include "harness.hpp"

#include <atomic>
#include <vector>

using namespace caf;

namespace {
constexpr int N = 100;
constexpr int64_t R = 100000;

struct ring_state {
    actor next;
    int64_t hops = 0;
};

behavior ring_actor(stateful_actor<ring_state> *self, std::atomic<int64_t> *total, sv_latch *done) {
    return {
        [=](next_atom, actor next) { self->state.next = std::move(next); },
        [=](token_atom, int64_t left) {
            auto &s = self->state;
            s.hops++;
            if (left > 0)
                self->send(s.next, token_atom::value, left - 1);
            else
                self->send(s.next, exit_atom::value, int32_t{N});
        },
        [=](exit_atom, int32_t k) {
            auto &s = self->state;
            // relaxed: the last actor of the exit lap reads the sum, and the chain of sends
            // (each a release/acquire hand-off) orders it after every other add.
            int64_t sum = total->fetch_add(s.hops, std::memory_order_relaxed) + s.hops;
            if (k > 1) self->send(s.next, exit_atom::value, k - 1);
            self->quit();
            if (k == 1) done->release(sum == R + 1);
        },
    };
}
} // namespace

bool sv_threadring(actor_system &sys) {
    sv_latch done;
    std::atomic<int64_t> total{0};
    std::vector<actor> ring;
    for (int i = 0; i < N; i++) ring.push_back(sys.spawn(ring_actor, &total, &done));
    for (int i = 0; i < N; i++) anon_send(ring[i], next_atom::value, ring[(i + 1) % N]);
    anon_send(ring[0], token_atom::value, R);
    return done.wait();
}
