package post_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// approvalOrg is an organisation that requires approval, with one member
// of each role (two approvers and two editors) by e-mail address.
type approvalOrg struct {
	srv    *pleintest.Server
	org    *model.Org
	actors map[string]auth.Actor
}

func newApprovalOrg(t *testing.T, srv *pleintest.Server, distance int) *approvalOrg {
	t.Helper()
	ctx := context.Background()
	a := &approvalOrg{srv: srv, org: srv.Org(t, "gouda"), actors: map[string]auth.Actor{"operator": auth.Operator()}}
	for email, role := range map[string]model.Role{
		"admin@gouda.nl": model.RoleAdmin, "eind@gouda.nl": model.RoleApprover, "eind2@gouda.nl": model.RoleApprover,
		"red@gouda.nl": model.RoleEditor, "red2@gouda.nl": model.RoleEditor, "mod@gouda.nl": model.RoleModerator,
	} {
		if _, _, err := srv.App.Auth.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: email, Name: strings.Split(email, "@")[0]}); err != nil {
			t.Fatal(err)
		}
		if err := srv.App.Auth.AddToOrg(ctx, auth.Operator(), a.org.ID, email, role); err != nil {
			t.Fatal(err)
		}
		actor, err := srv.App.Auth.ActorFor(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		a.actors[email] = actor
	}
	err := srv.App.Posts.SetPolicy(ctx, a.actors["admin@gouda.nl"], a.org.ID, model.ApprovalPolicy{Required: true, CorrectionDistance: distance})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (a *approvalOrg) create(t *testing.T, as, text string, w post.When) *model.Post {
	t.Helper()
	p, err := a.srv.App.Posts.Create(context.Background(), a.actors[as], a.org.ID, post.Input{Text: text}, w)
	if err != nil {
		t.Fatalf("create as %s: %v", as, err)
	}
	return p
}

func (a *approvalOrg) state(t *testing.T, id string) model.PostState {
	t.Helper()
	p, err := a.srv.App.Posts.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.State
}

// refusedWith reports whether err is a FieldError with the message key.
func refusedWith(err error, key i18n.Key) bool {
	fe, ok := model.AsFieldError(err)
	if !ok {
		return false
	}
	m, ok := fe.Message.(i18n.Message)
	return ok && m.Key == key
}

