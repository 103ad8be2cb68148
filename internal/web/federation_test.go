package web_test

import (
	"context"

	"encoding/json"
	"net/http"
	"net/url"
	"plein/internal/org"
	"strings"
	"testing"
	"time"

	"plein/internal/activity"
	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/httpsig"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

const apAccept = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

func getJSON(t *testing.T, srv *pleintest.Server, path string, into any, header ...string) *http.Response {
	t.Helper()
	resp, body := srv.Get(t, path, header...)
	if into != nil && resp.StatusCode == 200 {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, body)
		}
	}
	return resp
}

// TestDiscoveryAndActor follows what a Mastodon server does to find and
// show an organisation: WebFinger, then the actor document with its key,
// then the outbox and a Note.
func TestDiscoveryAndActor(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		host := strings.TrimPrefix(f.srv.URL, "http://")
		actorID := f.srv.URL + "/orgs/" + f.org.ID

		var jrd activity.JRD
		resp := getJSON(t, f.srv, "/.well-known/webfinger?resource="+url.QueryEscape("acct:almere@"+host), &jrd)
		if resp.StatusCode != 200 || jrd.Subject != "acct:almere@"+host || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/jrd+json") {
			t.Fatalf("webfinger: %d %+v", resp.StatusCode, jrd)
		}
		var self string
		for _, l := range jrd.Links {
			if l.Rel == "self" && l.Type == activity.ContentType {
				self = l.Href
			}
		}
		if self != actorID || strings.Contains(self, "almere") {
			t.Fatalf("self link %q, want the permanent id %q without the handle", self, actorID)
		}
		for _, tc := range []struct {
			resource string
			status   int
		}{
			{actorID, 200},
			{f.srv.URL + "/@almere", 200},
			{"acct:almere@elsewhere.example", 404},
			{"acct:nobody@" + host, 404},
		} {
			if resp := getJSON(t, f.srv, "/.well-known/webfinger?resource="+url.QueryEscape(tc.resource), nil); resp.StatusCode != tc.status {
				t.Errorf("webfinger %s: %d, want %d", tc.resource, resp.StatusCode, tc.status)
			}
		}
		if resp := getJSON(t, f.srv, "/.well-known/webfinger", nil); resp.StatusCode != 400 {
			t.Errorf("webfinger without resource: %d", resp.StatusCode)
		}

		for _, path := range []string{"/orgs/" + f.org.ID, "/@almere"} {
			resp, body := f.srv.Get(t, path, "Accept", apAccept)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/activity+json") ||
				!strings.Contains(resp.Header.Get("Vary"), "Accept") || resp.Header.Get("Set-Cookie") != "" {
				t.Fatalf("actor at %s: %d %q vary %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Vary"))
			}
			actor, err := activity.ParseActor(body)
			if err != nil {
				t.Fatal(err)
			}
			if actor.ID != actorID || actor.Type != "Organization" || actor.PreferredUsername != "almere" ||
				actor.SharedInbox != f.srv.URL+"/inbox" || actor.PublicKey.Owner != actorID {
				t.Fatalf("actor %+v", actor)
			}
			key, err := httpsig.DecodePublicKey(actor.PublicKey.PublicKeyPem)
			if err != nil || key.N.BitLen() != 2048 {
				t.Fatalf("public key: %v", err)
			}
		}
		// The same key every time: it is made once and stored.
		var a1, a2 activity.Actor
		getJSON(t, f.srv, "/orgs/"+f.org.ID, &a1, "Accept", activity.ContentType)
		other := f.srv.Open(t)
		if _, err := other.Orgs.UpdateProfile(context.Background(), auth.Operator(), f.org.ID, orgProfile(f)); err != nil {
			t.Fatal(err)
		}
		pleintest.Eventually(t, 3*time.Second, func() error {
			getJSON(t, f.srv, "/orgs/"+f.org.ID, &a2, "Accept", activity.ContentType)
			if a2.Name != "Gemeente Almere (bijgewerkt)" {
				return pleintest.ErrNotYet
			}
			return nil
		})
		if a1.PublicKey.PublicKeyPem != a2.PublicKey.PublicKeyPem {
			t.Fatal("the actor's key changed")
		}
		if len(a2.AlsoKnownAs) != 1 || a2.AlsoKnownAs[0] != "https://mastodon.example/users/almere" {
			t.Fatalf("alsoKnownAs %v", a2.AlsoKnownAs)
		}

		// Browsers still get HTML or a redirect.
		if resp, _ := f.srv.Get(t, "/orgs/"+f.org.ID, "Accept", "text/html,*/*"); resp.StatusCode != http.StatusFound {
			t.Errorf("browser at the actor id: %d", resp.StatusCode)
		}
		if resp, body := f.srv.Get(t, "/@almere", "Accept", "text/html,*/*"); resp.StatusCode != 200 || !strings.Contains(string(body), "<html") {
			t.Errorf("browser at /@almere: %d", resp.StatusCode)
		}

		var note activity.Note
		resp = getJSON(t, f.srv, "/posts/"+f.withImage.ID, &note, "Accept", activity.ContentType)
		if resp.StatusCode != 200 || note.ID != f.srv.URL+"/posts/"+f.withImage.ID || note.AttributedTo != actorID ||
			len(note.Attachment) != 1 || note.Attachment[0].Name != "Een versterkte dijk met gras en een fietspad" ||
			note.To[0] != activity.Public || note.ContentMap["nl"] == "" {
			t.Fatalf("note: %d %+v", resp.StatusCode, note)
		}
		var create struct {
			ID, Type, Actor string
			Object          activity.Note
		}
		resp = getJSON(t, f.srv, "/posts/"+f.withImage.ID+"/activity", &create, "Accept", activity.ContentType)
		if resp.StatusCode != 200 || create.ID != note.ID+"/activity" || create.Type != "Create" || create.Actor != actorID || create.Object.ID != note.ID {
			t.Errorf("the Create's own id: %d %+v", resp.StatusCode, create)
		}
		for path, want := range map[string]int{"/posts/" + f.withImage.ID + "/other": 404, "/posts/" + f.draft.ID + "/activity": 404} {
			if resp, _ := f.srv.Get(t, path, "Accept", activity.ContentType); resp.StatusCode != want {
				t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
			}
		}
		getJSON(t, f.srv, "/@almere/"+f.withCW.ID, &note, "Accept", activity.ContentType)
		if note.Summary != "Ongeval met dodelijke afloop" || !note.Sensitive {
			t.Errorf("content warning note: %+v", note)
		}
		if resp, _ := f.srv.Get(t, "/posts/"+f.deleted.ID, "Accept", activity.ContentType); resp.StatusCode != http.StatusGone {
			t.Errorf("deleted note: %d, want 410", resp.StatusCode)
		}
		if resp, _ := f.srv.Get(t, "/posts/"+f.draft.ID, "Accept", activity.ContentType); resp.StatusCode != http.StatusNotFound {
			t.Errorf("draft note: %d, want 404", resp.StatusCode)
		}

		var outbox activity.OrderedCollection
		getJSON(t, f.srv, "/orgs/"+f.org.ID+"/outbox", &outbox, "Accept", activity.ContentType)
		if outbox.TotalItems != 5 || outbox.First == "" {
			t.Fatalf("outbox %+v", outbox)
		}
		var page struct {
			OrderedItems []struct {
				Type   string          `json:"type"`
				Object json.RawMessage `json:"object"`
			} `json:"orderedItems"`
		}
		getJSON(t, f.srv, strings.TrimPrefix(outbox.First, f.srv.URL), &page, "Accept", activity.ContentType)
		if len(page.OrderedItems) != 5 || page.OrderedItems[0].Type != "Create" {
			t.Fatalf("outbox page has %d items", len(page.OrderedItems))
		}
		var followers activity.OrderedCollection
		getJSON(t, f.srv, "/orgs/"+f.org.ID+"/followers", &followers, "Accept", activity.ContentType)
		if followers.Type != "OrderedCollection" || followers.First != "" {
			t.Errorf("followers collection shows more than its size: %+v", followers)
		}
		var featured struct {
			TotalItems int `json:"totalItems"`
		}
		getJSON(t, f.srv, "/orgs/"+f.org.ID+"/featured", &featured, "Accept", activity.ContentType)
		if featured.TotalItems != 1 {
			t.Errorf("featured: %d pinned, want 1", featured.TotalItems)
		}

		if resp, body := f.srv.Get(t, "/.well-known/host-meta"); resp.StatusCode != 200 || !strings.Contains(string(body), "/.well-known/webfinger?resource={uri}") {
			t.Errorf("host-meta: %d", resp.StatusCode)
		}
		var instance activity.Actor
		getJSON(t, f.srv, "/actor", &instance)
		if instance.Type != "Application" || instance.PublicKey.PublicKeyPem == "" {
			t.Errorf("instance actor %+v", instance)
		}

		// A renamed organisation keeps its id; WebFinger answers the new
		// handle for the old one.
		if _, err := f.srv.App.Orgs.Rename(context.Background(), auth.Operator(), "almere", "gemeente-almere"); err != nil {
			t.Fatal(err)
		}
		getJSON(t, f.srv, "/.well-known/webfinger?resource="+url.QueryEscape("acct:almere@"+host), &jrd)
		if jrd.Subject != "acct:gemeente-almere@"+host || jrd.Links[0].Href != actorID {
			t.Errorf("webfinger of the former handle: %+v", jrd)
		}
	})
}

