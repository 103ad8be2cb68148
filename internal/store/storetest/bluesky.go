package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

// testBluesky checks organisations' Bluesky connections and what became
// of posts there: stored, replaced, removed, and purged with the post.
func testBluesky(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))

	if _, err := s.BlueskyAccount(ctx, o.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("account before any: %v, want ErrNotFound", err)
	}
	a := &model.BlueskyAccount{OrgID: o.ID, PDS: "https://pds.example", Handle: "almere.example", DID: "did:plc:abc",
		Password: "sealed", EditPolicy: model.BlueskyEditReply, CreatedAt: epoch, UpdatedAt: epoch}
	must(t, s.PutBlueskyAccount(ctx, a))
	b := *a
	b.Handle, b.Password, b.EditPolicy, b.UpdatedAt = "gemeente.example", "sealed2", model.BlueskyEditRepublish, epoch.Add(time.Hour)
	b.CreatedAt = epoch.Add(time.Hour) // ignored: the connection keeps when it was first made
	must(t, s.PutBlueskyAccount(ctx, &b))
	got, err := s.BlueskyAccount(ctx, o.ID)
	want := b
	want.CreatedAt = epoch.Truncate(time.Microsecond)
	want.UpdatedAt = b.UpdatedAt.Truncate(time.Microsecond)
	if err != nil || !reflect.DeepEqual(*got, want) {
		t.Errorf("account = %+v, %v; want %+v", got, err, want)
	}
	if _, err := s.BlueskyAccount(ctx, other.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another organisation's account: %v, want ErrNotFound", err)
	}

	p := newPost(o.ID, model.StatePublished, epoch)
	must(t, s.CreatePost(ctx, p))
	if _, err := s.BlueskyPost(ctx, p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("post never sent: %v, want ErrNotFound", err)
	}
	bp := &model.BlueskyPost{PostID: p.ID, OrgID: o.ID, State: model.BlueskyFailing, Error: "server", Attempts: 2, UpdatedAt: epoch}
	must(t, s.PutBlueskyPost(ctx, bp))
	bp = &model.BlueskyPost{PostID: p.ID, OrgID: o.ID, State: model.BlueskyPublished,
		URI: "at://did:plc:abc/app.bsky.feed.post/1", CID: "bafy1",
		Replies: []model.BlueskyRef{{URI: "at://did:plc:abc/app.bsky.feed.post/2", CID: "bafy2"}, {URI: "at://did:plc:abc/app.bsky.feed.post/3", CID: "bafy3"}},
		Version: epoch.Add(time.Minute), UpdatedAt: epoch.Add(2 * time.Minute)}
	must(t, s.PutBlueskyPost(ctx, bp))
	gotPost, err := s.BlueskyPost(ctx, p.ID)
	wantPost := *bp
	wantPost.Version, wantPost.UpdatedAt = bp.Version.Truncate(time.Microsecond), bp.UpdatedAt.Truncate(time.Microsecond)
	if err != nil || !reflect.DeepEqual(*gotPost, wantPost) {
		t.Errorf("post = %+v, %v; want %+v", gotPost, err, wantPost)
	}

	must(t, s.DeleteBlueskyAccount(ctx, o.ID))
	if _, err := s.BlueskyAccount(ctx, o.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("account after deletion: %v, want ErrNotFound", err)
	}
	if err := s.DeleteBlueskyAccount(ctx, o.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting a missing account: %v, want ErrNotFound", err)
	}
	if _, err := s.BlueskyPost(ctx, p.ID); err != nil {
		t.Errorf("a post's state went with the account: %v", err)
	}
	must(t, s.PurgePost(ctx, p.ID))
	if _, err := s.BlueskyPost(ctx, p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("post state after purge: %v, want ErrNotFound", err)
	}
}
