// Grains: the peer of akt-bench -bench=grains (bench/c/bench.c), in the same shape:
// tell_grain (one sender, n messages to one grain, until the grain handled the last),
// ask_rtt_grain (sequential asks of one grain, mean round trip) and idle_grain_bytes (k
// activated grains left idle, resident bytes each).
//
// GoAkt v3.14's TellGrain waits for the grain's acknowledgement (NoErr, bounded by
// DefaultGrainRequestTimeout; the one-way option came in v4.6), so its tell_grain is a
// sequence of acknowledged sends, where akt's akt_grain_tell returns at enqueue.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/tochemey/goakt/v3/actor"
)

// sinkGrain counts Int64 messages and closes done at want. One activation, so count is
// only touched by the grain's goroutine.
type sinkGrain struct {
	want  int
	count int
	done  chan struct{}
}

func (g *sinkGrain) OnActivate(context.Context, *actor.GrainProps) error   { return nil }
func (g *sinkGrain) OnDeactivate(context.Context, *actor.GrainProps) error { return nil }
func (g *sinkGrain) OnReceive(ctx *actor.GrainContext) {
	if _, ok := ctx.Message().(*wrapperspb.Int64Value); ok {
		g.count++
		if g.count == g.want {
			close(g.done)
		}
	}
	ctx.NoErr()
}

// echoGrain answers every ask with a shared empty reply.
type echoGrain struct{}

var grainReply = &emptypb.Empty{}

func (*echoGrain) OnActivate(context.Context, *actor.GrainProps) error   { return nil }
func (*echoGrain) OnDeactivate(context.Context, *actor.GrainProps) error { return nil }
func (*echoGrain) OnReceive(ctx *actor.GrainContext)                     { ctx.Response(grainReply) }

func benchGrains(ctx context.Context, n, asks, k int) {
	sys := newSystem(ctx)
	defer stop(ctx, sys)

	// Tell: one sender, n acknowledged tells to one grain.
	sink := &sinkGrain{want: n, done: make(chan struct{})}
	id, err := sys.GrainIdentity(ctx, "s", func(context.Context) (actor.Grain, error) { return sink, nil },
		actor.WithLongLivedGrain())
	if err != nil {
		fatal(err)
	}
	msg := wrapperspb.Int64(1)
	t0 := time.Now()
	for range n {
		if err := sys.TellGrain(ctx, id, msg); err != nil {
			fatal(err)
		}
	}
	<-sink.done
	emit("tell_grain", float64(n)/time.Since(t0).Seconds(), "msg/s", n)

	// Ask: sequential round trips to one echo grain, after a warmup.
	eid, err := sys.GrainIdentity(ctx, "echo", func(context.Context) (actor.Grain, error) { return &echoGrain{}, nil },
		actor.WithLongLivedGrain())
	if err != nil {
		fatal(err)
	}
	empty := &emptypb.Empty{}
	ask := func() {
		if _, err := sys.AskGrain(ctx, eid, empty, 5*time.Second); err != nil {
			fatal(err)
		}
	}
	for range min(asks/10+1, 20_000) {
		ask()
	}
	t0 = time.Now()
	for range asks {
		ask()
	}
	emit("ask_rtt_grain", float64(time.Since(t0).Nanoseconds())/float64(asks), "ns", asks)

	// Idle bytes: k grains activated by one ask each, then left idle (long-lived).
	before := settledRSS()
	for i := range k {
		gid, err := sys.GrainIdentity(ctx, "idle-"+strconv.Itoa(i),
			func(context.Context) (actor.Grain, error) { return &echoGrain{}, nil }, actor.WithLongLivedGrain())
		if err != nil {
			fatal(err)
		}
		if _, err := sys.AskGrain(ctx, gid, empty, 5*time.Second); err != nil {
			fatal(err)
		}
	}
	after := settledRSS()
	emit("idle_grain_bytes", float64(after-before)/float64(k), "B", k)
	fmt.Fprintf(os.Stderr, "grains: %d idle grains, RSS %d -> %d kB\n", k, before/1024, after/1024)
}
