// Counting: a producer sends N = 1,000,000 increments to a counter, then asks the count.
#include "harness.hpp"

using namespace caf;

namespace {
constexpr int64_t N = 1000000;

struct counter_state {
    int64_t count = 0;
};

behavior counter_actor(stateful_actor<counter_state> *self) {
    return {
        [=](inc_atom) { self->state.count++; },
        [=](get_atom) {
            self->send(actor_cast<actor>(self->current_sender()), result_atom::value,
                       self->state.count);
            self->quit();
        },
    };
}

behavior producer_actor(event_based_actor *self, actor counter, sv_latch *done) {
    return {
        [=](start_atom) {
            for (int64_t i = 0; i < N; i++) self->send(counter, inc_atom::value);
            self->send(counter, get_atom::value);
        },
        [=](result_atom, int64_t count) {
            self->quit();
            done->release(count == N);
        },
    };
}
} // namespace

bool sv_counting(actor_system &sys) {
    sv_latch done;
    auto counter = sys.spawn(counter_actor);
    anon_send(sys.spawn(producer_actor, counter, &done), start_atom::value);
    return done.wait();
}
