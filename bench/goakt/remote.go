// Remoting between two OS processes over 127.0.0.1, the same shapes as akt's
// bench/remote/remote.c: tell throughput 1 sender -> 1 remote actor, S senders
// -> S remote actors (one each), and the mean remote ask round trip; plus the
// bytes on the wire per small tell (TCP_INFO of this process's connections to
// the server). With -tls=DIR, the same figures again over TLS (mutual TLS,
// node.pem/node.key/ca.pem of DIR, as tests/tools/tls_certs.sh makes them)
// from a second server, alternated with the plaintext ones.
//
//	goakt-bench -bench=remote [-n=TELLS] [-asks=ASKS] [-senders=S] [-tls=DIR]
//	goakt-bench -serve [-senders=S] [-tls=DIR]  (prints host:port, serves until stdin closes)
//
// GoAkt's remoting is an RPC per call: RemoteTell returns once the server has
// taken the message, so a sender has one tell in flight at a time. That is the
// API a GoAkt user tells a remote actor with (actor.Tell to a remote PID goes
// the same way); RemoteBatchTell, which packs many messages in one request, is
// measured too (remote_tell_batch) as GoAkt's best case.
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sys/unix"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/tochemey/goakt/v3/actor"
	"github.com/tochemey/goakt/v3/address"
	"github.com/tochemey/goakt/v3/log"
	"github.com/tochemey/goakt/v3/remote"
	gtls "github.com/tochemey/goakt/v3/tls"
)

// remoteBatch is the messages per RemoteBatchTell request in remote_tell_batch.
const remoteBatch = 100

// remoteCompression is GoAkt's payload compression on both ends: its default, zstd, or
// none with -compress=none (then every figure's name ends in _nocompress).
var remoteCompression = remote.ZstdCompression

// remoteSink counts the 16-byte tells it gets; a StringValue asks how many so
// far (answered with an Int64Value). Only its actor goroutine touches seen.
type remoteSink struct{ seen int64 }

func (*remoteSink) PreStart(*actor.Context) error { return nil }
func (*remoteSink) PostStop(*actor.Context) error { return nil }
func (s *remoteSink) Receive(ctx *actor.ReceiveContext) {
	switch ctx.Message().(type) {
	case *wrapperspb.BytesValue:
		s.seen++
	case *wrapperspb.StringValue:
		ctx.Response(wrapperspb.Int64(s.seen))
	}
}

// remoteEcho responds with the message it got, as akt's echo does.
type remoteEcho struct{}

func (*remoteEcho) PreStart(*actor.Context) error { return nil }
func (*remoteEcho) PostStop(*actor.Context) error { return nil }
func (*remoteEcho) Receive(ctx *actor.ReceiveContext) {
	if m, ok := ctx.Message().(*wrapperspb.BytesValue); ok {
		ctx.Response(m)
	}
}

// tlsConfigs reads DIR's node certificate and CA: the server side requires and
// checks a client certificate (mutual TLS, as akt's side), TLS 1.3 only.
func tlsConfigs(dir string) *gtls.Info {
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "node.pem"), filepath.Join(dir, "node.key"))
	if err != nil {
		fatal(err)
	}
	pem, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		fatal(fmt.Errorf("no CA in %s/ca.pem", dir))
	}
	return &gtls.Info{
		ServerConfig: &tls.Config{Certificates: []tls.Certificate{cert}, ClientCAs: pool,
			ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS13},
		ClientConfig: &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool,
			ServerName: "127.0.0.1", MinVersion: tls.VersionTLS13},
	}
}

// freePort asks the kernel for a free loopback port (GoAkt's remoting needs a
// concrete one); the tiny window until GoAkt binds it is harmless on loopback.
func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		fatal(err)
	}
	return port
}

