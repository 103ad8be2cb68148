package pleintest

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"plein/internal/activity"
	"plein/internal/httpsig"
)

// MaxInboxBytes is the largest request body a Fediverse inbox reads; larger
// requests are answered 413 and not recorded.
const MaxInboxBytes = 1 << 20

// Errors recorded in Received.VerifyErr besides those of httpsig.Verify.
var (
	// ErrNoKey reports a keyId whose actor document could not be fetched or
	// does not publish that key.
	ErrNoKey = errors.New("pleintest: signing key not published")
	// ErrActorMismatch reports a signature that verified with a key whose
	// owner is not the activity's actor, or an activity that could not be
	// read to find its actor.
	ErrActorMismatch = errors.New("pleintest: signer is not the activity's actor")
	// ErrUnresolvable reports a signing key whose owner a Fediverse cannot
	// resolve as GoToSocial does: its preferredUsername is not a valid
	// username, WebFinger of acct:preferredUsername@host does not point back
	// to it, its server has no readable NodeInfo 2.0, or a collection it
	// advertises does not answer.
	ErrUnresolvable = errors.New("pleintest: signer cannot be resolved")
)

// usernamePattern is what GoToSocial accepts as the username of a remote
// account: letters, digits, underscore, dot and hyphen.
var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// collectionProperties are the actor properties naming collections; a
// Fediverse fetches each one an actor advertises when it first resolves it.
var collectionProperties = []string{"outbox", "followers", "following", "featured", "liked"}

// Fediverse is a small ActivityPub server on loopback for tests, as strict
// as GoToSocial or Mastodon in authorized-fetch mode: it serves its actors'
// documents and WebFinger, receives activities in a personal inbox per actor
// and a shared inbox, verifies their HTTP Signatures against the sender's
// published key, and sends signed activities on behalf of its actors.
//
// It answers a GET of an actor or other document only when the request is
// signed by a key whose owner it can resolve: it fetches the owner's actor,
// requires a valid preferredUsername, resolves acct:preferredUsername@host
// through the owner's WebFinger and requires it to name the same actor,
// reads the server's NodeInfo 2.0 through /.well-known/nodeinfo the first
// time it sees the server, and fetches every collection the actor
// advertises. It resolves the signers of inbox requests the same way. Its
// own GETs are signed by its instance actor, at URL/actor, whose documents
// are answered to anyone (else two such servers could never resolve each
// other). It is safe for concurrent use.
type Fediverse struct {
	URL  string // base URL, e.g. http://127.0.0.1:41234
	Host string // host and port of URL, the domain of its acct: addresses

	srv    *httptest.Server
	client *http.Client
	closed chan struct{}

	spareOnce sync.Once
	spare     *rsa.PrivateKey
	spareErr  error

	instanceOnce sync.Once
	instance     *RemoteActor // the instance actor, which signs f's GETs; made at first use
	instanceDoc  []byte       // its actor document
	instanceErr  error
	instanceName string // its preferredUsername: the host name of URL

	mu          sync.Mutex
	resolved    map[string]bool         // actor ids resolved once
	servers     map[string]bool         // hosts whose NodeInfo was read
	actors      map[string]*RemoteActor // by username
	docs        map[string][]byte       // JSON served for GET, by path
	received    []Received
	changed     chan struct{} // closed and replaced when received grows
	requests    map[string]int
	seq         int
	inboxDelay  time.Duration
	inboxStatus int
	gone        map[string]bool           // usernames whose inbox and document answer 410 Gone
	following   map[string][]*RemoteActor // by the followed account's id: f's actors following it
	moves       []MoveOutcome
}

// Received is one request that arrived in an inbox of a Fediverse.
type Received struct {
	Inbox    string      // the inbox's URL
	Header   http.Header // the request's headers
	Raw      []byte      // the request body
	KeyID    string      // keyId of the Signature header, or "" when unsigned
	Verified bool        // the signature verified and its key belongs to the activity's actor
	// VerifyErr tells why Verified is false: an httpsig error (such as
	// httpsig.ErrDigest or httpsig.ErrUnsigned), ErrNoKey or ErrActorMismatch.
	VerifyErr error
	Activity  *activity.Incoming // nil when the body could not be parsed
	ParseErr  error              // error of activity.ParseActivity
}

// String summarises r for failure messages.
func (r Received) String() string {
	what := "unreadable activity"
	if r.Activity != nil {
		what = fmt.Sprintf("%s %s from %s", r.Activity.Type, r.Activity.ID, r.Activity.Actor)
	}
	if r.Verified {
		return fmt.Sprintf("%s in %s (verified, key %s)", what, r.Inbox, r.KeyID)
	}
	return fmt.Sprintf("%s in %s (not verified: %v)", what, r.Inbox, r.VerifyErr)
}

// RemoteActor is a Person on a Fediverse server, with its own RSA key.
type RemoteActor struct {
	Username    string
	ID          string // URL/users/{Username}
	Inbox       string // ID + "/inbox"
	SharedInbox string // URL/inbox
	Outbox      string // ID + "/outbox", an empty collection
	Followers   string // ID + "/followers", an empty collection
	KeyID       string // ID + "#main-key"
	Key         *rsa.PrivateKey

	f   *Fediverse
	doc activity.Actor
}

