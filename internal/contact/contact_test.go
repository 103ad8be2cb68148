package contact_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/contact"
	"plein/internal/mail"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store"
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

// form returns a valid input of the contact form of o, shown a minute ago.
func form(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock, o *model.Org) contact.Input {
	t.Helper()
	token, err := srv.App.Contact.FormToken(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	return contact.Input{Question: "Wanneer is het stadhuis open?", ReplyTo: "jan@example.org", Token: token, Lang: "nl"}
}

// TestSubmitRefuses proves that each bad field is refused on its own
// field with a message in both languages, and that nothing is stored.
func TestSubmitRefuses(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock) {
		ctx := context.Background()
		o, other := srv.Org(t, "ede"), srv.Org(t, "wageningen")
		otherToken, err := srv.App.Contact.FormToken(ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			edit  func(in *contact.Input)
			field string
			want  string
		}{
			{"empty question", func(in *contact.Input) { in.Question = " \n " }, contact.FieldQuestion, "write your question"},
			{"long question", func(in *contact.Input) { in.Question = strings.Repeat("a", contact.MaxQuestionLength+1) }, contact.FieldQuestion, "the limit is 5000"},
			{"name on two lines", func(in *contact.Input) { in.Name = "Jan\nBcc: x@example.org" }, contact.FieldName, "on one line"},
			{"no address", func(in *contact.Input) { in.ReplyTo = "" }, contact.FieldEmail, "valid e-mail address"},
			{"address with a name", func(in *contact.Input) { in.ReplyTo = "Jan <jan@example.org>" }, contact.FieldEmail, "valid e-mail address"},
			{"two addresses", func(in *contact.Input) { in.ReplyTo = "jan@example.org,piet@example.org" }, contact.FieldEmail, "valid e-mail address"},
			{"half a Fediverse address", func(in *contact.Input) { in.ReplyTo = "@jan" }, contact.FieldEmail, "Fediverse address"},
			{"unknown topic", func(in *contact.Input) { in.Topic = "klachten" }, contact.FieldTopic, "choose a topic"},
			{"no token", func(in *contact.Input) { in.Token = "" }, contact.FieldToken, "open too long or is damaged"},
			{"another organisation's token", func(in *contact.Input) { in.Token = otherToken }, contact.FieldToken, "open too long"},
			{"an IBAN", func(in *contact.Input) { in.Question = "Stort het op NL91 ABNA 0417 1643 00" }, contact.FieldSensitive, "an IBAN (bank account number)"},
			{"a bare BSN", func(in *contact.Input) { in.Question = "Mijn nummer: 123456782" }, contact.FieldSensitive, "a BSN (citizen service number)"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := form(t, srv, clock, o)
				tc.edit(&in)
				_, err := srv.App.Contact.Submit(ctx, o, in)
				fe, ok := model.AsFieldError(err)
				if !ok || fe.Field != tc.field || !strings.Contains(fe.In("en"), tc.want) {
					t.Fatalf("error %v, want %q on %s", err, tc.want, tc.field)
				}
				if fe.In("nl") == fe.In("en") {
					t.Errorf("no Dutch message: %q", fe.In("nl"))
				}
			})
		}
		in := form(t, srv, clock, o)
		clock.Advance(contact.TokenLifetime)
		if _, err := srv.App.Contact.Submit(ctx, o, in); err == nil {
			t.Error("an expired form was taken")
		}
		if qs, err := srv.App.Store.ListQuestions(ctx, store.QuestionFilter{OrgID: o.ID}); err != nil || len(qs) != 0 {
			t.Errorf("stored after refusals: %v %v", qs, err)
		}
	})
}

