package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"golang.org/x/time/rate"
)

// TLSMode is how a Relay protects its connection.
type TLSMode string

// The TLS modes. STARTTLS is the usual one on the submission port 587,
// implicit TLS the one on port 465; none is for a relay on the same host
// or a private network.
const (
	TLSNone     TLSMode = "none"
	TLSStartTLS TLSMode = "starttls"
	TLSImplicit TLSMode = "tls"
)

// ParseTLSMode returns the mode named s: "none", "starttls" or "tls".
func ParseTLSMode(s string) (TLSMode, error) {
	switch m := TLSMode(strings.ToLower(strings.TrimSpace(s))); m {
	case TLSNone, TLSStartTLS, TLSImplicit:
		return m, nil
	}
	return "", fmt.Errorf("mail: TLS mode %q is not none, starttls or tls", s)
}

// Defaults of RelayConfig.
const (
	// DefaultConnections is how many connections a relay keeps open at
	// most, as listmonk does.
	DefaultConnections = 10
	// DefaultPauseAfter is how many sends in a row may fail on the relay's
	// side before it is paused.
	DefaultPauseAfter = 5
	// DefaultPauseMin is the first pause; each pause that follows one
	// without a success in between lasts twice as long, up to
	// DefaultPauseMax.
	DefaultPauseMin = 30 * time.Second
	// DefaultPauseMax is the longest pause.
	DefaultPauseMax = 30 * time.Minute
	// DefaultTimeout bounds connecting (with TLS, EHLO and AUTH) and
	// each command.
	DefaultTimeout = 30 * time.Second
	// DefaultSubmitTimeout bounds the wait for the relay's answer to a
	// message's data.
	DefaultSubmitTimeout = 5 * time.Minute
	// maxIdle is how long a connection may stay unused before it is
	// closed rather than used again: relays end quiet connections after
	// a few minutes.
	maxIdle = time.Minute
)

// RelayConfig is what a Relay sends through.
type RelayConfig struct {
	// Addr is the relay's host:port.
	Addr string
	// TLS is how the connection is protected; empty: TLSStartTLS.
	TLS TLSMode
	// User and Password log in with AUTH PLAIN; empty User: no log-in.
	User, Password string
	// From is the address every message is from (its From header) and the
	// envelope sender, with BounceAddress when a message has a
	// BounceToken.
	From string
	// DKIM signs every message; nil: unsigned.
	DKIM *DKIMSigner
	// Connections is how many connections are open at most and are kept
	// for the next messages; 0: DefaultConnections.
	Connections int
	// Rate is how many messages a second the relay is given at most;
	// 0: no limit.
	Rate float64
	// PauseAfter, PauseMin and PauseMax set the pause of a failing relay;
	// 0: the defaults.
	PauseAfter         int
	PauseMin, PauseMax time.Duration
	// Timeout bounds connecting and each command, SubmitTimeout the
	// relay's answer to a message; 0: the defaults.
	Timeout, SubmitTimeout time.Duration
	// LocalName is the host name said in EHLO; empty: this host's name.
	LocalName string
	// RootCAs are the authorities trusted for the relay's certificate;
	// nil: the system's. For tests.
	RootCAs *x509.CertPool
	// Now is the clock of pauses, Date headers and signatures; nil:
	// time.Now.
	Now func() time.Time
}

// Relay is a Sender that hands messages to one SMTP relay over a pool of
// connections it reuses, at most Rate messages a second. It is safe for
// concurrent use.
//
// Send classifies what goes wrong: a 5xx reply to RCPT or DATA rejects the
// message for good (ErrRejected); anything else, a 4xx reply, a failed
// connection or log-in, a lost answer, may succeed later. When sends fail
// that way PauseAfter times in a row, the relay is paused: for PauseMin,
// then twice as long after each pause that did not end in a success, and
// while it is paused Send returns an error wrapping ErrPaused at once,
// without touching the network. One success ends it all.
type Relay struct {
	cfg     RelayConfig
	tls     *tls.Config
	limiter *rate.Limiter
	slots   chan struct{} // one token for each connection open or being opened

	mu          sync.Mutex
	idle        []*conn
	closed      bool
	failures    int           // sends in a row that failed on the relay's side
	pause       time.Duration // the length of the next pause
	pausedUntil time.Time
}