// TestWhoMayApprove proves who may approve whose post: approvers and admins
// approve the posts of others; nobody approves their own, admins included;
// editors and moderators approve nothing; the operator must name an
// account.
func TestWhoMayApprove(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server) {
		a := newApprovalOrg(t, srv, 0)
		ctx := context.Background()
		for _, tc := range []struct {
			name, author, approver string
			refused                func(error) bool // nil: approved
		}{
			{"approver approves an editor's post", "red@gouda.nl", "eind@gouda.nl", nil},
			{"admin approves an editor's post", "red@gouda.nl", "admin@gouda.nl", nil},
			{"approver approves another approver's post", "eind2@gouda.nl", "eind@gouda.nl", nil},
			{"approver approves an admin's post", "admin@gouda.nl", "eind@gouda.nl", nil},
			{"admin approves an approver's post", "eind@gouda.nl", "admin@gouda.nl", nil},
			{"approver approves own post", "eind@gouda.nl", "eind@gouda.nl", func(err error) bool { return refusedWith(err, i18n.ErrSelfApproval) }},
			{"admin approves own post", "admin@gouda.nl", "admin@gouda.nl", func(err error) bool { return refusedWith(err, i18n.ErrSelfApproval) }},
			{"editor approves own post", "red@gouda.nl", "red@gouda.nl", func(err error) bool { return errors.Is(err, model.ErrForbidden) }},
			{"editor approves another editor's post", "red2@gouda.nl", "red@gouda.nl", func(err error) bool { return errors.Is(err, model.ErrForbidden) }},
			{"moderator approves", "red@gouda.nl", "mod@gouda.nl", func(err error) bool { return errors.Is(err, model.ErrForbidden) }},
			{"operator approves", "red@gouda.nl", "operator", func(err error) bool { return refusedWith(err, i18n.ErrApprovalNeedsAccount) }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := a.create(t, tc.author, "Bericht: "+tc.name, post.When{})
				if p.State != model.StateAwaiting || !p.PublishAt.IsZero() {
					t.Fatalf("a post submitted for publication: %s at %v, want awaiting at approval", p.State, p.PublishAt)
				}
				got, err := srv.App.Posts.Approve(ctx, a.actors[tc.approver], p.ID)
				if tc.refused == nil {
					if err != nil || got.State != model.StatePublished {
						t.Fatalf("approve: %v, %+v", err, got)
					}
					return
				}
				if !tc.refused(err) {
					t.Fatalf("approve: %v, want a refusal", err)
				}
				if st := a.state(t, p.ID); st != model.StateAwaiting {
					t.Fatalf("after the refusal the post is %s, want awaiting", st)
				}
			})
		}
		// The refusal of self-approval reads in both languages.
		msg := i18n.M(i18n.ErrSelfApproval)
		if nl, en := msg.Sentence("nl"), msg.Sentence("en"); !strings.Contains(nl, "zelf") || !strings.Contains(en, "yourself") {
			t.Errorf("refusal: %q / %q", nl, en)
		}
		// An editor who edits another's post awaiting approval is one of
		// its authors too.
		p := a.create(t, "red@gouda.nl", "Bericht van twee schrijvers", post.When{})
		if _, err := srv.App.Posts.Edit(ctx, a.actors["eind@gouda.nl"], p.ID, post.Input{Text: "Bericht van twee schrijvers, verbeterd"}); err != nil {
			t.Fatal(err)
		}
		if _, err := srv.App.Posts.Approve(ctx, a.actors["eind@gouda.nl"], p.ID); !refusedWith(err, i18n.ErrSelfApproval) {
			t.Fatalf("approval by a co-author: %v", err)
		}
		if _, err := srv.App.Posts.Approve(ctx, a.actors["eind2@gouda.nl"], p.ID); err != nil {
			t.Fatalf("approval by another: %v", err)
		}
		// So is whoever wrote the draft that another submitted.
		d, err := srv.App.Posts.Create(ctx, a.actors["eind@gouda.nl"], a.org.ID, post.Input{Text: "Concept van de eindredacteur"}, post.When{Draft: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.App.Posts.Publish(ctx, a.actors["red@gouda.nl"], d.ID, post.When{}); err != nil {
			t.Fatal(err)
		}
		if _, err := srv.App.Posts.Approve(ctx, a.actors["eind@gouda.nl"], d.ID); !refusedWith(err, i18n.ErrSelfApproval) {
			t.Fatalf("approval by the writer of the draft: %v", err)
		}
	})
}