func orgProfile(f *fixture) org.Profile {
	return org.Profile{DisplayName: "Gemeente Almere (bijgewerkt)", Description: f.org.Description,
		Links: f.org.Links, Language: f.org.Language, TimeZone: f.org.TimeZone,
		AlsoKnownAs: []string{"https://mastodon.example/users/almere"}}
}

// TestNodeInfo reads both NodeInfo versions the way servers find them,
// through /.well-known/nodeinfo: 2.0 (which GoToSocial reads) and 2.1,
// each in its own schema and with its own profile, with the number of
// organisations only under --nodeinfo-counts.
func TestNodeInfo(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		for _, counts := range []bool{false, true} {
			srv := pleintest.NewServer(t, e, func(c *config.Config) { c.NodeInfoCounts = counts })
			srv.Org(t, "zwolle")
			var links activity.NodeInfoLinks
			getJSON(t, srv, "/.well-known/nodeinfo", &links)
			rels := map[string]string{}
			for _, l := range links.Links {
				rels[l.Rel] = l.Href
			}
			wantUsers := activity.NodeInfoUsers{}
			if counts {
				wantUsers = activity.NodeInfoUsers{Total: 1, ActiveMonth: 1, ActiveHalfyear: 1}
			}
			for _, tc := range []struct {
				rel, version, profile string
			}{
				{"http://nodeinfo.diaspora.software/ns/schema/2.0", "2.0", "http://nodeinfo.diaspora.software/ns/schema/2.0#"},
				{"http://nodeinfo.diaspora.software/ns/schema/2.1", "2.1", "http://nodeinfo.diaspora.software/ns/schema/2.1#"},
			} {
				href := rels[tc.rel]
				if href != srv.URL+"/nodeinfo/"+tc.version {
					t.Errorf("/.well-known/nodeinfo links %q for %s, want /nodeinfo/%s", href, tc.rel, tc.version)
					continue
				}
				var doc struct {
					Version           string                    `json:"version"`
					Software          map[string]string         `json:"software"`
					Protocols         []string                  `json:"protocols"`
					Services          activity.NodeInfoServices `json:"services"`
					OpenRegistrations *bool                     `json:"openRegistrations"`
					Usage             activity.NodeInfoUsage    `json:"usage"`
					Metadata          map[string]any            `json:"metadata"`
				}
				resp := getJSON(t, srv, strings.TrimPrefix(href, srv.URL), &doc)
				if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != `application/json; profile="`+tc.profile+`"` {
					t.Errorf("GET %s: %d %q", href, resp.StatusCode, ct)
				}
				_, hasVersion := doc.Software["version"]
				if doc.Version != tc.version || doc.Software["name"] != "plein" || !hasVersion ||
					len(doc.Protocols) != 1 || doc.Protocols[0] != "activitypub" || doc.Services.Inbound == nil ||
					doc.OpenRegistrations == nil || *doc.OpenRegistrations || doc.Metadata == nil {
					t.Errorf("nodeinfo %s: %+v", tc.version, doc)
				}
				_, repo := doc.Software["repository"]
				_, home := doc.Software["homepage"]
				if tc.version == "2.0" && (repo || home) {
					t.Errorf("nodeinfo 2.0 software %v has fields of 2.1", doc.Software)
				}
				if doc.Usage.Users != wantUsers {
					t.Errorf("nodeinfo %s, counts %v: users %+v, want %+v", tc.version, counts, doc.Usage.Users, wantUsers)
				}
			}
		}
	})
}

