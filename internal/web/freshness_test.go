package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/server"
	"plein/internal/store/storetest"
)

// change is one kind of change made by another process, and what the first
// reader of each affected address must get afterwards.
type change struct {
	name string
	// make changes public content through app, a process other than the
	// server's, and returns the checks of the first reads after it.
	make func(t *testing.T, app *server.App, env *freshEnv) []firstRead
}

// firstRead is one request and what its response must show.
type firstRead struct {
	path   string
	accept string // empty: a browser's
	status int
	has    string // the body contains this
	hasNot string // the body does not contain this; may be empty
}

// freshEnv is an organisation with a post whose pages have been read, so
// that every one of them is cached before the change.
type freshEnv struct {
	org  *model.Org
	post *model.Post
	fed  *pleintest.Fediverse
	srv  *pleintest.Server
}

const activityAccept = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

func freshChanges() []change {
	op := auth.Operator()
	ctx := context.Background()
	return []change{
		{"publish", func(t *testing.T, app *server.App, env *freshEnv) []firstRead {
			p, err := app.Posts.Create(ctx, op, env.org.ID, post.Input{Text: "Nieuw: de pont vaart weer #veer"}, post.When{})
			if err != nil {
				t.Fatal(err)
			}
			return []firstRead{
				{path: "/@fresh", status: 200, has: "de pont vaart weer"},
				{path: "/@fresh/feed.atom", status: 200, has: "de pont vaart weer"},
				{path: "/@fresh/feed.json", status: 200, has: "de pont vaart weer"},
				{path: "/feed.rss", status: 200, has: "de pont vaart weer"},
				{path: "/@fresh/tags/veer", status: 200, has: "de pont vaart weer"},
				{path: "/@fresh/tags/veer/feed.atom", status: 200, has: "de pont vaart weer"},
				{path: "/@fresh/" + p.ID, status: 200, has: "de pont vaart weer"},
				{path: "/orgs/" + env.org.ID + "/outbox?page=true", accept: activityAccept, status: 200, has: p.ID},
			}
		}},
		{"edit", func(t *testing.T, app *server.App, env *freshEnv) []firstRead {
			if _, err := app.Posts.Edit(ctx, op, env.post.ID, post.Input{Text: "De brug is weer open #brug"}); err != nil {
				t.Fatal(err)
			}
			path := "/@fresh/" + env.post.ID
			return []firstRead{
				{path: path, status: 200, has: "De brug is weer open", hasNot: "De brug is dicht"},
				{path: path, accept: activityAccept, status: 200, has: "De brug is weer open"},
				{path: path + "/history", status: 200, has: "De brug is weer open"},
				{path: "/@fresh", status: 200, has: "De brug is weer open", hasNot: "De brug is dicht"},
				{path: "/@fresh/feed.rss", status: 200, has: "De brug is weer open"},
			}
		}},
		{"delete", func(t *testing.T, app *server.App, env *freshEnv) []firstRead {
			if _, err := app.Posts.Delete(ctx, op, env.post.ID); err != nil {
				t.Fatal(err)
			}
			path := "/@fresh/" + env.post.ID
			return []firstRead{
				{path: path, status: http.StatusGone, hasNot: "De brug is dicht"},
				{path: path, accept: activityAccept, status: http.StatusGone, has: "Tombstone"},
				{path: "/posts/" + env.post.ID, accept: activityAccept, status: http.StatusGone, has: "Tombstone"},
				{path: "/@fresh", status: 200, hasNot: "De brug is dicht"},
				{path: "/@fresh/feed.atom", status: 200, hasNot: "De brug is dicht"},
				{path: "/@fresh/tags/brug", status: 200, hasNot: "De brug is dicht"},
			}
		}},
		{"profile", func(t *testing.T, app *server.App, env *freshEnv) []firstRead {
			if _, err := app.Orgs.UpdateProfile(ctx, op, env.org.ID, org.Profile{DisplayName: "Waterschap Vers",
				Description: "Nieuwe beschrijving", Language: "nl"}); err != nil {
				t.Fatal(err)
			}
			return []firstRead{
				{path: "/@fresh", status: 200, has: "Waterschap Vers"},
				{path: "/@fresh", accept: activityAccept, status: 200, has: "Waterschap Vers"},
				{path: "/", status: 200, has: "Waterschap Vers"},
				{path: "/@fresh/" + env.post.ID, status: 200, has: "Waterschap Vers"},
				{path: "/@fresh/feed.atom", status: 200, has: "Waterschap Vers"},
				{path: "/@fresh/privacy", status: 200, has: "Waterschap Vers"},
			}
		}},
		{"follow", func(t *testing.T, app *server.App, env *freshEnv) []firstRead {
			a := env.fed.NewActor(t, "volger")
			actorID := env.srv.URL + "/orgs/" + env.org.ID
			if status := a.Send(t, actorID+"/inbox", a.Follow(actorID)); status != http.StatusAccepted {
				t.Fatalf("follow: %d", status)
			}
			return []firstRead{
				{path: "/orgs/" + env.org.ID + "/followers", accept: activityAccept, status: 200, has: `"totalItems":1`},
			}
		}},
	}
}

