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

// testComplaints proves the store of complaints: one per statement, listed
// by state, decided once; notices marked handled and named by statements;
// and retention that keeps every record while its complaint is open, and
// a complaint as long as after its outcome.
func testComplaints(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))
	p := newPost(o.ID, model.StatePublished, epoch)
	must(t, s.CreatePost(ctx, p))
	decided := epoch.Add(time.Hour)
	reply := func(n string) *model.Reply {
		r := &model.Reply{ID: "https://social.example/notes/" + n, PostID: p.ID, ActorID: "https://social.example/users/kim",
			ContentHTML: "<p>" + n + "</p>", State: model.ReplyRefused, Published: epoch, ReceivedAt: epoch,
			DecidedAt: decided, DecidedBy: "user-1", DecidedByName: "Mod"}
		must(t, s.PutReply(ctx, r))
		return r
	}
	notice := &model.Notice{ID: model.NewID(epoch), OrgID: o.ID, Source: model.NoticeFromForm, Objects: []string{"x"},
		Content: "Smaad", State: model.NoticeOpen, ReceivedAt: epoch, Ground: model.GroundIllegal, Law: "art. 261 Sr",
		Email: "melder@example.org", Lang: "nl", Reference: "M-1234-5678"}
	must(t, s.AddNotice(ctx, notice))
	statement := func(r *model.Reply, noticeID string) *model.Statement {
		st := &model.Statement{ID: model.NewID(decided), OrgID: o.ID, ReplyID: r.ID, PostID: p.ID, Decision: model.ReplyRefused,
			Visibility: "DECISION_VISIBILITY_CONTENT_REMOVED", Ground: model.GroundIllegal, Law: "art. 261 Sr",
			Explanation: "Smaad", Category: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ContentType: []string{"CONTENT_TYPE_TEXT"},
			ContentDate: epoch, ApplicationDate: decided, Facts: "feiten", SourceType: "SOURCE_ARTICLE_16",
			AutomatedDecision: "AUTOMATED_DECISION_NOT_AUTOMATED", Language: "nl", DecidedBy: "user-1", DecidedByName: "Mod",
			CreatedAt: decided, NoticeID: noticeID}
		must(t, s.AddStatement(ctx, st))
		return st
	}
	ra, rb, rc := reply("a"), reply("b"), reply("c")
	sa, sb, sc := statement(ra, notice.ID), statement(rb, ""), statement(rc, "")
	if got, err := s.StatementByID(ctx, sa.ID); err != nil || got.NoticeID != notice.ID {
		t.Fatalf("statement following a notice: %+v %v", got, err)
	}

	// Notices are marked handled.
	must(t, s.HandleNotice(ctx, notice.ID))
	if n, _ := s.NoticeByID(ctx, notice.ID); n.State != model.NoticeHandled {
		t.Fatalf("handled notice: %s", n.State)
	}
	if err := s.HandleNotice(ctx, "none"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("handling no notice: %v", err)
	}

	complaint := func(st *model.Statement, r *model.Reply, at time.Time) *model.Complaint {
		return &model.Complaint{ID: model.NewID(at), OrgID: o.ID, StatementID: st.ID, ReplyID: r.ID, Source: model.ComplaintFromForm,
			Author: r.ActorID, Content: "Het was geen smaad.", Lang: "nl", State: model.ComplaintOpen, ReceivedAt: at}
	}
	ca, cb := complaint(sa, ra, decided.Add(time.Hour)), complaint(sb, rb, decided.Add(2*time.Hour))
	cb.Source = model.ComplaintFromFediverse
	must(t, s.AddComplaint(ctx, ca))
	must(t, s.AddComplaint(ctx, cb))
	again := complaint(sa, ra, decided.Add(3*time.Hour))
	if err := s.AddComplaint(ctx, again); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("a second complaint about a statement: %v, want ErrAlreadyExists", err)
	}
	if got, err := s.ComplaintByID(ctx, ca.ID); err != nil || !reflect.DeepEqual(got, ca) {
		t.Fatalf("complaint:\n got %+v %v\nwant %+v", got, err, ca)
	}
	if got, err := s.ComplaintOf(ctx, sb.ID); err != nil || got.ID != cb.ID {
		t.Fatalf("complaint of a statement: %+v %v", got, err)
	}
	for _, id := range []string{"none"} {
		if _, err := s.ComplaintByID(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("no complaint: %v", err)
		}
		if _, err := s.ComplaintOf(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("no complaint of a statement: %v", err)
		}
	}

	// Deciding: once, from open only.
	outcome := decided.Add(24 * time.Hour)
	must(t, s.DecideComplaint(ctx, cb.ID, model.ComplaintRejected, "user-2", "Tweede", "Het was reclame.", outcome))
	if err := s.DecideComplaint(ctx, cb.ID, model.ComplaintUpheld, "user-2", "Tweede", "Toch niet", outcome); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deciding twice: %v, want ErrNotFound", err)
	}
	got, err := s.ComplaintByID(ctx, cb.ID)
	must(t, err)
	if got.State != model.ComplaintRejected || !got.DecidedAt.Equal(outcome) || got.DecidedBy != "user-2" ||
		got.DecidedByName != "Tweede" || got.Explanation != "Het was reclame." {
		t.Fatalf("decided complaint: %+v", got)
	}
	for _, tc := range []struct {
		state model.ComplaintState
		want  []string
	}{{"", []string{ca.ID, cb.ID}}, {model.ComplaintOpen, []string{ca.ID}}, {model.ComplaintRejected, []string{cb.ID}}, {model.ComplaintUpheld, nil}} {
		list, err := s.Complaints(ctx, store.ComplaintFilter{OrgID: o.ID, State: tc.state})
		must(t, err)
		var ids []string
		for _, c := range list {
			ids = append(ids, c.ID)
		}
		if !reflect.DeepEqual(ids, tc.want) {
			t.Errorf("complaints %q: %v, want %v", tc.state, ids, tc.want)
		}
	}
	if list, _ := s.Complaints(ctx, store.ComplaintFilter{OrgID: other.ID}); len(list) != 0 {
		t.Errorf("complaints of zwolle: %d", len(list))
	}

	// Retention, long after everything: the open complaint keeps its
	// statement, its notice and its reply; the decided complaint goes with
	// its statement once its outcome is old enough; a statement without
	// complaint goes.
	removed, err := s.DeleteModerationBefore(ctx, outcome)
	must(t, err)
	if removed != 1 { // sc only: cb's outcome is not before the limit
		t.Fatalf("first sweep removed %d, want 1", removed)
	}
	removed, err = s.DeleteModerationBefore(ctx, outcome.Add(time.Second))
	must(t, err)
	if removed != 2 { // cb and then sb
		t.Fatalf("second sweep removed %d, want 2", removed)
	}
	if _, err := s.StatementByID(ctx, sc.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a statement without complaint stayed: %v", err)
	}
	if _, err := s.StatementByID(ctx, sa.ID); err != nil {
		t.Fatalf("the statement of an open complaint went: %v", err)
	}
	if _, err := s.NoticeByID(ctx, notice.ID); err != nil {
		t.Fatalf("the notice of a statement with an open complaint went: %v", err)
	}
	if _, err := s.ComplaintByID(ctx, ca.ID); err != nil {
		t.Fatalf("an open complaint went: %v", err)
	}
	if _, err := s.DeleteRepliesBefore(ctx, outcome); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reply(ctx, ra.ID); err != nil {
		t.Fatalf("the reply of an open complaint went: %v", err)
	}
	if _, err := s.Reply(ctx, rb.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a reply without open complaint stayed: %v", err)
	}
}
