package org_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/auth"
	"plein/internal/library"
	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/store"
	"plein/internal/store/storetest"
)

// rig is an organisation service on one engine, with its media folder.
type rig struct {
	st       store.Store
	auth     *auth.Service
	orgs     *org.Service
	mediaDir string
}

// profileChangedWorker lets the store accept the jobs the service enqueues;
// the tests never start working them.
type profileChangedWorker struct {
	river.WorkerDefaults[org.ProfileChangedArgs]
}

func (profileChangedWorker) Work(context.Context, *river.Job[org.ProfileChangedArgs]) error {
	return nil
}

func newRig(t *testing.T, e storetest.Engine) *rig {
	t.Helper()
	workers := river.NewWorkers()
	river.AddWorker(workers, profileChangedWorker{})
	st := e.Open(t, e.NewDatabase(t), workers)
	dir := t.TempDir()
	files, err := media.NewLocalStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { files.Close() })
	authz := auth.NewService(st, time.Now)
	return &rig{st: st, auth: authz, orgs: org.NewService(st, authz, library.New(files), time.Now), mediaDir: dir}
}

// member creates a staff account with role in o and returns its actor.
func (r *rig) member(t *testing.T, o *model.Org, email string, role model.Role) auth.Actor {
	t.Helper()
	ctx := context.Background()
	if _, _, err := r.auth.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: email}); err != nil {
		t.Fatal(err)
	}
	if err := r.auth.AddToOrg(ctx, auth.Operator(), o.ID, email, role); err != nil {
		t.Fatal(err)
	}
	actor, err := r.auth.ActorFor(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

// files counts the files in the media folder.
func (r *rig) files(t *testing.T) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(r.mediaDir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// banner returns a JPEG of a wide header image.
func banner(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 600, 200))
	for i := range img.Pix {
		img.Pix[i] = uint8(i / 7)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSetHeader sets, replaces and removes an organisation's header image
// and refuses what must be refused, on both engines.
func TestSetHeader(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			r := newRig(t, e)
			o, err := r.orgs.Create(ctx, auth.Operator(), "zwolle", org.Profile{DisplayName: "Gemeente Zwolle"})
			if err != nil {
				t.Fatal(err)
			}
			admin := r.member(t, o, "beheer@zwolle.nl", model.RoleAdmin)
			editor := r.member(t, o, "redactie@zwolle.nl", model.RoleEditor)
			img := banner(t)
			// The avatar stays whatever happens to the header.
			o, err = r.orgs.SetAvatar(ctx, auth.Operator(), o.ID, "logo.jpg", bytes.NewReader(img))
			if err != nil {
				t.Fatal(err)
			}
			avatarID := o.AvatarID

			for _, tc := range []struct {
				name    string
				actor   auth.Actor
				upload  io.Reader
				alt     string
				field   string // of the refusal; "" when accepted
				forbid  bool   // refused for the actor's role
				wantAlt string // alt text kept; "" for no header
				action  string // audit entry written
			}{
				{name: "set", actor: auth.Operator(), upload: bytes.NewReader(img), alt: "  De Thorbeckegracht in de ochtend ",
					wantAlt: "De Thorbeckegracht in de ochtend", action: "org.header.set"},
				{name: "replace by an admin of the organisation", actor: admin, upload: bytes.NewReader(img), alt: "De Sassenpoort",
					wantAlt: "De Sassenpoort", action: "org.header.set"},
				{name: "missing alt text", actor: auth.Operator(), upload: bytes.NewReader(img), field: "header_alt"},
				{name: "blank alt text", actor: auth.Operator(), upload: bytes.NewReader(img), alt: " \n\t", field: "header_alt"},
				{name: "alt text over the limit", actor: auth.Operator(), upload: bytes.NewReader(img),
					alt: strings.Repeat("é", org.MaxHeaderAltLength+1), field: "header_alt"},
				{name: "not an image", actor: auth.Operator(), upload: strings.NewReader("%PDF-1.7"), alt: "Een brief", field: "header"},
				{name: "editor may not set", actor: editor, upload: bytes.NewReader(img), alt: "De Peperbus", forbid: true},
				{name: "editor may not remove", actor: editor, forbid: true},
				{name: "remove", actor: auth.Operator(), action: "org.header.remove"},
				{name: "set again", actor: auth.Operator(), upload: bytes.NewReader(img), alt: "De Peperbus",
					wantAlt: "De Peperbus", action: "org.header.set"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					before, err := r.orgs.ByID(ctx, o.ID)
					if err != nil {
						t.Fatal(err)
					}
					oldHeader, err := r.orgs.Header(ctx, before)
					if err != nil {
						t.Fatal(err)
					}
					files, version := r.files(t), changeVersion(t, r.st)

					got, err := r.orgs.SetHeader(ctx, tc.actor, o.ID, "gracht.jpg", tc.upload, tc.alt)

					switch {
					case tc.forbid:
						if !errors.Is(err, model.ErrForbidden) {
							t.Fatalf("error %v, want ErrForbidden", err)
						}
					case tc.field != "":
						if fe, ok := model.AsFieldError(err); !ok || fe.Field != tc.field || !strings.Contains(fe.In("en"), "gracht.jpg") {
							t.Fatalf("error %v, want a field error on %s naming the file", err, tc.field)
						}
					case err != nil:
						t.Fatal(err)
					}
					if tc.forbid || tc.field != "" {
						after, err := r.orgs.ByID(ctx, o.ID)
						if err != nil {
							t.Fatal(err)
						}
						if after.HeaderID != before.HeaderID || after.HeaderAlt != before.HeaderAlt {
							t.Errorf("header %q (%q) after the refusal, want %q (%q)", after.HeaderID, after.HeaderAlt,
								before.HeaderID, before.HeaderAlt)
						}
						if n := r.files(t); n != files {
							t.Errorf("%d media files after the refusal, want %d", n, files)
						}
						return
					}

					if got.HeaderAlt != tc.wantAlt || (got.HeaderID == "") != (tc.wantAlt == "") || got.AvatarID != avatarID {
						t.Fatalf("header %q (%q), avatar %q; want alt %q and avatar %q", got.HeaderID, got.HeaderAlt,
							got.AvatarID, tc.wantAlt, avatarID)
					}
					stored, err := r.orgs.ByID(ctx, o.ID)
					if err != nil {
						t.Fatal(err)
					}
					if stored.HeaderID != got.HeaderID || stored.HeaderAlt != got.HeaderAlt {
						t.Errorf("stored header %q (%q), returned %q (%q)", stored.HeaderID, stored.HeaderAlt, got.HeaderID, got.HeaderAlt)
					}
					m, err := r.orgs.Header(ctx, stored)
					if err != nil {
						t.Fatal(err)
					}
					if tc.wantAlt == "" {
						if m != nil {
							t.Errorf("Header = %+v after the removal, want nil", m)
						}
					} else if m == nil || m.ID != got.HeaderID || m.OrgID != o.ID || m.Variant("large").Width != 600 {
						t.Errorf("Header = %+v, want the 600 px wide upload", m)
					}
					// The old image is gone, record and files.
					wantFiles := files
					if oldHeader != nil {
						if _, err := r.st.MediaByID(ctx, oldHeader.ID); !errors.Is(err, store.ErrNotFound) {
							t.Errorf("old header's record: %v, want removed", err)
						}
						wantFiles -= len(oldHeader.Variants)
					}
					if m != nil {
						wantFiles += len(m.Variants)
					}
					if n := r.files(t); n != wantFiles {
						t.Errorf("%d media files, want %d", n, wantFiles)
					}
					if v := changeVersion(t, r.st); v <= version {
						t.Errorf("change version %d, want past %d: pages are not rendered again", v, version)
					}
					entries, err := r.auth.AuditLog(ctx, auth.Operator(), o.ID, 1)
					if err != nil {
						t.Fatal(err)
					}
					if len(entries) != 1 {
						t.Fatalf("%d audit entries, want 1", len(entries))
					}
					if en := entries[0]; en.Action != tc.action || en.Target != "@zwolle" || en.Detail != tc.wantAlt {
						t.Errorf("newest audit entry %+v, want %s with detail %q", en, tc.action, tc.wantAlt)
					}
				})
			}
		})
	}
}