// TestCrisisPublication proves that only admins and the operator publish
// without approval, and only by stating a reason, which the audit log
// keeps; the operator cannot submit for approval and must give one.
func TestCrisisPublication(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server) {
		a := newApprovalOrg(t, srv, 0)
		ctx := context.Background()
		for _, tc := range []struct {
			name, as, reason string
			want             model.PostState
			refusal          i18n.Key
		}{
			{"operator without reason", "operator", "", "", i18n.ErrApprovalOperatorReason},
			{"operator with reason", "operator", "Dijk doorgebroken", model.StatePublished, ""},
			{"admin with reason", "admin@gouda.nl", "Gaslek in het centrum", model.StatePublished, ""},
			{"admin without reason", "admin@gouda.nl", "", model.StateAwaiting, ""},
			{"approver with reason", "eind@gouda.nl", "Brand", "", i18n.ErrCrisisAdminsOnly},
			{"editor with reason", "red@gouda.nl", "Brand", "", i18n.ErrCrisisAdminsOnly},
			{"admin with a reason too long", "admin@gouda.nl", strings.Repeat("x", post.MaxReasonLength+1), "", i18n.ErrReasonTooLong},
		} {
			t.Run(tc.name, func(t *testing.T) {
				text := "Crisis: " + tc.name
				p, err := srv.App.Posts.Create(ctx, a.actors[tc.as], a.org.ID, post.Input{Text: text}, post.When{Reason: tc.reason})
				if tc.refusal != "" {
					if !refusedWith(err, tc.refusal) {
						t.Fatalf("create: %v, want %s", err, tc.refusal)
					}
					return
				}
				if err != nil || p.State != tc.want {
					t.Fatalf("create: %v, %+v; want %s", err, p, tc.want)
				}
				crisis := false
				lines, err := srv.App.Auth.AuditLines(ctx, auth.Operator(), a.org.ID, 50)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range lines {
					if l.Entry.Action == post.AuditCrisis && l.Entry.Target == p.ID {
						crisis = true
						if l.Entry.Detail != tc.reason || !strings.Contains(l.Sentence.In("en"), tc.reason) || !strings.Contains(l.Sentence.In("nl"), "zonder goedkeuring") {
							t.Errorf("crisis entry: %+v, %q", l.Entry, l.Sentence.In("en"))
						}
					}
				}
				if crisis != (tc.reason != "") {
					t.Errorf("crisis in the audit log: %v", crisis)
				}
			})
		}
		// A draft needs no reason, also from the operator; publishing it
		// does.
		d, err := srv.App.Posts.Create(ctx, auth.Operator(), a.org.ID, post.Input{Text: "Concept van de beheerder"}, post.When{Draft: true})
		if err != nil || d.State != model.StateDraft {
			t.Fatalf("draft: %v", err)
		}
		if _, err := srv.App.Posts.Publish(ctx, auth.Operator(), d.ID, post.When{}); !refusedWith(err, i18n.ErrApprovalOperatorReason) {
			t.Fatalf("publishing a draft without a reason: %v", err)
		}
		if p, err := srv.App.Posts.Publish(ctx, auth.Operator(), d.ID, post.When{Reason: "Evacuatie"}); err != nil || p.State != model.StatePublished {
			t.Fatalf("publishing a draft with a reason: %v", err)
		}
	})
}

// TestIsCorrection proves the rule for corrections of typing errors that
// pass without approval.
func TestIsCorrection(t *testing.T) {
	pub := &model.Post{Text: "De markt op het Plein is zaterdag 12 april open van 9 tot 17 uur. Zie https://gouda.nl/markt #markt @gouda@social.example",
		Language: "nl", Attachments: []model.Attachment{{MediaID: "m1", Alt: "Kramen"}}}
	img := []post.ImageInput{{MediaID: "m1", Alt: "Kramen"}}
	for _, tc := range []struct {
		name     string
		text     string
		images   []post.ImageInput
		summary  string
		lang     string
		distance int
		want     bool
	}{
		{"a typing error", strings.Replace(pub.Text, "markt op", "makrt op", 1), img, "", "nl", 3, true},
		{"the same typing error, corrections off", strings.Replace(pub.Text, "markt op", "makrt op", 1), img, "", "nl", 0, false},
		{"more characters than allowed", strings.Replace(pub.Text, "zaterdag", "zondag", 1), img, "", "nl", 3, false},
		{"a number", strings.Replace(pub.Text, "12 april", "13 april", 1), img, "", "nl", 3, false},
		{"a time", strings.Replace(pub.Text, "tot 17", "tot 18", 1), img, "", "nl", 3, false},
		{"a link", strings.Replace(pub.Text, "gouda.nl/markt", "gouda.nl/mark", 1), img, "", "nl", 3, false},
		{"a hashtag", strings.Replace(pub.Text, "#markt", "#mark", 1), img, "", "nl", 3, false},
		{"a mention", strings.Replace(pub.Text, "@gouda@", "@goud@", 1), img, "", "nl", 3, false},
		{"an image removed", pub.Text + "!", nil, "", "nl", 3, false},
		{"an alt text", pub.Text + "!", []post.ImageInput{{MediaID: "m1", Alt: "Kraam"}}, "", "nl", 3, false},
		{"a content warning", pub.Text + "!", img, "Let op", "nl", 3, false},
		{"the language", pub.Text + "!", img, "", "en", 3, false},
		{"a word added", pub.Text + " Welkom", img, "", "nl", 3, false},
		{"a letter added", pub.Text + "!", img, "", "nl", 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := post.Input{Text: tc.text, Summary: tc.summary, Language: tc.lang, Images: tc.images}
			if got := post.IsCorrection(pub, in, tc.distance); got != tc.want {
				t.Errorf("IsCorrection = %v, want %v", got, tc.want)
			}
		})
	}
	// Two typing errors far apart in a long text count both.
	long := "A" + strings.Repeat("b", 5000) + "C"
	edited := "a" + strings.Repeat("b", 5000) + "c"
	if !post.IsCorrection(&model.Post{Text: long}, post.Input{Text: edited}, 2) || post.IsCorrection(&model.Post{Text: long}, post.Input{Text: edited}, 1) {
		t.Error("two errors apart in a long text")
	}
}

