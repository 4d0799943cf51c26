// Command goakt-bench measures GoAkt, a Go actor framework, on the same
// scenarios as akt's own benchmarks so both can be compared in one run.
//
// GoAkt version: github.com/tochemey/goakt/v3 v3.14.0, the newest release the
// module proxy served when this was written (v3.14.1–v3.14.6 and v3.15–v3.25
// were refused; so is @latest).
//
// Every scenario prints exactly one JSON line on stdout (spawn_1m prints two,
// timers_1m three);
// everything else goes to stderr so the caller can parse stdout as-is.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/tochemey/goakt/v3/actor"
	"github.com/tochemey/goakt/v3/log"
	"github.com/tochemey/goakt/v3/remote"
)

type result struct {
	Impl  string  `json:"impl"`
	Bench string  `json:"bench"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	N     int     `json:"n"`
}

func emit(bench string, value float64, unit string, n int) {
	// Three decimals is plenty for every unit used here and keeps lines short.
	r := result{"goakt", bench, math.Round(value*1000) / 1000, unit, n}
	b, err := json.Marshal(r)
	if err != nil {
		fatal(err)
	}
	fmt.Println(string(b))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "goakt-bench:", err)
	os.Exit(1)
}

// counter is the sink of the tell scenarios. Only the actor goroutine touches
// count, so it needs no synchronisation; done is closed exactly once.
type counter struct {
	want  int
	count int
	done  chan struct{}
}

func (c *counter) PreStart(*actor.Context) error { return nil }
func (c *counter) PostStop(*actor.Context) error { return nil }

func (c *counter) Receive(ctx *actor.ReceiveContext) {
	// Lifecycle messages (PostStart etc.) also arrive here; count only ours.
	if _, ok := ctx.Message().(*wrapperspb.Int64Value); !ok {
		return
	}
	c.count++
	if c.count == c.want {
		close(c.done)
	}
}

// echo answers every Ask with a shared empty reply so the round trip measures
// the framework rather than message construction.
type echo struct{}

var emptyReply = &emptypb.Empty{}

func (*echo) PreStart(*actor.Context) error { return nil }
func (*echo) PostStop(*actor.Context) error { return nil }
func (*echo) Receive(ctx *actor.ReceiveContext) {
	if _, ok := ctx.Message().(*emptypb.Empty); ok {
		ctx.Response(emptyReply)
	}
}

// idle never receives anything after start; it exists only to be counted.
// GoAkt reflects on the actor's pointer type, so actors must be pointers.
type idle struct{}

func (*idle) PreStart(*actor.Context) error { return nil }
func (*idle) PostStop(*actor.Context) error { return nil }
func (*idle) Receive(*actor.ReceiveContext) {}

func newSystem(ctx context.Context) actor.ActorSystem {
	sys, err := actor.NewActorSystem("bench",
		actor.WithLogger(log.DiscardLogger),
		actor.WithActorInitMaxRetries(1))
	if err != nil {
		fatal(err)
	}
	if err := sys.Start(ctx); err != nil {
		fatal(err)
	}
	return sys
}

// benchTell sends n messages split evenly over `senders` goroutines to a
// single counting actor and reports messages per second, measured from the
// first send until the actor has processed the last message.
func benchTell(ctx context.Context, name string, n, senders int) {
	sys := newSystem(ctx)
	defer stop(ctx, sys)

	sink := &counter{want: n, done: make(chan struct{})}
	pid, err := sys.Spawn(ctx, "sink", sink, actor.WithLongLived())
	if err != nil {
		fatal(err)
	}

	var ready, wg sync.WaitGroup
	start := make(chan struct{})
	for s := range senders {
		share := n / senders
		if s == senders-1 {
			share += n % senders // the last sender picks up the remainder
		}
		ready.Add(1)
		wg.Go(func() {
			// Proto messages are treated as immutable once sent, so one
			// instance per sender is the idiomatic zero-allocation pattern.
			msg := wrapperspb.Int64(int64(s))
			ready.Done()
			<-start
			for range share {
				if err := actor.Tell(ctx, pid, msg); err != nil {
					fatal(err)
				}
			}
		})
	}
	ready.Wait() // keep goroutine start-up out of the timed region
	t0 := time.Now()
	close(start)
	<-sink.done
	elapsed := time.Since(t0)
	wg.Wait()
	emit(name, float64(n)/elapsed.Seconds(), "msg/s", n)
}

// benchAsk measures the mean round trip of sequential Asks issued from
// outside the actor system, after a warmup that lets pools and the scheduler
// settle.
func benchAsk(ctx context.Context, asks int) {
	sys := newSystem(ctx)
	defer stop(ctx, sys)

	pid, err := sys.Spawn(ctx, "echo", new(echo), actor.WithLongLived())
	if err != nil {
		fatal(err)
	}
	msg := &emptypb.Empty{}
	ask := func() {
		if _, err := actor.Ask(ctx, pid, msg, 5*time.Second); err != nil {
			fatal(err)
		}
	}
	for range min(asks/10+1, 20_000) {
		ask()
	}
	t0 := time.Now()
	for range asks {
		ask()
	}
	elapsed := time.Since(t0)
	emit("ask_rtt", float64(elapsed.Nanoseconds())/float64(asks), "ns", asks)
}

// pairSender sends its share to its own receiver in batches of pairBatch per
// message it handles, telling itself to go on between batches (as akt's side).
type pairSender struct {
	to   *actor.PID
	left int
	msg  *wrapperspb.Int64Value
}

const pairBatch = 1000

var pairNext = &emptypb.Empty{}

func (*pairSender) PreStart(*actor.Context) error { return nil }
func (*pairSender) PostStop(*actor.Context) error { return nil }
func (p *pairSender) Receive(ctx *actor.ReceiveContext) {
	if _, ok := ctx.Message().(*emptypb.Empty); !ok {
		return
	}
	k := min(p.left, pairBatch)
	for range k {
		ctx.Tell(p.to, p.msg)
	}
	p.left -= k
	if p.left > 0 {
		ctx.Tell(ctx.Self(), pairNext)
	}
}

// benchPairwise runs `pairs` independent sender -> receiver pairs of actors and
// reports all their messages over the wall time.
func benchPairwise(ctx context.Context, pairs, n int) {
	sys := newSystem(ctx)
	defer stop(ctx, sys)
	share := n / pairs
	sinks := make([]*counter, pairs)
	senders := make([]*actor.PID, pairs)
	for i := range pairs {
		sinks[i] = &counter{want: share, done: make(chan struct{})}
		to, err := sys.Spawn(ctx, fmt.Sprintf("sink-%d", i), sinks[i], actor.WithLongLived())
		if err != nil {
			fatal(err)
		}
		s := &pairSender{to: to, left: share, msg: wrapperspb.Int64(int64(i))}
		senders[i], err = sys.Spawn(ctx, fmt.Sprintf("sender-%d", i), s, actor.WithLongLived())
		if err != nil {
			fatal(err)
		}
	}
	t0 := time.Now()
	for _, pid := range senders {
		if err := actor.Tell(ctx, pid, pairNext); err != nil {
			fatal(err)
		}
	}
	for _, s := range sinks {
		<-s.done
	}
	elapsed := time.Since(t0)
	emit(fmt.Sprintf("tell_pairwise%d", pairs), float64(share*pairs)/elapsed.Seconds(), "msg/s", share*pairs)
}

// chainAsker asks the echo actor n times in a row from inside its Receive,
// each ask once the previous answer came (GoAkt's blocking in-actor Ask).
type chainAsker struct {
	echo *actor.PID
	n    int
	done chan struct{}
}

func (*chainAsker) PreStart(*actor.Context) error { return nil }
func (*chainAsker) PostStop(*actor.Context) error { return nil }
func (c *chainAsker) Receive(ctx *actor.ReceiveContext) {
	if _, ok := ctx.Message().(*wrapperspb.Int64Value); !ok {
		return
	}
	msg := &emptypb.Empty{}
	for range c.n {
		if ctx.Ask(c.echo, msg, 5*time.Second) == nil {
			fatal(fmt.Errorf("ask chain: no answer"))
		}
	}
	c.done <- struct{}{}
}

// benchAskChain measures the mean ask round trip between two actors.
func benchAskChain(ctx context.Context, asks int) {
	sys := newSystem(ctx)
	defer stop(ctx, sys)
	echoPID, err := sys.Spawn(ctx, "echo", new(echo), actor.WithLongLived())
	if err != nil {
		fatal(err)
	}
	c := &chainAsker{echo: echoPID, done: make(chan struct{})}
	asker, err := sys.Spawn(ctx, "asker", c, actor.WithLongLived())
	if err != nil {
		fatal(err)
	}
	run := func(n int) time.Duration {
		c.n = n
		t0 := time.Now()
		if err := actor.Tell(ctx, asker, wrapperspb.Int64(int64(n))); err != nil {
			fatal(err)
		}
		<-c.done
		return time.Since(t0)
	}
	run(asks/10 + 1) // warm-up
	emit("ask_chain", float64(run(asks).Nanoseconds())/float64(asks), "ns", asks)
}

// benchSpawn spawns k named idle actors, reporting the total spawn time and
// the resident memory each one adds.
func benchSpawn(ctx context.Context, k int) {
	sys := newSystem(ctx)

	before := settledRSS()
	t0 := time.Now()
	for i := range k {
		// Long-lived: the default 2-minute passivation would otherwise stop
		// actors mid-run on slow machines and distort the memory figure; akt
		// actors do not passivate either.
		if _, err := sys.Spawn(ctx, "idle-"+strconv.Itoa(i), new(idle), actor.WithLongLived()); err != nil {
			fatal(err)
		}
	}
	elapsed := time.Since(t0)
	after := settledRSS()

	emit("spawn_1m", elapsed.Seconds(), "s", k)
	emit("idle_actor_bytes", float64(after-before)/float64(k), "B", k)
	// Stopping a million actors takes long and measures nothing we report;
	// the process exit reclaims everything.
	fmt.Fprintf(os.Stderr, "spawn_1m: %d actors in %v, RSS %d -> %d kB\n",
		k, elapsed, before/1024, after/1024)
}

// benchTimers schedules k once-messages an hour ahead (one shared message,
// caller-chosen references), then cancels them all by reference: the same
// scenario as akt's timers_1m.
func benchTimers(ctx context.Context, k int) {
	sys := newSystem(ctx)
	pid, err := sys.Spawn(ctx, "target", new(idle), actor.WithLongLived())
	if err != nil {
		fatal(err)
	}
	msg := wrapperspb.Int64(1)
	before := settledRSS()
	t0 := time.Now()
	for i := range k {
		if err := sys.ScheduleOnce(ctx, msg, pid, time.Hour+time.Duration(i),
			actor.WithReference("t-"+strconv.Itoa(i))); err != nil {
			fatal(err)
		}
	}
	scheduled := time.Since(t0)
	after := settledRSS()
	t0 = time.Now()
	for i := range k {
		if err := sys.CancelSchedule("t-" + strconv.Itoa(i)); err != nil {
			fatal(err)
		}
	}
	cancelled := time.Since(t0)
	emit("timers_schedule", float64(k)/scheduled.Seconds(), "op/s", k)
	emit("timers_cancel", float64(k)/cancelled.Seconds(), "op/s", k)
	emit("timer_bytes", float64(after-before)/float64(k), "B", k)
	stop(ctx, sys)
}

// settledRSS returns VmRSS in bytes after a collection. FreeOSMemory (a GC
// plus returning freed pages) is used rather than a bare runtime.GC() so that
// garbage left by earlier scenarios or by spawning itself is not counted as
// per-actor memory.
func settledRSS() int64 {
	debug.FreeOSMemory()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				fatal(err)
			}
			return kb * 1024
		}
	}
	fatal(fmt.Errorf("VmRSS not found in /proc/self/status"))
	return 0
}

func stop(ctx context.Context, sys actor.ActorSystem) {
	if err := sys.Stop(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "goakt-bench: stop:", err)
	}
}

func main() {
	which := flag.String("bench", "all", "all|tell_1to1|tell_2to1|ask_rtt|tell_pairwise|ask_chain|spawn_1m|timers_1m|grains|mailboxes|mailbox_bytes_{fifo,bounded,priority,fair}|remote|restart|request_rtt")
	n := flag.Int("n", 2_000_000, "messages per tell scenario")
	asks := flag.Int("asks", 200_000, "timed asks in ask_rtt")
	actors := flag.Int("actors", 1_000_000, "actors spawned in spawn_1m")
	timers := flag.Int("timers", 1_000_000, "once-schedules pending in timers_1m")
	pairs := flag.Int("pairs", 4, "sender -> receiver pairs in tell_pairwise")
	ops := flag.Int("ops", 200_000, "restarts in restart, rounds in request_rtt")
	serve := flag.Bool("serve", false, "be the server process of -bench=remote")
	certs := flag.String("tls", "", "remote: also over mutual TLS with DIR's node.pem, node.key, ca.pem")
	senders := flag.Int("senders", 4, "remote: senders -> remote actors in remote_tell_many")
	compress := flag.String("compress", "zstd", "remote: GoAkt's payload compression, zstd (its default) or none")
	flag.Parse()
	if *ops < 1 {
		fatal(fmt.Errorf("-ops must be >= 1"))
	}
	switch *compress {
	case "zstd":
	case "none":
		remoteCompression = remote.NoCompression
	default:
		fatal(fmt.Errorf("-compress must be zstd or none"))
	}
	if *senders < 1 || *senders > 64 {
		fatal(fmt.Errorf("-senders must be 1..64"))
	}
	if *serve {
		serveRemote(context.Background(), *senders, *certs)
		return
	}
	if *n < 2 || *asks < 1 || *actors < 1 || *pairs < 1 || *pairs > 64 {
		fatal(fmt.Errorf("-n must be >= 2, -asks and -actors >= 1, -pairs 1..64"))
	}

	ctx := context.Background()
	run := map[string]func(){
		"tell_1to1":     func() { benchTell(ctx, "tell_1to1", *n, 1) },
		"tell_2to1":     func() { benchTell(ctx, "tell_2to1", *n, 2) },
		"ask_rtt":       func() { benchAsk(ctx, *asks) },
		"tell_pairwise": func() { benchPairwise(ctx, *pairs, *n) },
		"ask_chain":     func() { benchAskChain(ctx, *asks) },
		"spawn_1m":      func() { benchSpawn(ctx, *actors) },
		"timers_1m":     func() { benchTimers(ctx, *timers) },
		"grains":        func() { benchGrains(ctx, *n, *asks, *actors) },
		"mailboxes":     func() { benchMailboxes(ctx, *n) },
		// Not in "all": it starts server processes (bench/remote/run.sh runs it).
		"remote":      func() { benchRemote(ctx, *n, *asks, *senders, *certs) },
		"restart":     func() { benchRestart(ctx, *ops) },
		"request_rtt": func() { benchRequest(ctx, *ops) },
	}
	for _, k := range []string{"fifo", "bounded", "priority", "fair"} {
		kind := k
		if kind == "fifo" {
			kind = "default"
		}
		run["mailbox_bytes_"+k] = func() { benchMailboxBytes(ctx, k, kind, min(*n, 200_000)) }
	}
	order := []string{"tell_1to1", "tell_2to1", "ask_rtt", "tell_pairwise", "ask_chain", "spawn_1m", "timers_1m", "restart", "request_rtt"}
	if *which != "all" {
		if _, ok := run[*which]; !ok {
			fatal(fmt.Errorf("unknown -bench %q", *which))
		}
		order = []string{*which}
	}
	for _, name := range order {
		run[name]()
	}
}
