package pleintest_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"plein/internal/activity"
	"plein/internal/httpsig"
	"plein/internal/pleintest"
)

func TestFediverseSendVerifies(t *testing.T) {
	a := pleintest.NewFediverse(t)
	b := pleintest.NewFediverse(t)
	alice := a.NewActor(t, "alice")
	mallory := a.NewActor(t, "mallory")
	bob := b.NewActor(t, "bob")

	tests := []struct {
		name    string
		sender  *pleintest.RemoteActor
		inbox   string
		opts    []pleintest.SendOption
		keyID   string
		wantErr error // nil: verified
	}{
		{"signed to shared inbox", alice, bob.SharedInbox, nil, alice.KeyID, nil},
		{"signed to personal inbox", alice, bob.Inbox, nil, alice.KeyID, nil},
		{"tampered body", alice, bob.SharedInbox, []pleintest.SendOption{pleintest.TamperBody()}, alice.KeyID, httpsig.ErrDigest},
		{"unsigned", alice, bob.SharedInbox, []pleintest.SendOption{pleintest.Unsigned()}, "", httpsig.ErrUnsigned},
		{"unpublished key", alice, bob.SharedInbox, []pleintest.SendOption{pleintest.WrongKey()}, alice.KeyID, httpsig.ErrBadSignature},
		{"stale date", alice, bob.SharedInbox, []pleintest.SendOption{pleintest.DateOffset(-13 * time.Hour)}, alice.KeyID, httpsig.ErrDate},
		{"key of another actor", alice, bob.SharedInbox, []pleintest.SendOption{pleintest.WithKeyID(mallory.KeyID)}, mallory.KeyID, httpsig.ErrBadSignature},
		{"key id not published", alice, bob.SharedInbox, []pleintest.SendOption{pleintest.WithKeyID(alice.ID + "#other-key")}, alice.ID + "#other-key", pleintest.ErrNoKey},
		// mallory signs correctly with her own key an activity claiming to be alice's.
		{"signer is not the actor", mallory, bob.SharedInbox, nil, mallory.KeyID, pleintest.ErrActorMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			follow := alice.Follow(bob.ID)
			if got := tt.sender.Send(t, tt.inbox, follow, tt.opts...); got != http.StatusAccepted {
				t.Fatalf("Send status = %d, want %d", got, http.StatusAccepted)
			}
			r := b.WaitFor(t, 5*time.Second, func(r pleintest.Received) bool {
				return r.Activity != nil && r.Activity.ID == follow.ID
			})
			if r.Inbox != tt.inbox {
				t.Errorf("Inbox = %q, want %q", r.Inbox, tt.inbox)
			}
			if r.KeyID != tt.keyID {
				t.Errorf("KeyID = %q, want %q", r.KeyID, tt.keyID)
			}
			if r.Activity.Type != activity.TypeFollow || r.Activity.Actor != alice.ID || r.Activity.Object.ID != bob.ID {
				t.Errorf("Activity = %+v, want Follow of %s by %s", r.Activity, bob.ID, alice.ID)
			}
			if tt.wantErr == nil {
				if !r.Verified || r.VerifyErr != nil {
					t.Errorf("Verified = %v, VerifyErr = %v; want verified", r.Verified, r.VerifyErr)
				}
				return
			}
			if r.Verified {
				t.Errorf("Verified = true, want false")
			}
			if !errors.Is(r.VerifyErr, tt.wantErr) {
				t.Errorf("VerifyErr = %v, want %v", r.VerifyErr, tt.wantErr)
			}
		})
	}
	if got, want := len(b.Received()), len(tests); got != want {
		t.Errorf("len(Received) = %d, want %d", got, want)
	}
	if got := b.Requests("/inbox"); got != len(tests)-1 {
		t.Errorf("Requests(/inbox) = %d, want %d", got, len(tests)-1)
	}
	if got := b.Requests("/users/bob/inbox"); got != 1 {
		t.Errorf("Requests(/users/bob/inbox) = %d, want 1", got)
	}
	if got := a.Requests("/users/alice"); got == 0 {
		t.Error("server B never fetched alice's actor document from server A")
	}
}

