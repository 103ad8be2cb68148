package crosspost_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/bluesky"
	"plein/internal/crosspost"
	"plein/internal/keyring"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// record is an app.bsky.feed.post as read back from the PDS.
type record struct {
	Text   string          `json:"text"`
	Langs  []string        `json:"langs"`
	Facets []bluesky.Facet `json:"facets"`
	Embed  struct {
		Type   string `json:"$type"`
		Images []struct {
			Alt         string `json:"alt"`
			AspectRatio struct {
				Width  int `json:"width"`
				Height int `json:"height"`
			} `json:"aspectRatio"`
			Image struct {
				MimeType string `json:"mimeType"`
				Size     int    `json:"size"`
			} `json:"image"`
		} `json:"images"`
		External struct {
			URI string `json:"uri"`
		} `json:"external"`
	} `json:"embed"`
	Reply *bluesky.ReplyRef `json:"reply"`
}

// fixture is a Plein server whose organisation is connected to an
// account on the test PDS.
type fixture struct {
	srv    *pleintest.Server
	org    *model.Org
	pds    *pleintest.PDS
	reader *bluesky.Client
	// appPassword is the app password the organisation gave.
	appPassword string
}

// TestPublishToPDS publishes posts of an organisation to an account on a
// real PDS and reads the records back: facets, images with their alt
// text, a long post cut with a link card, an edit as a reply, a deletion,
// and the app password kept sealed.
func TestPublishToPDS(t *testing.T) {
	pds := pleintest.StartPDS(t)
	for i, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			f := connect(t, pds, engine, fmt.Sprintf("kampen%d", i))
			ctx := context.Background()

			f.checkSealed(t)

			p, err := f.srv.App.Posts.Create(ctx, auth.Operator(), f.org.ID, post.Input{
				Text:   "Hoogwater bij de IJssel 🌊, zie https://www.kampen.nl/water #hoogwater",
				Images: []post.ImageInput{{Upload: bytes.NewReader(photo(t)), Alt: "De IJsselkade onder water"}},
			}, post.When{})
			if err != nil {
				t.Fatal(err)
			}
			bp := f.waitState(t, p.ID, model.BlueskyPublished)
			r := f.read(t, bp.URI)
			text := "Hoogwater bij de IJssel 🌊, zie https://www.kampen.nl/water #hoogwater"
			if r.Text != text || len(r.Langs) != 1 || r.Langs[0] != "nl" {
				t.Errorf("record text %q langs %v", r.Text, r.Langs)
			}
			link := strings.Index(text, "https://")
			tag := strings.Index(text, "#hoogwater")
			want := []bluesky.Facet{
				{Index: bluesky.ByteSlice{ByteStart: link, ByteEnd: link + len("https://www.kampen.nl/water")},
					Features: []bluesky.Feature{{Type: "app.bsky.richtext.facet#link", URI: "https://www.kampen.nl/water"}}},
				{Index: bluesky.ByteSlice{ByteStart: tag, ByteEnd: tag + len("#hoogwater")},
					Features: []bluesky.Feature{{Type: "app.bsky.richtext.facet#tag", Tag: "hoogwater"}}},
			}
			if fmt.Sprint(r.Facets) != fmt.Sprint(want) {
				t.Errorf("facets = %+v, want %+v", r.Facets, want)
			}
			if r.Embed.Type != "app.bsky.embed.images" || len(r.Embed.Images) != 1 ||
				r.Embed.Images[0].Alt != "De IJsselkade onder water" || r.Embed.Images[0].Image.MimeType != "image/jpeg" ||
				r.Embed.Images[0].AspectRatio.Width != 640 || r.Embed.Images[0].AspectRatio.Height != 480 {
				t.Errorf("embed = %+v", r.Embed)
			}

			// An edit under the default policy: a correction as a reply.
			if _, err := f.srv.App.Posts.Edit(ctx, auth.Operator(), p.ID, post.Input{Text: "Hoogwater bij de IJssel, zie https://www.kampen.nl/water #hoogwater",
				Images: []post.ImageInput{{MediaID: p.Attachments[0].MediaID, Alt: "De IJsselkade onder water"}}}); err != nil {
				t.Fatal(err)
			}
			var edited *model.BlueskyPost
			pleintest.Eventually(t, 30*time.Second, func() error {
				edited = f.state(t, p.ID)
				if len(edited.Replies) != 1 || edited.State != model.BlueskyPublished {
					return fmt.Errorf("state %+v: no correction yet", edited)
				}
				return nil
			})
			reply := f.read(t, edited.Replies[0].URI)
			if reply.Reply == nil || reply.Reply.Root.URI != bp.URI || reply.Reply.Parent.URI != bp.URI ||
				!strings.HasPrefix(reply.Text, "Correctie: Hoogwater bij de IJssel, zie") {
				t.Errorf("correction = %q replying to %+v; want a reply to %s", reply.Text, reply.Reply, bp.URI)
			}

			// A post of 301 graphemes: cut, with a link card.
			long := strings.Repeat("dijk ", 60) + "x"
			lp, err := f.srv.App.Posts.Create(ctx, auth.Operator(), f.org.ID, post.Input{Text: long}, post.When{})
			if err != nil {
				t.Fatal(err)
			}
			lr := f.read(t, f.waitState(t, lp.ID, model.BlueskyPublished).URI)
			if !strings.HasSuffix(lr.Text, "dijk…") || len([]rune(lr.Text)) > bluesky.MaxGraphemes ||
				lr.Embed.Type != "app.bsky.embed.external" || lr.Embed.External.URI != f.srv.URL+"/posts/"+lp.ID {
				t.Errorf("long post became %q (%d runes) with embed %+v", lr.Text, len([]rune(lr.Text)), lr.Embed)
			}

			// A deletion removes the record and its correction.
			if _, err := f.srv.App.Posts.Delete(ctx, auth.Operator(), p.ID); err != nil {
				t.Fatal(err)
			}
			f.waitState(t, p.ID, model.BlueskyDeleted)
			for _, uri := range []string{bp.URI, edited.Replies[0].URI} {
				if _, err := f.reader.GetRecord(ctx, f.pds.URL, uri); !errors.Is(err, bluesky.ErrRejected) {
					t.Errorf("record %s after deletion: %v; want it gone", uri, err)
				}
			}
		})
	}
}

