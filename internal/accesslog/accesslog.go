// Package accesslog writes an access log that cannot identify a visitor:
// the client address is cut to its network (IPv4 /24, IPv6 /48) before it
// is written, no user agent, referrer or cookie is written, and each day
// has its own file, so that files older than the retention limit can be
// deleted whole.
package accesslog

import (
	"bufio"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fileLayout names a day's file: access-2026-11-23.log.
const (
	filePrefix = "access-"
	fileSuffix = ".log"
	dayLayout  = "2006-01-02"
)

// Truncate cuts an address to its network: IPv4 to /24, IPv6 to /48. An
// invalid address gives the zero Addr.
func Truncate(a netip.Addr) netip.Addr {
	a = a.Unmap()
	switch {
	case a.Is4():
		p, _ := a.Prefix(24)
		return p.Addr()
	case a.Is6():
		p, _ := a.Prefix(48)
		return p.Addr()
	}
	return netip.Addr{}
}

// Log writes access log lines to daily files in a folder. It is safe for
// concurrent use.
type Log struct {
	dir string
	now func() time.Time

	mu        sync.Mutex
	day       string
	file      *os.File
	w         *bufio.Writer
	lastFlush time.Time
}

// flushEvery bounds how long a line waits in the buffer while requests
// keep coming.
const flushEvery = time.Second

// Open returns a Log writing to dir, creating it if needed.
func Open(dir string, now func() time.Time) (*Log, error) {
	if now == nil {
		now = time.Now
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("accesslog: %w", err)
	}
	return &Log{dir: dir, now: now}, nil
}

// Write logs one request: the time, the truncated client address, the
// method, the path (without query), the status and the response size.
func (l *Log) Write(client netip.Addr, method, path string, status int, size int64) error {
	t := l.now().UTC()
	addr := "-"
	if a := Truncate(client); a.IsValid() {
		addr = a.String()
	}
	line := t.Format(time.RFC3339) + " " + addr + " " + method + " " + strconv.Quote(path) + " " +
		strconv.Itoa(status) + " " + strconv.FormatInt(size, 10) + "\n"
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.rotate(t.Format(dayLayout)); err != nil {
		return err
	}
	if _, err := l.w.WriteString(line); err != nil {
		return err
	}
	if t.Sub(l.lastFlush) >= flushEvery {
		l.lastFlush = t
		return l.w.Flush()
	}
	return nil
}

// rotate opens the file of day, closing the previous one.
func (l *Log) rotate(day string) error {
	if day == l.day && l.file != nil {
		return nil
	}
	if err := l.closeFile(); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(l.dir, filePrefix+day+fileSuffix), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("accesslog: %w", err)
	}
	l.day, l.file, l.w = day, f, bufio.NewWriter(f)
	return nil
}

func (l *Log) closeFile() error {
	if l.file == nil {
		return nil
	}
	err := l.w.Flush()
	if cerr := l.file.Close(); err == nil {
		err = cerr
	}
	l.file, l.w = nil, nil
	if err != nil {
		return fmt.Errorf("accesslog: %w", err)
	}
	return nil
}

// Flush writes buffered lines to the file.
func (l *Log) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w == nil {
		return nil
	}
	return l.w.Flush()
}

// Close flushes and closes the current file.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closeFile()
}

// SweepInterval is how often Sweep is expected to run; files go that much
// before their limit, so that no line is ever older than maxAge.
const SweepInterval = time.Hour

// Sweep deletes the files of days whose first line could be older than
// maxAge by the next sweep, and returns how many it deleted.
func (l *Log) Sweep(maxAge time.Duration) (int, error) {
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return 0, fmt.Errorf("accesslog: %w", err)
	}
	now := l.now().UTC()
	n := 0
	for _, e := range entries {
		day, ok := strings.CutPrefix(e.Name(), filePrefix)
		day, ok2 := strings.CutSuffix(day, fileSuffix)
		if !ok || !ok2 {
			continue
		}
		start, err := time.Parse(dayLayout, day)
		if err != nil || now.Before(start.Add(maxAge-SweepInterval)) {
			continue
		}
		l.mu.Lock()
		if day == l.day {
			err = l.closeFile()
		}
		l.mu.Unlock()
		if err != nil {
			return n, err
		}
		if err := os.Remove(filepath.Join(l.dir, e.Name())); err != nil {
			return n, fmt.Errorf("accesslog: %w", err)
		}
		n++
	}
	return n, nil
}

// Middleware logs every request handled by next; clientAddr says who the
// client is (behind trusted proxies, the forwarded address).
func (l *Log) Middleware(next http.Handler, clientAddr func(*http.Request) netip.Addr) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		_ = l.Write(clientAddr(r), r.Method, r.URL.Path, rec.status, rec.size)
	})
}

// recorder notes the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	size   int64
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.size += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
