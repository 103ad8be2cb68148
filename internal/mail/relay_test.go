package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// newTestRelay returns a relay to s with the test DKIM keys; adjust
// changes its configuration first.
func newTestRelay(t *testing.T, s *sink, mode TLSMode, adjust func(*RelayConfig)) *Relay {
	t.Helper()
	cfg := RelayConfig{Addr: s.addr, TLS: mode, From: testFrom, DKIM: testSigner(t), RootCAs: s.roots,
		LocalName: "plein.test", Timeout: 10 * time.Second}
	if adjust != nil {
		adjust(&cfg)
	}
	r, err := NewRelay(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func testMessage(i int) *Message {
	return &Message{ID: fmt.Sprintf("%d@plein.example", i), FromName: "Gemeente Demo", To: "jan@example.nl",
		BounceToken: "s_" + fmt.Sprint(i), Subject: "Bericht " + fmt.Sprint(i), Lang: "nl", Text: "Hallo",
		Unsubscribe: "https://plein.example/@demo/unsubscribe?t=" + fmt.Sprint(i)}
}

func TestRelaySends(t *testing.T) {
	for _, tc := range []struct {
		mode TLSMode
		auth bool
	}{
		{TLSNone, false},
		{TLSNone, true},
		{TLSStartTLS, true},
		{TLSImplicit, true},
		{TLSStartTLS, false},
	} {
		t.Run(fmt.Sprintf("%s auth=%v", tc.mode, tc.auth), func(t *testing.T) {
			s := startSink(t, tc.mode, func(s *sink) {
				if tc.auth {
					s.user, s.password = "plein", "geheim wachtwoord"
				}
			})
			r := newTestRelay(t, s, tc.mode, func(c *RelayConfig) {
				if tc.auth {
					c.User, c.Password = "plein", "geheim wachtwoord"
				}
			})
			if err := r.Send(context.Background(), testMessage(1)); err != nil {
				t.Fatal(err)
			}
			got := s.received()
			if len(got) != 1 {
				t.Fatalf("%d messages received", len(got))
			}
			m := got[0]
			if m.from != "nieuws+b-s_1@plein.example" || m.to != "jan@example.nl" {
				t.Errorf("envelope %s -> %s", m.from, m.to)
			}
			if m.tls != (tc.mode != TLSNone) {
				t.Errorf("TLS on the server's side: %v", m.tls)
			}
			if tc.auth && m.user != "plein" {
				t.Errorf("logged in as %q", m.user)
			}
			for _, v := range verify(t, testSigner(t), m.data) {
				if v.Err != nil {
					t.Errorf("the message as received does not verify: %v", v.Err)
				}
			}
			if !bytes.Contains(m.data, []byte("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")) {
				t.Error("no List-Unsubscribe-Post")
			}
		})
	}
}

func TestRelayConnectionFailures(t *testing.T) {
	t.Run("log-in refused", func(t *testing.T) {
		s := startSink(t, TLSStartTLS, func(s *sink) { s.user, s.password = "plein", "goed" })
		r := newTestRelay(t, s, TLSStartTLS, func(c *RelayConfig) { c.User, c.Password = "plein", "fout" })
		err := r.Send(context.Background(), testMessage(1))
		se := errAs(t, err)
		if se.Step != StepAuth || se.Code != 535 || se.EnhancedCode != "5.7.8" || errors.Is(err, ErrRejected) {
			t.Errorf("error %v: step %s code %d %s, rejected %v", err, se.Step, se.Code, se.EnhancedCode, errors.Is(err, ErrRejected))
		}
	})
	t.Run("no STARTTLS offered", func(t *testing.T) {
		s := startSink(t, TLSNone, nil)
		r := newTestRelay(t, s, TLSStartTLS, nil)
		if err := r.Send(context.Background(), testMessage(1)); !errors.Is(err, ErrNoSTARTTLS) || errors.Is(err, ErrRejected) {
			t.Errorf("error %v, want ErrNoSTARTTLS", err)
		}
	})
	t.Run("no AUTH offered", func(t *testing.T) {
		// The sink offers AUTH only over TLS when it has a certificate.
		s := startSink(t, TLSStartTLS, nil)
		r := newTestRelay(t, s, TLSNone, func(c *RelayConfig) { c.User, c.Password = "plein", "x" })
		if err := r.Send(context.Background(), testMessage(1)); !errors.Is(err, ErrNoAuth) || errAs(t, err).Step != StepAuth {
			t.Errorf("error %v, want ErrNoAuth", err)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		for _, mode := range []TLSMode{TLSStartTLS, TLSImplicit} {
			s := startSink(t, mode, nil)
			r := newTestRelay(t, s, mode, func(c *RelayConfig) { c.RootCAs = nil })
			err := r.Send(context.Background(), testMessage(1))
			var cv *tls.CertificateVerificationError
			if !errors.As(err, &cv) || errAs(t, err).Step != StepConnect {
				t.Errorf("%s: error %v, want a certificate verification error", mode, err)
			}
		}
	})
	t.Run("nothing listens", func(t *testing.T) {
		s := startSink(t, TLSNone, nil)
		r := newTestRelay(t, s, TLSNone, func(c *RelayConfig) { c.Addr = closedAddr(t) })
		err := r.Send(context.Background(), testMessage(1))
		if se := errAs(t, err); se.Step != StepConnect || se.Code != 0 || errors.Is(err, ErrRejected) {
			t.Errorf("error %v", err)
		}
	})
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestRelayClassifiesReplies(t *testing.T) {
	for _, tc := range []struct {
		name     string
		rcpt     error
		data     error
		step     Step
		code     int
		rejected bool
	}{
		{"unknown recipient", &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<jan@example.nl>: no such user"}, nil, StepRcpt, 550, true},
		{"mailbox full for now", &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "mailbox full"}, nil, StepRcpt, 452, false},
		{"greylisted", &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted"}, nil, StepRcpt, 451, false},
		{"content refused", nil, &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "spam"}, StepData, 554, true},
		{"data deferred", nil, &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "later"}, StepData, 421, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startSink(t, TLSStartTLS, func(s *sink) {
				s.user, s.password = "plein", "geheim"
				s.rcpt = func(string) error { return tc.rcpt }
				s.data = func(*smtp.Conn, []byte) error { return tc.data }
			})
			r := newTestRelay(t, s, TLSStartTLS, func(c *RelayConfig) { c.User, c.Password = "plein", "geheim" })
			err := r.Send(context.Background(), testMessage(1))
			se := errAs(t, err)
			if se.Step != tc.step || se.Code != tc.code || errors.Is(err, ErrRejected) != tc.rejected {
				t.Fatalf("error %v: step %s code %d rejected %v", err, se.Step, se.Code, errors.Is(err, ErrRejected))
			}
			if strings.Contains(err.Error(), "jan@example.nl") {
				t.Errorf("the error names the recipient, and errors end up in logs: %q", err)
			}
			if se.Message == "" {
				t.Error("the relay's text is lost")
			}
			// The connection carries the next message.
			s.setHooks(nil, nil)
			if err := r.Send(context.Background(), testMessage(2)); err != nil {
				t.Fatal(err)
			}
			if n := s.accepted.Load(); n != 1 {
				t.Errorf("%d connections, want 1 reused", n)
			}
			if got := s.received(); len(got) != 1 || got[0].user != "plein" {
				t.Errorf("after the reset: %+v, want one message sent logged in", got)
			}
		})
	}
}

func TestRelayLostAnswerIsRetryable(t *testing.T) {
	var drop sync.Once
	s := startSink(t, TLSNone, func(s *sink) {
		s.data = func(c *smtp.Conn, _ []byte) error {
			dropped := false
			drop.Do(func() {
				// The relay got the whole message, then the connection
				// broke before its answer.
				c.Conn().Close()
				dropped = true
			})
			if dropped {
				return errors.New("connection lost")
			}
			return nil
		}
	})
	r := newTestRelay(t, s, TLSNone, nil)
	err := r.Send(context.Background(), testMessage(1))
	if err == nil || errors.Is(err, ErrRejected) || errors.Is(err, ErrPaused) {
		t.Fatalf("error %v, want a retryable one", err)
	}
	if se := errAs(t, err); se.Step != StepData || se.Code != 0 {
		t.Errorf("step %s code %d", se.Step, se.Code)
	}
	// Sent again, the message keeps its ID, and goes out on a new
	// connection.
	if err := r.Send(context.Background(), testMessage(1)); err != nil {
		t.Fatal(err)
	}
	if got := s.received(); len(got) != 1 || got[0].id() != "1@plein.example" {
		t.Errorf("received %d", len(got))
	}
	if n := s.accepted.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

func TestRelayReconnectsWhenTheRelayClosedAnIdleConnection(t *testing.T) {
	s := startSink(t, TLSStartTLS, nil)
	r := newTestRelay(t, s, TLSStartTLS, nil)
	for i := range 3 {
		if err := r.Send(context.Background(), testMessage(i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.accepted.Load(); n != 1 {
		t.Fatalf("%d connections for 3 messages in a row, want 1", n)
	}
	s.dropConnections()
	if err := r.Send(context.Background(), testMessage(3)); err != nil {
		t.Fatalf("after the relay closed the idle connection: %v", err)
	}
	if n, got := s.accepted.Load(), len(s.received()); n != 2 || got != 4 {
		t.Errorf("%d connections and %d messages, want 2 and 4", n, got)
	}
}

func TestRelayPausesAfterRepeatedFailures(t *testing.T) {
	s := startSink(t, TLSNone, nil)
	s.fail.Store(true)
	clk := newClock()
	r := newTestRelay(t, s, TLSNone, func(c *RelayConfig) {
		c.Now = clk.Now
		c.PauseAfter = 3
		c.PauseMin = time.Minute
		c.PauseMax = 3 * time.Minute
	})
	ctx := context.Background()
	send := func() error { return r.Send(ctx, testMessage(1)) }
	for i := range 3 {
		err := send()
		if se := errAs(t, err); se.Step != StepConnect || se.Code != 421 || errors.Is(err, ErrPaused) {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	// Paused: no connection at all.
	err := send()
	var pe *PauseError
	if !errors.Is(err, ErrPaused) || !errors.As(err, &pe) || !pe.Until.Equal(testDate.Add(time.Minute)) || errors.Is(err, ErrRejected) {
		t.Fatalf("fourth send: %v, want ErrPaused until a minute later", err)
	}
	if n := s.accepted.Load(); n != 3 {
		t.Fatalf("%d connections, want 3: a paused relay is not touched", n)
	}
	// A message that cannot be sent neither touches the network nor
	// counts.
	clk.Advance(time.Minute)
	bad := testMessage(9)
	bad.To = "not an address"
	if err := r.Send(ctx, bad); !errors.Is(err, ErrInvalid) {
		t.Fatalf("invalid message: %v", err)
	}
	// After the pause one try; it fails, and the next pause is twice as
	// long, then no longer than PauseMax.
	for _, pause := range []time.Duration{2 * time.Minute, 3 * time.Minute, 3 * time.Minute} {
		if err := send(); errors.Is(err, ErrPaused) {
			t.Fatalf("still paused: %v", err)
		}
		clk.Advance(pause - time.Second)
		if err := send(); !errors.Is(err, ErrPaused) {
			t.Fatalf("%v after the try: %v, want paused for %v", pause-time.Second, err, pause)
		}
		clk.Advance(time.Second)
	}
	if n := s.accepted.Load(); n != 6 {
		t.Fatalf("%d connections, want 6", n)
	}
	// The relay is back: one success ends the pause and resets its length.
	s.fail.Store(false)
	if err := send(); err != nil {
		t.Fatal(err)
	}
	s.fail.Store(true)
	s.dropConnections()
	for range 3 {
		if err := send(); err == nil || errors.Is(err, ErrPaused) {
			t.Fatalf("send: %v", err)
		}
	}
	if err := send(); !errors.As(err, &pe) || !pe.Until.Equal(clk.Now().Add(time.Minute)) {
		t.Fatalf("after a success the pause starts again at a minute: %v", err)
	}
}

func TestRelayConcurrentFailuresPauseOnce(t *testing.T) {
	const n = 5
	s := startSink(t, TLSNone, func(s *sink) { s.failTogether = n })
	s.fail.Store(true)
	clk := newClock()
	r := newTestRelay(t, s, TLSNone, func(c *RelayConfig) {
		c.Now = clk.Now
		c.PauseAfter = 1
		c.PauseMin = time.Minute
	})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := r.Send(context.Background(), testMessage(i)); err == nil || errors.Is(err, ErrPaused) {
				t.Errorf("send %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	// Five sends failing at once start one pause, not five growing ones.
	var pe *PauseError
	if err := r.Send(context.Background(), testMessage(0)); !errors.As(err, &pe) || !pe.Until.Equal(testDate.Add(time.Minute)) {
		t.Fatalf("after %d failures at once: %v, want paused for a minute", n, err)
	}
}

func TestRelayConcurrentSendsEachDeliveredOnce(t *testing.T) {
	s := startSink(t, TLSStartTLS, nil)
	r := newTestRelay(t, s, TLSStartTLS, nil)
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() { errs <- r.Send(context.Background(), testMessage(i)) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]int{}
	for _, m := range s.received() {
		seen[m.id()]++
		if m.from != "nieuws+b-s_"+strings.TrimSuffix(m.id(), "@plein.example")+"@plein.example" {
			t.Errorf("message %s has envelope sender %s", m.id(), m.from)
		}
	}
	for i := range n {
		if c := seen[fmt.Sprintf("%d@plein.example", i)]; c != 1 {
			t.Errorf("message %d received %d times", i, c)
		}
	}
	if len(seen) != n {
		t.Errorf("%d distinct messages, want %d", len(seen), n)
	}
	if c := s.accepted.Load(); c > DefaultConnections {
		t.Errorf("%d connections, want at most %d", c, DefaultConnections)
	}
}

func TestRelayRateLimits(t *testing.T) {
	s := startSink(t, TLSNone, nil)
	r := newTestRelay(t, s, TLSNone, func(c *RelayConfig) { c.Rate = 100 })
	start := time.Now()
	for i := range 11 {
		if err := r.Send(context.Background(), testMessage(i)); err != nil {
			t.Fatal(err)
		}
	}
	// 100 a second: the 10 messages after the first take 100 ms at least.
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("11 messages in %v at 100/s", d)
	}
}

func TestRelayContextEndsAStalledSend(t *testing.T) {
	inData := make(chan struct{})
	release := make(chan struct{})
	s := startSink(t, TLSNone, func(s *sink) {
		s.data = func(*smtp.Conn, []byte) error {
			close(inData)
			<-release
			return nil
		}
	})
	defer close(release)
	r := newTestRelay(t, s, TLSNone, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Send(ctx, testMessage(1)) }()
	<-inData
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrRejected) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	// Giving up is not the relay's failure: no pause builds up.
	r.mu.Lock()
	failures := r.failures
	r.mu.Unlock()
	if failures != 0 {
		t.Errorf("%d failures counted", failures)
	}
}

func TestRelaySendAfterClose(t *testing.T) {
	s := startSink(t, TLSNone, nil)
	r := newTestRelay(t, s, TLSNone, nil)
	if err := r.Send(context.Background(), testMessage(1)); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if err := r.Send(context.Background(), testMessage(2)); err == nil {
		t.Fatal("sent after Close")
	}
}

func TestNewRelayRefuses(t *testing.T) {
	for _, cfg := range []RelayConfig{
		{Addr: "relay.example", From: testFrom},
		{Addr: "relay.example:587", From: "Nieuws <nieuws@plein.example>"},
		{Addr: "relay.example:587", From: testFrom, TLS: "ssl"},
		{Addr: "relay.example:587", From: testFrom, Rate: -1},
		{Addr: "relay.example:587", From: "nieuws@other.example", DKIM: testSigner(t)},
	} {
		if _, err := NewRelay(cfg); err == nil {
			t.Errorf("NewRelay(%+v) accepted", cfg)
		}
	}
}

func TestBounceAddress(t *testing.T) {
	for _, tc := range []struct{ from, token, want string }{
		{"nieuws@plein.example", "", "nieuws@plein.example"},
		{"nieuws@plein.example", "s_01JQ9A-x", "nieuws+b-s_01JQ9A-x@plein.example"},
		{"nieuws+b-old@plein.example", "new", "nieuws+b-old+b-new@plein.example"},
	} {
		got, err := BounceAddress(tc.from, tc.token)
		if err != nil || got != tc.want {
			t.Errorf("BounceAddress(%q, %q) = %q, %v", tc.from, tc.token, got, err)
		}
		if want := tc.token; BounceTokenOf(got) != want && tc.token != "" {
			t.Errorf("BounceTokenOf(%q) = %q", got, BounceTokenOf(got))
		}
		if BounceTokenOf("<"+got+">") != BounceTokenOf(got) {
			t.Errorf("angle brackets change the token of %q", got)
		}
	}
	for _, token := range []string{"a b", "a+b", "a@b", "ä", strings.Repeat("x", 60)} {
		if _, err := BounceAddress("nieuws@plein.example", token); !errors.Is(err, ErrInvalid) {
			t.Errorf("BounceAddress with token %q: %v", token, err)
		}
	}
	for _, addr := range []string{"nieuws@plein.example", "nieuws+b-@plein.example", "nieuws+b-a.b@plein.example", "plein"} {
		if got := BounceTokenOf(addr); got != "" {
			t.Errorf("BounceTokenOf(%q) = %q", addr, got)
		}
	}
}