func TestFediverseInboxStatusAndDelay(t *testing.T) {
	f := pleintest.NewFediverse(t)
	alice := f.NewActor(t, "alice")
	f.NewActor(t, "bob")

	f.SetInboxStatus(http.StatusServiceUnavailable)
	if got := alice.Send(t, f.URL+"/users/bob/inbox", alice.Like(f.URL+"/x")); got != http.StatusServiceUnavailable {
		t.Errorf("Send with failing inbox = %d, want %d", got, http.StatusServiceUnavailable)
	}
	if got := len(f.Received()); got != 0 {
		t.Errorf("failing inbox recorded %d requests, want 0", got)
	}
	if got := f.Requests("/users/bob/inbox"); got != 1 {
		t.Errorf("Requests = %d, want 1", got)
	}

	f.SetInboxStatus(0)
	const delay = 300 * time.Millisecond
	f.SetInboxDelay(delay)
	start := time.Now()
	if got := alice.Send(t, f.URL+"/inbox", alice.Like(f.URL+"/x")); got != http.StatusAccepted {
		t.Errorf("Send after reset = %d, want %d", got, http.StatusAccepted)
	}
	if took := time.Since(start); took < delay {
		t.Errorf("Send took %v, want at least the inbox delay %v", took, delay)
	}
	if got := len(f.Received()); got != 1 {
		t.Errorf("recorded %d requests, want 1", got)
	}

	if got := alice.Send(t, f.URL+"/users/nobody/inbox", alice.Like(f.URL+"/x")); got != http.StatusNotFound {
		t.Errorf("Send to unknown actor's inbox = %d, want 404", got)
	}
}

// fatalRecorder is a testing.TB whose Fatal and Fatalf record the message
// and end the calling goroutine, as the real ones do.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}
func (r *fatalRecorder) Fatal(args ...any) {
	r.msg = fmt.Sprint(args...)
	runtime.Goexit()
}
func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// waitFor runs f.WaitFor with a fatalRecorder and returns its failure
// message, or "" when it returned.
func waitFor(t *testing.T, f *pleintest.Fediverse, timeout time.Duration, match func(pleintest.Received) bool) string {
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.WaitFor(rec, timeout, match)
	}()
	<-done
	return rec.msg
}

func TestFediverseWaitFor(t *testing.T) {
	f := pleintest.NewFediverse(t)
	alice := f.NewActor(t, "alice")
	like := alice.Like(f.URL + "/x")
	alice.Send(t, f.URL+"/inbox", like)
	isAccept := func(r pleintest.Received) bool { return r.Activity != nil && r.Activity.Type == activity.TypeAccept }

	start := time.Now()
	msg := waitFor(t, f, 200*time.Millisecond, isAccept)
	if time.Since(start) < 200*time.Millisecond {
		t.Errorf("WaitFor gave up after %v, before its timeout", time.Since(start))
	}
	for _, want := range []string{"no received activity matched within 200ms", "1 received", "Like " + like.ID, "verified"} {
		if !strings.Contains(msg, want) {
			t.Errorf("WaitFor failure %q does not mention %q", msg, want)
		}
	}

	// An activity that arrives while WaitFor waits is found: it is sent
	// once WaitFor has looked at what had arrived before.
	follow := alice.Follow(alice.ID)
	var sendOnce sync.Once
	sent := make(chan struct{})
	got := f.WaitFor(t, 5*time.Second, func(r pleintest.Received) bool {
		sendOnce.Do(func() {
			go func() {
				defer close(sent)
				alice.Send(t, alice.Inbox, follow)
			}()
		})
		return r.Activity != nil && r.Activity.Type == activity.TypeFollow
	})
	<-sent
	if got.Activity.ID != follow.ID {
		t.Errorf("WaitFor returned %s, want %s", got.Activity.ID, follow.ID)
	}
	if msg := waitFor(t, f, time.Second, isAccept); msg == "" {
		t.Error("WaitFor matched an Accept that was never sent")
	}
}

