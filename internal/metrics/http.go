package metrics

import (
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Route labels that are not patterns.
const (
	// RouteUnmatched labels requests no pattern matched: 404s and 405s from
	// the mux itself, and CONNECT requests.
	RouteUnmatched = "unmatched"
	// RouteOther labels requests whose pattern came after the first
	// maxRoutes distinct ones.
	RouteOther = "other"
)

// maxRoutes bounds the number of distinct route labels. Plein registers a
// few dozen patterns; the bound only guards against a mistake that would
// put unbounded values into the label.
const maxRoutes = 256

var (
	methods = [...]string{"GET", "HEAD", "POST", "other"}
	classes = [...]string{"2xx", "3xx", "4xx", "5xx"}
)

// Middleware records the count and duration of every request served by
// next, labelled with the route pattern, method and status class.
//
// The route is read from r.Pattern after next returns: http.ServeMux sets
// it on the *http.Request it is given, before calling the matched handler.
// So next must be the ServeMux itself, or handlers that pass the same
// *http.Request on to it; a handler in between that replaces the request
// (r.WithContext, r.Clone) hides the pattern and its requests are labelled
// "unmatched". A nil *Metrics returns next unchanged.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := recorders.Get().(*recorder)
		rec.ResponseWriter, rec.status, rec.wrote, rec.done = w, http.StatusOK, false, false
		defer m.observe(rec, r, start)
		next.ServeHTTP(rec, r)
		rec.done = true
	})
}

// observe records the request; it runs deferred, so a handler that panics
// is counted as a 5xx.
func (m *Metrics) observe(rec *recorder, r *http.Request, start time.Time) {
	elapsed := time.Since(start).Seconds()
	class := 3 // 5xx
	if rec.done {
		class = classIndex(rec.status)
	}
	route := r.Pattern
	if r.Method == http.MethodConnect {
		// For a CONNECT request the mux redirects, it reports the target
		// path, not a pattern.
		route = ""
	}
	m.record(route, r.Method, class, elapsed)

	if rec.done {
		// A panicking handler may have handed the writer on; only a writer
		// whose handler returned goes back to the pool.
		rec.ResponseWriter = nil
		recorders.Put(rec)
	}
}

// record counts one request. An empty route is labelled "unmatched".
func (m *Metrics) record(route, method string, class int, seconds float64) {
	e := m.routes.get(route)
	e.requests(methodIndex(method), class).Inc()
	e.duration(class).Observe(seconds)
}

func methodIndex(method string) int {
	switch method {
	case http.MethodGet:
		return 0
	case http.MethodHead:
		return 1
	case http.MethodPost:
		return 2
	}
	return 3
}

// classIndex maps a status code to its class. 101 Switching Protocols is
// counted with 2xx; codes above 599 with 5xx.
func classIndex(status int) int {
	switch {
	case status < 300:
		return 0
	case status < 400:
		return 1
	case status < 500:
		return 2
	}
	return 3
}

// recorder remembers the status a handler sends.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool // a final status has been sent
	done   bool // the handler returned
}

var recorders = sync.Pool{New: func() any { return new(recorder) }}

// WriteHeader records the first final status and passes code on.
func (w *recorder) WriteHeader(code int) {
	if !w.wrote && (code >= 200 || code == http.StatusSwitchingProtocols) {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write passes b on; a write without WriteHeader sends 200.
func (w *recorder) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// ReadFrom passes src on, keeping the underlying writer's own ReadFrom
// (sendfile for files) when it has one.
func (w *recorder) ReadFrom(src io.Reader) (int64, error) {
	w.wrote = true
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(w.ResponseWriter, src)
}

// Flush sends buffered data to the client, when the underlying writer can.
func (w *recorder) Flush() {
	w.wrote = true
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// routeTable maps a pattern to its label children. Lookups read an
// immutable map through an atomic pointer: no lock and no allocation. A new
// pattern copies the map, which happens once per pattern.
type routeTable struct {
	m     *Metrics
	mu    sync.Mutex
	table atomic.Pointer[map[string]*routeEntry]
	other *routeEntry
}

func (t *routeTable) init(m *Metrics) {
	t.m = m
	t.other = newRouteEntry(m, RouteOther)
	empty := map[string]*routeEntry{}
	t.table.Store(&empty)
}

func (t *routeTable) get(pattern string) *routeEntry {
	if e := (*t.table.Load())[pattern]; e != nil {
		return e
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	old := *t.table.Load()
	if e := old[pattern]; e != nil {
		return e
	}
	if len(old) >= maxRoutes {
		return t.other
	}
	label := pattern
	if label == "" {
		label = RouteUnmatched
	}
	e := newRouteEntry(t.m, label)
	next := make(map[string]*routeEntry, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[pattern] = e
	t.table.Store(&next)
	return e
}

// routeEntry holds one route's label children, each created on first use
// so that only combinations that occur are exported.
type routeEntry struct {
	m      *Metrics
	route  string
	counts [len(methods)][len(classes)]atomic.Pointer[counterChild]
	times  [len(classes)]atomic.Pointer[observerChild]
}

type counterChild struct{ prometheus.Counter }

type observerChild struct{ prometheus.Observer }

func newRouteEntry(m *Metrics, route string) *routeEntry {
	return &routeEntry{m: m, route: route}
}

func (e *routeEntry) requests(method, class int) prometheus.Counter {
	slot := &e.counts[method][class]
	if c := slot.Load(); c != nil {
		return c.Counter
	}
	// WithLabelValues returns the same child every time, so racing
	// stores store equal values.
	c := &counterChild{e.m.requests.WithLabelValues(e.route, methods[method], classes[class])}
	slot.Store(c)
	return c.Counter
}

func (e *routeEntry) duration(class int) prometheus.Observer {
	slot := &e.times[class]
	if o := slot.Load(); o != nil {
		return o.Observer
	}
	o := &observerChild{e.m.duration.WithLabelValues(e.route, classes[class])}
	slot.Store(o)
	return o.Observer
}