// TestEditOfPublishedPostAwaitsApproval proves that an edit of a published
// post stays apart, the published version public, until someone else
// approves it; a small correction passes, and the audit log says so.
func TestEditOfPublishedPostAwaitsApproval(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server) {
		a := newApprovalOrg(t, srv, 2)
		ctx := context.Background()
		red, eind := a.actors["red@gouda.nl"], a.actors["eind@gouda.nl"]
		p := a.create(t, "red@gouda.nl", "Het zwembad is dicht op maandag", post.When{})
		if _, err := srv.App.Posts.Approve(ctx, eind, p.ID); err != nil {
			t.Fatal(err)
		}
		// A typing error passes.
		got, err := srv.App.Posts.Edit(ctx, red, p.ID, post.Input{Text: "Het zwembad is dicht op maandag."})
		if err != nil || got.Text != "Het zwembad is dicht op maandag." || got.Revisions != 2 {
			t.Fatalf("correction: %v, %+v", err, got)
		}
		if ap, _ := srv.App.Posts.Approval(ctx, p.ID); ap != nil {
			t.Fatalf("a correction awaits approval: %+v", ap)
		}
		// A real change waits.
		got, err = srv.App.Posts.Edit(ctx, red, p.ID, post.Input{Text: "Het zwembad is dicht op maandag en dinsdag."})
		if err != nil || got.Text != "Het zwembad is dicht op maandag." || got.State != model.StatePublished {
			t.Fatalf("edit awaiting approval changed the post: %v, %+v", err, got)
		}
		ap, err := srv.App.Posts.Approval(ctx, p.ID)
		if err != nil || ap == nil || ap.Kind != model.ApprovalEdit || ap.Text != "Het zwembad is dicht op maandag en dinsdag." {
			t.Fatalf("pending edit: %v, %+v", err, ap)
		}
		srv.WaitFresh(t)
		if _, b := srv.Get(t, "/@gouda/"+p.ID); strings.Contains(string(b), "dinsdag") {
			t.Fatal("the edit awaiting approval is public")
		}
		if _, err := srv.App.Posts.Approve(ctx, red, p.ID); !errors.Is(err, model.ErrForbidden) {
			t.Fatalf("editor approves own edit: %v", err)
		}
		// Returned, changed, approved.
		if _, err := srv.App.Posts.Return(ctx, eind, p.ID, "Noem ook de openingstijden"); err != nil {
			t.Fatal(err)
		}
		if ap, _ := srv.App.Posts.Approval(ctx, p.ID); ap == nil || !ap.Returned || ap.Note != "Noem ook de openingstijden" {
			t.Fatalf("returned edit: %+v", ap)
		}
		if _, err := srv.App.Posts.Edit(ctx, red, p.ID, post.Input{Text: "Het zwembad is dicht op maandag en dinsdag; woensdag open vanaf 7 uur."}); err != nil {
			t.Fatal(err)
		}
		got, err = srv.App.Posts.Approve(ctx, eind, p.ID)
		if err != nil || !strings.Contains(got.Text, "woensdag") || got.Revisions != 3 {
			t.Fatalf("approved edit: %v, %+v", err, got)
		}
		revs, err := srv.App.Posts.Revisions(ctx, p.ID)
		if err != nil || revs[len(revs)-1].EditorID != red.UserID {
			t.Fatalf("the revision is not in the author's name: %v, %+v", err, revs[len(revs)-1])
		}
		var actions []string
		lines, err := srv.App.Auth.AuditLines(ctx, auth.Operator(), a.org.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			actions = append(actions, l.Entry.Action)
			if strings.HasPrefix(l.Sentence.In("en"), "audit.") || strings.Contains(l.Sentence.In("nl"), "%!") {
				t.Errorf("audit sentence of %s: %q", l.Entry.Action, l.Sentence.In("nl"))
			}
		}
		for _, want := range []string{post.AuditCreateAwaiting, post.AuditApprove, post.AuditCorrect, post.AuditEditSubmit, post.AuditReturnEdit, post.AuditApproveEdit, post.AuditPolicy} {
			if !strings.Contains(strings.Join(actions, " "), want) {
				t.Errorf("audit log lacks %s: %v", want, actions)
			}
		}
	})
}