func changeVersion(t *testing.T, st store.Store) int64 {
	t.Helper()
	v, err := st.ChangeVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSetAvatar sets, replaces and removes an organisation's avatar, which
// shares its handling with the header image, and leaves the header alone.
func TestSetAvatar(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			r := newRig(t, e)
			o, err := r.orgs.Create(ctx, auth.Operator(), "kampen", org.Profile{DisplayName: "Gemeente Kampen"})
			if err != nil {
				t.Fatal(err)
			}
			editor := r.member(t, o, "redactie@kampen.nl", model.RoleEditor)
			img := banner(t)
			o, err = r.orgs.SetHeader(ctx, auth.Operator(), o.ID, "", bytes.NewReader(img), "De Koornmarktspoort")
			if err != nil {
				t.Fatal(err)
			}
			headerID := o.HeaderID
			if _, err := r.orgs.SetAvatar(ctx, editor, o.ID, "logo.jpg", bytes.NewReader(img)); !errors.Is(err, model.ErrForbidden) {
				t.Fatalf("editor: %v, want ErrForbidden", err)
			}
			var previous string
			for _, set := range []bool{true, true, false} {
				var upload io.Reader
				if set {
					upload = bytes.NewReader(img)
				}
				got, err := r.orgs.SetAvatar(ctx, auth.Operator(), o.ID, "logo.jpg", upload)
				if err != nil {
					t.Fatal(err)
				}
				if (got.AvatarID != "") != set || got.AvatarID == previous || got.HeaderID != headerID || got.HeaderAlt != "De Koornmarktspoort" {
					t.Fatalf("after setting %v: avatar %q (before %q), header %q (%q)", set, got.AvatarID, previous, got.HeaderID, got.HeaderAlt)
				}
				if previous != "" {
					if _, err := r.st.MediaByID(ctx, previous); !errors.Is(err, store.ErrNotFound) {
						t.Errorf("previous avatar: %v, want removed", err)
					}
				}
				m, err := r.orgs.Avatar(ctx, got)
				if err != nil || (m != nil) != set {
					t.Fatalf("Avatar = %v, %v", m, err)
				}
				previous = got.AvatarID
			}
		})
	}
}