// conn is one SMTP connection.
type conn struct {
	client    *smtp.Client
	raw       net.Conn
	idleSince time.Time
	reused    bool
	broken    bool // closed while in use
}

// NewRelay returns a Relay for cfg. It connects only when it sends.
func NewRelay(cfg RelayConfig) (*Relay, error) {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil || host == "" {
		return nil, fmt.Errorf("mail: relay address %q is not host:port", cfg.Addr)
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if _, err := ParseTLSMode(string(cfg.TLS)); err != nil {
		return nil, err
	}
	if _, err := plainAddress("From", cfg.From); err != nil {
		return nil, fmt.Errorf("mail: relay: %w", err)
	}
	if cfg.DKIM != nil && !strings.EqualFold(cfg.DKIM.Domain(), domainOf(cfg.From)) {
		return nil, fmt.Errorf("mail: relay: DKIM domain %s is not the domain of %s", cfg.DKIM.Domain(), cfg.From)
	}
	if cfg.Rate < 0 || cfg.Connections < 0 || cfg.PauseAfter < 0 {
		return nil, errors.New("mail: relay: Rate, Connections and PauseAfter must not be negative")
	}
	if cfg.Connections == 0 {
		cfg.Connections = DefaultConnections
	}
	if cfg.PauseAfter == 0 {
		cfg.PauseAfter = DefaultPauseAfter
	}
	if cfg.PauseMin <= 0 {
		cfg.PauseMin = DefaultPauseMin
	}
	if cfg.PauseMax < cfg.PauseMin {
		cfg.PauseMax = max(DefaultPauseMax, cfg.PauseMin)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.SubmitTimeout <= 0 {
		cfg.SubmitTimeout = DefaultSubmitTimeout
	}
	if cfg.LocalName == "" {
		cfg.LocalName, _ = os.Hostname()
		if cfg.LocalName == "" || strings.ContainsAny(cfg.LocalName, " \r\n") {
			cfg.LocalName = "localhost"
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	r := &Relay{
		cfg:   cfg,
		tls:   &tls.Config{ServerName: host, RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		slots: make(chan struct{}, cfg.Connections),
		pause: cfg.PauseMin,
	}
	if cfg.Rate > 0 {
		r.limiter = rate.NewLimiter(rate.Limit(cfg.Rate), 1)
	}
	return r, nil
}

// Step is the part of the SMTP conversation where sending failed.
type Step string

// The steps of sending a message.
const (
	StepConnect Step = "connect" // connecting, TLS, greeting, EHLO, STARTTLS
	StepAuth    Step = "auth"    // logging in
	StepMail    Step = "mail"    // MAIL FROM: the envelope sender
	StepRcpt    Step = "rcpt"    // RCPT TO: the recipient
	StepData    Step = "data"    // DATA: the message and the relay's answer to it
)

// SendError is why a Relay could not send a message.
type SendError struct {
	Step Step
	// Code is the relay's reply code, such as 550; 0 when the relay did not
	// answer (the connection failed or was lost).
	Code int
	// EnhancedCode is the relay's enhanced status code, such as "5.1.1";
	// empty when it gave none.
	EnhancedCode string
	// Message is the relay's text. It may name the recipient, so Error
	// leaves it out: errors end up in logs.
	Message string
	// Err is the underlying error.
	Err error
}

// Error names the step and the reply code, or the connection's error.
func (e *SendError) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("mail: relay %s: %v", e.Step, e.Err)
	}
	s := fmt.Sprintf("mail: relay %s: reply %d", e.Step, e.Code)
	if e.EnhancedCode != "" {
		s += " " + e.EnhancedCode
	}
	return s
}

// Unwrap returns Err, and ErrRejected when the message was refused for
// good.
func (e *SendError) Unwrap() []error {
	if e.Rejected() {
		return []error{e.Err, ErrRejected}
	}
	return []error{e.Err}
}

// Rejected reports whether the relay refused the message for good: a 5xx
// reply to RCPT or DATA. A 5xx reply to the log-in or to MAIL FROM is
// about the relay's configuration, not this message, and may be fixed.
func (e *SendError) Rejected() bool {
	return e.Code/100 == 5 && (e.Step == StepRcpt || e.Step == StepData)
}

// ErrPaused marks a send refused at once because the relay failed too
// often in a row; it may succeed after the pause.
var ErrPaused = errors.New("mail: relay paused after repeated failures")

// PauseError is the error of a send while the relay is paused.
type PauseError struct {
	Until time.Time // the end of the pause
}

func (e *PauseError) Error() string {
	return "mail: relay paused after repeated failures until " + e.Until.UTC().Format(time.RFC3339)
}

// Unwrap returns ErrPaused.
func (e *PauseError) Unwrap() error { return ErrPaused }

// ErrNoSTARTTLS is a relay that does not offer STARTTLS in TLSStartTLS
// mode; ErrNoAuth one that does not offer AUTH PLAIN when a User is set.
var (
	ErrNoSTARTTLS = errors.New("mail: the relay does not offer STARTTLS")
	ErrNoAuth     = errors.New("mail: the relay does not offer AUTH PLAIN")
)

// errClosed is a send after Close.
var errClosed = errors.New("mail: relay closed")

// Send composes m, signs it and hands it to the relay. See Relay for the
// errors.
func (r *Relay) Send(ctx context.Context, m *Message) error {
	now := r.cfg.Now()
	if until, paused := r.paused(now); paused {
		return &PauseError{Until: until}
	}
	msg := *m
	if msg.Date.IsZero() {
		msg.Date = now
	}
	raw, err := Compose(&msg, r.cfg.From)
	if err != nil {
		return err
	}
	envelope, err := BounceAddress(r.cfg.From, m.BounceToken)
	if err != nil {
		return err
	}
	if r.cfg.DKIM != nil {
		if raw, err = r.cfg.DKIM.Sign(raw, now); err != nil {
			return err
		}
	}
	if r.limiter != nil {
		if err := r.limiter.Wait(ctx); err != nil {
			return fmt.Errorf("mail: waiting for the rate limit: %w", err)
		}
	}
	err = r.deliver(ctx, envelope, m.To, raw)
	r.record(ctx, err)
	return err
}

// paused reports whether the relay is paused at now, and until when.
func (r *Relay) paused(now time.Time) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pausedUntil, now.Before(r.pausedUntil)
}

// record counts a send's outcome towards the pause.
func (r *Relay) record(ctx context.Context, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case err == nil || errors.Is(err, ErrRejected):
		// The relay answered: it works.
		r.failures = 0
		r.pause = r.cfg.PauseMin
		r.pausedUntil = time.Time{}
	case ctx.Err() != nil || errors.Is(err, errClosed):
		// Given up by the caller: says nothing about the relay.
	default:
		r.failures++
		now := r.cfg.Now()
		if r.failures >= r.cfg.PauseAfter && !now.Before(r.pausedUntil) {
			r.pausedUntil = now.Add(r.pause)
			r.pause = min(2*r.pause, r.cfg.PauseMax)
		}
	}
}

// deliver sends one message over a pooled connection. A connection taken
// from the pool may have been closed by the relay meanwhile, or have lost
// its state: when MAIL FROM fails on it, nothing was handed over yet, and
// the message is tried once more on a new connection.
func (r *Relay) deliver(ctx context.Context, from, to string, raw []byte) error {
	c, err := r.acquire(ctx)
	if err != nil {
		return err
	}
	err = r.transact(ctx, c, from, to, raw)
	var se *SendError
	if err != nil && c.reused && errors.As(err, &se) && se.Step == StepMail && ctx.Err() == nil {
		c.client.Close()
		if c, err = r.dial(ctx); err != nil {
			<-r.slots
			return err
		}
		err = r.transact(ctx, c, from, to, raw)
	}
	r.release(c, err)
	return err
}

// acquire returns an idle connection or a new one, waiting while
// Connections are in use.
func (r *Relay) acquire(ctx context.Context) (*conn, error) {
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, &SendError{Step: StepConnect, Err: ctx.Err()}
	}
	now := r.cfg.Now()
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		<-r.slots
		return nil, errClosed
	}
	for len(r.idle) > 0 {
		c := r.idle[len(r.idle)-1]
		r.idle = r.idle[:len(r.idle)-1]
		if now.Sub(c.idleSince) < maxIdle {
			r.mu.Unlock()
			c.reused = true
			return c, nil
		}
		c.client.Close()
	}
	r.mu.Unlock()
	c, err := r.dial(ctx)
	if err != nil {
		<-r.slots
		return nil, err
	}
	return c, nil
}