// TestRepublishPolicy edits a post of an organisation whose policy is
// republish: the first record is deleted and a new one holds the new text.
func TestRepublishPolicy(t *testing.T) {
	pds := pleintest.StartPDS(t)
	f := connect(t, pds, storetest.Engines()[0], "deventer")
	ctx := context.Background()
	if err := f.srv.App.Crosspost.SetEditPolicy(ctx, auth.Operator(), f.org.ID, model.BlueskyEditRepublish); err != nil {
		t.Fatal(err)
	}
	p := f.srv.Post(t, f.org, "De markt is op zaterdag.")
	first := f.waitState(t, p.ID, model.BlueskyPublished)
	if _, err := f.srv.App.Posts.Edit(ctx, auth.Operator(), p.ID, post.Input{Text: "De markt is op vrijdag."}); err != nil {
		t.Fatal(err)
	}
	var again *model.BlueskyPost
	pleintest.Eventually(t, 30*time.Second, func() error {
		again = f.state(t, p.ID)
		if again.URI == first.URI || again.URI == "" || again.State != model.BlueskyPublished {
			return fmt.Errorf("state %+v: not posted again yet", again)
		}
		return nil
	})
	if r := f.read(t, again.URI); r.Text != "De markt is op vrijdag." || r.Reply != nil || len(again.Replies) != 0 {
		t.Errorf("republished record %q, reply %+v, replies %v", r.Text, r.Reply, again.Replies)
	}
	if _, err := f.reader.GetRecord(ctx, pds.URL, first.URI); !errors.Is(err, bluesky.ErrRejected) {
		t.Errorf("the first record after republishing: %v; want it gone", err)
	}
}

