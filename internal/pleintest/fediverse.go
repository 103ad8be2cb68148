package pleintest

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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
)

// Fediverse is a small ActivityPub server on loopback for tests, behaving
// like a Mastodon instance: it serves its actors' documents and WebFinger,
// receives activities in a personal inbox per actor and a shared inbox,
// verifies their HTTP Signatures against the sender's published key, and
// sends signed activities on behalf of its actors. It is safe for
// concurrent use.
type Fediverse struct {
	URL  string // base URL, e.g. http://127.0.0.1:41234
	Host string // host and port of URL, the domain of its acct: addresses

	srv    *httptest.Server
	client *http.Client
	closed chan struct{}

	spareOnce sync.Once
	spare     *rsa.PrivateKey
	spareErr  error

	mu          sync.Mutex
	actors      map[string]*RemoteActor // by username
	docs        map[string][]byte       // JSON served for GET, by path
	received    []Received
	changed     chan struct{} // closed and replaced when received grows
	requests    map[string]int
	seq         int
	inboxDelay  time.Duration
	inboxStatus int
	gone        map[string]bool // usernames whose inbox and document answer 410 Gone
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
		closed:   make(chan struct{}),
		actors:   map[string]*RemoteActor{},
		docs:     map[string][]byte{},
		changed:  make(chan struct{}),
		requests: map[string]int{},
		gone:     map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /inbox", f.serveInbox)
	mux.HandleFunc("POST /users/{name}/inbox", f.serveInbox)
	mux.HandleFunc("GET /.well-known/webfinger", f.serveWebFinger)
	mux.HandleFunc("GET /", f.serveDoc)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests[r.URL.Path]++
		f.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	f.URL = f.srv.URL
	f.Host = strings.TrimPrefix(f.URL, "http://")
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

func (f *Fediverse) newActor(t testing.TB, username string, keyPath, shared bool) *RemoteActor {
	t.Helper()
	if username == "" || strings.ContainsAny(username, "/?#@ %") {
		t.Fatalf("pleintest: unusable username %q", username)
	}
	key, err := httpsig.GenerateKey()
	if err != nil {
		t.Fatal(err)
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
	f.record(f.check(r, body))
	w.WriteHeader(status)
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
// and returns the key with that id and its owner, the actor.
func (f *Fediverse) fetchKey(ctx context.Context, keyID string) (*rsa.PublicKey, string, error) {
	u, err := url.Parse(keyID)
	if err != nil {
		return nil, "", fmt.Errorf("%w: key id %q: %w", ErrNoKey, keyID, err)
	}
	u.Fragment = ""
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrNoKey, err)
	}
	req.Header.Set("Accept", activity.ContentType)
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrNoKey, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("%w: GET %s: %s", ErrNoKey, u, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, activity.MaxActivityBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("%w: GET %s: %w", ErrNoKey, u, err)
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
	return pub, actor.ID, nil
}

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

// serveDoc serves actor documents, collections and the objects f minted.
func (f *Fediverse) serveDoc(w http.ResponseWriter, r *http.Request) {
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
	w.Header().Set("Content-Type", activity.ContentType)
	w.Write(data)
}

// serveWebFinger answers acct: lookups of the actors of f.
func (f *Fediverse) serveWebFinger(w http.ResponseWriter, r *http.Request) {
	resource := r.URL.Query().Get("resource")
	user, host, _ := strings.Cut(strings.TrimPrefix(resource, "acct:"), "@")
	f.mu.Lock()
	a, ok := f.actors[user]
	f.mu.Unlock()
	if !ok || host != f.Host {
		http.NotFound(w, r)
		return
	}
	data, err := json.Marshal(map[string]any{
		"subject": "acct:" + a.Username + "@" + f.Host,
		"aliases": []string{a.ID},
		"links": []map[string]string{
			{"rel": "self", "type": activity.ContentType, "href": a.ID},
		},
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/jrd+json")
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
