// Chameneos: C = 100 chameneos meet M = 200,000 times at one mall.
#include "harness.hpp"

using namespace caf;

namespace {
constexpr int C = 100;
constexpr int64_t M = 200000;
enum { BLUE, RED, YELLOW, FADED };

int32_t complement(int32_t a, int32_t b) { return a == b ? a : 3 - a - b; }

struct mall_state {
    int64_t left = M, faded = 0, sum = 0;
    actor waiting;
};

struct cham_state {
    actor mall;
    int32_t colour = BLUE;
    int64_t meetings = 0;
};

behavior mall_actor(stateful_actor<mall_state> *self, sv_latch *done) {
    return {
        [=](meet_atom, int32_t colour, actor from) {
            auto &s = self->state;
            if (s.left == 0) {
                self->send(from, exit_atom::value);
            } else if (!s.waiting) {
                s.waiting = std::move(from);
            } else {
                s.left--;
                self->send(s.waiting, meet_atom::value, colour, from);
                s.waiting = nullptr;
            }
        },
        [=](count_atom, int64_t n) {
            auto &s = self->state;
            s.sum += n;
            if (++s.faded == C) {
                self->quit();
                done->release(s.sum == 2 * M);
            }
        },
    };
}

behavior cham_actor(stateful_actor<cham_state> *self, actor mall, int32_t colour) {
    self->state.mall = mall;
    self->state.colour = colour;
    auto meet = [=] {
        self->send(self->state.mall, meet_atom::value, self->state.colour, actor{self});
    };
    return {
        [=](start_atom) { meet(); },
        [=](meet_atom, int32_t other, actor from) { // from the mall: the partner's colour
            auto &s = self->state;
            s.colour = complement(s.colour, other);
            s.meetings++;
            self->send(from, change_atom::value, s.colour);
            meet();
        },
        [=](change_atom, int32_t c) {
            self->state.colour = c;
            self->state.meetings++;
            meet();
        },
        [=](exit_atom) {
            self->state.colour = FADED;
            self->send(self->state.mall, count_atom::value, self->state.meetings);
            self->quit();
        },
    };
}
} // namespace

bool sv_chameneos(actor_system &sys) {
    sv_latch done;
    auto mall = sys.spawn(mall_actor, &done);
    for (int i = 0; i < C; i++)
        anon_send(sys.spawn(cham_actor, mall, static_cast<int32_t>(i % 3)), start_atom::value);
    return done.wait();
}
