package subscription_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
	"plein/internal/subscription"
)

// TestSubscribersForStaff counts, pages, finds and ends subscriptions
// for staff, each for the roles that may, on both engines.
func TestSubscribersForStaff(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		srv := pleintest.NewServerWith(t, e, pleintest.Options{})
		o, other := srv.Org(t, "almere"), srv.Org(t, "zwolle")
		svc := srv.App.Subscriptions
		actors := map[model.Role]auth.Actor{}
		for _, role := range []model.Role{model.RoleAdmin, model.RoleEditor, model.RoleModerator, model.RoleAnalyst} {
			email := string(role) + "@almere.nl"
			if _, _, err := srv.App.Auth.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: email}); err != nil {
				t.Fatal(err)
			}
			if err := srv.App.Auth.AddToOrg(ctx, auth.Operator(), o.ID, email, role); err != nil {
				t.Fatal(err)
			}
			a, err := srv.App.Auth.ActorFor(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			actors[role] = a
		}
		admin := actors[model.RoleAdmin]
		csv := "email,frequency,tag\na@example.org,now,\nb@example.org,weekly,afval\nc@example.org,daily,afval\nd@example.org,now,buurt\ne@example.org,now,\n"
		opts := subscription.ImportOptions{Consent: "Nieuwsbrief", ConsentAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
		if res, err := svc.Import(ctx, admin, o.ID, strings.NewReader(csv), opts); err != nil || res.Imported != 5 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		if _, err := svc.Import(ctx, auth.Operator(), other.ID, strings.NewReader("email\nz@example.org\n"), opts); err != nil {
			t.Fatal(err)
		}

		b, err := svc.Breakdown(ctx, actors[model.RoleAnalyst], o.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantTopics := []subscription.TopicCount{{Tag: "", Count: 2}, {Tag: "afval", Count: 2}, {Tag: "buurt", Count: 1}}
		if b.Total != 5 || b.States[model.SubscriptionActive] != 5 || b.Frequencies[model.FrequencyNow] != 3 ||
			b.Frequencies[model.FrequencyWeekly] != 1 || len(b.Topics) != 3 || b.Topics[0] != wantTopics[0] || b.Topics[1] != wantTopics[1] || b.Topics[2] != wantTopics[2] {
			t.Errorf("breakdown: %+v", b)
		}

		var seen []string
		after := ""
		for range 3 {
			page, more, err := svc.Page(ctx, admin, o.ID, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range page {
				seen = append(seen, s.Email)
			}
			if !more {
				break
			}
			after = page[len(page)-1].ID
		}
		slices.Sort(seen) // ids made in one millisecond sort at random
		if strings.Join(seen, " ") != "a@example.org b@example.org c@example.org d@example.org e@example.org" {
			t.Errorf("pages: %v", seen)
		}

		sub, err := svc.Find(ctx, admin, o.ID, "B@example.org")
		if err != nil || sub.Email != "b@example.org" {
			t.Fatalf("find: %+v, %v", sub, err)
		}
		if _, err := svc.Find(ctx, admin, o.ID, "z@example.org"); !errors.Is(err, subscription.ErrEnded) {
			t.Errorf("finding another organisation's subscriber: %v", err)
		}
		if _, err := svc.Find(ctx, admin, o.ID, "geen adres"); !errors.Is(err, subscription.ErrInvalidAddress) {
			t.Errorf("finding a non-address: %v", err)
		}
		z, err := svc.Find(ctx, auth.Operator(), other.ID, "z@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.EndByStaff(ctx, admin, o.ID, z.ID); !errors.Is(err, subscription.ErrEnded) {
			t.Errorf("ending another organisation's subscription: %v", err)
		}

		for _, role := range []model.Role{model.RoleEditor, model.RoleModerator, model.RoleAnalyst} {
			a := actors[role]
			if _, _, err := svc.Page(ctx, a, o.ID, "", 10); !errors.Is(err, model.ErrForbidden) {
				t.Errorf("%s paging: %v", role, err)
			}
			if _, err := svc.Find(ctx, a, o.ID, "b@example.org"); !errors.Is(err, model.ErrForbidden) {
				t.Errorf("%s finding: %v", role, err)
			}
			if err := svc.EndByStaff(ctx, a, o.ID, sub.ID); !errors.Is(err, model.ErrForbidden) {
				t.Errorf("%s ending: %v", role, err)
			}
		}
		for _, role := range []model.Role{model.RoleEditor, model.RoleModerator} {
			if _, err := svc.Breakdown(ctx, actors[role], o.ID); !errors.Is(err, model.ErrForbidden) {
				t.Errorf("%s counting: %v", role, err)
			}
		}

		if err := svc.EndByStaff(ctx, admin, o.ID, sub.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Find(ctx, admin, o.ID, "b@example.org"); !errors.Is(err, subscription.ErrEnded) {
			t.Errorf("after ending: %v", err)
		}
		if err := svc.EndByStaff(ctx, admin, o.ID, sub.ID); !errors.Is(err, subscription.ErrEnded) {
			t.Errorf("ending twice: %v", err)
		}
		// An old list imported again does not bring the address back.
		if res, err := svc.Import(ctx, admin, o.ID, strings.NewReader(csv), opts); err != nil || res.Suppressed != 1 || res.Existing != 4 {
			t.Errorf("import after ending: %+v, %v", res, err)
		}
		lines, err := srv.App.Auth.AuditLines(ctx, admin, o.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		var ended int
		for _, l := range lines {
			if l.Entry.Action == "subscribers.end" {
				ended++
				if s := l.Sentence.Sentence("en"); strings.Contains(s, "b@example.org") || !strings.Contains(s, "ended an e-mail subscription to #afval") {
					t.Errorf("audit sentence: %s", s)
				}
				if strings.Contains(l.Entry.Target+l.Entry.Detail, "@") {
					t.Errorf("audit entry holds an address: %+v", l.Entry)
				}
			}
		}
		if ended != 1 {
			t.Errorf("%d audit entries of ending, want 1", ended)
		}
	})
}