// NewFediverse starts a Fediverse server on loopback and closes it when the
// test ends.
func NewFediverse(t testing.TB) *Fediverse {
	t.Helper()
	f := &Fediverse{
		closed:    make(chan struct{}),
		actors:    map[string]*RemoteActor{},
		docs:      map[string][]byte{},
		changed:   make(chan struct{}),
		requests:  map[string]int{},
		gone:      map[string]bool{},
		resolved:  map[string]bool{},
		servers:   map[string]bool{},
		following: map[string][]*RemoteActor{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /inbox", f.serveInbox)
	mux.HandleFunc("POST /actor/inbox", f.serveInbox)
	mux.HandleFunc("POST /users/{name}/inbox", f.serveInbox)
	mux.HandleFunc("GET /.well-known/webfinger", f.serveWebFinger)
	mux.HandleFunc("GET /.well-known/nodeinfo", f.serveNodeInfoLinks)
	mux.HandleFunc("GET /nodeinfo/2.0", f.serveNodeInfo)
	mux.HandleFunc("GET /", f.serveDoc)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests[r.URL.Path]++
		f.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	f.URL = f.srv.URL
	f.Host = strings.TrimPrefix(f.URL, "http://")
	f.instanceName = f.srv.Listener.Addr().(*net.TCPAddr).IP.String()
	transport := &http.Transport{DisableCompression: true}
	f.client = &http.Client{
		Timeout:       30 * time.Second,
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.Cleanup(func() {
		close(f.closed)
		f.srv.Close()
		transport.CloseIdleConnections()
	})
	return f
}

// NewActor creates the Person username on f with a fresh RSA key and
// publishes its actor document, WebFinger entry, outbox and followers
// collection.
func (f *Fediverse) NewActor(t testing.TB, username string) *RemoteActor {
	t.Helper()
	return f.newActor(t, username, false, true)
}

// NewActorWithoutSharedInbox is NewActor for an actor whose server has no
// shared inbox: activities for it go to its own inbox.
func (f *Fediverse) NewActorWithoutSharedInbox(t testing.TB, username string) *RemoteActor {
	t.Helper()
	return f.newActor(t, username, false, false)
}

// NewActorWithKeyPath is NewActor for an actor whose key id is a path of
// its own, ID + "/main-key", as GoToSocial names keys. That address serves
// a stub of the actor holding only its key, as GoToSocial does.
func (f *Fediverse) NewActorWithKeyPath(t testing.TB, username string) *RemoteActor {
	t.Helper()
	return f.newActor(t, username, true, true)
}

// NewActors creates the Persons prefix0, prefix1, … prefix(n-1) on f, as
// NewActor does, except that they share one fresh RSA key (each under its
// own key id), which spares the test generating n keys.
func (f *Fediverse) NewActors(t testing.TB, prefix string, n int) []*RemoteActor {
	t.Helper()
	key, err := httpsig.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	actors := make([]*RemoteActor, n)
	for i := range actors {
		actors[i] = f.newActorWithKey(t, fmt.Sprintf("%s%d", prefix, i), key, false, true)
	}
	return actors
}

func (f *Fediverse) newActor(t testing.TB, username string, keyPath, shared bool) *RemoteActor {
	t.Helper()
	key, err := httpsig.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return f.newActorWithKey(t, username, key, keyPath, shared)
}

func (f *Fediverse) newActorWithKey(t testing.TB, username string, key *rsa.PrivateKey, keyPath, shared bool) *RemoteActor {
	t.Helper()
	if username == "" || strings.ContainsAny(username, "/?#@ %") {
		t.Fatalf("pleintest: unusable username %q", username)
	}
	pem, err := httpsig.EncodePublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	id := f.URL + "/users/" + username
	a := &RemoteActor{
		Username:    username,
		ID:          id,
		Inbox:       id + "/inbox",
		SharedInbox: f.URL + "/inbox",
		Outbox:      id + "/outbox",
		Followers:   id + "/followers",
		KeyID:       id + "#main-key",
		Key:         key,
		f:           f,
	}
	if keyPath {
		a.KeyID = id + "/main-key"
	}
	var endpoints *activity.Endpoints
	if shared {
		endpoints = &activity.Endpoints{SharedInbox: a.SharedInbox}
	} else {
		a.SharedInbox = ""
	}
	doc := activity.Actor{
		Context:           activity.DefaultContext(),
		ID:                a.ID,
		Type:              activity.TypePerson,
		PreferredUsername: username,
		Name:              username,
		URL:               f.URL + "/@" + username,
		Inbox:             a.Inbox,
		Outbox:            a.Outbox,
		Followers:         a.Followers,
		Endpoints:         endpoints,
		PublicKey:         activity.PublicKey{ID: a.KeyID, Owner: a.ID, PublicKeyPem: pem},
		Discoverable:      true,
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.actors[username]; ok {
		t.Fatalf("pleintest: actor %q already exists", username)
	}
	f.actors[username] = a
	a.doc = doc
	docs := map[string]any{
		"/users/" + username: doc,
		"/users/" + username + "/outbox": activity.OrderedCollection{
			Context: activity.ActivityStreams, ID: a.Outbox, Type: activity.TypeOrderedCollection},
		"/users/" + username + "/followers": activity.OrderedCollection{
			Context: activity.ActivityStreams, ID: a.Followers, Type: activity.TypeOrderedCollection},
	}
	if keyPath {
		docs["/users/"+username+"/main-key"] = map[string]any{"@context": activity.DefaultContext(), "id": a.ID,
			"type": activity.TypePerson, "publicKey": doc.PublicKey}
	}
	for path, v := range docs {
		data, err := activity.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		f.docs[path] = data
	}
	return a
}

// SetInboxDelay makes every inbox wait d before answering, as a slow
// server does. A client that gives up earlier leaves nothing recorded.
func (f *Fediverse) SetInboxDelay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inboxDelay = d
}

// SetInboxStatus makes every inbox answer code. A code other than 2xx
// leaves the request unrecorded (only counted by Requests), as a failing
// server does; 0 restores the normal 202 Accepted.
func (f *Fediverse) SetInboxStatus(code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inboxStatus = code
}

// Gone makes the actor's own inbox and its documents answer 410 Gone, as
// a server answers for a deleted account. The shared inbox is not
// affected.
func (a *RemoteActor) Gone() {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.f.gone[a.Username] = true
}

// Requests returns how many requests of any method reached path, such as
// "/inbox" or "/users/alice/inbox".
func (f *Fediverse) Requests(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[path]
}

// Received returns every request recorded by the inboxes of f so far, in
// order of arrival.
func (f *Fediverse) Received() []Received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Received(nil), f.received...)
}

// WaitFor returns the first received request that match accepts, waiting
// up to timeout for it to arrive. It fails the test, listing what did
// arrive, when none matches in time.
func (f *Fediverse) WaitFor(t testing.TB, timeout time.Duration, match func(Received) bool) Received {
	t.Helper()
	r, err := f.await(timeout, match)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// await is WaitFor returning an error instead of failing the test.
func (f *Fediverse) await(timeout time.Duration, match func(Received) bool) (Received, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	seen := 0
	for {
		f.mu.Lock()
		got := f.received[seen:]
		changed := f.changed
		f.mu.Unlock()
		for _, r := range got {
			if match(r) {
				return r, nil
			}
		}
		seen += len(got)
		select {
		case <-changed:
		case <-timer.C:
			all := f.Received()
			var b strings.Builder
			fmt.Fprintf(&b, "pleintest: no received activity matched within %v; %d received", timeout, len(all))
			for _, r := range all {
				b.WriteString("\n\t")
				b.WriteString(r.String())
			}
			return Received{}, errors.New(b.String())
		}
	}
}

// record appends r to the received requests and wakes waiters.
func (f *Fediverse) record(r Received) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.received = append(f.received, r)
	close(f.changed)
	f.changed = make(chan struct{})
}

// serveInbox handles POSTs to the shared and personal inboxes.
func (f *Fediverse) serveInbox(w http.ResponseWriter, r *http.Request) {
	if name := r.PathValue("name"); name != "" {
		f.mu.Lock()
		_, ok := f.actors[name]
		gone := f.gone[name]
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		if gone {
			http.Error(w, http.StatusText(http.StatusGone), http.StatusGone)
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxInboxBytes))
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	f.mu.Lock()
	delay, status := f.inboxDelay, f.inboxStatus
	f.mu.Unlock()
	if delay > 0 {
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			return
		case <-f.closed:
			return
		}
	}
	if status == 0 {
		status = http.StatusAccepted
	}
	if status < 200 || status > 299 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	rec := f.check(r, body)
	f.record(rec)
	w.WriteHeader(status)
	if rec.Verified && rec.Activity.Type == activity.TypeMove {
		go f.followMove(rec.Activity)
	}
}

