package web_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"plein/internal/store/storetest"
	"plein/internal/web"
)

// routeCase is a request that a route pattern must answer, and what its
// answer shows of the handler behind it.
type routeCase struct {
	method, path, accept string
	status               int
	contentType          string
	has                  string
}

// TestRouteTable lists every public and ActivityPub route pattern with at
// least one request to it, and checks that the pattern's own handler
// answers: the status, the type and a mark of its content. A pattern added
// without a case here, or a case whose pattern is gone, fails the test.
func TestRouteTable(t *testing.T) {
	f := newFixture(t, storetest.Engines()[0])
	site, err := f.srv.App.Handler()
	if err != nil {
		t.Fatal(err)
	}
	at, o, p := "/@almere", f.org, f.plain
	confirm, manage, unsubscribe := subscriptionPaths(t, f.srv, "almere")
	cases := map[string][]routeCase{
		"GET /@/{handle}/subscribe":            {{path: at + "/subscribe", status: 200, contentType: "text/html", has: `name="email"`}},
		"POST /@/{handle}/subscribe":           {{method: "POST", path: at + "/subscribe", status: 422, contentType: "text/html", has: `aria-invalid="true"`}},
		"GET /@/{handle}/tags/{tag}/subscribe": {{path: at + "/tags/afval/subscribe", status: 200, contentType: "text/html", has: `name="tag" value="afval"`}},
		"GET /@/{handle}/contact":              {{path: at + "/contact", status: 200, contentType: "text/html", has: `name="question"`}},
		"POST /@/{handle}/contact":             {{method: "POST", path: at + "/contact", status: 422, contentType: "text/html", has: "Het formulier stond te lang open"}},
		"GET /@/{handle}/report/{post}":        {{path: at + "/report/" + p.ID, status: 200, contentType: "text/html", has: `name="goodfaith"`}},
		"POST /@/{handle}/report/{post}":       {{method: "POST", path: at + "/report/" + p.ID, status: 422, contentType: "text/html", has: "Het formulier stond te lang open"}},
		"GET /mail/confirm":                    {{path: confirm, status: 200, contentType: "text/html", has: `<form method="post" action="/mail/confirm?`}, {path: "/mail/confirm?t=x", status: 404}},
		"POST /mail/confirm":                   {{method: "POST", path: "/mail/confirm?t=x", status: 404, contentType: "text/html", has: "Deze link werkt niet"}},
		"GET /mail/manage":                     {{path: manage, status: 200, contentType: "text/html", has: `name="frequency" value="weekly"`}},
		"POST /mail/manage":                    {{method: "POST", path: "/mail/manage?t=x", status: 404, contentType: "text/html", has: "Deze link werkt niet"}},
		"GET /mail/unsubscribe":                {{path: unsubscribe, status: 200, contentType: "text/html", has: `name="List-Unsubscribe" value="One-Click"`}},
		"POST /mail/unsubscribe":               {{method: "POST", path: "/mail/unsubscribe?t=x", status: 404, contentType: "text/html", has: "Deze link werkt niet"}},
		"GET /{$}":                             {{path: "/", status: 200, contentType: "text/html", has: `href="/feed.atom"`}},
		"GET /privacy":                         {{path: "/privacy", status: 200, contentType: "text/html", has: `rel="privacy-policy"`}},
		"GET /toegankelijkheid":                {{path: "/toegankelijkheid", status: 200, contentType: "text/html", has: "Toegankelijkheidsverklaring"}, {path: "/toegankelijkheid?lang=en", status: 200, contentType: "text/html", has: "Accessibility statement"}},
		"GET /@/{handle}":                      {{path: at, status: 200, contentType: "text/html", has: "@almere@"}, {path: at, accept: activityAccept, status: 200, contentType: "application/activity+json", has: `"Organization"`}},
		"GET /@/{handle}/privacy":              {{path: at + "/privacy", status: 200, contentType: "text/html", has: "Gemeente almere"}},
		"GET /transparency":                    {{path: "/transparency", status: 200, contentType: "text/html", has: "Transparantieverslag"}},
		"GET /@/{handle}/transparency":         {{path: at + "/transparency", status: 200, contentType: "text/html", has: "Transparantieverslag van Gemeente almere"}},
		"GET /@/{handle}/tags/{tag}":           {{path: at + "/tags/afval", status: 200, contentType: "text/html", has: `href="/@almere/tags/afval/feed.rss"`}},
		"GET /@/{handle}/{post}":               {{path: at + "/" + p.ID, status: 200, contentType: "text/html", has: "afvalrooster"}, {path: at + "/" + p.ID, accept: activityAccept, status: 200, contentType: "application/activity+json", has: `"Note"`}},
		"GET /@/{handle}/{post}/{part}":        {{path: at + "/" + f.edited.ID + "/history", status: 200, contentType: "text/html", has: "9 o&#39;clock"}, {path: at + "/" + p.ID + "/other", status: 404, contentType: "text/html"}},
		"GET /feed.atom":                       {{path: "/feed.atom", status: 200, contentType: "application/atom+xml", has: "<name>Gemeente almere</name>"}},
		"GET /feed.rss":                        {{path: "/feed.rss", status: 200, contentType: "application/rss+xml", has: "afvalrooster"}},
		"GET /feed.json":                       {{path: "/feed.json", status: 200, contentType: "application/feed+json", has: "afvalrooster"}},
		"GET /@/{handle}/feed.atom":            {{path: at + "/feed.atom", status: 200, contentType: "application/atom+xml", has: "afvalrooster"}},
		"GET /@/{handle}/feed.rss":             {{path: at + "/feed.rss", status: 200, contentType: "application/rss+xml", has: "afvalrooster"}},
		"GET /@/{handle}/feed.json":            {{path: at + "/feed.json", status: 200, contentType: "application/feed+json", has: "afvalrooster"}},
		"GET /@/{handle}/tags/{tag}/feed.atom": {{path: at + "/tags/afval/feed.atom", status: 200, contentType: "application/atom+xml", has: "#afval"}},
		"GET /@/{handle}/tags/{tag}/feed.rss":  {{path: at + "/tags/afval/feed.rss", status: 200, contentType: "application/rss+xml", has: "#afval"}},
		"GET /@/{handle}/tags/{tag}/feed.json": {{path: at + "/tags/afval/feed.json", status: 200, contentType: "application/feed+json", has: "#afval"}},
		"GET /orgs/{id}":                       {{path: "/orgs/" + o.ID, status: 302, has: ""}, {path: "/orgs/" + o.ID, accept: activityAccept, status: 200, contentType: "application/activity+json", has: `"Organization"`}},
		"GET /posts/{id}":                      {{path: "/posts/" + p.ID, status: 302}, {path: "/posts/" + p.ID, accept: activityAccept, status: 200, contentType: "application/activity+json", has: `"Note"`}},
		"GET /media/{key...}":                  {{path: f.mediaPath(), status: 200, contentType: "image/"}},
		"GET /static/":                         {{path: "/static/plein.css", status: 200, contentType: "text/css"}},
		"GET /":                                {{path: "/nothing-here", status: 404, contentType: "text/html", has: "Niet gevonden"}},
		"GET /orgs/{id}/outbox":                {{path: "/orgs/" + o.ID + "/outbox", accept: activityAccept, status: 200, contentType: "application/activity+json", has: `"OrderedCollection"`}},
		"GET /orgs/{id}/followers":             {{path: "/orgs/" + o.ID + "/followers", accept: activityAccept, status: 200, contentType: "application/activity+json", has: `"totalItems":0`}},
		"GET /orgs/{id}/following":             {{path: "/orgs/" + o.ID + "/following", accept: activityAccept, status: 200, contentType: "application/activity+json", has: `"totalItems":0`}, {path: "/orgs/" + p.ID + "/following", accept: activityAccept, status: 404}},
		"GET /orgs/{id}/featured":              {{path: "/orgs/" + o.ID + "/featured", accept: activityAccept, status: 200, contentType: "application/activity+json", has: f.pinned.ID}},
		"GET /posts/{id}/replies":              {{path: "/posts/" + p.ID + "/replies", accept: activityAccept, status: 200, contentType: "application/activity+json", has: `"totalItems":0`}, {path: "/posts/" + f.draft.ID + "/replies", accept: activityAccept, status: 404}},
		"GET /posts/{id}/activity":             {{path: "/posts/" + p.ID + "/activity", accept: activityAccept, status: 200, contentType: "application/activity+json", has: `"Create"`}},
		"GET /.well-known/webfinger":           {{path: "/.well-known/webfinger?resource=acct:almere@" + strings.TrimPrefix(f.srv.URL, "http://"), status: 200, contentType: "application/jrd+json", has: "/orgs/" + o.ID}},
		"GET /.well-known/host-meta":           {{path: "/.well-known/host-meta", status: 200, contentType: "application/xrd+xml", has: "webfinger"}},
		"GET /.well-known/nodeinfo":            {{path: "/.well-known/nodeinfo", status: 200, contentType: "application/json", has: "/nodeinfo/2.0"}},
		"GET /nodeinfo/2.0":                    {{path: "/nodeinfo/2.0", status: 200, contentType: `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"`, has: `"version":"2.0"`}},
		"GET /nodeinfo/2.1":                    {{path: "/nodeinfo/2.1", status: 200, contentType: "application/json", has: `"activitypub"`}},
		"GET /actor":                           {{path: "/actor", status: 200, contentType: "application/activity+json", has: `"Application"`}},
		"GET /actor/outbox":                    {{path: "/actor/outbox", accept: activityAccept, status: 200, contentType: "application/activity+json", has: `"totalItems":0`}},
		"POST /actor/inbox":                    {{method: "POST", path: "/actor/inbox", status: 401}},
		"POST /inbox":                          {{method: "POST", path: "/inbox", status: 401}},
		"POST /orgs/{id}/inbox":                {{method: "POST", path: "/orgs/" + o.ID + "/inbox", status: 401}},
	}
	// The complaint form and the direct Notes of statements of reasons.
	complaint := complaintFormPath(t, f.srv, "almere", refusedReply(t, f.srv, p, "routes", time.Now()))
	complaintBase, _, _ := strings.Cut(complaint, "?")
	statementID := strings.TrimPrefix(complaintBase, "/@almere/complaint/")
	cases["GET /@/{handle}/complaint/{statement}"] = []routeCase{{path: complaint, status: 200, contentType: "text/html", has: `name="complaint"`}}
	cases["POST /@/{handle}/complaint/{statement}"] = []routeCase{{method: "POST", path: complaintBase, status: 404, contentType: "text/html"}}
	cases["GET /statements/{id}"] = []routeCase{{path: "/statements/" + statementID, status: 404, contentType: "application/activity+json"}}
	cases["GET /statements/{id}/{part}"] = []routeCase{{path: "/statements/" + statementID + "/outcome", status: 404, contentType: "application/activity+json"}}
	registered := web.Patterns(site)
	for _, pattern := range registered {
		if _, ok := cases[pattern]; !ok {
			t.Errorf("route %q has no case in this test", pattern)
		}
	}
	for pattern, list := range cases {
		if !slices.Contains(registered, pattern) {
			t.Errorf("case for %q, which is not a registered route", pattern)
			continue
		}
		for _, c := range list {
			method := c.method
			if method == "" {
				method = http.MethodGet
			}
			var body *strings.Reader
			if method == http.MethodPost {
				body = strings.NewReader(`{"type":"Follow"}`)
			} else {
				body = strings.NewReader("")
			}
			req := httptest.NewRequest(method, c.path, body)
			if c.accept != "" {
				req.Header.Set("Accept", c.accept)
			}
			w := httptest.NewRecorder()
			site.ServeHTTP(w, req)
			if w.Code != c.status {
				t.Errorf("%s %s (%s, route %s): status %d, want %d", method, c.path, c.accept, pattern, w.Code, c.status)
			}
			if ct := w.Header().Get("Content-Type"); c.contentType != "" && !strings.HasPrefix(ct, c.contentType) {
				t.Errorf("%s %s (%s): Content-Type %q, want %s", method, c.path, c.accept, ct, c.contentType)
			}
			if c.has != "" && !strings.Contains(w.Body.String(), c.has) {
				t.Errorf("%s %s (%s): body lacks %q", method, c.path, c.accept, c.has)
			}
			if req.Pattern != pattern {
				t.Errorf("%s %s matched route %q, want %q", method, c.path, req.Pattern, pattern)
			}
		}
	}
}