// TestSubmitHoldsOverLimits proves that questions over a limit are kept
// for review without an acknowledgement, and that a question with a
// Fediverse address is taken without a mail.
func TestSubmitHoldsOverLimits(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock) {
		ctx := context.Background()
		o := srv.Org(t, "ede")
		state := func(ref string) model.QuestionState {
			t.Helper()
			qs, err := srv.App.Store.ListQuestions(ctx, store.QuestionFilter{OrgID: o.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range qs {
				if q.Reference == ref {
					return q.State
				}
			}
			t.Fatalf("no question %s", ref)
			return ""
		}
		for i := range contact.PerAddressPerDay {
			r, err := srv.App.Contact.Submit(ctx, o, form(t, srv, clock, o))
			if err != nil || !r.Mailed || state(r.Reference) != model.QuestionNew {
				t.Fatalf("question %d: %+v %v", i, r, err)
			}
		}
		r, err := srv.App.Contact.Submit(ctx, o, form(t, srv, clock, o))
		if err != nil || r.Mailed || state(r.Reference) != model.QuestionHeld {
			t.Fatalf("question over the limit of one address: %+v %v", r, err)
		}
		in := form(t, srv, clock, o)
		in.ReplyTo, in.OverLimit = "anders@example.org", true
		if r, err := srv.App.Contact.Submit(ctx, o, in); err != nil || r.Mailed || state(r.Reference) != model.QuestionHeld {
			t.Fatalf("question over the client's limit: %+v %v", r, err)
		}
		in = form(t, srv, clock, o)
		in.ReplyTo = "@jan@social.example"
		if r, err := srv.App.Contact.Submit(ctx, o, in); err != nil || r.Mailed || state(r.Reference) != model.QuestionNew {
			t.Fatalf("question with a Fediverse address: %+v %v", r, err)
		}
		// A day later the address may ask again.
		clock.Advance(24 * time.Hour)
		if r, err := srv.App.Contact.Submit(ctx, o, form(t, srv, clock, o)); err != nil || state(r.Reference) != model.QuestionNew {
			t.Fatalf("a day later: %+v %v", r, err)
		}
		msgs := srv.Mail.WaitFor(t, "jan@example.org", contact.PerAddressPerDay+1)
		for _, m := range msgs {
			if strings.Contains(m.Text, "stadhuis") {
				t.Errorf("an acknowledgement quotes the question: %q", m.Text)
			}
		}
	})
}

// TestInboxAnswerIsMailed proves that an answer reaches the citizen's
// address once, with the reference number, that only roles that may
// moderate read the inbox, and that the inbox masks sensitive numbers
// until one reveals them.
func TestInboxAnswerIsMailed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock) {
		ctx := context.Background()
		o := srv.Org(t, "ede")
		in := form(t, srv, clock, o)
		in.Question, in.AllowSensitive = "Mijn rekening is NL91 ABNA 0417 1643 00. Klopt de aanslag?", true
		r, err := srv.App.Contact.Submit(ctx, o, in)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[string]model.Role{"redactie@ede.nl": model.RoleEditor, "moderator@ede.nl": model.RoleModerator}
		actors := map[string]auth.Actor{}
		for email, role := range roles {
			if _, _, err := srv.App.Auth.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: email, Name: string(role)}); err != nil {
				t.Fatal(err)
			}
			if err := srv.App.Auth.AddToOrg(ctx, auth.Operator(), o.ID, email, role); err != nil {
				t.Fatal(err)
			}
			if actors[email], err = srv.App.Auth.ActorFor(ctx, email); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := srv.App.Contact.Inbox(ctx, actors["redactie@ede.nl"], o.ID); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("an editor reads the inbox: %v", err)
		}
		mod := actors["moderator@ede.nl"]
		items, err := srv.App.Contact.Inbox(ctx, mod, o.ID)
		if err != nil || len(items) != 1 || !items[0].Masked || strings.Contains(items[0].Text, "NL91") {
			t.Fatalf("inbox: %+v %v", items, err)
		}
		it, err := srv.App.Contact.Question(ctx, mod, items[0].ID, true)
		if err != nil || !strings.Contains(it.Text, "NL91 ABNA 0417 1643 00") {
			t.Fatalf("revealed: %+v %v", it, err)
		}
		if _, err := srv.App.Contact.Answer(ctx, mod, it.ID, "  "); err == nil {
			t.Error("an empty answer was taken")
		}
		if _, err := srv.App.Contact.Answer(ctx, mod, it.ID, "De aanslag klopt; u hoeft niets te doen."); err != nil {
			t.Fatal(err)
		}
		msgs := srv.Mail.WaitFor(t, "jan@example.org", 2) // the acknowledgement and the answer
		var answer *mail.Message
		for _, m := range msgs {
			if strings.Contains(m.Text, "De aanslag klopt") {
				answer = m
			}
		}
		if answer == nil || !strings.Contains(answer.Subject, r.Reference) || answer.FromName != o.DisplayName {
			t.Fatalf("answer mail: %+v", answer)
		}
		pleintest.Eventually(t, 30*time.Second, func() error {
			it, err := srv.App.Contact.Question(ctx, mod, it.ID, false)
			if err != nil {
				return err
			}
			if it.State != model.QuestionAnswered || len(it.Answers) != 1 || it.Answers[0].SentAt.IsZero() {
				return fmt.Errorf("question %+v, answers %+v", it.Question, it.Answers)
			}
			return nil
		})
		if n := len(srv.Mail.To("jan@example.org")); n != 2 {
			t.Errorf("%d mails, want 2", n)
		}
	})
}