// check verifies the signature of an inbox request and parses its body.
func (f *Fediverse) check(r *http.Request, body []byte) Received {
	rec := Received{
		Inbox:  f.URL + r.URL.Path,
		Header: r.Header.Clone(),
		Raw:    body,
		KeyID:  signatureKeyID(r.Header),
	}
	rec.Activity, rec.ParseErr = activity.ParseActivity(body)
	var owner string
	resolve := func(ctx context.Context, keyID string) (*rsa.PublicKey, error) {
		key, o, err := f.fetchKey(ctx, keyID)
		owner = o
		return key, err
	}
	v, err := httpsig.Verify(r.Context(), r, body, resolve, time.Now())
	switch {
	case err != nil:
		rec.VerifyErr = err
	case rec.ParseErr != nil:
		rec.VerifyErr = fmt.Errorf("%w: activity unreadable: %w", ErrActorMismatch, rec.ParseErr)
	case owner != rec.Activity.Actor:
		rec.VerifyErr = fmt.Errorf("%w: key %q belongs to %q, activity actor is %q",
			ErrActorMismatch, v.KeyID, owner, rec.Activity.Actor)
	default:
		rec.Verified = true
		rec.KeyID = v.KeyID
	}
	return rec
}

// fetchKey fetches the actor document named by keyID without its fragment
// and returns the key with that id and its owner, the actor, once the owner
// is resolved (see resolve).
func (f *Fediverse) fetchKey(ctx context.Context, keyID string) (*rsa.PublicKey, string, error) {
	u, err := url.Parse(keyID)
	if err != nil {
		return nil, "", fmt.Errorf("%w: key id %q: %w", ErrNoKey, keyID, err)
	}
	u.Fragment = ""
	status, data, err := f.get(ctx, u.String(), activity.ContentType)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrNoKey, err)
	}
	if status != http.StatusOK {
		return nil, "", fmt.Errorf("%w: GET %s: %d", ErrNoKey, u, status)
	}
	actor, err := activity.ParseActor(data)
	if err != nil {
		return nil, "", fmt.Errorf("%w: GET %s: %w", ErrNoKey, u, err)
	}
	k, ok := actor.Key(keyID)
	if !ok {
		return nil, "", fmt.Errorf("%w: actor %s has no key %q", ErrNoKey, actor.ID, keyID)
	}
	if k.Owner != "" && k.Owner != actor.ID {
		return nil, "", fmt.Errorf("%w: key %q is owned by %q, not by %s", ErrNoKey, keyID, k.Owner, actor.ID)
	}
	pub, err := httpsig.DecodePublicKey(k.PublicKeyPem)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrNoKey, err)
	}
	if err := f.resolve(ctx, actor.ID, actor.PreferredUsername, data); err != nil {
		return nil, "", err
	}
	return pub, actor.ID, nil
}

