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

func replyIDs(rs []*model.Reply) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func testModeration(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))
	p, q := newPost(o.ID, model.StatePublished, epoch), newPost(other.ID, model.StatePublished, epoch)
	must(t, s.CreatePost(ctx, p))
	must(t, s.CreatePost(ctx, q))
	reply := func(n, postID string, at time.Time) *model.Reply {
		r := &model.Reply{ID: "https://social.example/notes/" + n, PostID: postID, ActorID: "https://social.example/users/kim",
			ContentHTML: "<p>" + n + "</p>", State: model.ReplyPending, Published: at, ReceivedAt: at}
		must(t, s.PutReply(ctx, r))
		return r
	}
	a, b, c := reply("a", p.ID, epoch), reply("b", p.ID, epoch.Add(time.Minute)), reply("c", q.ID, epoch)

	all, err := s.ListReplies(ctx, store.ReplyFilter{OrgID: o.ID})
	must(t, err)
	if got := replyIDs(all); !reflect.DeepEqual(got, []string{a.ID, b.ID}) {
		t.Fatalf("replies of almere: %v", got)
	}

	// Deciding moves a reply only from the states named.
	decided := epoch.Add(time.Hour)
	must(t, s.DecideReply(ctx, a.ID, []model.ReplyState{model.ReplyPending}, model.ReplyShown, "user-1", "Mod", decided))
	if err := s.DecideReply(ctx, a.ID, []model.ReplyState{model.ReplyPending}, model.ReplyRefused, "user-1", "Mod", decided); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deciding a reply in another state: %v, want ErrNotFound", err)
	}
	if err := s.DecideReply(ctx, "https://social.example/notes/none", []model.ReplyState{model.ReplyPending}, model.ReplyShown, "", "", decided); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deciding no reply: %v, want ErrNotFound", err)
	}
	got, err := s.Reply(ctx, a.ID)
	must(t, err)
	if got.State != model.ReplyShown || !got.DecidedAt.Equal(decided) || got.DecidedBy != "user-1" || got.DecidedByName != "Mod" {
		t.Fatalf("decided reply: %+v", got)
	}
	shown, err := s.ListReplies(ctx, store.ReplyFilter{OrgID: o.ID, PostID: p.ID, States: []model.ReplyState{model.ReplyShown}})
	must(t, err)
	if ids := replyIDs(shown); !reflect.DeepEqual(ids, []string{a.ID}) {
		t.Fatalf("shown replies: %v", ids)
	}
	pending, err := s.ListReplies(ctx, store.ReplyFilter{OrgID: other.ID, States: []model.ReplyState{model.ReplyPending}})
	must(t, err)
	if ids := replyIDs(pending); !reflect.DeepEqual(ids, []string{c.ID}) {
		t.Fatalf("pending replies of zwolle: %v", ids)
	}

	// An edit of a shown reply is moderated again; an unchanged one is not.
	must(t, s.PutReply(ctx, a))
	if got, _ := s.Reply(ctx, a.ID); got.State != model.ReplyShown {
		t.Fatalf("unchanged reply: %s", got.State)
	}
	edited := *a
	edited.ContentHTML = "<p>a, bewerkt</p>"
	must(t, s.PutReply(ctx, &edited))
	if got, _ := s.Reply(ctx, a.ID); got.State != model.ReplyPending || got.ContentHTML != edited.ContentHTML {
		t.Fatalf("edited shown reply: %+v", got)
	}

	// Statements.
	st := &model.Statement{ID: model.NewID(decided), OrgID: o.ID, ReplyID: b.ID, PostID: p.ID, Decision: model.ReplyRefused,
		Visibility: "DECISION_VISIBILITY_CONTENT_REMOVED", Ground: model.GroundIllegal, Law: "art. 261 Sr",
		Explanation: "Smaad", Category: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ContentType: []string{"CONTENT_TYPE_TEXT"},
		ContentDate: epoch, ApplicationDate: decided, Facts: "feiten", SourceType: "SOURCE_VOLUNTARY",
		AutomatedDecision: "AUTOMATED_DECISION_NOT_AUTOMATED", Language: "nl", DecidedBy: "user-1", DecidedByName: "Mod", CreatedAt: decided}
	must(t, s.AddStatement(ctx, st))
	if err := s.AddStatement(ctx, st); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("statement twice: %v", err)
	}
	later := *st
	later.ID, later.ApplicationDate = model.NewID(decided.Add(48*time.Hour)), decided.Add(48*time.Hour)
	must(t, s.AddStatement(ctx, &later))
	one, err := s.StatementByID(ctx, st.ID)
	must(t, err)
	if !reflect.DeepEqual(one, st) {
		t.Fatalf("statement:\n got %+v\nwant %+v", one, st)
	}
	if _, err := s.StatementByID(ctx, "none"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("no statement: %v", err)
	}
	for _, tc := range []struct {
		from, to time.Time
		want     int
	}{{time.Time{}, time.Time{}, 2}, {decided, decided.Add(time.Hour), 1}, {decided.Add(time.Hour), time.Time{}, 1}, {time.Time{}, decided, 0}} {
		list, err := s.Statements(ctx, o.ID, tc.from, tc.to)
		must(t, err)
		if len(list) != tc.want {
			t.Errorf("statements from %v to %v: %d, want %d", tc.from, tc.to, len(list), tc.want)
		}
	}
	if list, _ := s.Statements(ctx, other.ID, time.Time{}, time.Time{}); len(list) != 0 {
		t.Errorf("statements of zwolle: %d", len(list))
	}

	// Settings.
	if d, err := s.ReplyDisplay(ctx, o.ID); err != nil || d != model.RepliesAfterApproval {
		t.Fatalf("default display: %q %v", d, err)
	}
	must(t, s.PutReplyDisplay(ctx, o.ID, model.RepliesNever))
	must(t, s.PutReplyDisplay(ctx, o.ID, model.RepliesNever))
	if d, _ := s.ReplyDisplay(ctx, o.ID); d != model.RepliesNever {
		t.Fatalf("display: %q", d)
	}
	if d, _ := s.ReplyDisplay(ctx, other.ID); d != model.RepliesAfterApproval {
		t.Fatalf("display of zwolle: %q", d)
	}

	// Blocks.
	server := &model.Block{ID: model.NewID(epoch), OrgID: "", Kind: model.BlockServer, Target: "spam.example", Reason: "spam", CreatedAt: epoch}
	account := &model.Block{ID: model.NewID(epoch.Add(time.Second)), OrgID: o.ID, Kind: model.BlockAccount,
		Target: "https://social.example/users/troll", Mode: model.BlockSuspend, CreatedBy: "user-1", CreatedAt: epoch.Add(time.Second)}
	must(t, s.AddBlock(ctx, server))
	must(t, s.AddBlock(ctx, account))
	dup := *server
	dup.ID = model.NewID(epoch)
	if err := s.AddBlock(ctx, &dup); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("same block twice: %v", err)
	}
	if bs, _ := s.BlocksOf(ctx, "https://spam.example/users/x", "spam.example"); len(bs) != 1 || bs[0].ID != server.ID {
		t.Fatalf("blocks of a blocked server: %+v", bs)
	}
	if bs, _ := s.BlocksOf(ctx, account.Target, "social.example"); len(bs) != 1 || !reflect.DeepEqual(bs[0], account) {
		t.Fatalf("blocks of a blocked account: %+v", bs)
	}
	if bs, _ := s.BlocksOf(ctx, "https://social.example/users/kim", "social.example"); len(bs) != 0 {
		t.Fatalf("blocks of an account not blocked: %+v", bs)
	}
	if bs, _ := s.Blocks(ctx, ""); len(bs) != 1 || bs[0].ID != server.ID {
		t.Fatalf("installation blocks: %+v", bs)
	}
	must(t, s.RemoveBlock(ctx, server.ID))
	if err := s.RemoveBlock(ctx, server.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("removing a block twice: %v", err)
	}

	// Notices.
	n := &model.Notice{ID: model.NewID(epoch), OrgID: o.ID, Source: "flag", Reporter: "https://other.example/actor",
		Objects: []string{a.ID}, Content: "Spam", State: model.NoticeOpen, ReceivedAt: epoch}
	must(t, s.AddNotice(ctx, n))
	ns, err := s.Notices(ctx, o.ID, 10)
	must(t, err)
	if len(ns) != 1 || !reflect.DeepEqual(ns[0], n) {
		t.Fatalf("notices: %+v", ns)
	}
	form := &model.Notice{ID: model.NewID(epoch.Add(time.Second)), OrgID: o.ID, Source: model.NoticeFromForm,
		Objects: []string{a.ID}, Content: "Insults a neighbour by name", State: model.NoticeOpen, ReceivedAt: epoch,
		Ground: model.GroundIllegal, Law: "Art. 261 Sr", Name: "A. Citizen", Email: "a@example.org", Lang: "nl",
		Reference: "M-7KQ2-M9XD"}
	must(t, s.AddNotice(ctx, form))
	if got, err := s.NoticeByID(ctx, form.ID); err != nil || !reflect.DeepEqual(got, form) {
		t.Fatalf("form notice: %+v %v, want %+v", got, err, form)
	}
	if _, err := s.NoticeByID(ctx, "nothing"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("notice that is not there: %v", err)
	}

	// Retention: what was received or decided before the limit goes.
	if removed, err := s.DeleteModerationBefore(ctx, decided.Add(time.Hour)); err != nil || removed != 3 {
		t.Fatalf("deleting moderation records: %d %v, want the notices and the first statement", removed, err)
	}
	if list, _ := s.Statements(ctx, o.ID, time.Time{}, time.Time{}); len(list) != 1 || list[0].ID != later.ID {
		t.Fatalf("statements after retention: %+v", list)
	}
	if ns, _ := s.Notices(ctx, o.ID, 0); len(ns) != 0 {
		t.Fatalf("notices after retention: %+v", ns)
	}
}
