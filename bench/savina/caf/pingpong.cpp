// PingPong: N = 40,000 ping/pong pairs, one in flight at a time.
#include "harness.hpp"

using namespace caf;

namespace {
constexpr int64_t N = 40000;

struct ping_state {
    actor pong;
    int64_t left = N, pongs = 0;
    sv_latch *done = nullptr;
};

behavior pong_actor(event_based_actor *self) {
    return {
        [=](ping_atom, int64_t n) {
            self->send(actor_cast<actor>(self->current_sender()), pong_atom::value, n);
        },
        [=](stop_atom) { self->quit(); },
    };
}

behavior ping_actor(stateful_actor<ping_state> *self, actor pong, sv_latch *done) {
    self->state.pong = pong;
    self->state.done = done;
    auto next = [=] {
        auto &s = self->state;
        if (s.left > 0) {
            self->send(s.pong, ping_atom::value, s.left--);
            return;
        }
        self->send(s.pong, stop_atom::value);
        self->quit();
        s.done->release(s.pongs == N);
    };
    return {
        [=](start_atom) { next(); },
        [=](pong_atom, int64_t) {
            self->state.pongs++;
            next();
        },
    };
}
} // namespace

bool sv_pingpong(actor_system &sys) {
    sv_latch done;
    auto pong = sys.spawn(pong_actor);
    anon_send(sys.spawn(ping_actor, pong, &done), start_atom::value);
    return done.wait();
}