// serveRemote runs the server process: sinks sink0..sink{S-1} and echo.
func serveRemote(ctx context.Context, senders int, certs string) {
	port := freePort()
	opts := []actor.Option{actor.WithLogger(log.DiscardLogger),
		actor.WithRemote(remote.NewConfig("127.0.0.1", port, remote.WithCompression(remoteCompression)))}
	if certs != "" {
		opts = append(opts, actor.WithTLS(tlsConfigs(certs)))
	}
	sys, err := actor.NewActorSystem("server", opts...)
	if err != nil {
		fatal(err)
	}
	if err := sys.Start(ctx); err != nil {
		fatal(err)
	}
	for i := range senders {
		if _, err := sys.Spawn(ctx, "sink"+strconv.Itoa(i), new(remoteSink), actor.WithLongLived()); err != nil {
			fatal(err)
		}
	}
	if _, err := sys.Spawn(ctx, "echo", new(remoteEcho), actor.WithLongLived()); err != nil {
		fatal(err)
	}
	fmt.Printf("127.0.0.1:%d\n", port)
	_, _ = io.Copy(io.Discard, os.Stdin)
	stop(ctx, sys)
}

// remoteServer is a started server process and this side's view of it.
type remoteServer struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	port  int
	r     remote.Remoting
	sinks []*address.Address
	echo  *address.Address
}

func startRemoteServer(ctx context.Context, senders int, certs string) *remoteServer {
	self, err := os.Executable()
	if err != nil {
		fatal(err)
	}
	args := []string{"-serve", "-senders=" + strconv.Itoa(senders)}
	if remoteCompression == remote.NoCompression {
		args = append(args, "-compress=none")
	}
	if certs != "" {
		args = append(args, "-tls="+certs)
	}
	cmd := exec.Command(self, args...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		fatal(err)
	}
	if err := cmd.Start(); err != nil {
		fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		fatal(fmt.Errorf("the server did not start: %w", err))
	}
	host, portText, err := net.SplitHostPort(line[:len(line)-1])
	if err != nil {
		fatal(err)
	}
	port, _ := strconv.Atoi(portText)
	ropts := []remote.RemotingOption{remote.WithRemotingCompression(remoteCompression)}
	if certs != "" {
		ropts = append(ropts, remote.WithRemotingTLS(tlsConfigs(certs).ClientConfig))
	}
	s := &remoteServer{cmd: cmd, stdin: stdin, port: port, r: remote.NewRemoting(ropts...)}
	lookup := func(name string) *address.Address {
		a, err := s.r.RemoteLookup(ctx, host, port, name)
		if err != nil {
			fatal(err)
		}
		if a.Equals(address.NoSender()) {
			fatal(fmt.Errorf("no %s on the server", name))
		}
		return a
	}
	for i := range senders {
		s.sinks = append(s.sinks, lookup("sink"+strconv.Itoa(i)))
	}
	s.echo = lookup("echo")
	return s
}

func (s *remoteServer) close() {
	s.r.Close()
	_ = s.stdin.Close()
	if err := s.cmd.Wait(); err != nil {
		fmt.Fprintln(os.Stderr, "goakt-bench: server:", err)
	}
}

// count asks a sink how many tells it has had.
func (s *remoteServer) count(ctx context.Context, sink *address.Address) int64 {
	reply, err := s.r.RemoteAsk(ctx, address.NoSender(), sink, wrapperspb.String("count"), time.Minute)
	if err != nil {
		fatal(err)
	}
	var v wrapperspb.Int64Value
	if err := reply.UnmarshalTo(&v); err != nil {
		fatal(err)
	}
	return v.GetValue()
}

// wireBytes sums what this process's TCP connections to port have had
// acknowledged (sent) and received, above TCP: TLS records whole, headers not.
func wireBytes(port int) (sent, received uint64) {
	for fd := range 4096 {
		sa, err := unix.Getpeername(fd)
		if err != nil {
			continue
		}
		in4, ok := sa.(*unix.SockaddrInet4)
		if !ok || in4.Port != port {
			continue
		}
		if ti, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO); err == nil {
			sent += ti.Bytes_acked
			received += ti.Bytes_received
		}
	}
	return sent, received
}

