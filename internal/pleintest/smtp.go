package pleintest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"plein/internal/config"
	plmail "plein/internal/mail"
)

// SMTPSink is a real SMTP server on loopback (go-smtp's) for tests that
// send through Plein's own relay client, mail.Relay: it keeps every message
// it accepts as it received it, and SetFaults makes it refuse chosen
// messages, or lose their acceptance, as relays do. It is safe for
// concurrent use.
type SMTPSink struct {
	// Addr is where it listens: 127.0.0.1 and a free port.
	Addr string

	user, password string // the one log-in accepted; none when user is ""

	mu       sync.Mutex
	messages []SMTPMessage
	offered  int               // messages offered since the last SetFaults
	faults   map[int]SMTPFault // by offered number, from 1
	onAccept func(n int)
	changed  chan struct{} // closed and replaced when a message is kept
}

// SMTPMessage is one message an SMTPSink kept.
type SMTPMessage struct {
	// From is the envelope sender (MAIL FROM), To the envelope recipients
	// (RCPT TO).
	From string
	To   []string
	// User is who logged in to send it; "" without a log-in.
	User string
	// Data is the message as it came, with CRLF line ends.
	Data []byte
	// AcceptanceLost says that the sink kept the message but closed the
	// connection instead of saying so (SMTPLoseAcceptance): the sender
	// saw an error.
	AcceptanceLost bool
}

// SMTPFault is what an SMTPSink does with a message offered to it instead
// of accepting it.
type SMTPFault int

// The faults of an SMTPSink. The replies are the ones relays give.
const (
	// SMTPTempFailRcpt answers RCPT TO with 451 4.3.0: try again later.
	SMTPTempFailRcpt SMTPFault = iota + 1
	// SMTPRejectRcpt answers RCPT TO with 550 5.1.1: no such mailbox.
	SMTPRejectRcpt
	// SMTPTempFailData answers the end of the data with 451 4.3.0.
	SMTPTempFailData
	// SMTPRejectData answers the end of the data with 554 5.6.0.
	SMTPRejectData
	// SMTPLoseAcceptance keeps the message, then closes the connection
	// before the reply to its data: the message was delivered, but the
	// sender cannot know it.
	SMTPLoseAcceptance
)

// SMTPSinkOptions are the optional settings of NewSMTPSinkWith; the zero
// value starts the sink NewSMTPSink starts.
type SMTPSinkOptions struct {
	// User and Password, when User is set, are the only log-in (AUTH
	// PLAIN) the sink accepts, and it refuses MAIL FROM before one.
	User, Password string
	// STARTTLS offers STARTTLS with a self-signed certificate for
	// 127.0.0.1 that nothing trusts.
	STARTTLS bool
}

// NewSMTPSink starts a sink that accepts every message, without TLS or a
// log-in (as --smtp-tls none), and stops it when the test ends.
func NewSMTPSink(t testing.TB) *SMTPSink {
	t.Helper()
	return NewSMTPSinkWith(t, SMTPSinkOptions{})
}

// NewSMTPSinkWith is NewSMTPSink with options.
func NewSMTPSinkWith(t testing.TB, opts SMTPSinkOptions) *SMTPSink {
	t.Helper()
	s := &SMTPSink{user: opts.User, password: opts.Password, changed: make(chan struct{})}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &smtpSession{sink: s, conn: c}, nil
	}))
	srv.Domain = "sink.test"
	srv.EnableDSN = true
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if opts.STARTTLS {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln)
	}()
	t.Cleanup(func() {
		// Close stops only the listeners Serve has registered: when the
		// test ends before the goroutine reached Serve, closing the
		// listener here is what ends it.
		srv.Close()
		ln.Close()
		<-done
	})
	return s
}

// selfSigned returns a certificate for 127.0.0.1 that nothing trusts.
func selfSigned(t testing.TB) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// SetFaults makes the sink answer the n-th message offered from now on
// (counting from 1, in the order their MAIL FROM arrives) as faults[n]
// says, and accept the others; nil accepts every message again.
func (s *SMTPSink) SetFaults(faults map[int]SMTPFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults, s.offered = faults, 0
}

// OnAccept has the sink call f with the number of each message it keeps
// (counted as SetFaults counts them) before it replies, so that a test can
// break something between the relay's acceptance and the sender's record
// of it; nil: nothing.
func (s *SMTPSink) OnAccept(f func(n int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onAccept = f
}

// Messages returns the messages kept so far, in the order they came.
func (s *SMTPSink) Messages() []SMTPMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMTPMessage(nil), s.messages...)
}

// To returns the messages kept for the recipient address.
func (s *SMTPSink) To(address string) []SMTPMessage {
	var out []SMTPMessage
	for _, m := range s.Messages() {
		for _, to := range m.To {
			if strings.EqualFold(to, address) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// WaitFor waits until the sink has kept n messages for address, failing
// the test after 20 seconds, and returns them.
func (s *SMTPSink) WaitFor(t testing.TB, address string, n int) []SMTPMessage {
	t.Helper()
	return s.wait(t, fmt.Sprintf("%d messages to %s", n, address), func() []SMTPMessage {
		if got := s.To(address); len(got) >= n {
			return got
		}
		return nil
	})
}

// wait returns what done returns once it is not nil, checking it again
// each time the sink keeps a message.
func (s *SMTPSink) wait(t testing.TB, what string, done func() []SMTPMessage) []SMTPMessage {
	t.Helper()
	timeout := time.NewTimer(20 * time.Second)
	defer timeout.Stop()
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if got := done(); got != nil {
			return got
		}
		select {
		case <-changed:
		case <-timeout.C:
			t.Fatalf("the SMTP sink did not get %s within 20s; it has %d in all", what, len(s.Messages()))
		}
	}
}

// keep records m and wakes those who wait.
func (s *SMTPSink) keep(m SMTPMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

// offer numbers a new message and returns its number and its fault, or 0.
func (s *SMTPSink) offer() (int, SMTPFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offered++
	return s.offered, s.faults[s.offered]
}

var (
	errTempFail = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	errNoMbox   = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	errRefused  = &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Message refused"}
)

type smtpSession struct {
	sink  *SMTPSink
	conn  *smtp.Conn
	user  string // who logged in
	n     int    // the message's number
	fault SMTPFault
	from  string
	to    []string
}

func (x *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if x.sink.user == "" || user != x.sink.user || password != x.sink.password {
			return smtp.ErrAuthFailed
		}
		x.user = user
		return nil
	}), nil
}

func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if x.sink.user != "" && x.user == "" {
		return smtp.ErrAuthRequired
	}
	x.from, x.to = from, nil
	x.n, x.fault = x.sink.offer()
	return nil
}

