package mail

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"io"
	"log"
	"net"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// cpuTime returns the CPU time, user and system, this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per operation since start: unlike ns/op
// it does not grow when other processes share the cores.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuTime(b)-start).Microseconds())/float64(b.N), "cpu-µs/op")
}

func BenchmarkCompose(b *testing.B) {
	m := samples()["post.eml"]
	start := cpuTime(b)
	for b.Loop() {
		if _, err := Compose(m, testFrom); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkRSASign is the floor under every RSA DKIM signature: the
// standard library's PKCS #1 v1.5 signature of one SHA-256 digest with a
// parsed, precomputed 2048-bit key.
func BenchmarkRSASign(b *testing.B) {
	r, _ := testKeys(b)
	digest := sha256.Sum256([]byte("plein"))
	start := cpuTime(b)
	for b.Loop() {
		if _, err := rsa.SignPKCS1v15(rand.Reader, r, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

func benchmarkSign(b *testing.B, key DKIMKey) {
	raw, err := Compose(samples()["post.eml"], testFrom)
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewDKIMSigner("plein.example", key)
	if err != nil {
		b.Fatal(err)
	}
	start := cpuTime(b)
	for b.Loop() {
		if _, err := s.Sign(raw, testDate); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

func BenchmarkDKIMSignRSA(b *testing.B) {
	r, _ := testKeys(b)
	benchmarkSign(b, DKIMKey{Selector: "plein", Key: r})
}

func BenchmarkDKIMSignEd25519(b *testing.B) {
	_, e := testKeys(b)
	benchmarkSign(b, DKIMKey{Selector: "plein-ed", Key: e})
}

// discard is an SMTP session that accepts every message and keeps nothing.
type discard struct{}

func (discard) Mail(string, *smtp.MailOptions) error { return nil }
func (discard) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (discard) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}
func (discard) Reset()        {}
func (discard) Logout() error { return nil }

// BenchmarkRelaySend sends signed messages (RSA and Ed25519) from 10
// goroutines to a loopback sink that discards them; messages/s is the
// throughput.
func BenchmarkRelaySend(b *testing.B) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return discard{}, nil }))
	srv.Domain = "sink.test"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	r, err := NewRelay(RelayConfig{Addr: ln.Addr().String(), TLS: TLSNone, From: testFrom, DKIM: testSigner(b), LocalName: "plein.test"})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	m := samples()["post.eml"]
	b.SetParallelism(max(1, DefaultConnections/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	start := cpuTime(b)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			msg := *m
			i++
			msg.ID = fmt.Sprintf("%d-%p@plein.example", i, &i)
			if err := r.Send(context.Background(), &msg); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "messages/s")
	reportCPU(b, start) // the sink's included
}
