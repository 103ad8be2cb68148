package post_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

func jpegBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 300, 200))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(0, 0, color.White)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func forEachEngine(t *testing.T, fn func(t *testing.T, srv *pleintest.Server)) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, pleintest.NewServer(t, e))
		})
	}
}

// forEachEngineOnClock is forEachEngine with a server that reads a clock
// the test moves by hand, starting at the current time.
func forEachEngineOnClock(t *testing.T, fn func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock)) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			clock := pleintest.NewClock(time.Now())
			fn(t, pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now}), clock)
		})
	}
}

func countPosts(t *testing.T, srv *pleintest.Server, orgID string) int {
	t.Helper()
	ps, err := srv.App.Posts.List(context.Background(), orgID)
	if err != nil {
		t.Fatal(err)
	}
	return len(ps)
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// TestBadInput proves that each bad input is refused with an error that
// names the field, and that nothing is stored.
func TestBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server) {
		ctx := context.Background()
		o := srv.Org(t, "zwolle")
		existing := srv.Post(t, o, "Een bestaand bericht")
		img := jpegBytes(t)
		five := make([]post.ImageInput, 5)
		for i := range five {
			five[i] = post.ImageInput{Upload: bytes.NewReader(img), Alt: "foto"}
		}
		for _, tc := range []struct {
			name  string
			in    post.Input
			when  post.When
			field string
			msg   string
		}{
			{"image without alt text", post.Input{Text: "Kijk", Images: []post.ImageInput{{Upload: bytes.NewReader(img), Name: "brug.jpg"}}}, post.When{}, "alt", "brug.jpg has no alt text"},
			{"blank alt text", post.Input{Text: "Kijk", Images: []post.ImageInput{{Upload: bytes.NewReader(img), Alt: "   "}}}, post.When{}, "alt", "no alt text"},
			{"not an image", post.Input{Text: "Kijk", Images: []post.ImageInput{{Upload: strings.NewReader("%PDF-1.7 not an image"), Name: "brief.pdf", Alt: "brief"}}}, post.When{}, "image", "brief.pdf is not an image Plein can read (PNG, JPEG, GIF or WebP)"},
			{"damaged PNG", post.Input{Text: "Kijk", Images: []post.ImageInput{{Upload: bytes.NewReader(pleintest.BrokenPNG(t)), Name: "kapot.png", Alt: "kapot"}}}, post.When{}, "image", "kapot.png is damaged or incomplete"},
			{"oversized upload", post.Input{Text: "Kijk", Images: []post.ImageInput{{Upload: io.MultiReader(bytes.NewReader(img), bytes.NewReader(make([]byte, 11<<20))), Name: "groot.jpg", Alt: "groot"}}}, post.When{}, "image", "groot.jpg"},
			{"five images", post.Input{Text: "Kijk", Images: five}, post.When{}, "image", "at most 4"},
			{"empty text", post.Input{Text: "  \n "}, post.When{}, "text", "needs text"},
			{"text over the limit", post.Input{Text: strings.Repeat("a", post.MaxTextLength+1)}, post.When{}, "text", "the limit is 10000"},
			{"content warning over the limit", post.Input{Text: "x", Summary: strings.Repeat("b", 501)}, post.When{}, "summary", "limit is 500"},
			{"bad language", post.Input{Text: "x", Language: "not a language!"}, post.When{}, "language", "not a language code"},
			{"schedule in the past", post.Input{Text: "x"}, post.When{At: time.Now().Add(-time.Hour)}, "at", "in the past"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, files := countPosts(t, srv, o.ID), countFiles(t, srv.Dir+"/media")
				_, err := srv.App.Posts.Create(ctx, auth.Operator(), o.ID, tc.in, tc.when)
				fe, ok := model.AsFieldError(err)
				if !ok {
					t.Fatalf("error %v, want a field error", err)
				}
				if fe.Field != tc.field || !strings.Contains(fe.In("en"), tc.msg) {
					t.Errorf("error %q on %s, want %q on %s", fe.In("en"), fe.Field, tc.msg, tc.field)
				}
				// The decoder's own words (png: invalid format: ...) never
				// reach the person, in either language.
				for _, lang := range []string{"nl", "en"} {
					if msg := fe.In(lang); strings.Contains(msg, "png:") || strings.Contains(msg, "invalid format") || strings.Contains(msg, "media:") {
						t.Errorf("%s message %q shows a decoder's text", lang, msg)
					}
				}
				if after := countPosts(t, srv, o.ID); after != before {
					t.Errorf("%d posts after the refusal, want %d", after, before)
				}
				if after := countFiles(t, srv.Dir+"/media"); after != files {
					t.Errorf("%d media files after the refusal, want %d", after, files)
				}
			})
		}
		got, err := srv.App.Posts.Get(ctx, existing.ID)
		if err != nil || got.Text != "Een bestaand bericht" {
			t.Fatalf("existing post after refusals: %v %v", got, err)
		}
	})
}