// resolve checks, the first time f meets the actor id, that it can be
// resolved as GoToSocial resolves an account: preferredUsername is a valid
// username, WebFinger of acct:preferredUsername@host on the actor's server
// names id as its ActivityPub self link, the server's NodeInfo 2.0 can be
// read through /.well-known/nodeinfo, and every collection in the actor
// document doc answers. Failures wrap ErrUnresolvable.
func (f *Fediverse) resolve(ctx context.Context, id, username string, doc []byte) error {
	f.mu.Lock()
	done := f.resolved[id]
	f.mu.Unlock()
	if done {
		return nil
	}
	u, err := url.Parse(id)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: actor id %q", ErrUnresolvable, id)
	}
	if !usernamePattern.MatchString(username) {
		return fmt.Errorf("%w: couldn't match namestring: preferredUsername %q of %s", ErrUnresolvable, username, id)
	}
	origin := u.Scheme + "://" + u.Host
	if err := f.readNodeInfo(ctx, origin); err != nil {
		return err
	}
	acct := "acct:" + username + "@" + u.Host
	status, data, err := f.get(ctx, origin+"/.well-known/webfinger?resource="+url.QueryEscape(acct), "application/jrd+json")
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("%w: WebFinger %s: %d %v", ErrUnresolvable, acct, status, err)
	}
	var jrd activity.JRD
	if err := json.Unmarshal(data, &jrd); err != nil {
		return fmt.Errorf("%w: WebFinger %s: %w", ErrUnresolvable, acct, err)
	}
	self := ""
	for _, l := range jrd.Links {
		if l.Rel == activity.RelSelf && activity.IsActivityPubAccept(l.Type) {
			self = l.Href
		}
	}
	if self != id {
		return fmt.Errorf("%w: WebFinger %s points to %q, not to %s", ErrUnresolvable, acct, self, id)
	}
	var props map[string]any
	if err := json.Unmarshal(doc, &props); err != nil {
		return fmt.Errorf("%w: actor %s: %w", ErrUnresolvable, id, err)
	}
	for _, name := range collectionProperties {
		c, ok := props[name].(string)
		if !ok {
			continue
		}
		if _, err := f.collection(ctx, c); err != nil {
			return fmt.Errorf("%w: %s of %s: %w", ErrUnresolvable, name, id, err)
		}
	}
	f.mu.Lock()
	f.resolved[id] = true
	f.mu.Unlock()
	return nil
}

// readNodeInfo reads the NodeInfo 2.0 document of the server at origin
// through its /.well-known/nodeinfo the first time f sees that server, as
// GoToSocial does; other versions linked there are ignored.
func (f *Fediverse) readNodeInfo(ctx context.Context, origin string) error {
	f.mu.Lock()
	seen := f.servers[origin]
	f.mu.Unlock()
	if seen {
		return nil
	}
	status, data, err := f.get(ctx, origin+"/.well-known/nodeinfo", "application/json")
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("%w: %s/.well-known/nodeinfo: %d %v", ErrUnresolvable, origin, status, err)
	}
	var links activity.NodeInfoLinks
	if err := json.Unmarshal(data, &links); err != nil {
		return fmt.Errorf("%w: %s/.well-known/nodeinfo: %w", ErrUnresolvable, origin, err)
	}
	href := ""
	for _, l := range links.Links {
		if l.Rel == activity.RelNodeInfo20 {
			href = l.Href
		}
	}
	if href == "" {
		return fmt.Errorf("%w: %s/.well-known/nodeinfo links no NodeInfo 2.0", ErrUnresolvable, origin)
	}
	status, data, err = f.get(ctx, href, "application/json")
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("%w: %s: %d %v", ErrUnresolvable, href, status, err)
	}
	var ni struct {
		Version  string `json:"version"`
		Software struct {
			Name string `json:"name"`
		} `json:"software"`
		Protocols []string `json:"protocols"`
	}
	if err := json.Unmarshal(data, &ni); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrUnresolvable, href, err)
	}
	if ni.Version != "2.0" || ni.Software.Name == "" || !slices.Contains(ni.Protocols, "activitypub") {
		return fmt.Errorf("%w: %s is not a NodeInfo 2.0 document of an ActivityPub server: %s", ErrUnresolvable, href, data)
	}
	f.mu.Lock()
	f.servers[origin] = true
	f.mu.Unlock()
	return nil
}