// TestReturnAndResubmit proves the round of a post from its author to the
// approvers and back, and the notices mailed on the way.
func TestReturnAndResubmit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server) {
		a := newApprovalOrg(t, srv, 0)
		ctx := context.Background()
		red, eind := a.actors["red@gouda.nl"], a.actors["eind@gouda.nl"]
		p := a.create(t, "red@gouda.nl", "Afvalinzameling verschoven\n\nDe rest van de tekst", post.When{})
		// Every approver and admin is told, the author not.
		for _, to := range []string{"eind@gouda.nl", "eind2@gouda.nl", "admin@gouda.nl"} {
			m := srv.Mail.WaitFor(t, to, 1)[0]
			if !strings.Contains(m.Subject, "wacht op goedkeuring") || !strings.Contains(m.Subject, "awaiting approval") ||
				!strings.Contains(m.Text, "Afvalinzameling verschoven") || strings.Contains(m.Text, "De rest van de tekst") ||
				!strings.Contains(m.Text, "/staff/orgs/gouda/approvals") {
				t.Errorf("notice to %s: %q\n%s", to, m.Subject, m.Text)
			}
		}
		if _, err := srv.App.Posts.Return(ctx, eind, p.ID, " "); !refusedWith(err, i18n.ErrNoteEmpty) {
			t.Fatalf("return without a note: %v", err)
		}
		if _, err := srv.App.Posts.Return(ctx, red, p.ID, "Zelf terug"); !errors.Is(err, model.ErrForbidden) {
			t.Fatalf("editor returns: %v", err)
		}
		got, err := srv.App.Posts.Return(ctx, eind, p.ID, "Welke wijken?")
		if err != nil || got.State != model.StateReturned {
			t.Fatalf("return: %v, %+v", err, got)
		}
		m := srv.Mail.WaitFor(t, "red@gouda.nl", 1)[0]
		if !strings.Contains(m.Subject, "teruggestuurd") || !strings.Contains(m.Text, "/staff/orgs/gouda/posts/"+p.ID) {
			t.Errorf("returned notice: %q\n%s", m.Subject, m.Text)
		}
		if _, err := srv.App.Posts.Approve(ctx, eind, p.ID); !refusedWith(err, i18n.ErrApprovalReturned) {
			t.Fatalf("approving a returned post: %v", err)
		}
		if _, err := srv.App.Posts.Edit(ctx, red, p.ID, post.Input{Text: "Afvalinzameling verschoven in Noord en West"}); err != nil {
			t.Fatal(err)
		}
		if st := a.state(t, p.ID); st != model.StateReturned {
			t.Fatalf("editing a returned post: %s, want returned until submitted", st)
		}
		if got, err = srv.App.Posts.Publish(ctx, red, p.ID, post.When{}); err != nil || got.State != model.StateAwaiting {
			t.Fatalf("resubmit: %v, %+v", err, got)
		}
		if _, err := srv.App.Posts.Publish(ctx, red, p.ID, post.When{}); !refusedWith(err, i18n.ErrAlreadyAwaiting) {
			t.Fatalf("submitting twice: %v", err)
		}
		srv.Mail.WaitFor(t, "eind@gouda.nl", 2)
		if got, err = srv.App.Posts.Approve(ctx, eind, p.ID); err != nil || got.State != model.StatePublished {
			t.Fatalf("approve: %v, %+v", err, got)
		}
		srv.WaitFresh(t)
		if _, b := srv.Get(t, "/@gouda/"+p.ID); !strings.Contains(string(b), "Noord en West") {
			t.Fatal("the approved post is not public")
		}
	})
}

