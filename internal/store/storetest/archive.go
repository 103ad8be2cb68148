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

// testArchive checks the reads of the public-records archive, page by
// page and organisation by organisation, and the writes of its import.
func testArchive(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("archief"), newOrg("elders")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))

	m := &model.Media{ID: model.NewID(epoch), OrgID: o.ID, ContentType: "image/png", Width: 4, Height: 3,
		Variants: []model.MediaVariant{{Name: "large", Key: "k/large.png", ContentType: "image/png", Width: 4, Height: 3, Size: 10}}, CreatedAt: epoch}
	must(t, s.CreateMedia(ctx, m))
	must(t, s.CreateMedia(ctx, &model.Media{ID: model.NewID(epoch), OrgID: other.ID, ContentType: "image/png", Width: 1, Height: 1, CreatedAt: epoch}))

	var want []string
	for i, state := range []model.PostState{model.StatePublished, model.StateDraft, model.StateDeleted, model.StateScheduled, model.StatePublished} {
		p := newPost(o.ID, state, epoch.Add(time.Duration(i)*time.Hour))
		if i == 0 {
			p.Attachments = []model.Attachment{{MediaID: m.ID, Alt: "Een kaart"}}
		}
		if state == model.StateDeleted {
			p.DeletedAt = epoch.Add(48 * time.Hour)
		}
		must(t, s.CreatePost(ctx, p))
		want = append(want, p.ID)
	}
	must(t, s.CreatePost(ctx, newPost(other.ID, model.StatePublished, epoch)))

	var got []string
	for after := ""; ; {
		page, err := s.ArchivePosts(ctx, o.ID, after, 2)
		must(t, err)
		if len(page) == 0 {
			break
		}
		if len(page) > 2 {
			t.Fatalf("page of %d posts, limit 2", len(page))
		}
		for _, p := range page {
			got = append(got, p.ID)
			if p.ID == want[0] && (len(p.Attachments) != 1 || p.Attachments[0].Alt != "Een kaart") {
				t.Errorf("attachments of the first post = %+v", p.Attachments)
			}
		}
		after = page[len(page)-1].ID
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("archived posts = %q, want %q (every state, in id order, this organisation only)", got, want)
	}
	if _, err := s.ArchivePosts(ctx, o.ID, "", 0); err == nil {
		t.Error("a page without a limit was accepted")
	}

	media, err := s.ArchiveMedia(ctx, o.ID, "", 10)
	if err != nil || len(media) != 1 || media[0].ID != m.ID || len(media[0].Variants) != 1 {
		t.Errorf("archived media = %+v, %v", media, err)
	}
	if media, err := s.ArchiveMedia(ctx, o.ID, m.ID, 10); err != nil || len(media) != 0 {
		t.Errorf("media after the last = %d, %v", len(media), err)
	}

	for i := range 3 {
		at := epoch.Add(time.Duration(i) * time.Minute)
		must(t, s.AddAudit(ctx, &model.AuditEntry{ID: model.NewID(at), OrgID: o.ID, Actor: "Redactie", Action: "post.publish", Target: want[0], At: at}))
	}
	must(t, s.AddAudit(ctx, &model.AuditEntry{ID: model.NewID(epoch), Actor: "operator", Action: "org.create", At: epoch}))
	first, err := s.ArchiveAudit(ctx, o.ID, "", 2)
	must(t, err)
	rest, err := s.ArchiveAudit(ctx, o.ID, first[len(first)-1].ID, 2)
	must(t, err)
	if len(first) != 2 || len(rest) != 1 || rest[0].Action != "post.publish" || !rest[0].At.Equal(epoch.Add(2*time.Minute)) {
		t.Errorf("archived audit = %d then %d entries (%+v)", len(first), len(rest), rest)
	}

	// Replies with their decisions, as an import writes them.
	decided := epoch.Add(time.Hour)
	r := &model.Reply{ID: "https://social.example/notes/1", PostID: want[0], ActorID: "https://social.example/users/a",
		ContentHTML: "<p>Dank</p>", State: model.ReplyRefused, Published: epoch, ReceivedAt: epoch,
		DecidedAt: decided, DecidedBy: "user-1", DecidedByName: "Mod"}
	must(t, s.ImportReply(ctx, r))
	if err := s.ImportReply(ctx, r); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("reply imported twice: %v", err)
	}
	if back, err := s.Reply(ctx, r.ID); err != nil || back.State != model.ReplyRefused || !back.DecidedAt.Equal(decided) || back.DecidedByName != "Mod" {
		t.Errorf("imported reply = %+v, %v", back, err)
	}
	st := &model.Statement{ID: model.NewID(decided), OrgID: o.ID, ReplyID: r.ID, PostID: want[0], Decision: model.ReplyRefused,
		Visibility: "DECISION_VISIBILITY_CONTENT_REMOVED", Ground: model.GroundIllegal, Explanation: "Smaad",
		Category: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ContentType: []string{"CONTENT_TYPE_TEXT"},
		ContentDate: epoch, ApplicationDate: decided, Facts: "feiten", SourceType: "SOURCE_VOLUNTARY",
		AutomatedDecision: "AUTOMATED_DECISION_NOT_AUTOMATED", Language: "nl", CreatedAt: decided}
	must(t, s.AddStatement(ctx, st))
	if sts, err := s.StatementsOfPost(ctx, want[0]); err != nil || len(sts) != 1 || sts[0].ID != st.ID {
		t.Errorf("statements of the post = %+v, %v", sts, err)
	}
	if sts, err := s.StatementsOfPost(ctx, want[1]); err != nil || len(sts) != 0 {
		t.Errorf("statements of another post = %d, %v", len(sts), err)
	}

	// Former handles: read in order, written back, refused when taken.
	must(t, s.RenameOrg(ctx, o.ID, "archief-2", epoch.Add(time.Hour)))
	must(t, s.RenameOrg(ctx, o.ID, "archief-3", epoch.Add(2*time.Hour)))
	handles, err := s.FormerHandles(ctx, o.ID)
	if err != nil || len(handles) != 2 || handles[0].Handle != "archief" || handles[1].Handle != "archief-2" ||
		!handles[1].Until.Equal(epoch.Add(2*time.Hour)) {
		t.Errorf("former handles = %+v, %v", handles, err)
	}
	must(t, s.ImportFormerHandle(ctx, other.ID, store.FormerHandle{Handle: "vroeger", Until: epoch}))
	if back, err := s.OrgByFormerHandle(ctx, "vroeger"); err != nil || back.ID != other.ID {
		t.Errorf("imported former handle leads to %+v, %v", back, err)
	}
	for _, taken := range []string{"vroeger", "archief-2", "archief-3"} {
		if err := s.ImportFormerHandle(ctx, other.ID, store.FormerHandle{Handle: taken, Until: epoch}); !errors.Is(err, store.ErrAlreadyExists) {
			t.Errorf("import of the taken handle %s: %v", taken, err)
		}
	}
}
