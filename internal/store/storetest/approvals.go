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

func testApprovals(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("gouda"), newOrg("delft")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))

	// An organisation that never chose does not require approval.
	pol, err := s.ApprovalPolicy(ctx, o.ID)
	must(t, err)
	if pol != (model.ApprovalPolicy{OrgID: o.ID}) {
		t.Fatalf("default policy: %+v", pol)
	}
	must(t, s.PutApprovalPolicy(ctx, model.ApprovalPolicy{OrgID: o.ID, Required: true, CorrectionDistance: 3}))
	must(t, s.PutApprovalPolicy(ctx, model.ApprovalPolicy{OrgID: o.ID, Required: true, CorrectionDistance: 5}))
	if pol, err = s.ApprovalPolicy(ctx, o.ID); err != nil || !pol.Required || pol.CorrectionDistance != 5 {
		t.Fatalf("policy after two puts: %+v, %v", pol, err)
	}
	if pol, err = s.ApprovalPolicy(ctx, other.ID); err != nil || pol.Required {
		t.Fatalf("policy of another organisation: %+v, %v", pol, err)
	}

	img := &model.Media{ID: model.NewID(epoch), OrgID: o.ID, ContentType: "image/jpeg", Width: 8, Height: 6,
		Variants: []model.MediaVariant{{Name: "large", Key: "x/l.jpg", ContentType: "image/jpeg", Width: 8, Height: 6, Size: 1}}, CreatedAt: epoch}
	must(t, s.CreateMedia(ctx, img))
	p := newPost(o.ID, model.StatePublished, epoch)
	q := newPost(o.ID, model.StateAwaiting, epoch.Add(time.Second))
	must(t, s.CreatePost(ctx, p))
	must(t, s.CreatePost(ctx, q))

	if _, err := s.ApprovalByPost(ctx, p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("approval of a post without one: %v, want ErrNotFound", err)
	}
	edit := &model.Approval{PostID: p.ID, OrgID: o.ID, Kind: model.ApprovalEdit, AuthorID: "u1", Author: "Eva",
		Authors: []string{"u1", "u2"}, SubmittedAt: epoch.Add(time.Minute), Text: "Nieuwe tekst", Summary: "Let op", Language: "nl",
		Attachments: []model.Attachment{{MediaID: img.ID, Alt: "Een brug"}}}
	fresh := &model.Approval{PostID: q.ID, OrgID: o.ID, Kind: model.ApprovalPost, AuthorID: "u3", Author: "Bas",
		Authors: []string{"u3"}, SubmittedAt: epoch}
	must(t, s.PutApproval(ctx, edit))
	must(t, s.PutApproval(ctx, fresh))

	got, err := s.ApprovalByPost(ctx, p.ID)
	must(t, err)
	if !reflect.DeepEqual(got, edit) {
		t.Fatalf("approval read back:\n got %+v\nwant %+v", got, edit)
	}
	// An image of an edit awaiting approval is in use: no other post takes
	// it, and the sweep of unattached images leaves it.
	if used, err := s.MediaInUse(ctx, img.ID); err != nil || !used {
		t.Fatalf("image of a pending edit in use: %v, %v", used, err)
	}
	if ms, err := s.UnattachedMediaBefore(ctx, epoch.Add(time.Hour)); err != nil || len(ms) != 0 {
		t.Fatalf("unattached media: %v, %v", ms, err)
	}

	list, err := s.ListApprovals(ctx, o.ID)
	must(t, err)
	if len(list) != 2 || list[0].PostID != q.ID || list[1].PostID != p.ID || len(list[1].Attachments) != 1 {
		t.Fatalf("approvals, oldest first: %+v", list)
	}
	if list, err := s.ListApprovals(ctx, other.ID); err != nil || len(list) != 0 {
		t.Fatalf("approvals of another organisation: %v, %v", list, err)
	}

	// Putting again replaces, attachments included: a returned post.
	returned := *fresh
	returned.Returned, returned.Note, returned.ReturnedBy, returned.ReturnedByName = true, "Bron erbij", "u9", "Redactie"
	returned.ReturnedAt = epoch.Add(2 * time.Hour)
	must(t, s.PutApproval(ctx, &returned))
	edit.Attachments = nil
	must(t, s.PutApproval(ctx, edit))
	if got, err := s.ApprovalByPost(ctx, q.ID); err != nil || !reflect.DeepEqual(got, &returned) {
		t.Fatalf("returned approval: %+v, %v", got, err)
	}
	if got, err := s.ApprovalByPost(ctx, p.ID); err != nil || len(got.Attachments) != 0 {
		t.Fatalf("edit without images: %+v, %v", got, err)
	}
	if used, err := s.MediaInUse(ctx, img.ID); err != nil || used {
		t.Fatalf("image no edit uses any more in use: %v, %v", used, err)
	}

	must(t, s.DeleteApproval(ctx, p.ID))
	must(t, s.DeleteApproval(ctx, p.ID)) // nothing left: no error
	if _, err := s.ApprovalByPost(ctx, p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted approval: %v", err)
	}
	// Purging a post removes what awaited approval for it.
	must(t, s.PurgePost(ctx, q.ID))
	if _, err := s.ApprovalByPost(ctx, q.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("approval of a purged post: %v", err)
	}
}
