package pleintest_test

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"

	"plein/internal/pleintest"
)

// echoServer answers every line with the same line.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// roundTrip sends a line on c and reads the answer.
func roundTrip(c net.Conn, line string) (string, error) {
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, line+"\n"); err != nil {
		return "", err
	}
	got, err := bufio.NewReader(c).ReadString('\n')
	return got, err
}

func TestTCPProxy(t *testing.T) {
	p := pleintest.NewTCPProxy(t, echoServer(t))
	dial := func() net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", p.Addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	open := dial()
	if got, err := roundTrip(open, "hallo"); err != nil || got != "hallo\n" {
		t.Fatalf("through the proxy: %q, %v", got, err)
	}

	p.Cut()
	if got, err := roundTrip(open, "nog daar?"); err == nil {
		t.Errorf("an open connection still answers after the cut: %q", got)
	}
	if got, err := roundTrip(dial(), "nieuw"); err == nil {
		t.Errorf("a new connection answers during the cut: %q", got)
	}

	p.Restore()
	if got, err := roundTrip(dial(), "weer open"); err != nil || got != "weer open\n" {
		t.Errorf("after Restore: %q, %v", got, err)
	}
}