// TestScheduledPostMissesItsTime proves that a scheduled post not approved
// by its time is not published, stays awaiting approval and its author is
// told; approved before its time, it is published at its time.
func TestScheduledPostMissesItsTime(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server) {
		a := newApprovalOrg(t, srv, 0)
		ctx := context.Background()
		at := time.Now().Add(2 * time.Second)
		missed := a.create(t, "red@gouda.nl", "Ingepland maar niet goedgekeurd", post.When{At: at})
		if missed.State != model.StateAwaiting || !missed.PublishAt.Equal(at.UTC().Truncate(time.Microsecond)) && !missed.PublishAt.Equal(at.UTC()) {
			t.Fatalf("scheduled post: %s at %v", missed.State, missed.PublishAt)
		}
		onTime := a.create(t, "red2@gouda.nl", "Ingepland en goedgekeurd", post.When{At: at})
		if p, err := srv.App.Posts.Approve(ctx, a.actors["eind@gouda.nl"], onTime.ID); err != nil || p.State != model.StateScheduled {
			t.Fatalf("approved before its time: %v, %+v", err, p)
		}
		m := srv.Mail.WaitFor(t, "red@gouda.nl", 1)[0]
		if !strings.Contains(m.Subject, "niet gepubliceerd") || !strings.Contains(m.Subject, "not published") {
			t.Errorf("missed notice: %q", m.Subject)
		}
		if st := a.state(t, missed.ID); st != model.StateAwaiting {
			t.Fatalf("missed post is %s, want awaiting", st)
		}
		pleintest.Eventually(t, 15*time.Second, func() error {
			if st := a.state(t, onTime.ID); st != model.StatePublished {
				return pleintest.ErrNotYet
			}
			return nil
		})
		if len(srv.Mail.To("red2@gouda.nl")) != 0 {
			t.Error("the author of the approved post was told it missed its time")
		}
		// Approved late, it is published at once.
		if p, err := srv.App.Posts.Approve(ctx, a.actors["eind@gouda.nl"], missed.ID); err != nil || p.State != model.StatePublished {
			t.Fatalf("approved after its time: %v, %+v", err, p)
		}
	})
}