// release puts c back in the pool when it can carry the next message, or
// closes it, and frees its slot.
func (r *Relay) release(c *conn, sendErr error) {
	defer func() { <-r.slots }()
	var se *SendError
	keep := sendErr == nil && !c.broken
	if sendErr != nil && !c.broken && errors.As(sendErr, &se) && se.Code != 0 {
		// The relay answered: the connection works once the failed
		// transaction is reset.
		keep = c.client.Reset() == nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !keep || r.closed {
		c.client.Close()
		return
	}
	c.idleSince = r.cfg.Now()
	c.reused = false
	r.idle = append(r.idle, c)
}

// dial opens, secures and logs in a new connection, within Timeout.
func (r *Relay) dial(ctx context.Context) (*conn, error) {
	dctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	d := net.Dialer{}
	raw, err := d.DialContext(dctx, "tcp", r.cfg.Addr)
	if err != nil {
		return nil, &SendError{Step: StepConnect, Err: err}
	}
	// The context ending closes the connection, which ends whatever
	// waits on it.
	stop := context.AfterFunc(dctx, func() { raw.Close() })
	c, step, err := r.open(raw)
	if !stop() {
		if err == nil {
			c.Close()
		}
		cerr := ctx.Err()
		if cerr == nil {
			cerr = fmt.Errorf("no answer within %s: %w", r.cfg.Timeout, context.DeadlineExceeded)
		}
		return nil, &SendError{Step: step, Err: cerr}
	}
	if err != nil {
		raw.Close()
		return nil, stepError(step, err)
	}
	return &conn{client: c, raw: raw}, nil
}

// open speaks SMTP on a new connection up to a logged-in session.
func (r *Relay) open(raw net.Conn) (*smtp.Client, Step, error) {
	var c *smtp.Client
	var err error
	switch r.cfg.TLS {
	case TLSImplicit:
		tc := tls.Client(raw, r.tls)
		if err := tc.Handshake(); err != nil {
			return nil, StepConnect, err
		}
		c = smtp.NewClient(tc)
	case TLSStartTLS:
		// NewClientStartTLS says EHLO as "localhost" before STARTTLS;
		// the EHLO after it, which counts, says LocalName.
		c, err = smtp.NewClientStartTLS(raw, r.tls)
		if err != nil {
			var smtpErr *smtp.SMTPError
			if !errors.As(err, &smtpErr) && !isNetError(err) && strings.Contains(err.Error(), "STARTTLS") {
				err = ErrNoSTARTTLS
			}
			return nil, StepConnect, err
		}
	default:
		c = smtp.NewClient(raw)
	}
	c.CommandTimeout = r.cfg.Timeout
	c.SubmissionTimeout = r.cfg.SubmitTimeout
	if err := c.Hello(r.cfg.LocalName); err != nil {
		c.Close()
		return nil, StepConnect, err
	}
	if r.cfg.User != "" {
		if !c.SupportsAuth(sasl.Plain) {
			c.Close()
			return nil, StepAuth, ErrNoAuth
		}
		if err := c.Auth(sasl.NewPlainClient("", r.cfg.User, r.cfg.Password)); err != nil {
			c.Close()
			return nil, StepAuth, err
		}
	}
	return c, "", nil
}

// transact sends one message on c. The context ending closes the
// connection.
func (r *Relay) transact(ctx context.Context, c *conn, from, to string, raw []byte) error {
	stop := context.AfterFunc(ctx, func() { c.raw.Close() })
	step, err := r.transactSteps(c.client, from, to, raw)
	if !stop() {
		c.broken = true
		if err == nil {
			return nil // accepted just before the context ended
		}
		return &SendError{Step: step, Err: ctx.Err()}
	}
	if err != nil {
		return stepError(step, err)
	}
	return nil
}

func (r *Relay) transactSteps(c *smtp.Client, from, to string, raw []byte) (Step, error) {
	// RET=HDRS (where the relay offers DSN): a bounce returns only the
	// headers, not the message.
	if err := c.Mail(from, &smtp.MailOptions{Return: smtp.DSNReturnHeaders}); err != nil {
		return StepMail, err
	}
	if err := c.Rcpt(to, nil); err != nil {
		return StepRcpt, err
	}
	w, err := c.Data()
	if err != nil {
		return StepData, err
	}
	if _, err := w.Write(raw); err != nil {
		return StepData, err
	}
	return StepData, w.Close()
}

// stepError turns err at step into a *SendError.
func stepError(step Step, err error) *SendError {
	var smtpErr *smtp.SMTPError
	if errors.As(err, &smtpErr) {
		se := &SendError{Step: step, Code: smtpErr.Code, Message: smtpErr.Message, Err: err}
		if ec := smtpErr.EnhancedCode; ec[0] > 0 {
			se.EnhancedCode = fmt.Sprintf("%d.%d.%d", ec[0], ec[1], ec[2])
		}
		return se
	}
	return &SendError{Step: step, Err: err}
}

func isNetError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne)
}

