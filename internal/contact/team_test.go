package contact_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
)

// TestTeamNotices proves the e-mail notice of a new question: it reaches
// the members who may read the inbox (admins and moderators, or the roles
// the organisation chose), carries the reference and a link to the
// question but nothing the citizen typed, and is not sent when the
// organisation turned notices off or for a question held for review.
func TestTeamNotices(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock) {
		ctx := context.Background()
		o := srv.Org(t, "ede")
		for email, role := range map[string]model.Role{"beheer@ede.nl": model.RoleAdmin, "moderatie@ede.nl": model.RoleModerator,
			"redactie@ede.nl": model.RoleEditor} {
			if _, _, err := srv.App.Auth.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: email}); err != nil {
				t.Fatal(err)
			}
			if err := srv.App.Auth.AddToOrg(ctx, auth.Operator(), o.ID, email, role); err != nil {
				t.Fatal(err)
			}
		}
		in := form(t, srv, clock, o)
		in.Question, in.Name = "Mijn buurman parkeert steeds op de stoep.", "Jan Jansen"
		r, err := srv.App.Contact.Submit(ctx, o, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, to := range []string{"beheer@ede.nl", "moderatie@ede.nl"} {
			m := srv.Mail.WaitFor(t, to, 1)[0]
			if !strings.Contains(m.Subject, r.Reference) || !strings.Contains(m.Text, r.Reference) ||
				!strings.Contains(m.Text, srv.URL+"/staff/orgs/ede/inbox/") {
				t.Errorf("notice to %s: %q\n%s", to, m.Subject, m.Text)
			}
			for _, typed := range []string{"buurman", "stoep", "Jan Jansen", "jan@example.org"} {
				if strings.Contains(m.Subject+m.Text, typed) {
					t.Errorf("the notice to %s carries %q", to, typed)
				}
			}
		}
		srv.Mail.WaitFor(t, "jan@example.org", 1) // the acknowledgement, sent with the notices
		if n := len(srv.Mail.To("redactie@ede.nl")); n != 0 {
			t.Errorf("an editor got %d notices", n)
		}

		// Editors may read the inbox too now, and notices are off.
		if err := srv.App.Contact.SetSettings(ctx, auth.Operator(), model.InboxSettings{OrgID: o.ID,
			Readers: []model.Role{model.RoleEditor}, Notify: false}); err != nil {
			t.Fatal(err)
		}
		editor, err := srv.App.Auth.ActorFor(ctx, "redactie@ede.nl")
		if err != nil {
			t.Fatal(err)
		}
		moderator, err := srv.App.Auth.ActorFor(ctx, "moderatie@ede.nl")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.App.Contact.Inbox(ctx, editor, o.ID); err != nil {
			t.Errorf("an editor reads the inbox: %v", err)
		}
		if _, err := srv.App.Contact.Inbox(ctx, moderator, o.ID); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("a moderator reads the inbox no longer chosen: %v", err)
		}
		if err := srv.App.Contact.SetSettings(ctx, editor, model.InboxSettings{OrgID: o.ID}); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("an editor changes the settings: %v", err)
		}
		in = form(t, srv, clock, o)
		in.ReplyTo = "piet@example.org"
		if _, err := srv.App.Contact.Submit(ctx, o, in); err != nil {
			t.Fatal(err)
		}
		srv.Mail.WaitFor(t, "piet@example.org", 1)
		if n := len(srv.Mail.To("beheer@ede.nl")) + len(srv.Mail.To("redactie@ede.nl")); n != 1 {
			t.Errorf("%d notices after they were turned off, want the first one only", n)
		}
	})
}
