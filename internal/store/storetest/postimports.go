package storetest

import (
	"context"
	"errors"
	"testing"

	"plein/internal/model"
	"plein/internal/store"
)

// testPostImports checks imported posts: their origin is kept, an item of
// an export is recorded once per organisation, the record outlives a
// purge of its post, and posts with an image held back for want of alt
// text can be listed.
func testPostImports(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))
	img := &model.Media{ID: model.NewID(epoch), OrgID: o.ID, ContentType: "image/jpeg", Width: 8, Height: 6,
		Variants:  []model.MediaVariant{{Name: "large", Key: "y/large.jpg", ContentType: "image/jpeg", Width: 8, Height: 6, Size: 12}},
		CreatedAt: epoch}
	must(t, s.CreateMedia(ctx, img))

	p := newPost(o.ID, model.StatePublished, epoch)
	p.ImportedFrom = model.ImportFacebook
	p.Attachments = []model.Attachment{{MediaID: img.ID}}
	must(t, s.CreatePost(ctx, p))
	plain := newPost(o.ID, model.StatePublished, epoch)
	must(t, s.CreatePost(ctx, plain))
	if got, err := s.PostByID(ctx, p.ID); err != nil || got.ImportedFrom != model.ImportFacebook || len(got.Attachments) != 1 || got.Attachments[0].Alt != "" {
		t.Fatalf("imported post = %+v, %v", got, err)
	}

	if _, err := s.PostImported(ctx, o.ID, model.ImportFacebook, "k1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("never imported: %v, want ErrNotFound", err)
	}
	must(t, s.AddPostImport(ctx, o.ID, model.ImportFacebook, "k1", p.ID, epoch))
	if err := s.AddPostImport(ctx, o.ID, model.ImportFacebook, "k1", plain.ID, epoch); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("second import of an item: %v, want ErrAlreadyExists", err)
	}
	must(t, s.AddPostImport(ctx, other.ID, model.ImportFacebook, "k1", plain.ID, epoch)) // another organisation
	if id, err := s.PostImported(ctx, o.ID, model.ImportFacebook, "k1"); err != nil || id != p.ID {
		t.Fatalf("imported item = %q, %v; want %s", id, err, p.ID)
	}

	held, err := s.ListPosts(ctx, store.PostFilter{OrgID: o.ID, HeldBack: true})
	if err != nil || len(held) != 1 || held[0].ID != p.ID {
		t.Fatalf("held back = %v, %v; want only %s", held, err, p.ID)
	}
	p.Attachments[0].Alt = "Een gemaal"
	must(t, s.UpdatePost(ctx, p))
	if held, err := s.ListPosts(ctx, store.PostFilter{OrgID: o.ID, HeldBack: true}); err != nil || len(held) != 0 {
		t.Fatalf("held back after the description: %v, %v", held, err)
	}

	must(t, s.PurgePost(ctx, p.ID))
	if id, err := s.PostImported(ctx, o.ID, model.ImportFacebook, "k1"); err != nil || id != p.ID {
		t.Fatalf("after the purge: %q, %v; the item stays imported", id, err)
	}
}
