// Mailboxes: the peer of akt-bench -bench=mailboxes and -bench=mailbox_bytes_<kind>
// (bench/c/bench.c): one sender's tell rate into an actor with each mailbox kind
// (unbounded FIFO, bounded 1024 -- GoAkt's ring buffer makes a sender wait for room, as
// akt's BLOCK --, priority, fair), and the resident bytes one queued message costs in each
// kind (n messages queued behind a held first one, one kind per process).
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/tochemey/goakt/v3/actor"
)

func mailboxOf(kind string, n int) actor.Mailbox {
	switch kind {
	case "default":
		return actor.NewUnboundedMailbox()
	case "bounded1024":
		return actor.NewBoundedMailbox(1024)
	case "bounded": // room for all n: the bytes figure
		return actor.NewBoundedMailbox(n + 1)
	case "priority":
		return actor.NewUnboundedPriorityMailBox(func(a, b proto.Message) bool { return false })
	case "fair":
		return actor.NewUnboundedFairMailbox()
	}
	fatal(fmt.Errorf("unknown mailbox kind %q", kind))
	return nil
}

func tellInto(ctx context.Context, kind string, n int, report bool) float64 {
	sys := newSystem(ctx)
	defer stop(ctx, sys)
	sink := &counter{want: n, done: make(chan struct{})}
	pid, err := sys.Spawn(ctx, "sink", sink, actor.WithLongLived(), actor.WithMailbox(mailboxOf(kind, n)))
	if err != nil {
		fatal(err)
	}
	msg := wrapperspb.Int64(1)
	t0 := time.Now()
	for range n {
		if err := actor.Tell(ctx, pid, msg); err != nil {
			fatal(err)
		}
	}
	<-sink.done
	v := float64(n) / time.Since(t0).Seconds()
	if report {
		emit("tell_1to1_"+kind, v, "msg/s", n)
	}
	return v
}

func benchMailboxes(ctx context.Context, n int) {
	tellInto(ctx, "default", n, false) // warm-up: the process's first system is slower
	v0 := tellInto(ctx, "default", n, true)
	for _, k := range []string{"bounded1024", "priority", "fair"} {
		v := tellInto(ctx, k, n, true)
		emit(k+"_over_default_tell", v/v0, "ratio", n)
	}
}

// held blocks in its first message until release is closed, then counts the rest.
type held struct {
	counter
	first   bool
	entered chan struct{}
	release chan struct{}
}

func (h *held) Receive(ctx *actor.ReceiveContext) {
	if _, ok := ctx.Message().(*wrapperspb.Int64Value); !ok {
		return
	}
	if !h.first {
		h.first = true
		close(h.entered)
		<-h.release
		return
	}
	h.counter.Receive(ctx)
}

func benchMailboxBytes(ctx context.Context, label, kind string, n int) {
	sys := newSystem(ctx)
	defer stop(ctx, sys)
	h := &held{counter: counter{want: n, done: make(chan struct{})}, entered: make(chan struct{}),
		release: make(chan struct{})}
	pid, err := sys.Spawn(ctx, "held", h, actor.WithLongLived(), actor.WithMailbox(mailboxOf(kind, n)))
	if err != nil {
		fatal(err)
	}
	msg := wrapperspb.Int64(1)
	if err := actor.Tell(ctx, pid, msg); err != nil {
		fatal(err)
	}
	<-h.entered
	before := settledRSS()
	for range n {
		if err := actor.Tell(ctx, pid, msg); err != nil {
			fatal(err)
		}
	}
	after := settledRSS()
	emit("mailbox_bytes_"+label, float64(after-before)/float64(n), "B", n)
	close(h.release)
	<-h.done
	fmt.Fprintf(os.Stderr, "mailbox_bytes_%s: RSS %d -> %d kB\n", label, before/1024, after/1024)
}