// collectionDoc is what a Fediverse reads of a collection.
type collectionDoc struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	TotalItems *int   `json:"totalItems"`
}

// collection fetches the collection at iri, which must answer 200 with an
// ActivityPub document of that id whose type is a collection.
func (f *Fediverse) collection(ctx context.Context, iri string) (*collectionDoc, error) {
	status, data, err := f.get(ctx, iri, activity.ContentType)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d", iri, status)
	}
	var c collectionDoc
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("GET %s: %w", iri, err)
	}
	switch c.Type {
	case activity.TypeOrderedCollection, "Collection":
	default:
		return nil, fmt.Errorf("GET %s: type %q is not a collection", iri, c.Type)
	}
	if c.ID != iri {
		return nil, fmt.Errorf("GET %s: answered for %q", iri, c.ID)
	}
	return &c, nil
}

// get makes a GET signed by f's instance actor, as GoToSocial signs its
// fetches, and returns the status and body of the answer. An ActivityPub
// document must come with an ActivityPub content type.
func (f *Fediverse) get(ctx context.Context, iri, accept string) (int, []byte, error) {
	inst, err := f.instanceActor()
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, iri, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", accept)
	if err := httpsig.SignRequest(req, inst.KeyID, inst.Key, nil, time.Now()); err != nil {
		return 0, nil, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, activity.MaxActivityBytes+1))
	if err != nil {
		return 0, nil, fmt.Errorf("GET %s: %w", iri, err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode == http.StatusOK && accept == activity.ContentType &&
		!strings.HasPrefix(ct, activity.ContentType) && !strings.HasPrefix(ct, "application/ld+json") {
		return 0, nil, fmt.Errorf("GET %s: Content-Type %q is not ActivityPub", iri, ct)
	}
	return resp.StatusCode, data, nil
}

// Fetch GETs the ActivityPub document at iri as f does, signed by its
// instance actor, and returns the status and body of the answer.
func (f *Fediverse) Fetch(t testing.TB, iri string) (int, []byte) {
	t.Helper()
	status, data, err := f.get(context.Background(), iri, activity.ContentType)
	if err != nil {
		t.Fatalf("pleintest: fetch %s: %v", iri, err)
	}
	return status, data
}

// FollowersCount returns the number of followers of the actor actorURL as
// f sees it: the totalItems of the followers collection its actor
// document advertises. It fails the test when either cannot be read.
func (f *Fediverse) FollowersCount(t testing.TB, actorURL string) int {
	t.Helper()
	ctx := context.Background()
	status, data, err := f.get(ctx, actorURL, activity.ContentType)
	if err != nil || status != http.StatusOK {
		t.Fatalf("pleintest: fetch actor %s: %d %v", actorURL, status, err)
	}
	a, err := activity.ParseActor(data)
	if err != nil || a.Followers == "" {
		t.Fatalf("pleintest: actor %s without a followers collection: %v", actorURL, err)
	}
	c, err := f.collection(ctx, a.Followers)
	if err != nil {
		t.Fatalf("pleintest: followers of %s: %v", actorURL, err)
	}
	if c.TotalItems == nil {
		t.Fatalf("pleintest: followers of %s has no totalItems", actorURL)
	}
	return *c.TotalItems
}

// instanceActor returns f's instance actor, an Application at URL/actor
// named after the host, making its key the first time.
func (f *Fediverse) instanceActor() (*RemoteActor, error) {
	f.instanceOnce.Do(func() {
		key, err := httpsig.GenerateKey()
		if err != nil {
			f.instanceErr = err
			return
		}
		pem, err := httpsig.EncodePublicKey(&key.PublicKey)
		if err != nil {
			f.instanceErr = err
			return
		}
		id := f.URL + "/actor"
		a := &RemoteActor{Username: f.instanceName, ID: id, Inbox: id + "/inbox", SharedInbox: f.URL + "/inbox",
			Outbox: id + "/outbox", KeyID: id + "#main-key", Key: key, f: f}
		a.doc = activity.Actor{
			Context:           activity.DefaultContext(),
			ID:                id,
			Type:              activity.TypeApplication,
			PreferredUsername: f.instanceName,
			Inbox:             a.Inbox,
			Outbox:            a.Outbox,
			Endpoints:         &activity.Endpoints{SharedInbox: a.SharedInbox},
			PublicKey:         activity.PublicKey{ID: a.KeyID, Owner: id, PublicKeyPem: pem},
		}
		docs := map[string]any{
			"/actor":        a.doc,
			"/actor/outbox": activity.OrderedCollection{Context: activity.ActivityStreams, ID: a.Outbox, Type: activity.TypeOrderedCollection},
		}
		for path, v := range docs {
			data, err := activity.Marshal(v)
			if err != nil {
				f.instanceErr = err
				return
			}
			f.mu.Lock()
			f.docs[path] = data
			f.mu.Unlock()
		}
		f.instance = a
	})
	return f.instance, f.instanceErr
}

// isInstancePath reports whether path is a document of the instance actor,
// which f answers without a signature: the signer's own documents must be
// readable unsigned, or two servers could never resolve each other.
func isInstancePath(path string) bool { return path == "/actor" || path == "/actor/outbox" }

// signatureKeyID returns the keyId parameter of a request's Signature or
// "Authorization: Signature" header, or "".
func signatureKeyID(h http.Header) string {
	sig := h.Get("Signature")
	if sig == "" {
		if auth, ok := strings.CutPrefix(h.Get("Authorization"), "Signature "); ok {
			sig = auth
		}
	}
	_, rest, ok := strings.Cut(sig, `keyId="`)
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, `"`)
	return id
}

