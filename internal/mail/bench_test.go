package mail

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"runtime"
	"testing"

	"github.com/emersion/go-smtp"
)

func BenchmarkCompose(b *testing.B) {
	m := samples()["post.eml"]
	for b.Loop() {
		if _, err := Compose(m, testFrom); err != nil {
			b.Fatal(err)
		}
	}
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
	for b.Loop() {
		if _, err := s.Sign(raw, testDate); err != nil {
			b.Fatal(err)
		}
	}
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
}
