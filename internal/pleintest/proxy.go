package pleintest

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"plein/internal/config"
	"plein/internal/store/storetest"
)

// TCPProxy forwards TCP connections from a loopback port to a target, and
// can cut them: for tests of what Plein does when its database stops
// answering and comes back.
type TCPProxy struct {
	// Addr is the host:port the proxy listens on.
	Addr   string
	target string
	ln     net.Listener

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]struct{} // both ends of every forwarded connection
	wg    sync.WaitGroup        // the accept loop and every forwarding
}

// NewTCPProxy returns a proxy to target (host:port) listening on
// 127.0.0.1; it stops, closing every connection, when the test ends.
func NewTCPProxy(t testing.TB, target string) *TCPProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &TCPProxy{Addr: ln.Addr().String(), target: target, ln: ln, conns: make(map[net.Conn]struct{})}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

// Cut closes every open connection, and every new one as soon as it is
// accepted, until Restore: to the client, the server went away and
// refuses to talk.
func (p *TCPProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	p.closeAllLocked()
}

// Restore forwards new connections again.
func (p *TCPProxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = false
}

func (p *TCPProxy) close() {
	p.ln.Close()
	p.Cut()
	p.wg.Wait()
}

func (p *TCPProxy) closeAllLocked() {
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// track adds c to the open connections, or closes it when the proxy is
// cut; false then.
func (p *TCPProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut {
		c.Close()
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *TCPProxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		c.Close()
		delete(p.conns, c)
	}
}

func (p *TCPProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // the listener is closed
		}
		if !p.track(c) {
			continue
		}
		p.wg.Add(1)
		go p.forward(c)
	}
}

// forward copies between client and a new connection to the target until
// either side closes or the proxy is cut.
func (p *TCPProxy) forward(client net.Conn) {
	defer p.wg.Done()
	upstream, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		p.untrack(client)
		return
	}
	if !p.track(upstream) {
		p.untrack(client)
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(upstream, client); done <- struct{}{} }()
	go func() { _, _ = io.Copy(client, upstream); done <- struct{}{} }()
	<-done
	p.untrack(client, upstream) // ends the other copy too
	<-done
}

// DatabaseProxy puts a TCPProxy between a server and the PostgreSQL
// server of the tests (see storetest.PostgresServerURL). Pass Route to
// NewServer as a configure function; Cut and Restore then break and mend
// the server's database connections, while an App opened with
// Server.Open(t, proxy.Direct) reaches the database past the proxy.
type DatabaseProxy struct {
	*TCPProxy
	t testing.TB
}

// NewDatabaseProxy returns a proxy to the PostgreSQL server of the tests.
func NewDatabaseProxy(t testing.TB) *DatabaseProxy {
	t.Helper()
	u, err := url.Parse(storetest.PostgresServerURL())
	if err != nil {
		t.Fatalf("parse the PostgreSQL URL: %v", err)
	}
	return &DatabaseProxy{TCPProxy: NewTCPProxy(t, hostPort(u)), t: t}
}

// Route is a configure function: the database connections of c go through
// the proxy.
func (d *DatabaseProxy) Route(c *config.Config) {
	d.rewrite(c, d.target, d.Addr)
}

// Direct is a configure function: the database connections of c go to the
// PostgreSQL server directly.
func (d *DatabaseProxy) Direct(c *config.Config) {
	d.rewrite(c, d.Addr, d.target)
}

// rewrite replaces the host and port from with to in c's database URL.
func (d *DatabaseProxy) rewrite(c *config.Config, from, to string) {
	d.t.Helper()
	u, err := url.Parse(c.Database)
	if err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" {
		d.t.Fatalf("the database proxy needs a postgres:// database URL, not %q", c.Database)
	}
	if hostPort(u) != from {
		d.t.Fatalf("database at %s, want %s", hostPort(u), from)
	}
	u.Host = to
	c.Database = u.String()
}

// hostPort returns the host and port of a PostgreSQL URL, with the
// default port when it names none.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	return net.JoinHostPort(u.Hostname(), port)
}