// serveDoc serves actor documents, collections and the objects f minted,
// to signed requests whose signer f resolves only, except the instance
// actor's documents, which anyone may read.
func (f *Fediverse) serveDoc(w http.ResponseWriter, r *http.Request) {
	if isInstancePath(r.URL.Path) {
		if _, err := f.instanceActor(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	f.mu.Lock()
	data, ok := f.docs[r.URL.Path]
	name, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/users/"), "/")
	gone := strings.HasPrefix(r.URL.Path, "/users/") && f.gone[name]
	f.mu.Unlock()
	if gone {
		http.Error(w, http.StatusText(http.StatusGone), http.StatusGone)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	if !isInstancePath(r.URL.Path) {
		resolve := func(ctx context.Context, keyID string) (*rsa.PublicKey, error) {
			key, _, err := f.fetchKey(ctx, keyID)
			return key, err
		}
		if _, err := httpsig.Verify(r.Context(), r, nil, resolve, time.Now()); err != nil {
			http.Error(w, "authorized fetch: "+err.Error(), http.StatusUnauthorized)
			return
		}
	}
	w.Header().Set("Content-Type", activity.ContentType)
	w.Write(data)
}

// serveWebFinger answers acct: lookups of the actors of f and of its
// instance actor.
func (f *Fediverse) serveWebFinger(w http.ResponseWriter, r *http.Request) {
	resource := r.URL.Query().Get("resource")
	user, host, _ := strings.Cut(strings.TrimPrefix(resource, "acct:"), "@")
	var id string
	if user == f.instanceName || resource == f.URL+"/actor" {
		id = f.URL + "/actor"
		user = f.instanceName
		host = f.Host
	} else {
		f.mu.Lock()
		a, ok := f.actors[user]
		f.mu.Unlock()
		if ok {
			id = a.ID
		}
	}
	if id == "" || host != f.Host {
		http.NotFound(w, r)
		return
	}
	data, err := json.Marshal(map[string]any{
		"subject": "acct:" + user + "@" + f.Host,
		"aliases": []string{id},
		"links": []map[string]string{
			{"rel": "self", "type": activity.ContentType, "href": id},
		},
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/jrd+json")
	w.Write(data)
}

// serveNodeInfoLinks answers /.well-known/nodeinfo, linking NodeInfo 2.0.
func (f *Fediverse) serveNodeInfoLinks(w http.ResponseWriter, r *http.Request) {
	data, err := json.Marshal(activity.NodeInfoLinks{Links: []activity.JRDLink{{Rel: activity.RelNodeInfo20, Href: f.URL + "/nodeinfo/2.0"}}})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}

// serveNodeInfo answers /nodeinfo/2.0.
func (f *Fediverse) serveNodeInfo(w http.ResponseWriter, r *http.Request) {
	n := activity.NewNodeInfo(activity.NodeInfoSoftware{Name: "pleintest", Version: "1"}, activity.NodeInfoUsage{}).V20()
	data, err := json.Marshal(n)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", activity.NodeInfo20ContentType)
	w.Write(data)
}

// mint returns a fresh id for a's kind ("activities" or "statuses") and
// publishes doc under it; doc is called with the id.
func (a *RemoteActor) mint(kind string, doc func(id string) any) string {
	f := a.f
	f.mu.Lock()
	f.seq++
	n := f.seq
	f.mu.Unlock()
	path := fmt.Sprintf("/users/%s/%s/%d", a.Username, kind, n)
	data, err := activity.Marshal(doc(f.URL + path))
	if err != nil {
		// Activities built from the types of package activity always marshal.
		panic(err)
	}
	f.mu.Lock()
	f.docs[path] = data
	f.mu.Unlock()
	return f.URL + path
}

// newActivity mints an activity of type typ by a with the given object and
// addressing, dated now.
func (a *RemoteActor) newActivity(typ string, object activity.Object, to, cc []string) activity.Activity {
	var act activity.Activity
	a.mint("activities", func(id string) any {
		act = activity.Activity{
			Context:   activity.DefaultContext(),
			ID:        id,
			Type:      typ,
			Actor:     a.ID,
			Published: activity.Time{Time: time.Now().Truncate(time.Second)},
			To:        to,
			Cc:        cc,
			Object:    object,
		}
		return act
	})
	return act
}

// Follow returns a new Follow of the actor object by a. Keep it to Undo it.
func (a *RemoteActor) Follow(object string) activity.Activity {
	return a.newActivity(activity.TypeFollow, activity.IRI(object), []string{object}, nil)
}

// Undo returns a new Undo by a of inner, embedded without its @context.
func (a *RemoteActor) Undo(inner activity.Activity) activity.Activity {
	inner.Context = nil
	return a.newActivity(activity.TypeUndo, &inner, inner.To, inner.Cc)
}

// Like returns a new Like by a of the object with IRI object.
func (a *RemoteActor) Like(object string) activity.Activity {
	return a.newActivity(activity.TypeLike, activity.IRI(object), nil, nil)
}

// Announce returns a new public Announce (boost) by a of the object with
// IRI object.
func (a *RemoteActor) Announce(object string) activity.Activity {
	return a.newActivity(activity.TypeAnnounce, activity.IRI(object), []string{activity.Public}, []string{a.Followers})
}

// Reply returns a new public Create of a Note by a with the HTML content
// html, in reply to the object with IRI inReplyTo. The Note gets its own id,
// served like the activity's.
func (a *RemoteActor) Reply(inReplyTo, html string) activity.Activity {
	var note activity.Note
	a.mint("statuses", func(id string) any {
		note = activity.Note{
			Context:      activity.DefaultContext(),
			ID:           id,
			Type:         activity.TypeNote,
			InReplyTo:    inReplyTo,
			Published:    activity.Time{Time: time.Now().Truncate(time.Second)},
			URL:          id,
			AttributedTo: a.ID,
			To:           []string{activity.Public},
			Cc:           []string{a.Followers},
			Content:      html,
		}
		return note
	})
	note.Context = nil
	return a.newActivity(activity.TypeCreate, &note, note.To, note.Cc)
}

// DeleteSelf returns a new Delete by a of a itself, as Mastodon sends when
// an account is deleted. The actor document stays served, so the
// signature still verifies.
func (a *RemoteActor) DeleteSelf() activity.Activity {
	return a.newActivity(activity.TypeDelete, activity.IRI(a.ID), []string{activity.Public}, nil)
}

// SetAlsoKnownAs makes a's actor document name ids as its other accounts,
// as a Mastodon account does before it takes over another's followers.
func (a *RemoteActor) SetAlsoKnownAs(t testing.TB, ids ...string) {
	t.Helper()
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.doc.AlsoKnownAs = ids
	data, err := activity.Marshal(a.doc)
	if err != nil {
		t.Fatal(err)
	}
	a.f.docs["/users/"+a.Username] = data
}

// Move returns a new Move by a of itself to the account target, as
// Mastodon sends when an account moves.
func (a *RemoteActor) Move(target string) activity.Activity {
	m := a.newActivity(activity.TypeMove, activity.IRI(a.ID), []string{a.Followers}, nil)
	m.Target = target
	return m
}

// SendOption changes how Send signs or sends a request, to break it on
// purpose.
type SendOption func(*sendConfig)

type sendConfig struct {
	unsigned, wrongKey, tamper bool
	dateOffset                 time.Duration
	keyID                      string
}

// Unsigned sends the request without a Signature.
func Unsigned() SendOption { return func(c *sendConfig) { c.unsigned = true } }

// WrongKey signs with a key that the actor has not published.
func WrongKey() SendOption { return func(c *sendConfig) { c.wrongKey = true } }

// TamperBody signs the body, then sends it with a space appended, so the
// Digest no longer matches.
func TamperBody() SendOption { return func(c *sendConfig) { c.tamper = true } }

// DateOffset signs with a Date of now plus d.
func DateOffset(d time.Duration) SendOption { return func(c *sendConfig) { c.dateOffset = d } }

// WithKeyID announces keyID in the signature instead of the actor's own.
func WithKeyID(keyID string) SendOption { return func(c *sendConfig) { c.keyID = keyID } }

// Send POSTs v to the inbox URL inbox, signed with a's key, and returns the
// status of the answer. v is sent as is when it is a []byte or
// json.RawMessage and encoded with activity.Marshal otherwise. It fails the
// test when the request cannot be made.
func (a *RemoteActor) Send(t testing.TB, inbox string, v any, opts ...SendOption) int {
	t.Helper()
	status, err := a.send(inbox, v, opts...)
	if err != nil {
		t.Fatalf("pleintest: send to %s: %v", inbox, err)
	}
	return status
}

// send is Send returning an error instead of failing the test.
func (a *RemoteActor) send(inbox string, v any, opts ...SendOption) (int, error) {
	var c sendConfig
	for _, o := range opts {
		o(&c)
	}
	var body []byte
	switch b := v.(type) {
	case []byte:
		body = b
	case json.RawMessage:
		body = b
	default:
		var err error
		if body, err = activity.Marshal(v); err != nil {
			return 0, err
		}
	}
	sent := body
	if c.tamper {
		sent = append(bytes.Clone(body), ' ')
	}
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(sent))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", activity.ContentType)
	req.Header.Set("Accept", activity.ContentType)
	if !c.unsigned {
		key, keyID := a.Key, a.KeyID
		if c.wrongKey {
			if key, err = a.f.spareKey(); err != nil {
				return 0, err
			}
		}
		if c.keyID != "" {
			keyID = c.keyID
		}
		if err := httpsig.SignRequest(req, keyID, key, body, time.Now().Add(c.dateOffset)); err != nil {
			return 0, err
		}
	}
	resp, err := a.f.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxInboxBytes))
	return resp.StatusCode, nil
}

// spareKey returns a key of f that no actor publishes.
func (f *Fediverse) spareKey() (*rsa.PrivateKey, error) {
	f.spareOnce.Do(func() { f.spare, f.spareErr = httpsig.GenerateKey() })
	return f.spare, f.spareErr
}

// Follows records that the actors followers of f follow the account
// followed (on any server), so that they follow its new account when it
// moves.
func (f *Fediverse) Follows(followed string, followers ...*RemoteActor) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.following[followed] = append(f.following[followed], followers...)
}

// MoveOutcome is what f's actors did on a verified Move of an account they
// follow: as Mastodon, f fetched the target, resolved it (WebFinger round
// trip, NodeInfo, collections), checked that its alsoKnownAs names the old
// account, and then sent a Follow of the target from every follower at
// once.
type MoveOutcome struct {
	From, Target string
	Err          error         // why the followers did not follow, or nil
	Statuses     []int         // the answer to each Follow, 0 when it could not be sent
	Follows      []string      // the ids of the Follow activities sent
	Took         time.Duration // from the first Follow sent to the last answered
}

// MoveOutcomes returns the outcomes of the Moves f handled so far.
func (f *Fediverse) MoveOutcomes() []MoveOutcome {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]MoveOutcome(nil), f.moves...)
}