// TestFirstReadAfterChange reads every page once, makes a change in
// another process (as the command line does), waits until the server has
// seen it (the change version, not a sleep), and checks that the very
// first request for each affected page gets the new version.
func TestFirstReadAfterChange(t *testing.T) {
	for _, c := range freshChanges() {
		forEachEngine(t, func(t *testing.T, e storetest.Engine) {
			t.Run(c.name, func(t *testing.T) {
				env := newFreshEnv(t, e)
				reads := c.make(t, env.srv.Open(t), env)
				env.srv.WaitFresh(t)
				for _, r := range reads {
					checkFirstRead(t, env.srv, r)
				}
			})
		})
	}
}

// TestFirstReadOnEveryNode runs the changes against two nodes on one
// PostgreSQL database: each node's first reader after it has seen the
// change gets the new version.
func TestFirstReadOnEveryNode(t *testing.T) {
	e := storetest.Engines()[1] // PostgreSQL: skipped when unreachable, required in CI
	for _, c := range freshChanges() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newFreshEnv(t, e)
			nodeB := pleintest.NewServer(t, e, func(cfg *config.Config) {
				cfg.Database, cfg.BaseURL = env.srv.Conf.Database, env.srv.URL
			})
			readAll(t, nodeB, env)
			reads := c.make(t, env.srv.Open(t), env)
			for _, node := range []*pleintest.Server{env.srv, nodeB} {
				node.WaitFresh(t)
				for _, r := range reads {
					checkFirstRead(t, node, r)
				}
			}
		})
	}
}

func newFreshEnv(t *testing.T, e storetest.Engine) *freshEnv {
	t.Helper()
	env := &freshEnv{srv: pleintest.NewServer(t, e), fed: pleintest.NewFediverse(t)}
	env.org = env.srv.Org(t, "fresh")
	env.post = env.srv.Post(t, env.org, "De brug is dicht #brug")
	readAll(t, env.srv, env)
	return env
}

// readAll reads every page a change may affect, so that each is cached.
func readAll(t *testing.T, srv *pleintest.Server, env *freshEnv) {
	t.Helper()
	o, p := env.org, env.post
	for _, r := range []firstRead{
		{path: "/"}, {path: "/feed.rss"}, {path: "/@fresh"}, {path: "/@fresh", accept: activityAccept},
		{path: "/@fresh/feed.atom"}, {path: "/@fresh/feed.rss"}, {path: "/@fresh/feed.json"},
		{path: "/@fresh/privacy"}, {path: "/@fresh/tags/brug"}, {path: "/@fresh/tags/veer"},
		{path: "/@fresh/tags/veer/feed.atom"},
		{path: "/@fresh/" + p.ID}, {path: "/@fresh/" + p.ID, accept: activityAccept}, {path: "/@fresh/" + p.ID + "/history"},
		{path: "/posts/" + p.ID, accept: activityAccept},
		{path: "/orgs/" + o.ID + "/outbox?page=true", accept: activityAccept},
		{path: "/orgs/" + o.ID + "/followers", accept: activityAccept},
	} {
		resp, _ := get(t, srv, r)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s before the change: %d", r.path, resp.StatusCode)
		}
	}
}

func get(t *testing.T, srv *pleintest.Server, r firstRead) (*http.Response, string) {
	t.Helper()
	var header []string
	if r.accept != "" {
		header = []string{"Accept", r.accept}
	}
	resp, body := srv.Get(t, r.path, header...)
	return resp, string(body)
}

func checkFirstRead(t *testing.T, srv *pleintest.Server, r firstRead) {
	t.Helper()
	resp, body := get(t, srv, r)
	if resp.StatusCode != r.status {
		t.Errorf("first GET %s (%s) after the change: status %d, want %d", r.path, r.accept, resp.StatusCode, r.status)
	}
	if r.has != "" && !strings.Contains(body, r.has) {
		t.Errorf("first GET %s (%s) after the change lacks %q", r.path, r.accept, r.has)
	}
	if r.hasNot != "" && strings.Contains(body, r.hasNot) {
		t.Errorf("first GET %s (%s) after the change still shows %q", r.path, r.accept, r.hasNot)
	}
}