// TestPDSFailureIsRetried points a connection at a closed port: the job
// fails, the failure is kept for staff, and once the PDS answers again
// River's retry publishes the post.
func TestPDSFailureIsRetried(t *testing.T) {
	pds := pleintest.StartPDS(t)
	engine := storetest.Engines()[0]
	f := connect(t, pds, engine, "zwolle")
	ctx := context.Background()
	a, err := f.srv.App.Store.BlueskyAccount(ctx, f.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	working := *a
	a.PDS = closedPort(t)
	if err := f.srv.App.Store.PutBlueskyAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	p := f.srv.Post(t, f.org, "Het stadhuis is vandaag gesloten.")
	failing := f.waitState(t, p.ID, model.BlueskyFailing)
	if failing.Error != crosspost.FailureServer || failing.Attempts != 1 || failing.URI != "" {
		t.Errorf("failing state = %+v; want one failure of kind %q", failing, crosspost.FailureServer)
	}
	if err := f.srv.App.Store.PutBlueskyAccount(ctx, &working); err != nil {
		t.Fatal(err)
	}
	// River retries the job with its backoff (a second after the first
	// failure): now the PDS answers.
	done := f.waitState(t, p.ID, model.BlueskyPublished)
	if done.Error != "" || done.Attempts != 0 {
		t.Errorf("after the retry: %+v", done)
	}
	if r := f.read(t, done.URI); r.Text != "Het stadhuis is vandaag gesloten." {
		t.Errorf("record text %q", r.Text)
	}
}

// TestConnectRefused checks that a wrong app password or a closed port
// store nothing and say why in both languages.
func TestConnectRefused(t *testing.T) {
	pds := pleintest.StartPDS(t)
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	o := srv.Org(t, "urk")
	did, handle := pds.CreateAccount(t, "urk", "hunter2-urk")
	appPassword := pds.CreateAppPassword(t, did, "hunter2-urk", "Plein")
	ctx := context.Background()
	for _, tc := range []struct {
		name, pds, password, field string
	}{
		{"wrong password", pds.URL, "wrong-password", crosspost.FieldPassword},
		{"account password of another account", pds.URL, "hunter2-kampen", crosspost.FieldPassword},
		{"closed port", closedPort(t), appPassword, crosspost.FieldPDS},
	} {
		_, err := srv.App.Crosspost.Connect(ctx, auth.Operator(), o.ID, crosspost.Connection{PDS: tc.pds, Handle: handle, Password: tc.password})
		fe, ok := model.AsFieldError(err)
		if !ok || fe.Field != tc.field || fe.In("nl") == fe.In("en") || strings.Contains(fe.In("en"), "bluesky:") {
			t.Errorf("%s: %v; want a refusal of %s in Dutch and English", tc.name, err, tc.field)
		}
		if a, err := srv.App.Crosspost.Account(ctx, o.ID); a != nil || err != nil {
			t.Errorf("%s: stored %+v, %v", tc.name, a, err)
		}
	}
}

func connect(t *testing.T, pds *pleintest.PDS, engine storetest.Engine, name string) *fixture {
	t.Helper()
	srv := pleintest.NewServer(t, engine)
	o := srv.Org(t, name)
	did, handle := pds.CreateAccount(t, name, "hunter2-"+name)
	appPassword := pds.CreateAppPassword(t, did, "hunter2-"+name, "Plein")
	a, err := srv.App.Crosspost.Connect(context.Background(), auth.Operator(), o.ID,
		crosspost.Connection{PDS: pds.URL, Handle: "@" + handle, Password: appPassword})
	if err != nil {
		t.Fatal(err)
	}
	if a.DID != did || a.Handle != handle || a.Password != "" || a.EditPolicy != model.BlueskyEditReply {
		t.Fatalf("connection = %+v", a)
	}
	return &fixture{srv: srv, org: o, pds: pds, reader: bluesky.New(http.DefaultClient), appPassword: appPassword}
}

// checkSealed reads the stored connection: the app password is not in it.
func (f *fixture) checkSealed(t *testing.T) {
	t.Helper()
	a, err := f.srv.App.Store.BlueskyAccount(context.Background(), f.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Password == "" || strings.Contains(a.Password, f.appPassword) || strings.Contains(a.Password, strings.ReplaceAll(f.appPassword, "-", "")) {
		t.Errorf("stored password column %q holds the app password %q or nothing", a.Password, f.appPassword)
	}
	box := keyring.NewBox("bluesky", "", f.srv.Conf.BlueskyKeyPath())
	if got, err := box.Open(f.org.ID, a.Password); err != nil || got != f.appPassword {
		t.Errorf("the stored column does not open to the app password with the installation's key: %v", err)
	}
}

func (f *fixture) state(t *testing.T, postID string) *model.BlueskyPost {
	t.Helper()
	bp, err := f.srv.App.Crosspost.PostState(context.Background(), postID)
	if err != nil || bp == nil {
		t.Fatalf("state of %s: %+v, %v", postID, bp, err)
	}
	return bp
}

func (f *fixture) waitState(t *testing.T, postID, state string) *model.BlueskyPost {
	t.Helper()
	var bp *model.BlueskyPost
	pleintest.Eventually(t, 30*time.Second, func() error {
		bp = f.state(t, postID)
		if bp.State != state {
			return fmt.Errorf("state %q (error %q), want %q", bp.State, bp.Error, state)
		}
		return nil
	})
	return bp
}

func (f *fixture) read(t *testing.T, uri string) record {
	t.Helper()
	rec, err := f.reader.GetRecord(context.Background(), f.pds.URL, uri)
	if err != nil {
		t.Fatalf("reading %s: %v", uri, err)
	}
	var r record
	if err := json.Unmarshal(rec.Value, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// closedPort returns the address of a loopback port nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// photo returns a 640×480 JPEG.
func photo(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := range 480 {
		for x := range 640 {
			m.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 0xff})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