func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch x.fault {
	case SMTPTempFailRcpt:
		return errTempFail
	case SMTPRejectRcpt:
		return errNoMbox
	}
	x.to = append(x.to, to)
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	switch x.fault {
	case SMTPTempFailData:
		return errTempFail
	case SMTPRejectData:
		return errRefused
	}
	lost := x.fault == SMTPLoseAcceptance
	x.sink.keep(SMTPMessage{From: x.from, To: x.to, User: x.user, Data: data, AcceptanceLost: lost})
	x.sink.mu.Lock()
	onAccept := x.sink.onAccept
	x.sink.mu.Unlock()
	if onAccept != nil {
		onAccept(x.n)
	}
	if lost {
		x.conn.Conn().Close()
	}
	return nil
}

func (x *smtpSession) Reset()        { x.from, x.to, x.n, x.fault = "", nil, 0, 0 }
func (x *smtpSession) Logout() error { return nil }

// Header returns the message's header fields; empty when they cannot be
// read.
func (m SMTPMessage) Header() mail.Header {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return mail.Header{}
	}
	return msg.Header
}

// MessageID returns the Message-ID without angle brackets.
func (m SMTPMessage) MessageID() string {
	return strings.Trim(strings.TrimSpace(m.Header().Get("Message-Id")), "<>")
}

// Subject returns the decoded Subject.
func (m SMTPMessage) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header().Get("Subject"))
	if err != nil {
		return m.Header().Get("Subject")
	}
	return s
}

// Part returns the decoded body of the first part of mediaType, such as
// text/plain or text/html, looking through nested multiparts; "" when the
// message has none.
func (m SMTPMessage) Part(mediaType string) string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	body, _ := findPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, mediaType)
	return body
}

func findPart(contentType, encoding string, body io.Reader, want string) (string, bool) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return "", false
			}
			if s, ok := findPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, want); ok {
				return s, true
			}
		}
	}
	if mt != want {
		return "", false
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	return string(b), err == nil
}

// SMTPFrom is the --mail-from of a server that sends to an SMTPSink
// (Options.SMTP): its domain signs with DKIM.
const SMTPFrom = "nieuws@plein.example"

var (
	dkimOnce sync.Once
	dkimPEM  string
	dkimTXT  map[string]string
	dkimErr  error
)

// dkimKeys makes, once per test binary, the RSA and Ed25519 keys a server
// sending to an SMTPSink signs with, as PEM, and their DNS records.
func dkimKeys() (string, map[string]string, error) {
	dkimOnce.Do(func() {
		rsaKey, edKey, err := plmail.GenerateDKIMKeys()
		if err != nil {
			dkimErr = err
			return
		}
		dkimTXT = map[string]string{}
		for _, k := range []struct {
			selector string
			key      crypto.Signer
		}{{config.DefaultDKIMSelector, rsaKey}, {config.DefaultDKIMSelector + config.DKIMEd25519Suffix, edKey}} {
			text, err := plmail.EncodeDKIMKey(k.key)
			if err != nil {
				dkimErr = err
				return
			}
			dkimPEM += text
			record, err := plmail.DKIMRecord(k.key.Public())
			if err != nil {
				dkimErr = err
				return
			}
			dkimTXT[k.selector+"._domainkey."+config.Mail{From: SMTPFrom}.Domain()] = record
		}
	})
	return dkimPEM, dkimTXT, dkimErr
}

// DKIMLookup answers a DKIM verifier's DNS question for the keys a server
// sending to an SMTPSink signs with: the TXT records an operator
// publishes, made from the public halves of the keys the test gave the
// server, not from anything the server says. It fits
// go-msgauth's dkim.VerifyOptions.LookupTXT.
func DKIMLookup(name string) ([]string, error) {
	_, records, err := dkimKeys()
	if err != nil {
		return nil, err
	}
	if v, ok := records[strings.TrimSuffix(name, ".")]; ok {
		return []string{v}, nil
	}
	return nil, fmt.Errorf("no TXT record %s", name)
}

// relayTo returns the mail settings that send to sink through Plein's
// relay client, as an operator gives them: --smtp-addr, --smtp-tls none,
// --mail-from SMTPFrom, --dkim-key with the test's keys, and a rate limit
// that keeps tests fast.
func relayTo(t testing.TB, sink *SMTPSink) config.Mail {
	t.Helper()
	text, _, err := dkimKeys()
	if err != nil {
		t.Fatalf("DKIM keys: %v", err)
	}
	keyFile := filepath.Join(t.TempDir(), "dkim.pem")
	if err := os.WriteFile(keyFile, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return config.Mail{SMTPAddr: sink.Addr, SMTPTLS: "none", From: SMTPFrom, DKIMKeyFile: keyFile, Rate: 10000}
}