func TestRoles(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server) {
		ctx := context.Background()
		o := srv.Org(t, "utrecht")
		other := srv.Org(t, "elders")
		a := srv.App.Auth
		for _, tc := range []struct {
			email string
			role  model.Role
		}{{"editor@utrecht.nl", model.RoleEditor}, {"analyst@utrecht.nl", model.RoleAnalyst}, {"admin@utrecht.nl", model.RoleAdmin}, {"mod@utrecht.nl", model.RoleModerator}} {
			if _, _, err := a.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: tc.email}); err != nil {
				t.Fatal(err)
			}
			if err := a.AddToOrg(ctx, auth.Operator(), o.ID, tc.email, tc.role); err != nil {
				t.Fatal(err)
			}
		}
		actor := func(email string) auth.Actor {
			act, err := a.ActorFor(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			return act
		}
		for _, tc := range []struct {
			email string
			orgID string
			ok    bool
		}{
			{"editor@utrecht.nl", o.ID, true},
			{"admin@utrecht.nl", o.ID, true},
			{"analyst@utrecht.nl", o.ID, false},
			{"mod@utrecht.nl", o.ID, false},
			{"editor@utrecht.nl", other.ID, false},
		} {
			_, err := srv.App.Posts.Create(ctx, actor(tc.email), tc.orgID, post.Input{Text: "Bericht"}, post.When{})
			if tc.ok && err != nil || !tc.ok && !errors.Is(err, model.ErrForbidden) {
				t.Errorf("%s publishing: %v, want allowed=%v", tc.email, err, tc.ok)
			}
		}
		p := srv.Post(t, o, "Te wissen")
		if err := srv.App.Posts.Purge(ctx, actor("admin@utrecht.nl"), p.ID); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("organisation admin purging: %v, want forbidden (instance administrators only)", err)
		}
		if _, _, err := a.CreateUser(ctx, actor("admin@utrecht.nl"), auth.NewUser{Email: "x@y.nl"}); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("organisation admin creating accounts: %v, want forbidden", err)
		}
	})
}

