package mail

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// sink is an SMTP server on loopback that keeps what it accepts. Its
// hooks make it refuse, fail or stall the way relays do.
type sink struct {
	addr  string
	roots *x509.CertPool // trusts the sink's certificate

	// user and password, when set, are the only log-in accepted, and
	// MAIL is refused before it.
	user, password string
	// fail makes every new session fail with a 421 reply, as a relay
	// that is down for maintenance.
	fail atomic.Bool
	// failTogether, when above 1, holds failing sessions until that many
	// wait, so that their sends fail at the same moment.
	failTogether int
	failing      sync.WaitGroup
	accepted     atomic.Int64 // TCP connections accepted

	mu sync.Mutex
	// rcpt and data, when set, answer RCPT and DATA; data may close the
	// connection. Set them with setHooks once the sink serves.
	rcpt     func(to string) error
	data     func(c *smtp.Conn, body []byte) error
	messages []received // accepted messages
	conns    []*smtp.Conn
}

// received is one message as the sink got it.
type received struct {
	from, to string
	data     []byte
	tls      bool
	user     string
}

// id returns the Message-ID of the message, without angle brackets.
func (r received) id() string {
	m, err := mail.ReadMessage(strings.NewReader(string(r.data)))
	if err != nil {
		return ""
	}
	return strings.Trim(m.Header.Get("Message-Id"), "<>")
}

// startSink starts a sink that speaks mode: with a certificate for
// STARTTLS, behind a TLS listener for implicit TLS. configure sets its
// hooks before it serves.
func startSink(t testing.TB, mode TLSMode, configure func(*sink)) *sink {
	t.Helper()
	s := &sink{}
	if configure != nil {
		configure(s)
	}
	s.failing.Add(s.failTogether)
	cert, roots := testCertificate(t)
	s.roots = roots
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		if s.fail.Load() {
			if s.failTogether > 1 {
				s.failing.Done()
				s.failing.Wait()
			}
			return nil, &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		return &sinkSession{sink: s, conn: c}, nil
	}))
	srv.Domain = "sink.test"
	srv.AllowInsecureAuth = mode == TLSNone
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.EnableDSN = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}}
	var l net.Listener = &countingListener{Listener: ln, n: &s.accepted}
	switch mode {
	case TLSStartTLS:
		srv.TLSConfig = tlsConfig
	case TLSImplicit:
		l = tls.NewListener(l, tlsConfig)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(l)
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

// setHooks replaces the answers to RCPT and DATA.
func (s *sink) setHooks(rcpt func(string) error, data func(*smtp.Conn, []byte) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcpt, s.data = rcpt, data
}

// hooks returns the answers to RCPT and DATA.
func (s *sink) hooks() (func(string) error, func(*smtp.Conn, []byte) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcpt, s.data
}

// received returns a copy of the accepted messages.
func (s *sink) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.messages...)
}

// dropConnections closes every connection from the server's side, as a
// relay does with idle ones.
func (s *sink) dropConnections() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.Conn().Close()
	}
	s.conns = nil
}

type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

type sinkSession struct {
	sink     *sink
	conn     *smtp.Conn
	user     string
	from, to string
}

func (s *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *sinkSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, password string) error {
		if user != s.sink.user || password != s.sink.password {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}

func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.sink.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if rcpt, _ := s.sink.hooks(); rcpt != nil {
		if err := rcpt(to); err != nil {
			return err
		}
	}
	s.to = to
	return nil
}

func (s *sinkSession) Data(r io.Reader) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if _, data := s.sink.hooks(); data != nil {
		if err := data(s.conn, body); err != nil {
			return err
		}
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.sink.mu.Lock()
	s.sink.messages = append(s.sink.messages, received{from: s.from, to: s.to, data: body, tls: isTLS, user: s.user})
	s.sink.mu.Unlock()
	return nil
}

func (s *sinkSession) Reset()        { s.from, s.to = "", "" }
func (s *sinkSession) Logout() error { return nil }

var (
	certOnce  sync.Once
	testCert  tls.Certificate
	testRoots *x509.CertPool
)

// testCertificate returns a self-signed certificate for 127.0.0.1 and the
// pool that trusts it.
func testCertificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	certOnce.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(1),
			Subject:               pkix.Name{CommonName: "sink.test"},
			NotBefore:             time.Now().Add(-time.Hour),
			NotAfter:              time.Now().Add(24 * time.Hour),
			IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
			DNSNames:              []string{"localhost"},
			KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
			ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			BasicConstraintsValid: true,
			IsCA:                  true,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			panic(err)
		}
		leaf, err := x509.ParseCertificate(der)
		if err != nil {
			panic(err)
		}
		testCert = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
		testRoots = x509.NewCertPool()
		testRoots.AddCert(leaf)
	})
	return testCert, testRoots
}

// clock is a clock the test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: testDate} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// errAs returns err as a *SendError, failing the test when it is not one.
func errAs(t *testing.T, err error) *SendError {
	t.Helper()
	var se *SendError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *SendError", err, err)
	}
	return se
}