// TestInstanceActor checks the instance actor as Mastodon and GoToSocial
// resolve the signer of a fetch: an Application whose preferredUsername is
// the host name without the port, found by WebFinger at acct:name@host
// and by its id, with an empty outbox and an inbox that verifies
// signatures like the shared inbox.
func TestInstanceActor(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		host := strings.TrimPrefix(f.srv.URL, "http://")
		id := f.srv.URL + "/actor"

		var a activity.Actor
		resp := getJSON(t, f.srv, "/actor", &a, "Accept", activity.ContentType)
		if resp.StatusCode != 200 || a.ID != id || a.Type != activity.TypeApplication || a.PreferredUsername != "127.0.0.1" ||
			a.Inbox != id+"/inbox" || a.Outbox != id+"/outbox" || a.PublicKey.ID != id+"#main-key" || a.PublicKey.Owner != id {
			t.Fatalf("instance actor: %d %+v", resp.StatusCode, a)
		}
		for _, tc := range []struct {
			resource string
			status   int
		}{
			{"acct:127.0.0.1@" + host, 200},
			{id, 200},
			{"acct:127.0.0.1@127.0.0.1", 404}, // the host of acct: addresses has the port, as for organisations
			{"acct:" + host + "@" + host, 404},
		} {
			var jrd activity.JRD
			resp := getJSON(t, f.srv, "/.well-known/webfinger?resource="+url.QueryEscape(tc.resource), &jrd)
			if resp.StatusCode != tc.status {
				t.Errorf("webfinger %s: %d, want %d", tc.resource, resp.StatusCode, tc.status)
				continue
			}
			if tc.status != 200 {
				continue
			}
			if jrd.Subject != "acct:127.0.0.1@"+host || len(jrd.Links) != 1 || jrd.Links[0] != (activity.JRDLink{Rel: "self", Type: activity.ContentType, Href: id}) {
				t.Errorf("webfinger %s: %+v", tc.resource, jrd)
			}
		}

		var outbox activity.OrderedCollection
		resp = getJSON(t, f.srv, "/actor/outbox", &outbox, "Accept", activity.ContentType)
		if resp.StatusCode != 200 || outbox.ID != id+"/outbox" || outbox.Type != activity.TypeOrderedCollection || outbox.TotalItems != 0 {
			t.Errorf("instance outbox: %d %+v", resp.StatusCode, outbox)
		}

		// Its inbox is the shared inbox: a signed Follow is taken, an
		// unsigned one refused.
		fed := pleintest.NewFediverse(t)
		anna := fed.NewActor(t, "anna")
		actorID := f.srv.URL + "/orgs/" + f.org.ID
		if status := anna.Send(t, id+"/inbox", anna.Follow(actorID), pleintest.Unsigned()); status != http.StatusUnauthorized {
			t.Errorf("unsigned follow to the instance inbox: %d, want 401", status)
		}
		if status := anna.Send(t, id+"/inbox", anna.Follow(actorID)); status != http.StatusAccepted {
			t.Fatalf("follow to the instance inbox: %d", status)
		}
		fed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
			return r.Verified && r.Activity != nil && r.Activity.Type == activity.TypeAccept && r.Activity.Actor == actorID
		})
	})
}

