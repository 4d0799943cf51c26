// caf-savina -bench=NAME [-threads=T] [-iterations=12]: runs one Savina benchmark in one
// actor system of T scheduler threads and prints the same JSON line as akt-savina.
#include "harness.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

void sv_compute(double theta) {
    double s = std::sin(theta), res = s * s;
    if (res <= 0) {
        std::fprintf(stderr, "savina: unrealistic computation result %f\n", res);
        std::exit(2);
    }
}

namespace {
struct entry {
    const char *name;
    bool (*fn)(caf::actor_system &);
};
const entry benches[] = {
    {"pingpong", sv_pingpong},   {"counting", sv_counting}, {"threadring", sv_threadring},
    {"chameneos", sv_chameneos}, {"big", sv_big},           {"fjthrput", sv_fjthrput},
    {"fjcreate", sv_fjcreate},
};
} // namespace

int main(int argc, char **argv) {
    const char *which = nullptr;
    int threads = 1, iterations = 12;
    for (int i = 1; i < argc; i++) {
        if (std::strncmp(argv[i], "-bench=", 7) == 0)
            which = argv[i] + 7;
        else if (std::strncmp(argv[i], "-threads=", 9) == 0)
            threads = std::atoi(argv[i] + 9);
        else if (std::strncmp(argv[i], "-iterations=", 12) == 0)
            iterations = std::atoi(argv[i] + 12);
    }
    bool (*fn)(caf::actor_system &) = nullptr;
    for (const auto &e : benches)
        if (which && std::strcmp(which, e.name) == 0) fn = e.fn;
    if (!fn || threads < 1 || iterations < 1) {
        std::fprintf(stderr, "usage: caf-savina -bench=pingpong|counting|threadring|chameneos|"
                             "big|fjthrput|fjcreate [-threads=1] [-iterations=12]\n");
        return 2;
    }
    caf::actor_system_config cfg;
    cfg.set("scheduler.max-threads", static_cast<size_t>(threads));
    int bad = 0;
    {
        caf::actor_system sys{cfg};
        std::printf("{\"impl\":\"caf\",\"bench\":\"%s\",\"threads\":%d,\"unit\":\"ms\",\"times\":[",
                    which, threads);
        for (int i = 0; i < iterations; i++) {
            auto t0 = std::chrono::steady_clock::now();
            bool ok = fn(sys);
            std::chrono::duration<double, std::milli> dt = std::chrono::steady_clock::now() - t0;
            if (!ok) {
                std::fprintf(stderr, "savina: %s: wrong result in iteration %d\n", which, i);
                bad = 1;
            }
            std::printf("%s%.3f", i ? "," : "", dt.count());
            sys.await_all_actors_done(); // untimed: the finished actors' clean-up
        }
        std::printf("]}\n");
        std::fflush(stdout);
    }
    return bad;
}