// WaitMove returns the outcome of the Move of the account from, waiting up
// to timeout for it.
func (f *Fediverse) WaitMove(t testing.TB, timeout time.Duration, from string) MoveOutcome {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		f.mu.Lock()
		changed := f.changed
		for _, m := range f.moves {
			if m.From == from {
				f.mu.Unlock()
				return m
			}
		}
		f.mu.Unlock()
		select {
		case <-changed:
		case <-timer.C:
			t.Fatalf("pleintest: no Move of %s handled within %v", from, timeout)
		}
	}
}

// followMove handles a verified Move as the followers' servers do.
func (f *Fediverse) followMove(m *activity.Incoming) {
	out := MoveOutcome{From: m.Actor, Target: m.Target}
	f.mu.Lock()
	followers := append([]*RemoteActor(nil), f.following[m.Actor]...)
	f.mu.Unlock()
	if m.Object.ID != m.Actor || m.Target == "" {
		out.Err = fmt.Errorf("pleintest: Move of %q by %s to %q", m.Object.ID, m.Actor, m.Target)
	} else if len(followers) > 0 {
		out.Err = f.followTarget(m, followers, &out)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.moves = append(f.moves, out)
	close(f.changed)
	f.changed = make(chan struct{})
}

// followTarget checks the target of m and has every follower follow it,
// all at once.
func (f *Fediverse) followTarget(m *activity.Incoming, followers []*RemoteActor, out *MoveOutcome) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	status, data, err := f.get(ctx, m.Target, activity.ContentType)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("pleintest: fetch Move target %s: %d %v", m.Target, status, err)
	}
	target, err := activity.ParseActor(data)
	if err != nil || target.ID != m.Target {
		return fmt.Errorf("pleintest: Move target %s is not that actor: %v", m.Target, err)
	}
	if err := f.resolve(ctx, target.ID, target.PreferredUsername, data); err != nil {
		return err
	}
	if !slices.Contains(target.AlsoKnownAs, m.Actor) {
		return fmt.Errorf("pleintest: Move target %s does not name %s in alsoKnownAs %q", target.ID, m.Actor, target.AlsoKnownAs)
	}
	inbox := target.Inbox
	out.Statuses = make([]int, len(followers))
	out.Follows = make([]string, len(followers))
	follows := make([]activity.Activity, len(followers))
	for i, a := range followers {
		follows[i] = a.Follow(target.ID)
		out.Follows[i] = follows[i].ID
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i, a := range followers {
		wg.Go(func() {
			out.Statuses[i], _ = a.send(inbox, follows[i])
		})
	}
	wg.Wait()
	out.Took = time.Since(start)
	return nil
}
