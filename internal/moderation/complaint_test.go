package moderation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/pleintest"
)

// putReply stores a reply by kim to p in state.
func putReply(t *testing.T, srv *pleintest.Server, p *model.Post, n string, state model.ReplyState, at time.Time) *model.Reply {
	t.Helper()
	ctx := context.Background()
	kim := "https://social.example/users/kim"
	if err := srv.App.Store.PutRemoteActor(ctx, &model.RemoteActor{ID: kim, Inbox: kim + "/inbox", Username: "kim", FetchedAt: at}); err != nil {
		t.Fatal(err)
	}
	r := &model.Reply{ID: "https://social.example/notes/" + n, PostID: p.ID, ActorID: kim, ContentHTML: "<p>Reactie " + n + "</p>",
		State: state, Published: at, ReceivedAt: at}
	if err := srv.App.Store.PutReply(ctx, r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestDecisionFollowsNotice proves that a decision can name the notice
// it follows: only a notice of the organisation about that reply; its
// statement's source is then SOURCE_ARTICLE_16 and its facts say so, the
// notice is handled, and the reporter who gave an address is mailed the
// decision, with nothing anyone typed in it.
func TestDecisionFollowsNotice(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock) {
		ctx := context.Background()
		o, other := srv.Org(t, "ede"), srv.Org(t, "wageningen")
		p, q := srv.Post(t, o, "Het stadhuis is dicht op maandag."), srv.Post(t, other, "De markt is open.")
		shown := putReply(t, srv, p, "1", model.ReplyShown, clock.Now())
		elsewhere := putReply(t, srv, q, "2", model.ReplyShown, clock.Now())
		in := noticeForm(t, srv, clock, o, p)
		in.ReplyID, in.Email, in.Text = shown.ID, "melder@example.org", "Deze reactie scheldt een buurman uit."
		receipt, err := srv.App.Moderation.SubmitNotice(ctx, o, in)
		if err != nil {
			t.Fatal(err)
		}
		ns, err := srv.App.Store.Notices(ctx, o.ID, 0)
		if err != nil || len(ns) != 1 {
			t.Fatalf("notices: %v %v", ns, err)
		}
		notice := ns[0]
		otherIn := noticeForm(t, srv, clock, other, q)
		otherIn.ReplyID = elsewhere.ID
		if _, err := srv.App.Moderation.SubmitNotice(ctx, other, otherIn); err != nil {
			t.Fatal(err)
		}
		otherNotices, _ := srv.App.Store.Notices(ctx, other.ID, 0)

		reasons := moderation.Reasons{Ground: model.GroundIllegal, Law: "art. 261 Sr", Explanation: "Smaad van een buurman."}
		for _, bad := range []string{"nothing", otherNotices[0].ID} {
			rs := reasons
			rs.NoticeID = bad
			_, err := srv.App.Moderation.Hide(ctx, auth.Operator(), shown.ID, rs)
			if fe, ok := model.AsFieldError(err); !ok || fe.Field != "notice" || fe.In("nl") == fe.In("en") {
				t.Fatalf("hiding after notice %q: %v, want refused on the notice", bad, err)
			}
		}
		if r, _ := srv.App.Store.Reply(ctx, shown.ID); r.State != model.ReplyShown {
			t.Fatalf("a refused decision changed the reply: %s", r.State)
		}

		rs := reasons
		rs.NoticeID = notice.ID
		st, err := srv.App.Moderation.Hide(ctx, auth.Operator(), shown.ID, rs)
		if err != nil {
			t.Fatal(err)
		}
		if st.SourceType != moderation.SourceArticle16 || st.NoticeID != notice.ID || !strings.Contains(st.Facts, "followed a notice") ||
			strings.Contains(st.Facts, "no notice preceded") || strings.Contains(st.Facts, "melder") {
			t.Fatalf("statement: %+v", st)
		}
		if got := moderation.TDB(st); got.SourceType != moderation.SourceArticle16 {
			t.Fatalf("export source_type %q", got.SourceType)
		}
		if n, _ := srv.App.Store.NoticeByID(ctx, notice.ID); n.State != model.NoticeHandled {
			t.Fatalf("notice after the decision: %s", n.State)
		}
		msgs := srv.Mail.WaitFor(t, "melder@example.org", 2) // the receipt and the decision
		var decision string
		for _, m := range msgs {
			if strings.Contains(m.Subject, "besluit") {
				decision = m.Text
			}
		}
		if !strings.Contains(decision, receipt.Reference) || !strings.Contains(decision, "verwijderd") ||
			strings.Contains(decision, in.Text) || strings.Contains(decision, reasons.Explanation) || strings.Contains(decision, reasons.Law) {
			t.Fatalf("decision mail: %q", decision)
		}

		// A decision on the organisation's own initiative stays voluntary.
		pending := putReply(t, srv, p, "3", model.ReplyPending, clock.Now())
		own, err := srv.App.Moderation.Refuse(ctx, auth.Operator(), pending.ID, reasons)
		if err != nil || own.SourceType != moderation.SourceVoluntary || own.NoticeID != "" {
			t.Fatalf("own initiative: %+v %v", own, err)
		}
	})
}

// TestComplaintWindow proves that an author's answer to a statement is a
// complaint within six months of the decision and refused after, with a
// message in both languages; that answers of others are not complaints;
// and that the link key of one statement does not open another's form.
func TestComplaintWindow(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock) {
		ctx := context.Background()
		o := srv.Org(t, "ede")
		p := srv.Post(t, o, "Het stadhuis is dicht op maandag.")
		reasons := moderation.Reasons{Ground: model.GroundIncompatible, Explanation: "Off-topic."}
		var sts []*model.Statement
		for _, n := range []string{"1", "2"} {
			r := putReply(t, srv, p, n, model.ReplyPending, clock.Now())
			st, err := srv.App.Moderation.Refuse(ctx, auth.Operator(), r.ID, reasons)
			if err != nil {
				t.Fatal(err)
			}
			sts = append(sts, st)
		}
		if _, err := srv.App.Moderation.ComplainFromFediverse(ctx, sts[0].ID, "https://social.example/users/lea", "<p>Ik ook</p>"); err != moderation.ErrNoStatement {
			t.Fatalf("another actor's answer: %v, want ErrNoStatement", err)
		}
		key, err := srv.App.Moderation.ComplaintKey(ctx, sts[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.App.Moderation.Subject(ctx, o, sts[1].ID, key); err != moderation.ErrNoStatement {
			t.Fatalf("one statement's key on another: %v", err)
		}
		clock.Advance(5 * 30 * 24 * time.Hour)
		c, err := srv.App.Moderation.ComplainFromFediverse(ctx, sts[0].ID, "https://social.example/users/kim", "<p>Niet mee eens.</p>")
		if err != nil || c.State != model.ComplaintOpen || c.Content != "Niet mee eens." {
			t.Fatalf("a complaint within six months: %+v %v", c, err)
		}
		clock.Advance(40 * 24 * time.Hour)
		_, err = srv.App.Moderation.ComplainFromFediverse(ctx, sts[1].ID, "https://social.example/users/kim", "<p>Te laat.</p>")
		r, ok := moderation.AsRefusal(err)
		if !ok || !strings.Contains(r.Message.In("en"), "more than 6 months old") || !strings.Contains(r.Message.In("nl"), "meer dan 6 maanden") {
			t.Fatalf("a complaint after six months: %v", err)
		}
		if all, _ := srv.App.Moderation.Complaints(ctx, auth.Operator(), o.ID, ""); len(all) != 1 {
			t.Fatalf("%d complaints, want 1", len(all))
		}
	})
}