func TestFediverseDocuments(t *testing.T) {
	f := pleintest.NewFediverse(t)
	alice := f.NewActor(t, "alice")
	target := "https://plein.example/@town/posts/1"

	// Another server reads f's documents, signing as its instance actor.
	reader := pleintest.NewFediverse(t)
	get := func(t *testing.T, url string) (int, []byte) {
		t.Helper()
		return reader.Fetch(t, url)
	}

	status, body := get(t, alice.ID)
	if status != http.StatusOK {
		t.Fatalf("GET actor = %d", status)
	}
	actor, err := activity.ParseActor(body)
	if err != nil {
		t.Fatal(err)
	}
	if actor.ID != f.URL+"/users/alice" || actor.Type != activity.TypePerson ||
		actor.Inbox != f.URL+"/users/alice/inbox" || actor.SharedInbox != f.URL+"/inbox" ||
		actor.PublicKey.ID != f.URL+"/users/alice#main-key" || actor.PublicKey.Owner != actor.ID {
		t.Errorf("actor document = %+v", actor)
	}
	pub, err := httpsig.DecodePublicKey(actor.PublicKey.PublicKeyPem)
	if err != nil || !pub.Equal(&alice.Key.PublicKey) {
		t.Errorf("published key is not alice's: %v", err)
	}

	follow := alice.Follow(target)
	tests := []struct {
		name       string
		act        activity.Activity
		typ        string
		object     string
		objectType string
	}{
		{"follow", follow, activity.TypeFollow, target, ""},
		{"undo", alice.Undo(follow), activity.TypeUndo, follow.ID, activity.TypeFollow},
		{"like", alice.Like(target), activity.TypeLike, target, ""},
		{"announce", alice.Announce(target), activity.TypeAnnounce, target, ""},
		{"reply", alice.Reply(target, "<p>Thanks!</p>"), activity.TypeCreate, "", activity.TypeNote},
		{"delete self", alice.DeleteSelf(), activity.TypeDelete, alice.ID, ""},
	}
	ids := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.HasPrefix(tt.act.ID, f.URL+"/users/alice/") || ids[tt.act.ID] {
				t.Errorf("id %q is not a fresh id of alice", tt.act.ID)
			}
			ids[tt.act.ID] = true
			status, body := get(t, tt.act.ID)
			if status != http.StatusOK {
				t.Fatalf("GET %s = %d", tt.act.ID, status)
			}
			in, err := activity.ParseActivity(body)
			if err != nil {
				t.Fatal(err)
			}
			if in.ID != tt.act.ID || in.Type != tt.typ || in.Actor != alice.ID || in.Object.Type != tt.objectType {
				t.Errorf("served %+v, want %s %s by %s", in, tt.typ, tt.act.ID, alice.ID)
			}
			if tt.object != "" && in.Object.ID != tt.object {
				t.Errorf("object = %q, want %q", in.Object.ID, tt.object)
			}
			if in.Object.Note != nil {
				n := in.Object.Note
				if n.InReplyTo != target || n.Content != "<p>Thanks!</p>" || n.AttributedTo != alice.ID {
					t.Errorf("note = %+v", n)
				}
				if status, _ := get(t, in.Object.ID); status != http.StatusOK {
					t.Errorf("GET note %s = %d", in.Object.ID, status)
				}
			}
		})
	}

	if status, _ := get(t, f.URL+"/users/alice/activities/999999"); status != http.StatusNotFound {
		t.Errorf("GET of an id never minted = %d, want 404", status)
	}

	resp, err := http.Get(f.URL + "/.well-known/webfinger?resource=acct:alice@" + f.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	status = resp.StatusCode
	if body, err = io.ReadAll(resp.Body); err != nil {
		t.Fatal(err)
	}
	var jrd struct {
		Subject string
		Links   []struct{ Rel, Type, Href string }
	}
	if status != http.StatusOK || json.Unmarshal(body, &jrd) != nil ||
		len(jrd.Links) != 1 || jrd.Links[0].Href != alice.ID {
		t.Errorf("WebFinger = %d %s", status, body)
	}
}

func TestFediverseConcurrent(t *testing.T) {
	a := pleintest.NewFediverse(t)
	b := pleintest.NewFediverse(t)
	alice := a.NewActor(t, "alice")
	b.NewActor(t, "bob")
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if got := alice.Send(t, b.URL+"/inbox", alice.Like(b.URL+"/x")); got != http.StatusAccepted {
				t.Errorf("Send = %d", got)
			}
		})
	}
	wg.Wait()
	got := b.Received()
	if len(got) != n {
		t.Fatalf("received %d, want %d", len(got), n)
	}
	seen := map[string]bool{}
	for _, r := range got {
		if !r.Verified {
			t.Errorf("not verified: %v", r)
		}
		seen[r.Activity.ID] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct activity ids, want %d", len(seen), n)
	}
}

// signer is a server with one actor that signs GETs, for checking what a
// Fediverse requires of the signer of an authorized fetch.
type signer struct {
	username      string // preferredUsername
	webFingerSelf string // "": the actor; "-": WebFinger answers 404
	nodeInfo      string // rel linked by /.well-known/nodeinfo; "": 2.0
	outboxStatus  int    // 0: 200
}