// TestApprovalPolicySetting proves who may set the policy and its limits.
func TestApprovalPolicySetting(t *testing.T) {
	e := storetest.Engines()[0]
	srv := pleintest.NewServer(t, e)
	a := newApprovalOrg(t, srv, 0)
	ctx := context.Background()
	if err := srv.App.Posts.SetPolicy(ctx, a.actors["eind@gouda.nl"], a.org.ID, model.ApprovalPolicy{}); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("approver sets the policy: %v", err)
	}
	if err := srv.App.Posts.SetPolicy(ctx, auth.Operator(), a.org.ID, model.ApprovalPolicy{Required: true, CorrectionDistance: post.MaxCorrectionDistance + 1}); !refusedWith(err, i18n.ErrCorrectionDistance) {
		t.Fatalf("distance over the limit: %v", err)
	}
	if err := srv.App.Posts.SetPolicy(ctx, auth.Operator(), a.org.ID, model.ApprovalPolicy{}); err != nil {
		t.Fatal(err)
	}
	if p := a.create(t, "red@gouda.nl", "Zonder goedkeuring", post.When{}); p.State != model.StatePublished {
		t.Fatalf("with approval off: %s", p.State)
	}
}

// TestEditRoutes proves how an edit goes where approval is required: of a
// published post it awaits approval unless an admin or the operator states
// a crisis; of an approved, scheduled post it takes the post back to
// awaiting approval, so that what is published is what was approved.
func TestEditRoutes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server) {
		a := newApprovalOrg(t, srv, 0)
		ctx := context.Background()
		for _, tc := range []struct {
			name, as, reason string
			pending          bool
			refusal          i18n.Key
		}{
			{"editor", "red@gouda.nl", "", true, ""},
			{"approver", "eind@gouda.nl", "", true, ""},
			{"admin", "admin@gouda.nl", "", true, ""},
			{"admin in a crisis", "admin@gouda.nl", "Verkeerde evacuatieroute", false, ""},
			{"operator in a crisis", "operator", "Verkeerde evacuatieroute", false, ""},
			{"operator without reason", "operator", "", false, i18n.ErrApprovalOperatorReason},
			{"editor with a reason", "red@gouda.nl", "Haast", false, i18n.ErrCrisisAdminsOnly},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p, err := srv.App.Posts.Create(ctx, auth.Operator(), a.org.ID, post.Input{Text: "Evacuatie via de Goudse Poort"}, post.When{Reason: "Opzet"})
				if err != nil {
					t.Fatal(err)
				}
				got, err := srv.App.Posts.Edit(ctx, a.actors[tc.as], p.ID, post.Input{Text: "Evacuatie via de Burgemeester Jamessingel", Reason: tc.reason})
				if tc.refusal != "" {
					if !refusedWith(err, tc.refusal) {
						t.Fatalf("edit: %v, want %s", err, tc.refusal)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				pending, err := srv.App.Posts.Approval(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if (pending != nil) != tc.pending || tc.pending == strings.Contains(got.Text, "Jamessingel") {
					t.Fatalf("pending %+v, text %q", pending, got.Text)
				}
			})
		}

		eind := a.actors["eind@gouda.nl"]
		p := a.create(t, "red@gouda.nl", "Concert in het park", post.When{At: time.Now().Add(time.Hour)})
		if p, err := srv.App.Posts.Approve(ctx, eind, p.ID); err != nil || p.State != model.StateScheduled {
			t.Fatalf("approve: %v, %+v", err, p)
		}
		got, err := srv.App.Posts.Edit(ctx, a.actors["red@gouda.nl"], p.ID, post.Input{Text: "Concert in het park gaat niet door"})
		if err != nil || got.State != model.StateAwaiting {
			t.Fatalf("edit of an approved scheduled post: %v, %+v", err, got)
		}
		if got, err = srv.App.Posts.Approve(ctx, eind, p.ID); err != nil || got.State != model.StateScheduled {
			t.Fatalf("approve again: %v, %+v", err, got)
		}
		// Deleting a post ends what awaited approval for it.
		q := a.create(t, "red@gouda.nl", "Wordt verwijderd", post.When{})
		if _, err := srv.App.Posts.Delete(ctx, a.actors["red@gouda.nl"], q.ID); err != nil {
			t.Fatal(err)
		}
		if pending, err := srv.App.Posts.Approval(ctx, q.ID); err != nil || pending != nil {
			t.Fatalf("approval of a deleted post: %+v, %v", pending, err)
		}
	})
}
