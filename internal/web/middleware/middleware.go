// Package middleware holds the HTTP middleware every part of Plein's web
// server shares: security headers, body limits, panic recovery, request
// logging without personal data, and the client address behind trusted
// proxies.
package middleware

import (
	"bytes"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// MaxRequestBody is the largest request body accepted by any route.
const MaxRequestBody = 48 << 20

// SecurityHeaders sends its headers on every response. The policy allows
// nothing from another origin (no scripts, styles, images, frames or
// forms) but images from mediaOrigin when it is not empty. The header map
// is filled with prepared values, as this runs on every request.
func SecurityHeaders(mediaOrigin string, next http.Handler) http.Handler {
	if mediaOrigin != "" {
		mediaOrigin = " " + mediaOrigin
	}
	csp := "default-src 'self'; img-src 'self'" + mediaOrigin +
		"; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	headers := map[string]string{
		"Content-Security-Policy":      csp,
		"Referrer-Policy":              "no-referrer",
		"X-Content-Type-Options":       "nosniff",
		"X-Frame-Options":              "DENY",
		"Cross-Origin-Opener-Policy":   "same-origin",
		"Cross-Origin-Resource-Policy": "same-origin",
		"Permissions-Policy":           "browsing-topics=(), camera=(), geolocation=(), microphone=()",
	}
	prepared := make(map[string][]string, len(headers))
	for k, v := range headers {
		prepared[http.CanonicalHeaderKey(k)] = []string{v}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range prepared {
			h[k] = v
		}
		next.ServeHTTP(w, r)
	})
}

// LimitBody refuses bodies over MaxRequestBody.
func LimitBody(next http.Handler) http.Handler {
	return LimitBodyBy(func(*http.Request) int64 { return MaxRequestBody }, next)
}

// LimitBodyBy refuses bodies over the limit limit gives for the request.
func LimitBodyBy(limit func(*http.Request) int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		max := limit(r)
		if r.ContentLength > max {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// RecoverPanics turns a panic into a 500 without leaking its text.
func RecoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.Error("web: panic", "route", r.Pattern, "panic", v)
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// LogRequests logs each request's route, status and duration at debug
// level: never the client's address, user agent or query.
func LogRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !logger.Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		logger.Debug("request", "method", r.Method, "route", r.Pattern, "status", sw.status, "duration", time.Since(start))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection, to extend a
// deadline for a long request.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ClientAddr returns the address of the client of r: the peer, or, when
// the peer is one of the trusted proxies, the rightmost untrusted
// X-Forwarded-For hop. It is for in-memory uses such as rate limiting and
// counting distinct visitors; it is never logged or stored.
func ClientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	addr = addr.Unmap()
	if !isTrusted(addr, trusted) {
		return addr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return addr // a malformed hop: stop at the last address we can vouch for
		}
		addr = hop.Unmap()
		if !isTrusted(addr, trusted) {
			return addr
		}
	}
	return addr
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// StaticFiles serves the files of the folder dir of fsys, a file system
// embedded in the binary, under the path prefix, cacheable for an hour.
// Only files are served: a request naming a folder, or any path ending in
// a slash, answers 404 rather than a listing of the folder.
func StaticFiles(fsys fs.FS, dir, prefix string) http.Handler {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // an embedded folder is fixed at build time
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok || name == "" || strings.HasSuffix(name, "/") || !fs.ValidPath(name) {
			http.NotFound(w, r)
			return
		}
		f, err := sub.Open(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil || info.IsDir() {
			http.NotFound(w, r)
			return
		}
		content, ok := f.(io.ReadSeeker)
		if !ok {
			b, err := io.ReadAll(f)
			if err != nil {
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
				return
			}
			content = bytes.NewReader(b)
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		http.ServeContent(w, r, info.Name(), info.ModTime(), content)
	})
}
