package privacyaudit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
)

// The page target auto-attaches to the targets that it starts (frames in
// another process, dedicated workers, service workers) in the non-flat mode of
// the protocol. The messages of such a child then arrive as events of the page
// target, and commands reach the child through Target.sendMessageToTarget. So
// the audit sees every child through the one session that chromedp gives it,
// and each child waits until the audit has enabled its Network domain.

// sendMessageToTarget is the command Target.sendMessageToTarget, which the
// protocol keeps for the non-flat mode.
var sendMessageToTarget = cdp.Command[sendMessageParams, cdp.Empty]{Method: "Target.sendMessageToTarget"}

// sendMessageParams are the parameters of Target.sendMessageToTarget.
type sendMessageParams struct {
	SessionID target.SessionID `json:"sessionId"`
	Message   string           `json:"message"`
}

// autoAttach are the parameters of Target.setAutoAttach for the page and for
// each child: attach to every related target, hold it until its network is
// watched, and route its messages through its parent.
var autoAttach = target.SetAutoAttachParams{AutoAttach: true, WaitForDebuggerOnStart: true, Flatten: new(false)}

// childSetupTimeout bounds the commands that prepare a child target.
const childSetupTimeout = 10 * time.Second

// errDetached is the error of a command to a child that went away.
var errDetached = errors.New("target detached")

// sourcePage is the Source of a request that the page target itself made.
const sourcePage = "page"

// recorder collects what the browser reports during an audit. The page
// target calls its event method on one goroutine; the audit reads it from
// another, and child setup runs on goroutines of their own, so every field
// below mu is guarded by it.
type recorder struct {
	site string // origin of the audited site

	// sendRoot sends a raw protocol message to a child of the page target.
	sendRoot func(ctx context.Context, id target.SessionID, msg string) error
	// ctx bounds the setup of children; it ends with the audit. Set before
	// the tab opens.
	ctx context.Context
	wg  sync.WaitGroup

	mu   sync.Mutex
	page string // URL of the page being visited
	// inflight holds the requests started and not ended, by request id,
	// with the child that started them (nil: the page). The id alone is
	// the key because the browser reports some requests on two targets:
	// the page starts the document of a frame in another process, and the
	// frame's target finishes it.
	inflight   map[string]*child
	settling   int            // children attached and not yet running
	lastChange time.Time      // last change of inflight or settling
	requests   []Request      // requests to other origins
	latest     map[string]int // request id to its last hop in requests
	children   map[target.SessionID]*child
	problems   []error // what stopped the audit from seeing everything
}

func newRecorder(site string) *recorder {
	return &recorder{
		site:       site,
		inflight:   make(map[string]*child),
		latest:     make(map[string]int),
		children:   make(map[target.SessionID]*child),
		lastChange: time.Now(),
	}
}

// visiting records that the browser now loads page.
func (r *recorder) visiting(page string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.page = page
	r.lastChange = time.Now()
}

// pageEvent handles an event of the page target. It runs on the goroutine
// that reads the messages of the tab, so it must not block.
func (r *recorder) pageEvent(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Request == nil {
			return
		}
		r.requestStarted(nil, string(ev.RequestID), wireRequest{
			URL:         ev.Request.URL,
			Method:      ev.Request.Method,
			Type:        string(ev.Type),
			DocumentURL: ev.DocumentURL,
		})
	case *network.EventLoadingFinished:
		r.requestEnded(string(ev.RequestID), "")
	case *network.EventLoadingFailed:
		r.requestEnded(string(ev.RequestID), failure(ev.ErrorText, string(ev.BlockedReason)))
	case *network.EventWebSocketCreated:
		r.connection(nil, ev.URL, "WebSocket")
	case *network.EventWebTransportCreated:
		r.connection(nil, ev.URL, "WebTransport")
	case *target.EventAttachedToTarget:
		if ev.TargetInfo != nil {
			r.attached(nil, ev.SessionID, ev.TargetInfo.Type, ev.WaitingForDebugger)
		}
	case *target.EventDetachedFromTarget:
		r.detached(nil, ev.SessionID)
	case *target.EventReceivedMessageFromTarget:
		r.mu.Lock()
		c := r.children[ev.SessionID]
		r.mu.Unlock()
		if c != nil {
			c.handle(ev.Message)
		}
	}
}

// wireRequest holds the fields of Network.requestWillBeSent that the audit
// uses, as they arrive from a child target.
type wireRequest struct {
	URL         string
	Method      string
	Type        string
	DocumentURL string
}

