// Big: W = 120 actors each send N = 20,000 pings, one at a time, to random peers.
#include "harness.hpp"

#include <vector>

using namespace caf;

namespace {
constexpr int W = 120;
constexpr int64_t N = 20000;

struct big_state {
    std::vector<actor> peers;
    actor sink;
    int64_t pings = 0, pongs = 0;
    uint64_t rng = 0;
};

struct sink_state {
    std::vector<actor> peers;
    int64_t finished = 0, pongs = 0;
};

behavior big_actor(stateful_actor<big_state> *self, actor sink, uint64_t seed) {
    self->state.sink = sink;
    self->state.rng = seed;
    auto next = [=] {
        auto &s = self->state;
        if (s.pings == N) {
            self->send(s.sink, done_atom::value, s.pongs);
            return;
        }
        s.pings++;
        s.rng ^= s.rng << 13;
        s.rng ^= s.rng >> 7;
        s.rng ^= s.rng << 17;
        self->send(s.peers[s.rng % W], ping_atom::value);
    };
    return {
        [=](start_atom, std::vector<actor> peers) {
            self->state.peers = std::move(peers);
            next();
        },
        [=](ping_atom) { self->send(actor_cast<actor>(self->current_sender()), pong_atom::value); },
        [=](pong_atom) {
            self->state.pongs++;
            next();
        },
        [=](exit_atom) { self->quit(); },
    };
}

behavior sink_actor(stateful_actor<sink_state> *self, sv_latch *done) {
    return {
        [=](start_atom, std::vector<actor> peers) { self->state.peers = std::move(peers); },
        [=](done_atom, int64_t pongs) {
            auto &s = self->state;
            s.pongs += pongs;
            if (++s.finished < W) return;
            for (auto &p : s.peers) self->send(p, exit_atom::value);
            s.peers.clear();
            self->quit();
            done->release(s.pongs == W * N);
        },
    };
}
} // namespace

bool sv_big(actor_system &sys) {
    sv_latch done;
    auto sink = sys.spawn(sink_actor, &done);
    std::vector<actor> peers;
    for (int i = 0; i < W; i++)
        peers.push_back(sys.spawn(big_actor, sink, 0x9E3779B97F4A7C15ull * (i + 1)));
    anon_send(sink, start_atom::value, peers);
    for (auto &p : peers) anon_send(p, start_atom::value, peers);
    return done.wait();
}