// tellRate sends n 16-byte tells split over len(sinks) goroutines, one sink
// each (batch > 1: RemoteBatchTell requests of batch messages), then asks each
// sink for its count behind them. Messages per second, and the bytes on the
// wire per tell (sent, and sent plus received).
func (s *remoteServer) tellRate(ctx context.Context, n int, sinks []*address.Address, batch int) (float64, float64, float64) {
	before := make([]int64, len(sinks))
	for i, sink := range sinks {
		before[i] = s.count(ctx, sink)
	}
	sent0, recv0 := wireBytes(s.port)
	var wg sync.WaitGroup
	t0 := time.Now()
	for i, sink := range sinks {
		share := n / len(sinks)
		wg.Go(func() {
			msg := wrapperspb.Bytes([]byte("0123456789abcdef"))
			msgs := make([]proto.Message, batch)
			for j := range msgs {
				msgs[j] = msg
			}
			for left := share; left > 0; {
				var err error
				if batch > 1 {
					k := min(batch, left)
					err = s.r.RemoteBatchTell(ctx, address.NoSender(), sink, msgs[:k])
					left -= k
				} else {
					err = s.r.RemoteTell(ctx, address.NoSender(), sink, msg)
					left--
				}
				if err != nil {
					fatal(fmt.Errorf("tell %d: %w", i, err))
				}
			}
		})
	}
	wg.Wait()
	var got int64
	for i, sink := range sinks {
		got += s.count(ctx, sink) - before[i]
	}
	dt := time.Since(t0)
	sent1, recv1 := wireBytes(s.port)
	want := int64(n / len(sinks) * len(sinks))
	if got != want {
		fatal(fmt.Errorf("tell: %d of %d arrived", got, want))
	}
	return float64(want) / dt.Seconds(), float64(sent1-sent0) / float64(want),
		float64(sent1-sent0+recv1-recv0) / float64(want)
}

// askRTT is the mean round trip of sequential 16-byte asks of echo, in ns.
func (s *remoteServer) askRTT(ctx context.Context, asks int) float64 {
	msg := wrapperspb.Bytes([]byte("0123456789abcdef"))
	warm := asks/10 + 1
	var t0 time.Time
	for i := range warm + asks {
		if i == warm {
			t0 = time.Now()
		}
		if _, err := s.r.RemoteAsk(ctx, address.NoSender(), s.echo, msg, 10*time.Second); err != nil {
			fatal(err)
		}
	}
	return float64(time.Since(t0).Nanoseconds()) / float64(asks)
}

func benchRemote(ctx context.Context, n, asks, senders int, certs string) {
	out := emit
	if remoteCompression == remote.NoCompression {
		out = func(bench string, value float64, unit string, n int) {
			emit(bench+"_nocompress", value, unit, n)
		}
	}
	plain := startRemoteServer(ctx, senders, "")
	var secure *remoteServer
	if certs != "" {
		secure = startRemoteServer(ctx, senders, certs)
	}
	type figures struct{ tell, tellB, tellB2, many, batch, ask float64 }
	measure := func(s *remoteServer) (f figures) {
		f.tell, f.tellB, f.tellB2 = s.tellRate(ctx, n, s.sinks[:1], 1)
		return f
	}
	// Alternated, so that both see the same machine state.
	p := measure(plain)
	var t figures
	if secure != nil {
		t = measure(secure)
	}
	p.many, _, _ = plain.tellRate(ctx, n, plain.sinks, 1)
	if secure != nil {
		t.many, _, _ = secure.tellRate(ctx, n, secure.sinks, 1)
	}
	p.batch, _, _ = plain.tellRate(ctx, n, plain.sinks[:1], remoteBatch)
	p.ask = plain.askRTT(ctx, asks)
	if secure != nil {
		t.ask = secure.askRTT(ctx, asks)
	}
	out("remote_tell", p.tell, "msg/s", n)
	out("remote_tell_many", p.many, "msg/s", n)
	out("remote_tell_batch", p.batch, "msg/s", n)
	out("remote_ask_rtt", p.ask, "ns", asks)
	out("remote_tell_wire_bytes", p.tellB, "B/msg", n)
	out("remote_tell_wire_bytes_both", p.tellB2, "B/msg", n)
	if secure != nil {
		out("remote_tls_tell", t.tell, "msg/s", n)
		out("remote_tls_tell_many", t.many, "msg/s", n)
		out("remote_tls_ask_rtt", t.ask, "ns", asks)
		out("remote_tls_tell_wire_bytes", t.tellB, "B/msg", n)
		out("remote_tls_tell_wire_bytes_both", t.tellB2, "B/msg", n)
	}
	plain.close()
	if secure != nil {
		secure.close()
	}
}
