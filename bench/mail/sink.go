//go:build linux

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// sink is an SMTP server on loopback that accepts every message, counts
// it by recipient and Message-ID, keeps every sampleEvery-th one whole
// for checking and throws the other bodies away.
type sink struct {
	addr        string
	srv         *smtp.Server
	sampleEvery int

	mu         sync.Mutex
	accepted   int                 // messages accepted, repeats included
	recipients map[string]int      // messages accepted per recipient
	ids        map[string]struct{} // distinct Message-IDs
	first      time.Time           // when the first message was accepted
	last       time.Time           // when the last message was accepted
	samples    []sample
	problems   []string // messages the sink could not read
}

// sample is one accepted message, kept whole.
type sample struct {
	rcpt string
	raw  []byte
}

// startSink listens on a free loopback port and serves until close.
func startSink(sampleEvery int) (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	s := &sink{addr: ln.Addr().String(), sampleEvery: sampleEvery}
	s.reset()
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{sink: s}, nil }))
	s.srv.Domain = "sink.localhost"
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.MaxRecipients = 1
	s.srv.ReadTimeout = time.Minute
	s.srv.WriteTimeout = time.Minute
	go s.srv.Serve(ln)
	return s, nil
}

// reset forgets every message, for the next run.
func (s *sink) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accepted = 0
	s.recipients = map[string]int{}
	s.ids = map[string]struct{}{}
	s.first, s.last = time.Time{}, time.Time{}
	s.samples = nil
	s.problems = nil
}

func (s *sink) close() { s.srv.Close() }

// tally is what the sink has accepted so far.
type tally struct {
	accepted, recipients, ids int
	first, last               time.Time
}

func (s *sink) tally() tally {
	s.mu.Lock()
	defer s.mu.Unlock()
	return tally{accepted: s.accepted, recipients: len(s.recipients), ids: len(s.ids), first: s.first, last: s.last}
}

// accept records a message whose data the relay has sent in full.
func (s *sink) accept(rcpt, id string, raw []byte) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accepted++
	if s.first.IsZero() {
		s.first = now
	}
	s.last = now
	s.recipients[rcpt]++
	s.ids[id] = struct{}{}
	if raw != nil {
		s.samples = append(s.samples, sample{rcpt: rcpt, raw: raw})
	}
}

func (s *sink) problem(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.problems) < 20 {
		s.problems = append(s.problems, fmt.Sprintf(format, args...))
	}
}

// keep reports whether the next message is a sample.
func (s *sink) keep() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sampleEvery > 0 && s.accepted%s.sampleEvery == 0
}

// session is one SMTP connection of the relay.
type session struct {
	sink *sink
	rcpt string
}

func (se *session) Reset()        { se.rcpt = "" }
func (se *session) Logout() error { return nil }

func (se *session) Mail(string, *smtp.MailOptions) error { return nil }

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.rcpt = strings.ToLower(to)
	return nil
}

// Data reads the header for the Message-ID and throws the body away,
// unless the message is a sample.
func (se *session) Data(r io.Reader) error {
	var raw *bytes.Buffer
	if se.sink.keep() {
		raw = &bytes.Buffer{}
		r = io.TeeReader(r, raw)
	}
	id, err := messageID(bufio.NewReader(r))
	if err != nil {
		se.sink.problem("a message to %s: %v", se.rcpt, err)
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "unreadable message"}
	}
	var kept []byte
	if raw != nil {
		kept = raw.Bytes()
	}
	se.sink.accept(se.rcpt, id, kept)
	return nil
}

// messageID returns the Message-ID of the message r reads, without angle
// brackets, and reads the rest of it.
func messageID(r *bufio.Reader) (string, error) {
	id := ""
	for {
		line, err := r.ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			return "", fmt.Errorf("no end of header: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if name, value, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, "Message-ID") {
			id = strings.Trim(strings.TrimSpace(value), "<>")
		}
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return "", err
	}
	if id == "" {
		return "", errors.New("no Message-ID")
	}
	return id, nil
}
