package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/demo"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/server"
)

func open(t *testing.T) (*server.App, demo.Services) {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	app, err := server.Open(context.Background(), cfg, server.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	return app, demo.Services{Store: app.Store, Media: app.Media, Auth: app.Auth, Orgs: app.Orgs}
}

func TestSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, svc := open(t)
	now := time.Now()
	svc.Now = func() time.Time { return now }
	res, err := demo.Seed(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Org == nil || res.Org.Handle != demo.OrgHandle || res.Org.TimeZone != "Europe/Amsterdam" ||
		res.Org.Language != "nl" || len(res.Org.Links) != 2 || res.Org.Description == "" {
		t.Fatalf("result: %+v", res)
	}

	if len(res.Logins) != 2 {
		t.Fatalf("logins: %+v", res.Logins)
	}
	for _, l := range res.Logins {
		u, err := app.Auth.Authenticate(ctx, l.Email, l.Password)
		if err != nil {
			t.Fatalf("login %s with its printed password: %v", l.Email, err)
		}
		ms, err := app.Auth.Memberships(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		switch l.Email {
		case demo.AdminEmail:
			if !u.IsAdmin || len(ms) != 0 {
				t.Errorf("administrator: admin %v, memberships %+v", u.IsAdmin, ms)
			}
		case demo.EditorEmail:
			if u.IsAdmin || len(ms) != 1 || ms[0].Role != model.RoleEditor || ms[0].OrgID != res.Org.ID {
				t.Errorf("editor: admin %v, memberships %+v", u.IsAdmin, ms)
			}
		default:
			t.Errorf("unexpected login %s", l.Email)
		}
	}

	posts, err := app.Posts.List(ctx, res.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != res.Posts || len(posts) < 18 || len(posts) > 25 {
		t.Fatalf("%d posts stored, result says %d", len(posts), res.Posts)
	}
	var pinned, edited, withImages, withWarning, english int
	oldest := now
	for _, p := range posts {
		if p.State != model.StatePublished {
			t.Errorf("post %s is %s", p.ID, p.State)
		}
		if !p.PublishAt.Before(now) || p.PublishAt.Before(now.AddDate(0, 0, -31)) {
			t.Errorf("post %s published at %v, not within the last 30 days", p.ID, p.PublishAt)
		}
		if p.PublishAt.Before(oldest) {
			oldest = p.PublishAt
		}
		if p.Pinned {
			pinned++
		}
		if p.Edited() {
			edited++
			history, err := app.Posts.PublicHistory(ctx, p)
			if err != nil || len(history) != 2 || history[0].Text == history[1].Text {
				t.Errorf("public history of the edited post: %d revisions, %v", len(history), err)
			}
		} else if p.Revisions != 1 {
			t.Errorf("post %s has %d revisions and is not edited", p.ID, p.Revisions)
		}
		if len(p.Attachments) > 0 {
			withImages++
			ms, err := app.Posts.Media(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range p.Attachments {
				m := ms[a.MediaID]
				if m == nil || m.Width != 1200 || m.Height != 800 || len(m.Variants) == 0 {
					t.Errorf("media of post %s: %+v", p.ID, m)
				}
				if len(a.Alt) < 40 {
					t.Errorf("alt text %q does not describe the image", a.Alt)
				}
			}
		}
		if p.Summary != "" {
			withWarning++
		}
		if p.Language == "en" {
			english++
		}
		if !strings.Contains(p.Text, "**") || len(p.Text) < 150 {
			t.Errorf("post %s is not a few sentences of Markdown: %q", p.ID, p.Text)
		}
		revs, err := app.Store.Revisions(ctx, p.ID)
		if err != nil || len(revs) == 0 || revs[0].Editor != "Redactie Gemeente Demodorp" {
			t.Errorf("post %s is not written by the editor: %+v, %v", p.ID, revs, err)
		}
	}
	if pinned != 1 || edited != 1 || withImages != 4 || withWarning != 1 || english < 3 {
		t.Errorf("pinned %d, edited %d, with images %d, with a content warning %d, in English %d; want 1, 1, 4, 1, at least 3",
			pinned, edited, withImages, withWarning, english)
	}
	if now.Sub(oldest) < 25*24*time.Hour {
		t.Errorf("the oldest post is from %v: posts are not spread over the past weeks", oldest)
	}

	// A second run changes nothing.
	again, err := demo.Seed(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || len(again.Logins) != 0 || again.Posts != 0 {
		t.Errorf("second run: %+v", again)
	}
	after, err := app.Posts.List(ctx, res.Org.ID)
	if err != nil || len(after) != len(posts) {
		t.Errorf("second run: %d posts before, %d after (%v)", len(posts), len(after), err)
	}
	users, err := app.Auth.ListUsers(ctx, auth.Operator())
	if err != nil || len(users) != 2 {
		t.Errorf("second run: %d users (%v)", len(users), err)
	}
}

func TestSeedLeavesAnInstallationAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	app, svc := open(t)
	o, err := app.Orgs.Create(ctx, auth.Operator(), "waterschap", org.Profile{DisplayName: "Waterschap"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Seed(ctx, svc)
	if err != nil || res.Created {
		t.Fatalf("Seed: %+v, %v", res, err)
	}
	orgs, err := app.Orgs.List(ctx)
	if err != nil || len(orgs) != 1 || orgs[0].ID != o.ID {
		t.Errorf("organisations after Seed: %v, %v", orgs, err)
	}
	users, err := app.Auth.ListUsers(ctx, auth.Operator())
	if err != nil || len(users) != 0 {
		t.Errorf("users after Seed: %d, %v", len(users), err)
	}
}
