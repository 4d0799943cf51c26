// The CAF 0.17 side of the Savina benchmarks (bench/savina/README.md): the same seven as
// bench/savina/akt, written the way CAF is meant to be used (atoms, stateful event-based
// actors, replies to current_sender), each one iteration that returns true if its result
// checked out.
#pragma once

#include <caf/all.hpp>

#include <condition_variable>
#include <cstdint>
#include <mutex>

using start_atom = caf::atom_constant<caf::atom("start")>;
using ping_atom = caf::atom_constant<caf::atom("ping")>;
using pong_atom = caf::atom_constant<caf::atom("pong")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;
using inc_atom = caf::atom_constant<caf::atom("inc")>;
using get_atom = caf::atom_constant<caf::atom("get")>;
using result_atom = caf::atom_constant<caf::atom("result")>;
using next_atom = caf::atom_constant<caf::atom("next")>;
using token_atom = caf::atom_constant<caf::atom("token")>;
using exit_atom = caf::atom_constant<caf::atom("exit")>;
using meet_atom = caf::atom_constant<caf::atom("meet")>;
using change_atom = caf::atom_constant<caf::atom("change")>;
using count_atom = caf::atom_constant<caf::atom("count")>;
using done_atom = caf::atom_constant<caf::atom("done")>;
using work_atom = caf::atom_constant<caf::atom("work")>;

// One iteration's end: released once by whichever actor finishes, awaited by main.
class sv_latch {
  public:
    void release(bool ok) {
        std::lock_guard<std::mutex> g(mu_);
        done_ = true;
        ok_ = ok;
        cv_.notify_one();
    }
    // false if nobody released it within two minutes (a lost or extra message).
    bool wait() {
        std::unique_lock<std::mutex> g(mu_);
        return cv_.wait_for(g, std::chrono::seconds(120), [this] { return done_; }) && ok_;
    }

  private:
    std::mutex mu_;
    std::condition_variable cv_;
    bool done_ = false, ok_ = false;
};

// Savina's stand-in for work in the fork-join benchmarks: sin(theta)^2, kept alive.
void sv_compute(double theta);

bool sv_pingpong(caf::actor_system &sys);
bool sv_counting(caf::actor_system &sys);
bool sv_threadring(caf::actor_system &sys);
bool sv_chameneos(caf::actor_system &sys);
bool sv_big(caf::actor_system &sys);
bool sv_fjthrput(caf::actor_system &sys);
bool sv_fjcreate(caf::actor_system &sys);