// Close closes the idle connections; connections in use close when their
// message is sent. A Send after Close fails.
func (r *Relay) Close() error {
	r.mu.Lock()
	r.closed = true
	idle := r.idle
	r.idle = nil
	r.mu.Unlock()
	for _, c := range idle {
		c.raw.SetDeadline(time.Now().Add(5 * time.Second))
		if err := c.client.Quit(); err != nil {
			c.client.Close()
		}
	}
	return nil
}

// BounceAddress returns the envelope sender of a message with token: from
// with "+b-" and the token added to its local part (VERP), so that bounces
// and complaints come back to an address that names what the message was
// sent for. An empty token returns from. The relay that receives mail for
// from's domain must deliver such addresses to from (Postfix:
// recipient_delimiter = +).
func BounceAddress(from, token string) (string, error) {
	if token == "" {
		return from, nil
	}
	if !isToken(token) {
		return "", invalidf("BounceToken %q may hold only letters, digits, '-' and '_'", token)
	}
	at := strings.LastIndexByte(from, '@')
	if at <= 0 {
		return "", invalidf("From %q is not an e-mail address", from)
	}
	local := from[:at] + bounceSeparator + token
	if len(local) > 64 {
		return "", invalidf("the bounce address's local part %q is longer than 64 characters", local)
	}
	return local + from[at:], nil
}

// bounceSeparator precedes the token in a bounce address's local part.
const bounceSeparator = "+b-"

// BounceTokenOf returns the token of a bounce address made by
// BounceAddress, given bare or in angle brackets; "" when it has none.
func BounceTokenOf(address string) string {
	a := strings.TrimSpace(address)
	a = strings.TrimSuffix(strings.TrimPrefix(a, "<"), ">")
	at := strings.LastIndexByte(a, '@')
	if at < 0 {
		return ""
	}
	local := a[:at]
	i := strings.LastIndex(local, bounceSeparator)
	if i < 0 {
		return ""
	}
	token := local[i+len(bounceSeparator):]
	if !isToken(token) {
		return ""
	}
	return token
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