// start serves s and returns the actor's id and a request signer.
func (s signer) start(t *testing.T) (string, func(*http.Request)) {
	t.Helper()
	key, err := httpsig.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pem, err := httpsig.EncodePublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	id := srv.URL + "/signer"
	write := func(w http.ResponseWriter, contentType string, v any) {
		w.Header().Set("Content-Type", contentType)
		if err := json.NewEncoder(w).Encode(v); err != nil {
			t.Error(err)
		}
	}
	mux.HandleFunc("GET /signer", func(w http.ResponseWriter, r *http.Request) {
		write(w, activity.ContentType, activity.Actor{Context: activity.DefaultContext(), ID: id, Type: activity.TypeApplication,
			PreferredUsername: s.username, Inbox: id + "/inbox", Outbox: id + "/outbox",
			PublicKey: activity.PublicKey{ID: id + "#main-key", Owner: id, PublicKeyPem: pem}})
	})
	mux.HandleFunc("GET /signer/outbox", func(w http.ResponseWriter, r *http.Request) {
		if s.outboxStatus != 0 {
			http.Error(w, "no outbox", s.outboxStatus)
			return
		}
		write(w, activity.ContentType, activity.OrderedCollection{ID: id + "/outbox", Type: activity.TypeOrderedCollection})
	})
	mux.HandleFunc("GET /.well-known/webfinger", func(w http.ResponseWriter, r *http.Request) {
		self := cmp.Or(s.webFingerSelf, id)
		if self == "-" || r.URL.Query().Get("resource") != "acct:"+s.username+"@"+strings.TrimPrefix(srv.URL, "http://") {
			http.NotFound(w, r)
			return
		}
		write(w, "application/jrd+json", activity.JRD{Subject: r.URL.Query().Get("resource"),
			Links: []activity.JRDLink{{Rel: "self", Type: activity.ContentType, Href: self}}})
	})
	mux.HandleFunc("GET /.well-known/nodeinfo", func(w http.ResponseWriter, r *http.Request) {
		write(w, "application/json", activity.NodeInfoLinks{Links: []activity.JRDLink{
			{Rel: cmp.Or(s.nodeInfo, activity.RelNodeInfo20), Href: srv.URL + "/nodeinfo"}}})
	})
	mux.HandleFunc("GET /nodeinfo", func(w http.ResponseWriter, r *http.Request) {
		n := activity.NewNodeInfo(activity.NodeInfoSoftware{Name: "signer"}, activity.NodeInfoUsage{})
		if s.nodeInfo == "" {
			write(w, activity.NodeInfo20ContentType, n.V20())
			return
		}
		write(w, activity.NodeInfoContentType, n)
	})
	return id, func(r *http.Request) {
		if err := httpsig.SignRequest(r, id+"#main-key", key, nil, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFediverseAuthorizedFetch checks that a Fediverse answers GETs of its
// documents only to signers it can resolve as GoToSocial does, and the
// documents of its instance actor to anyone.
func TestFediverseAuthorizedFetch(t *testing.T) {
	tests := []struct {
		name     string
		signer   signer
		unsigned bool
		path     string // "": alice's actor
		want     int
	}{
		{name: "resolvable signer", signer: signer{username: "signer.example"}, want: http.StatusOK},
		{name: "username with letters, digits, _ . -", signer: signer{username: "Plein_1.example-a"}, want: http.StatusOK},
		{name: "unsigned", signer: signer{username: "signer"}, unsigned: true, want: http.StatusUnauthorized},
		{name: "unsigned, instance actor", signer: signer{username: "signer"}, unsigned: true, path: "/actor", want: http.StatusOK},
		{name: "unsigned, instance outbox", signer: signer{username: "signer"}, unsigned: true, path: "/actor/outbox", want: http.StatusOK},
		{name: "username with a port", signer: signer{username: "127.0.0.1:8080"}, want: http.StatusUnauthorized},
		{name: "no username", signer: signer{}, want: http.StatusUnauthorized},
		{name: "WebFinger unknown", signer: signer{username: "signer", webFingerSelf: "-"}, want: http.StatusUnauthorized},
		{name: "WebFinger names another actor", signer: signer{username: "signer", webFingerSelf: "http://127.0.0.1:1/actor"}, want: http.StatusUnauthorized},
		{name: "NodeInfo 2.1 only", signer: signer{username: "signer", nodeInfo: activity.RelNodeInfo21}, want: http.StatusUnauthorized},
		{name: "outbox does not answer", signer: signer{username: "signer", outboxStatus: http.StatusNotFound}, want: http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pleintest.NewFediverse(t)
			alice := f.NewActor(t, "alice")
			_, sign := tt.signer.start(t)
			url := alice.ID
			if tt.path != "" {
				url = f.URL + tt.path
			}
			req, err := http.NewRequest(http.MethodGet, url, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Accept", activity.ContentType)
			if !tt.unsigned {
				sign(req)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("GET %s: %d %s, want %d", url, resp.StatusCode, body, tt.want)
			}
		})
	}
}

// TestFediverseFollowersCount checks that FollowersCount reads the
// followers collection an actor advertises.
func TestFediverseFollowersCount(t *testing.T) {
	f := pleintest.NewFediverse(t)
	alice := f.NewActor(t, "alice")
	if n := pleintest.NewFediverse(t).FollowersCount(t, alice.ID); n != 0 {
		t.Errorf("FollowersCount = %d, want 0", n)
	}
}
