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

		var links activity.NodeInfoLinks
		getJSON(t, f.srv, "/.well-known/nodeinfo", &links)
		var ni activity.NodeInfo
		getJSON(t, f.srv, strings.TrimPrefix(links.Links[0].Href, f.srv.URL), &ni)
		if ni.Version != "2.1" || ni.Software.Name != "plein" || ni.Protocols[0] != "activitypub" || ni.OpenRegistrations {
			t.Errorf("nodeinfo %+v", ni)
		}
		if ni.Usage.Users != (activity.NodeInfoUsers{}) {
			t.Errorf("nodeinfo tells %+v users without --nodeinfo-counts", ni.Usage.Users)
		}
		counting := pleintest.NewServer(t, storetest.Engines()[0], func(c *config.Config) { c.NodeInfoCounts = true })
		counting.Org(t, "zwolle")
		getJSON(t, counting, "/nodeinfo/2.1", &ni)
		if ni.Usage.Users.Total != 1 {
			t.Errorf("nodeinfo with --nodeinfo-counts: %+v users, want 1 organisation", ni.Usage.Users)
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
