package main

// The GoAkt peers of akt-ft-bench (bench/c/ft_peers.c): restart cost and the Request
// round trip, the same scenarios in the same shape.

import (
	"context"
	"errors"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/tochemey/goakt/v3/actor"
	"github.com/tochemey/goakt/v3/goaktpb"
	"github.com/tochemey/goakt/v3/reentrancy"
	"github.com/tochemey/goakt/v3/supervisor"
)

var errBoom = errors.New("boom")

// faulty fails on every message of ours; the PostStart GoAkt delivers after the first
// start and after each restart signals started. (Signalling from PreStart instead loses
// wake-ups: a Tell between PreStart and the end of the restart can sit in the mailbox
// unprocessed.)
type faulty struct {
	started chan struct{}
}

func (*faulty) PreStart(*actor.Context) error { return nil }
func (*faulty) PostStop(*actor.Context) error { return nil }
func (f *faulty) Receive(ctx *actor.ReceiveContext) {
	switch ctx.Message().(type) {
	case *goaktpb.PostStart:
		f.started <- struct{}{}
	case *wrapperspb.Int64Value:
		ctx.Err(errBoom)
	}
}

// benchRestart: failures per second one actor absorbs with the Restart directive
// (one-for-one, any error). The driver tells one message and waits for the restart's
// PostStart before the next (GoAkt drops a restarting actor's mailbox, so a pipelined
// sender would lose messages); a Tell refused while the actor is not running yet is
// retried, since nothing was queued.
func benchRestart(ctx context.Context, n int) {
	sys := newSystem(ctx)
	defer stop(ctx, sys)
	f := &faulty{started: make(chan struct{}, 1)}
	sup := supervisor.NewSupervisor(
		supervisor.WithStrategy(supervisor.OneForOneStrategy),
		supervisor.WithAnyErrorDirective(supervisor.RestartDirective))
	pid, err := sys.Spawn(ctx, "faulty", f, actor.WithLongLived(), actor.WithSupervisor(sup))
	if err != nil {
		fatal(err)
	}
	<-f.started
	msg := wrapperspb.Int64(1)
	run := func(k int) time.Duration {
		t0 := time.Now()
		for range k {
			for actor.Tell(ctx, pid, msg) != nil {
				time.Sleep(time.Microsecond)
			}
			<-f.started
		}
		return time.Since(t0)
	}
	run(n/10 + 1) // warm-up
	emit("restart_rate", float64(n)/run(n).Seconds(), "op/s", n)
}

// requester is BenchmarkRequest's requestBenchActor: a non-blocking Request to the
// echo actor, whose continuation wakes the driver.
type requester struct {
	target *actor.PID
	done   chan struct{}
}

func (*requester) PreStart(*actor.Context) error { return nil }
func (*requester) PostStop(*actor.Context) error { return nil }
func (r *requester) Receive(ctx *actor.ReceiveContext) {
	if _, ok := ctx.Message().(*wrapperspb.Int64Value); !ok {
		return
	}
	call := ctx.Request(r.target, &emptypb.Empty{})
	if call == nil {
		fatal(errors.New("request_rtt: request refused"))
	}
	call.Then(func(_ proto.Message, err error) {
		if err != nil {
			fatal(err)
		}
		r.done <- struct{}{}
	})
}

// benchRequest is GoAkt's BenchmarkRequest with one driver goroutine (akt's side has one
// driver thread): mean ns per tell + request + reply + continuation + wake-up.
func benchRequest(ctx context.Context, n int) {
	sys := newSystem(ctx)
	defer stop(ctx, sys)
	echoPID, err := sys.Spawn(ctx, "echo", new(echo), actor.WithLongLived())
	if err != nil {
		fatal(err)
	}
	r := &requester{target: echoPID, done: make(chan struct{}, 1)}
	pid, err := sys.Spawn(ctx, "requester", r, actor.WithLongLived(),
		actor.WithReentrancy(reentrancy.New(reentrancy.WithMode(reentrancy.AllowAll))))
	if err != nil {
		fatal(err)
	}
	msg := wrapperspb.Int64(1)
	run := func(k int) time.Duration {
		t0 := time.Now()
		for range k {
			if err := actor.Tell(ctx, pid, msg); err != nil {
				fatal(err)
			}
			<-r.done
		}
		return time.Since(t0)
	}
	run(n/10 + 1) // warm-up
	emit("request_rtt", float64(run(n).Nanoseconds())/float64(n), "ns", n)
}