func TestLifecycle(t *testing.T) {
	forEachEngineOnClock(t, func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock) {
		ctx := context.Background()
		op := auth.Operator()
		o := srv.Org(t, "leiden")
		p, err := srv.App.Posts.Create(ctx, op, o.ID, post.Input{Text: "Eerste versie",
			Images: []post.ImageInput{{Upload: bytes.NewReader(jpegBytes(t)), Alt: "De Burcht"}}}, post.When{Draft: true})
		if err != nil {
			t.Fatal(err)
		}
		if p.State != model.StateDraft || p.Edited() {
			t.Fatalf("draft: %s edited=%v", p.State, p.Edited())
		}
		if p, err = srv.App.Posts.Edit(ctx, op, p.ID, post.Input{Text: "Tweede versie",
			Images: []post.ImageInput{{MediaID: p.Attachments[0].MediaID, Alt: "De Burcht in de zon"}}}); err != nil {
			t.Fatal(err)
		}
		if p, err = srv.App.Posts.Publish(ctx, op, p.ID, post.When{}); err != nil {
			t.Fatal(err)
		}
		if p.State != model.StatePublished || p.Edited() {
			t.Fatalf("published draft: %s edited=%v (edits before publication are not public edits)", p.State, p.Edited())
		}
		hist, err := srv.App.Posts.PublicHistory(ctx, p)
		if err != nil || len(hist) != 1 || hist[0].Text != "Tweede versie" {
			t.Fatalf("public history after publishing: %+v %v", hist, err)
		}
		clock.Advance(time.Minute) // an edit after publication is a public edit
		if p, err = srv.App.Posts.Edit(ctx, op, p.ID, post.Input{Text: "Derde versie",
			Images: []post.ImageInput{{MediaID: p.Attachments[0].MediaID, Alt: "De Burcht in de zon"}}}); err != nil {
			t.Fatal(err)
		}
		if !p.Edited() || p.Attachments[0].Alt != "De Burcht in de zon" {
			t.Fatalf("after edit: %+v", p)
		}
		same, err := srv.App.Posts.Edit(ctx, op, p.ID, post.Input{Text: "Derde versie",
			Images: []post.ImageInput{{MediaID: p.Attachments[0].MediaID, Alt: "De Burcht in de zon"}}})
		if err != nil || same.Revisions != p.Revisions {
			t.Fatalf("saving without a change made revision %d (was %d): %v", same.Revisions, p.Revisions, err)
		}
		if hist, _ = srv.App.Posts.PublicHistory(ctx, p); len(hist) != 2 || hist[1].Editor != "operator (command line)" {
			t.Fatalf("public history: %+v", hist)
		}
		if _, err := srv.App.Posts.Edit(ctx, op, p.ID, post.Input{Text: "x",
			Images: []post.ImageInput{{MediaID: "01jd0000000000000000000000", Alt: "vreemd"}}}); err == nil {
			t.Fatal("keeping an image the post does not have was accepted")
		}
		if p, err = srv.App.Posts.Delete(ctx, op, p.ID); err != nil || p.State != model.StateDeleted {
			t.Fatalf("delete: %v %v", p, err)
		}
		revs, err := srv.App.Store.Revisions(ctx, p.ID)
		if err != nil || len(revs) != 3 {
			t.Fatalf("archive after delete: %d revisions %v, want all 3 kept", len(revs), err)
		}
		if countFiles(t, srv.Dir+"/media") == 0 {
			t.Fatal("image files gone after a delete; only purge removes them")
		}
		if err := srv.App.Posts.Purge(ctx, op, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := srv.App.Posts.Get(ctx, p.ID); !errors.Is(err, post.ErrNotFound) {
			t.Fatalf("purged post: %v", err)
		}
		if revs, _ := srv.App.Store.Revisions(ctx, p.ID); len(revs) != 0 {
			t.Fatalf("purge left %d revisions", len(revs))
		}
		if n := countFiles(t, srv.Dir+"/media"); n != 0 {
			t.Fatalf("purge left %d media files", n)
		}
	})
}

func TestUploadThenAttach(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server) {
		ctx := context.Background()
		op := auth.Operator()
		o, other := srv.Org(t, "delft"), srv.Org(t, "gouda")
		m, err := srv.App.Posts.Upload(ctx, op, o.ID, post.ImageInput{Upload: bytes.NewReader(jpegBytes(t)), Name: "molen.jpg"})
		if err != nil {
			t.Fatal(err)
		}
		foreign, err := srv.App.Posts.Upload(ctx, op, other.ID, post.ImageInput{Upload: bytes.NewReader(jpegBytes(t))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.App.Posts.Create(ctx, op, o.ID, post.Input{Text: "x",
			Images: []post.ImageInput{{MediaID: foreign.ID, Alt: "kaas"}}}, post.When{}); err == nil {
			t.Fatal("another organisation's upload was attached")
		}
		p, err := srv.App.Posts.Create(ctx, op, o.ID, post.Input{Text: "De molen draait",
			Images: []post.ImageInput{{MediaID: m.ID, Alt: "Een molen"}}}, post.When{})
		if err != nil || len(p.Attachments) != 1 || p.Attachments[0].MediaID != m.ID {
			t.Fatalf("create with an upload: %+v %v", p, err)
		}
		_, err = srv.App.Posts.Create(ctx, op, o.ID, post.Input{Text: "Nog eens",
			Images: []post.ImageInput{{MediaID: m.ID, Alt: "Een molen"}}}, post.When{})
		if fe, ok := model.AsFieldError(err); !ok || fe.Field != "image" {
			t.Fatalf("attaching an image of another post: %v", err)
		}
		log, err := srv.App.Auth.AuditLog(ctx, op, o.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 2 || log[0].Action != "post.create.published" || log[0].Target != p.ID || log[1].Action != "org.create" {
			t.Fatalf("audit log = %+v", log)
		}
	})
}
