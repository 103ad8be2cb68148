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

func testModerationFilters(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))
	hold := &model.Filter{ID: model.NewID(epoch), OrgID: o.ID, Phrase: "horloges", Action: model.FilterHold, CreatedBy: "user-1", CreatedAt: epoch}
	refuse := &model.Filter{ID: model.NewID(epoch.Add(time.Second)), OrgID: o.ID, Phrase: "koop nu", Action: model.FilterRefuse, CreatedAt: epoch.Add(time.Second)}
	must(t, s.AddFilter(ctx, hold))
	must(t, s.AddFilter(ctx, refuse))
	dup := *hold
	dup.ID = model.NewID(epoch)
	if err := s.AddFilter(ctx, &dup); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("the same phrase twice: %v, want ErrAlreadyExists", err)
	}
	elsewhere := *hold
	elsewhere.ID, elsewhere.OrgID = model.NewID(epoch), other.ID
	must(t, s.AddFilter(ctx, &elsewhere)) // another organisation may filter the same phrase

	got, err := s.FiltersOf(ctx, o.ID)
	must(t, err)
	if !reflect.DeepEqual(got, []*model.Filter{hold, refuse}) {
		t.Fatalf("filters:\n got %+v\nwant %+v %+v", got, hold, refuse)
	}
	if f, err := s.FilterByID(ctx, refuse.ID); err != nil || !reflect.DeepEqual(f, refuse) {
		t.Fatalf("filter by id: %+v %v", f, err)
	}
	if _, err := s.FilterByID(ctx, "none"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("no filter: %v", err)
	}
	if err := s.RemoveFilter(ctx, other.ID, hold.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("removing another organisation's filter: %v, want ErrNotFound", err)
	}

	// Hits are replaced when a reply is matched anew, and go with the reply.
	p := newPost(o.ID, model.StatePublished, epoch)
	must(t, s.CreatePost(ctx, p))
	r := &model.Reply{ID: "https://social.example/notes/1", PostID: p.ID, ActorID: "https://social.example/users/kim",
		ContentHTML: "<p>horloges</p>", State: model.ReplyPending, ReceivedAt: epoch}
	must(t, s.PutReply(ctx, r))
	first := []model.FilterHit{{ReplyID: r.ID, FilterID: hold.ID, Phrase: hold.Phrase, Action: hold.Action, MatchedAt: epoch},
		{ReplyID: r.ID, FilterID: refuse.ID, Phrase: refuse.Phrase, Action: refuse.Action, MatchedAt: epoch}}
	must(t, s.PutFilterHits(ctx, r.ID, first))
	hits, err := s.FilterHits(ctx, []string{r.ID, "https://social.example/notes/none"})
	must(t, err)
	if len(hits) != 1 || !reflect.DeepEqual(hits[r.ID], first) {
		t.Fatalf("hits: %+v", hits)
	}
	must(t, s.PutFilterHits(ctx, r.ID, first[:1]))
	must(t, s.RemoveFilter(ctx, o.ID, hold.ID))
	if hits, _ := s.FilterHits(ctx, []string{r.ID}); !reflect.DeepEqual(hits[r.ID], first[:1]) {
		t.Fatalf("hits after an edit and the filter's removal: %+v", hits)
	}
	if got, _ := s.FiltersOf(ctx, o.ID); len(got) != 1 || got[0].ID != refuse.ID {
		t.Fatalf("filters after removal: %+v", got)
	}
	if deleted, err := s.DeleteReply(ctx, r.ID, r.ActorID); err != nil || !deleted {
		t.Fatalf("delete reply: %v %v", deleted, err)
	}
	if hits, _ := s.FilterHits(ctx, []string{r.ID}); len(hits) != 0 {
		t.Fatalf("hits of a deleted reply: %+v", hits)
	}
}

func testModerationBlockModes(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	hide := &model.Block{ID: model.NewID(epoch), Kind: model.BlockServer, Target: "loud.example", Mode: model.BlockHideReplies, CreatedAt: epoch}
	legacy := &model.Block{ID: model.NewID(epoch.Add(time.Second)), Kind: model.BlockServer, Target: "spam.example", CreatedAt: epoch}
	must(t, s.AddBlock(ctx, hide))
	must(t, s.AddBlock(ctx, legacy))
	bs, err := s.BlocksOf(ctx, "https://loud.example/users/a", "loud.example")
	must(t, err)
	if len(bs) != 1 || bs[0].Mode != model.BlockHideReplies {
		t.Fatalf("blocks of loud.example: %+v", bs)
	}
	if bs, _ := s.BlocksOf(ctx, "https://spam.example/users/a", "spam.example"); len(bs) != 1 || bs[0].Mode != model.BlockSuspend {
		t.Fatalf("a block without a mode is a suspension: %+v", bs)
	}
	must(t, s.SetBlockMode(ctx, hide.ID, model.BlockSuspend))
	if bs, _ := s.BlocksOf(ctx, "https://loud.example/users/a", "loud.example"); bs[0].Mode != model.BlockSuspend {
		t.Fatalf("mode after change: %+v", bs[0])
	}
	if err := s.SetBlockMode(ctx, "none", model.BlockSuspend); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("mode of no block: %v", err)
	}
}