// requestStarted records a request of the page (c is nil) or of a child.
// A redirect reuses the request id for the next hop, so each hop is an entry
// of its own; a second report of the same hop by another target is not.
func (r *recorder) requestStarted(c *child, id string, req wireRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastChange = time.Now()
	if _, ok := r.inflight[id]; !ok {
		r.inflight[id] = c
	}
	if !foreign(r.site, req.URL) {
		delete(r.latest, id)
		return
	}
	if i, ok := r.latest[id]; ok && r.requests[i].URL == req.URL {
		return
	}
	origin, _ := originOfURL(req.URL)
	r.requests = append(r.requests, Request{
		Page:     r.page,
		URL:      req.URL,
		Origin:   origin,
		Method:   req.Method,
		Type:     req.Type,
		Source:   sourceOf(c),
		Document: req.DocumentURL,
	})
	r.latest[id] = len(r.requests) - 1
}

// requestEnded records the end of a request; errText is empty when it
// succeeded.
func (r *recorder) requestEnded(id, errText string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.inflight, id)
	r.lastChange = time.Now()
	if i, ok := r.latest[id]; ok {
		r.requests[i].Error = errText
		delete(r.latest, id)
	}
}

// connection records a WebSocket or WebTransport connection. Such a
// connection stays open, so it does not keep the network busy.
func (r *recorder) connection(c *child, url, kind string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastChange = time.Now()
	if !foreign(r.site, url) {
		return
	}
	origin, _ := originOfURL(url)
	r.requests = append(r.requests, Request{
		Page:   r.page,
		URL:    url,
		Origin: origin,
		Method: "GET",
		Type:   kind,
		Source: sourceOf(c),
	})
}

// attached starts to watch a new child of parent (nil: of the page).
func (r *recorder) attached(parent *child, id target.SessionID, kind string, waiting bool) {
	c := &child{r: r, parent: parent, id: id, kind: kind, replies: make(map[int64]chan error), children: make(map[target.SessionID]*child)}
	r.mu.Lock()
	if parent != nil && parent.gone {
		r.mu.Unlock()
		return
	}
	if parent == nil {
		r.children[id] = c
	} else {
		parent.children[id] = c
	}
	r.settling++
	r.lastChange = time.Now()
	r.mu.Unlock()

	r.wg.Go(func() {
		err := c.setup(waiting)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.settling--
		r.lastChange = time.Now()
		if err != nil && !c.gone {
			r.problems = append(r.problems, fmt.Errorf("watching the network of a %s target: %w", kind, err))
		}
	})
}

// detached forgets a child of parent (nil: of the page) and its requests.
func (r *recorder) detached(parent *child, id target.SessionID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	children := r.children
	if parent != nil {
		children = parent.children
	}
	c := children[id]
	if c == nil {
		return
	}
	delete(children, id)
	c.forget()
	r.lastChange = time.Now()
}

// waitQuiet waits until no request has been in flight and no child has been
// starting for period. It reports false when ctx ends first.
func (r *recorder) waitQuiet(ctx context.Context, period time.Duration) bool {
	tick := time.NewTicker(max(period/10, 10*time.Millisecond))
	defer tick.Stop()
	for {
		r.mu.Lock()
		quiet := len(r.inflight) == 0 && r.settling == 0 && time.Since(r.lastChange) >= period
		r.mu.Unlock()
		if quiet {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
}

// takeProblems returns and clears the problems recorded so far.
func (r *recorder) takeProblems() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.problems
	r.problems = nil
	return p
}

// foreignRequests returns a copy of the requests to other origins.
func (r *recorder) foreignRequests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.requests...)
}

// child is a target that the page or another child started, reached through
// its parent in the non-flat mode.
type child struct {
	r      *recorder
	parent *child // nil for a child of the page
	id     target.SessionID
	kind   string // target type: iframe, worker, service_worker...

	// Guarded by r.mu.
	nextID   int64
	replies  map[int64]chan error
	children map[target.SessionID]*child
	gone     bool
}

// setup enables the Network domain of the child, asks it to attach to its
// own children, and lets it run when it waits for the debugger.
func (c *child) setup(waiting bool) error {
	ctx, cancel := context.WithTimeout(c.r.ctx, childSetupTimeout)
	defer cancel()
	err := c.call(ctx, "Network.enable", struct{}{})
	if err == nil {
		err = c.call(ctx, "Target.setAutoAttach", autoAttach)
	}
	if waiting {
		// Always let the child run, also when a step above failed, so
		// that the page does not hang.
		err = errors.Join(err, c.call(ctx, "Runtime.runIfWaitingForDebugger", nil))
	}
	return err
}