// urlProperties are the properties of ActivityPub documents whose values
// are addresses another server may dereference.
var urlProperties = map[string]bool{"id": true, "url": true, "inbox": true, "outbox": true, "followers": true,
	"following": true, "featured": true, "sharedInbox": true, "owner": true, "first": true, "next": true,
	"partOf": true, "attributedTo": true, "actor": true, "href": true}

// collectURLs adds to urls every address on origin that v, a decoded JSON
// document, names in one of urlProperties, without its fragment.
func collectURLs(v any, origin string, urls map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && urlProperties[k] && strings.HasPrefix(s, origin+"/") {
				s, _, _ = strings.Cut(s, "#")
				urls[s] = true
				continue
			}
			collectURLs(x, origin, urls)
		}
	case []any:
		for _, x := range v {
			collectURLs(x, origin, urls)
		}
	}
}

// TestAdvertisedURLsDereference fetches the documents another server
// reads (an organisation's actor, the instance actor, Notes, a deleted
// post's Tombstone and every collection), collects every address they
// advertise, and dereferences each as a Fediverse server would: documents
// answer 200 with an ActivityPub type (410 for the deleted post), pages
// answer 200 with HTML, images with an image, and inboxes take POSTs,
// refusing this unsigned one.
func TestAdvertisedURLsDereference(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		origin := f.srv.URL
		actorID := origin + "/orgs/" + f.org.ID
		start := []string{actorID, origin + "/actor", origin + "/posts/" + f.plain.ID, origin + "/posts/" + f.withImage.ID,
			origin + "/posts/" + f.pinned.ID, origin + "/posts/" + f.deleted.ID, origin + "/@almere"}
		urls := map[string]bool{}
		for _, u := range start {
			urls[u] = true
		}
		done := map[string]bool{}
		inboxes := map[string]bool{}
		// Fetch until no new address turns up: collections lead to pages,
		// pages to Notes.
		for len(done) < len(urls) {
			for u := range urls {
				if done[u] {
					continue
				}
				done[u] = true
				if strings.HasSuffix(u, "/inbox") {
					inboxes[u] = true
					continue
				}
				resp, body := f.srv.Get(t, strings.TrimPrefix(u, origin), "Accept", activity.ContentType)
				ct := resp.Header.Get("Content-Type")
				switch {
				case u == origin+"/posts/"+f.deleted.ID:
					if resp.StatusCode != http.StatusGone || !strings.HasPrefix(ct, activity.ContentType) {
						t.Errorf("GET %s (deleted): %d %s, want 410", u, resp.StatusCode, ct)
					}
				case resp.StatusCode != http.StatusOK:
					t.Errorf("GET %s: %d", u, resp.StatusCode)
				case strings.HasPrefix(u, origin+"/media/"):
					if !strings.HasPrefix(ct, "image/") {
						t.Errorf("GET %s: Content-Type %s, want an image", u, ct)
					}
				case strings.HasPrefix(ct, activity.ContentType):
					var doc any
					if err := json.Unmarshal(body, &doc); err != nil {
						t.Errorf("GET %s: %v", u, err)
						continue
					}
					// The readable addresses (a url) answer with the document
					// at its permanent id.
					if id, _ := doc.(map[string]any)["id"].(string); id != u && !strings.HasPrefix(u, origin+"/@") {
						t.Errorf("GET %s: document of %q", u, id)
					}
					collectURLs(doc, origin, urls)
				case !strings.HasPrefix(ct, "text/html"):
					t.Errorf("GET %s: Content-Type %s, want ActivityPub or HTML", u, ct)
				}
			}
		}
		for _, want := range []string{actorID + "/outbox", actorID + "/followers", actorID + "/following", actorID + "/featured",
			origin + "/actor/outbox", origin + "/@almere", origin + "/"} {
			if !done[want] {
				t.Errorf("%s was not advertised", want)
			}
		}
		for _, want := range []string{actorID + "/inbox", origin + "/inbox", origin + "/actor/inbox"} {
			if !inboxes[want] {
				t.Errorf("inbox %s was not advertised", want)
			}
		}
		for u := range inboxes {
			resp, err := http.Post(u, activity.ContentType, strings.NewReader(`{"type":"Follow"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("unsigned POST %s: %d, want 401", u, resp.StatusCode)
			}
		}
		t.Logf("%d addresses dereferenced, %d inboxes", len(done)-len(inboxes), len(inboxes))
	})
}
