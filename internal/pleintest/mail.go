package pleintest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"plein/internal/mail"
)

// MailSink is a mail.Sender that keeps the messages it accepts, in memory,
// for tests; a Fault makes it fail as a relay can. It is safe for
// concurrent use.
type MailSink struct {
	mu       sync.Mutex
	accepted []*mail.Message
	offered  int
	fault    Fault
}

// Fault decides what a MailSink does with the n-th message offered to it
// (counting from 1): whether the message reaches its recipient, and the
// error Send returns. A message delivered with an error is one whose
// acceptance was lost on the way back.
type Fault func(n int, m *mail.Message) (deliver bool, err error)

// NewMailSink returns a sink that accepts everything.
func NewMailSink() *MailSink { return &MailSink{} }

// SetFault makes the sink fail as f says from now on; nil accepts
// everything again.
func (s *MailSink) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// Send implements mail.Sender.
func (s *MailSink) Send(ctx context.Context, m *mail.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offered++
	deliver, err := true, error(nil)
	if s.fault != nil {
		deliver, err = s.fault(s.offered, m)
	}
	if deliver {
		c := *m
		c.Inline = append([]mail.Part(nil), m.Inline...)
		if c.Date.IsZero() {
			c.Date = time.Now()
		}
		s.accepted = append(s.accepted, &c)
	}
	return err
}

// Messages returns the messages delivered so far, in order.
func (s *MailSink) Messages() []*mail.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*mail.Message(nil), s.accepted...)
}

// Offered returns how many messages were offered to the sink.
func (s *MailSink) Offered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offered
}

// To returns the messages delivered to address.
func (s *MailSink) To(address string) []*mail.Message {
	var out []*mail.Message
	for _, m := range s.Messages() {
		if strings.EqualFold(m.To, address) {
			out = append(out, m)
		}
	}
	return out
}

// WaitFor waits until address has n messages, failing the test otherwise,
// and returns them.
func (s *MailSink) WaitFor(t testing.TB, address string, n int) []*mail.Message {
	t.Helper()
	var got []*mail.Message
	Eventually(t, 20*time.Second, func() error {
		if got = s.To(address); len(got) < n {
			return fmt.Errorf("%d messages to %s, want %d", len(got), address, n)
		}
		return nil
	})
	return got
}