// call sends a command to the child and waits for its reply.
func (c *child) call(ctx context.Context, method string, params any) error {
	c.r.mu.Lock()
	if c.gone {
		c.r.mu.Unlock()
		return errDetached
	}
	c.nextID++
	id := c.nextID
	reply := make(chan error, 1)
	c.replies[id] = reply
	c.r.mu.Unlock()
	defer func() {
		c.r.mu.Lock()
		delete(c.replies, id)
		c.r.mu.Unlock()
	}()

	msg, err := json.Marshal(struct {
		ID     int64  `json:"id"`
		Method string `json:"method"`
		Params any    `json:"params,omitempty"`
	}{id, method, params})
	if err != nil {
		return err
	}
	if err := c.post(ctx, string(msg)); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case err := <-reply:
		if err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// post delivers a raw message to the child through its parents.
func (c *child) post(ctx context.Context, msg string) error {
	if c.parent == nil {
		return c.r.sendRoot(ctx, c.id, msg)
	}
	return c.parent.call(ctx, "Target.sendMessageToTarget", sendMessageParams{SessionID: c.id, Message: msg})
}

// forget marks the child and its children gone and ends the commands that
// wait for them. The caller holds r.mu.
func (c *child) forget() {
	c.gone = true
	for id, reply := range c.replies {
		reply <- errDetached
		delete(c.replies, id)
	}
	for key, starter := range c.r.inflight {
		if starter == c {
			delete(c.r.inflight, key)
			delete(c.r.latest, key)
		}
	}
	for _, gc := range c.children {
		gc.forget()
	}
	c.children = nil
}

// wireMessage is a protocol message from a child: a reply or an event.
type wireMessage struct {
	ID     int64           `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// handle handles one raw message of the child. Like pageEvent it runs on the
// goroutine that reads the messages of the tab, so it must not block.
func (c *child) handle(raw string) {
	var m wireMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return
	}
	if m.ID != 0 {
		c.r.mu.Lock()
		reply := c.replies[m.ID]
		delete(c.replies, m.ID)
		c.r.mu.Unlock()
		if reply != nil {
			var err error
			if m.Error != nil {
				err = errors.New(m.Error.Message)
			}
			reply <- err // buffered, and the only send on it
		}
		return
	}
	switch m.Method {
	case "Network.requestWillBeSent":
		var p struct {
			RequestID   string `json:"requestId"`
			DocumentURL string `json:"documentURL"`
			Type        string `json:"type"`
			Request     struct {
				URL    string `json:"url"`
				Method string `json:"method"`
			} `json:"request"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			c.r.requestStarted(c, p.RequestID, wireRequest{
				URL:         p.Request.URL,
				Method:      p.Request.Method,
				Type:        p.Type,
				DocumentURL: p.DocumentURL,
			})
		}
	case "Network.loadingFinished", "Network.loadingFailed":
		var p struct {
			RequestID     string `json:"requestId"`
			ErrorText     string `json:"errorText"`
			BlockedReason string `json:"blockedReason"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			c.r.requestEnded(p.RequestID, failure(p.ErrorText, p.BlockedReason))
		}
	case "Network.webSocketCreated", "Network.webTransportCreated":
		var p struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			kind := "WebSocket"
			if m.Method == "Network.webTransportCreated" {
				kind = "WebTransport"
			}
			c.r.connection(c, p.URL, kind)
		}
	case "Target.attachedToTarget":
		var p struct {
			SessionID  target.SessionID `json:"sessionId"`
			TargetInfo struct {
				Type string `json:"type"`
			} `json:"targetInfo"`
			WaitingForDebugger bool `json:"waitingForDebugger"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			c.r.attached(c, p.SessionID, p.TargetInfo.Type, p.WaitingForDebugger)
		}
	case "Target.detachedFromTarget":
		var p struct {
			SessionID target.SessionID `json:"sessionId"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			c.r.detached(c, p.SessionID)
		}
	case "Target.receivedMessageFromTarget":
		var p struct {
			SessionID target.SessionID `json:"sessionId"`
			Message   string           `json:"message"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			c.r.mu.Lock()
			gc := c.children[p.SessionID]
			c.r.mu.Unlock()
			if gc != nil {
				gc.handle(p.Message)
			}
		}
	}
}

// sourceOf names the context that made a request.
func sourceOf(c *child) string {
	if c == nil {
		return sourcePage
	}
	return c.kind
}

// failure describes why a request failed, or returns "" when it did not.
func failure(errText, blockedReason string) string {
	switch {
	case blockedReason != "" && errText != "":
		return errText + " (blocked: " + blockedReason + ")"
	case blockedReason != "":
		return "blocked: " + blockedReason
	}
	return errText
}