func testModerationFigures(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))
	p, q := newPost(o.ID, model.StatePublished, epoch), newPost(other.ID, model.StatePublished, epoch)
	must(t, s.CreatePost(ctx, p))
	must(t, s.CreatePost(ctx, q))
	q3 := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	q4 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	next := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	reply := func(postID string, received time.Time, to model.ReplyState, after time.Duration) *model.Reply {
		n++
		r := &model.Reply{ID: "https://social.example/notes/" + string(rune('a'+n)), PostID: postID, ActorID: "https://social.example/users/kim",
			ContentHTML: "<p>x</p>", State: model.ReplyPending, ReceivedAt: received}
		must(t, s.PutReply(ctx, r))
		if to != model.ReplyPending {
			must(t, s.DecideReply(ctx, r.ID, []model.ReplyState{model.ReplyPending}, to, "", "", received.Add(after)))
		}
		return r
	}
	statement := func(r *model.Reply, postID, orgID string, decision model.ReplyState, g model.Ground, automated string, at time.Time) string {
		id := model.NewID(at)
		must(t, s.AddStatement(ctx, &model.Statement{ID: id, OrgID: orgID, ReplyID: r.ID, PostID: postID, Decision: decision,
			Visibility: "DECISION_VISIBILITY_CONTENT_REMOVED", Ground: g, Explanation: "x", Category: "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
			ContentType: []string{"CONTENT_TYPE_TEXT"}, ContentDate: at, ApplicationDate: at, Facts: "f", SourceType: "SOURCE_VOLUNTARY",
			AutomatedDetection: automated != "AUTOMATED_DECISION_NOT_AUTOMATED", AutomatedDecision: automated, Language: "nl", CreatedAt: at}))
		return id
	}
	complaint := func(statementID string, r *model.Reply, received time.Time) string {
		c := &model.Complaint{ID: model.NewID(received), OrgID: o.ID, StatementID: statementID, ReplyID: r.ID, Source: model.ComplaintFromForm,
			Author: r.ActorID, Content: "x", Lang: "nl", State: model.ComplaintOpen, ReceivedAt: received}
		must(t, s.AddComplaint(ctx, c))
		return c.ID
	}
	day := q4.Add(10 * 24 * time.Hour)
	reply(p.ID, day, model.ReplyShown, time.Hour)
	reply(p.ID, day, model.ReplyShown, 3*time.Hour)
	refused := reply(p.ID, day, model.ReplyRefused, 0)
	refusedStatement := statement(refused, p.ID, o.ID, model.ReplyRefused, model.GroundIncompatible, "AUTOMATED_DECISION_FULLY", day)
	illegal := reply(p.ID, day, model.ReplyRefused, 5*time.Hour)
	illegalStatement := statement(illegal, p.ID, o.ID, model.ReplyRefused, model.GroundIllegal, "AUTOMATED_DECISION_NOT_AUTOMATED", day.Add(5*time.Hour))
	// Two complaints in the quarter: one upheld in it, one still open.
	upheld := complaint(refusedStatement, refused, day.Add(time.Hour))
	must(t, s.DecideComplaint(ctx, upheld, model.ComplaintUpheld, "u", "U", "x", day.Add(48*time.Hour)))
	complaint(illegalStatement, illegal, day.Add(6*time.Hour))
	hidden := reply(p.ID, day, model.ReplyShown, 2*time.Hour)
	must(t, s.DecideReply(ctx, hidden.ID, []model.ReplyState{model.ReplyShown}, model.ReplyHidden, "", "", day.Add(24*time.Hour)))
	statement(hidden, p.ID, o.ID, model.ReplyHidden, model.GroundIllegal, "AUTOMATED_DECISION_NOT_AUTOMATED", day.Add(24*time.Hour))
	reply(p.ID, day, model.ReplyPending, 0)
	reply(p.ID, q3.Add(time.Hour), model.ReplyShown, time.Minute) // the quarter before
	reply(q.ID, day, model.ReplyShown, 10*time.Hour)              // another organisation
	for i, src := range []string{model.NoticeFromForm, model.NoticeFromForm, model.NoticeFromFlag, model.NoticeFromObjection} {
		must(t, s.AddNotice(ctx, &model.Notice{ID: model.NewID(day.Add(time.Duration(i) * time.Second)), OrgID: o.ID, Source: src,
			Objects: []string{"x"}, State: model.NoticeOpen, ReceivedAt: day}))
	}
	must(t, s.AddNotice(ctx, &model.Notice{ID: model.NewID(day), OrgID: other.ID, Source: model.NoticeFromFlag, Objects: []string{"x"},
		State: model.NoticeOpen, ReceivedAt: day}))

	got, err := s.ModerationFigures(ctx, o.ID, q4, next)
	must(t, err)
	// Decided after 1h, 3h, 0, 5h and 24h (the hidden reply's last
	// decision): the median is 3h.
	want := model.ModerationFigures{RepliesReceived: 6, RepliesShown: 2, RefusedIllegal: 1, RefusedIncompatible: 1, RefusedAutomated: 1,
		HiddenIllegal: 1, NoticesForm: 2, NoticesFlag: 1, NoticesObjection: 1, ComplaintsReceived: 2, ComplaintsUpheld: 1,
		MedianDecisionSeconds: 3 * 3600, DecisionsTimed: 5}
	if got != want {
		t.Fatalf("figures of almere in Q4:\n got %+v\nwant %+v", got, want)
	}
	all, err := s.ModerationFigures(ctx, "", q4, next)
	must(t, err)
	// With zwolle's reply decided after 10h: 0, 1h, 3h, 5h, 10h, 24h.
	if all.RepliesReceived != 7 || all.RepliesShown != 3 || all.NoticesFlag != 2 || all.DecisionsTimed != 6 || all.MedianDecisionSeconds != 4*3600 {
		t.Fatalf("figures of the installation in Q4: %+v", all)
	}
	before, err := s.ModerationFigures(ctx, o.ID, q3, q4)
	must(t, err)
	if before != (model.ModerationFigures{RepliesReceived: 1, RepliesShown: 1, MedianDecisionSeconds: 60, DecisionsTimed: 1}) {
		t.Fatalf("figures of almere in Q3: %+v", before)
	}
}
