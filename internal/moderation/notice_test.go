package moderation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

func forEachEngine(t *testing.T, fn func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock)) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			clock := pleintest.NewClock(time.Now())
			fn(t, pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now}), clock)
		})
	}
}

// noticeForm returns a valid report form about p, shown a minute ago.
func noticeForm(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock, o *model.Org, p *model.Post) moderation.NoticeInput {
	t.Helper()
	token, err := srv.App.Moderation.NoticeToken(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	return moderation.NoticeInput{PostID: p.ID, Ground: "illegal", Law: "Art. 137d Sr", Text: "Dit zet aan tot haat.",
		GoodFaith: true, Token: token, Lang: "nl"}
}

// TestSubmitNoticeRefuses proves that each bad report form is refused on
// its field with a message in both languages, and that nothing is kept.
func TestSubmitNoticeRefuses(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock) {
		ctx := context.Background()
		o, other := srv.Org(t, "ede"), srv.Org(t, "wageningen")
		p := srv.Post(t, o, "Het stadhuis is dicht op maandag.")
		contactToken, err := srv.App.Contact.FormToken(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		otherToken, err := srv.App.Moderation.NoticeToken(ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			edit  func(in *moderation.NoticeInput)
			field string
			want  string
		}{
			{"no good-faith statement", func(in *moderation.NoticeInput) { in.GoodFaith = false }, moderation.NoticeFieldGoodFaith, "accurate and complete"},
			{"empty explanation", func(in *moderation.NoticeInput) { in.Text = " \r\n " }, moderation.NoticeFieldText, "explain why"},
			{"explanation too long", func(in *moderation.NoticeInput) { in.Text = strings.Repeat("a", moderation.MaxNoticeText+1) }, moderation.NoticeFieldText, "the limit is 5000"},
			{"illegal without a law", func(in *moderation.NoticeInput) { in.Law = "" }, moderation.NoticeFieldLaw, "name the law"},
			{"law too long", func(in *moderation.NoticeInput) { in.Law = strings.Repeat("a", moderation.MaxLaw+1) }, moderation.NoticeFieldLaw, "the limit is 500"},
			{"no ground", func(in *moderation.NoticeInput) { in.Ground = "" }, moderation.NoticeFieldGround, "against the law or against"},
			{"bad address", func(in *moderation.NoticeInput) { in.Email = "Jan <jan@example.org>" }, moderation.NoticeFieldEmail, "valid e-mail address"},
			{"name on two lines", func(in *moderation.NoticeInput) { in.Name = "Jan\nBcc: x@example.org" }, moderation.NoticeFieldName, "on one line"},
			{"unknown post", func(in *moderation.NoticeInput) { in.PostID = "nothing" }, moderation.NoticeFieldTarget, "not (or no longer) shown"},
			{"reply not shown", func(in *moderation.NoticeInput) { in.ReplyID = "nothing" }, moderation.NoticeFieldTarget, "not (or no longer) shown"},
			{"no token", func(in *moderation.NoticeInput) { in.Token = "" }, moderation.NoticeFieldToken, "open too long"},
			{"another organisation's token", func(in *moderation.NoticeInput) { in.Token = otherToken }, moderation.NoticeFieldToken, "open too long"},
			{"the contact form's token", func(in *moderation.NoticeInput) { in.Token = contactToken }, moderation.NoticeFieldToken, "open too long"},
			{"expired token", func(in *moderation.NoticeInput) { clock.Advance(5 * time.Hour) }, moderation.NoticeFieldToken, "open too long"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := noticeForm(t, srv, clock, o, p)
				tc.edit(&in)
				_, err := srv.App.Moderation.SubmitNotice(ctx, o, in)
				fe, ok := model.AsFieldError(err)
				if !ok || fe.Field != tc.field || !strings.Contains(fe.In("en"), tc.want) {
					t.Fatalf("error %v, want %q on %s", err, tc.want, tc.field)
				}
				if fe.In("nl") == fe.In("en") {
					t.Errorf("no Dutch message: %q", fe.In("nl"))
				}
			})
		}
		// The honeypot: a receipt, but nothing kept.
		in := noticeForm(t, srv, clock, o, p)
		in.Honeypot = "http://spam.example"
		if r, err := srv.App.Moderation.SubmitNotice(ctx, o, in); err != nil || r.Reference == "" || r.Mailed {
			t.Fatalf("honeypot: %+v %v, want a receipt without mail", r, err)
		}
		if ns, err := srv.App.Store.Notices(ctx, o.ID, 0); err != nil || len(ns) != 0 {
			t.Fatalf("notices kept from refused forms: %+v %v", ns, err)
		}
	})
}

// TestSubmitNoticeKeepsAndMails proves that a report form becomes an open
// notice of source "form" with what was typed and nothing else, that the
// reporter's address gets a receipt with the reference and without their
// text, and that a form sent too fast is kept but not mailed.
func TestSubmitNoticeKeepsAndMails(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock) {
		ctx := context.Background()
		o := srv.Org(t, "ede")
		p := srv.Post(t, o, "Het stadhuis is dicht op maandag.")
		in := noticeForm(t, srv, clock, o, p)
		in.Name, in.Email = "Jan Melder", "jan@example.org"
		r, err := srv.App.Moderation.SubmitNotice(ctx, o, in)
		if err != nil || !r.Mailed || !strings.HasPrefix(r.Reference, "M-") {
			t.Fatalf("submit: %+v %v", r, err)
		}
		ns, err := srv.App.Store.Notices(ctx, o.ID, 0)
		if err != nil || len(ns) != 1 {
			t.Fatalf("notices: %+v %v", ns, err)
		}
		n := ns[0]
		if n.Source != model.NoticeFromForm || n.State != model.NoticeOpen || n.Ground != model.GroundIllegal || n.Law != in.Law ||
			n.Content != in.Text || n.Name != in.Name || n.Email != in.Email || n.Reference != r.Reference || n.Reporter != "" ||
			len(n.Objects) != 1 || n.Objects[0] != p.ID {
			t.Fatalf("notice kept: %+v", n)
		}
		msgs := srv.Mail.WaitFor(t, "jan@example.org", 1)
		if body := msgs[0].Text; !strings.Contains(body, r.Reference) || strings.Contains(body, in.Text) ||
			strings.Contains(body, in.Name) || strings.Contains(body, in.Law) {
			t.Fatalf("receipt mail: %q", body)
		}

		fast, err := srv.App.Moderation.NoticeToken(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		in.Token = fast
		if r, err := srv.App.Moderation.SubmitNotice(ctx, o, in); err != nil || r.Mailed {
			t.Fatalf("form sent at once: %+v %v, want kept without mail", r, err)
		}
		if ns, _ := srv.App.Store.Notices(ctx, o.ID, 0); len(ns) != 2 {
			t.Fatalf("%d notices, want 2", len(ns))
		}
	})
}
