package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/store/storetest"
)

// TestStaffComplaints proves the complaints on the moderation screen: the
// admin who refused a reply sees its complaint without a form to decide
// it, and a form sent anyway is refused, saying they are the only
// moderator; a moderator added since sees the form; a form without CSRF
// token or without explanation is refused, the typed values kept; an
// upheld complaint shows the reply on the post's page again and is listed
// with its outcome.
func TestStaffComplaints(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			f := newStaffFixture(t, e)
			ctx := context.Background()
			p := f.srv.Post(t, f.org, "Het stadhuis is maandag gesloten.")
			kim := "https://social.example/users/kim"
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(f.srv.App.Store.PutRemoteActor(ctx, &model.RemoteActor{ID: kim, Inbox: kim + "/inbox", Username: "kim",
				URL: "https://social.example/@kim", FetchedAt: time.Now()}))
			replyID := "https://social.example/notes/1"
			must(f.srv.App.Store.PutReply(ctx, &model.Reply{ID: replyID, PostID: p.ID, ActorID: kim,
				ContentHTML: "<p>Jammer, ik wilde maandag langskomen.</p>", State: model.ReplyPending, Published: time.Now(), ReceivedAt: time.Now()}))
			queue := "/staff/orgs/rotterdam/replies"
			admin := f.client(t, "admin@rotterdam.nl")
			admin.get(queue) // the form's CSRF token
			if resp, page := admin.post(queue, url.Values{"reply": {replyID}, "action": {"refuse"}, "state": {"pending"},
				"ground": {"incompatible"}, "explanation": {"Dit lijkt op een klacht over iets anders."}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("refuse: %d\n%s", resp.StatusCode, page)
			}
			sts, err := f.srv.App.Moderation.Statements(ctx, auth.Operator(), f.org.ID, time.Time{}, time.Time{})
			if err != nil || len(sts) != 1 {
				t.Fatalf("statements: %v %v", sts, err)
			}
			c, err := f.srv.App.Moderation.ComplainFromFediverse(ctx, sts[0].ID, kim, "<p>Het was een vraag over de openingstijden.</p>")
			must(err)

			resp, page := admin.get(queue)
			for _, want := range []string{"Klachten over besluiten", "Het was een vraag over de openingstijden.", "@kim@social.example",
				"Jammer, ik wilde maandag langskomen.", "U nam dit besluit zelf", c.ID} {
				if resp.StatusCode != http.StatusOK || !strings.Contains(page, want) {
					t.Fatalf("the screen lacks %q (%d):\n%s", want, resp.StatusCode, page)
				}
			}
			if strings.Contains(page, `name="complaint" value="`+c.ID+`"`) {
				t.Error("the admin who decided is offered the form to decide the complaint")
			}
			decide := func() url.Values {
				return url.Values{"complaint": {c.ID}, "outcome": {"upheld"}, "explanation": {"U hebt gelijk."}, "state": {"pending"}}
			}
			resp, page = admin.post(queue+"/complaints", decide())
			if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "enige moderator") {
				t.Fatalf("the deciding admin's form: %d\n%s", resp.StatusCode, page)
			}

			_, pw, err := f.srv.App.Auth.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: "moderator@rotterdam.nl", KeepPassword: true})
			must(err)
			f.passwords["moderator@rotterdam.nl"] = pw
			must(f.srv.App.Auth.AddToOrg(ctx, auth.Operator(), f.org.ID, "moderator@rotterdam.nl", model.RoleModerator))
			mod := f.client(t, "moderator@rotterdam.nl")
			mod.get(queue)
			if resp, page = mod.get(queue); !strings.Contains(page, `name="complaint" value="`+c.ID+`"`) {
				t.Fatalf("the moderator is not offered the form (%d):\n%s", resp.StatusCode, page)
			}
			noToken := url.Values{"csrf": {""}, "complaint": {c.ID}, "outcome": {"upheld"}, "explanation": {"x"}}
			if resp, _ = mod.post(queue+"/complaints", noToken); resp.StatusCode != http.StatusForbidden {
				t.Fatalf("a form without CSRF token: %d", resp.StatusCode)
			}
			resp, page = mod.post(queue+"/complaints", url.Values{"complaint": {c.ID}, "outcome": {"upheld"}, "explanation": {" "}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `aria-invalid="true"`) || !strings.Contains(page, `value="upheld" checked`) {
				t.Fatalf("a form without explanation: %d\n%s", resp.StatusCode, page)
			}
			if resp, _ = mod.post(queue+"/complaints", decide()); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("upheld: %d", resp.StatusCode)
			}
			resp, page = mod.get(resp.Header.Get("Location"))
			if !strings.Contains(page, "Over de klacht is beslist") || !strings.Contains(page, "U hebt gelijk.") || !strings.Contains(page, "toegewezen") {
				t.Fatalf("upheld complaints (%d):\n%s", resp.StatusCode, page)
			}
			f.srv.WaitFresh(t)
			if _, body := f.srv.Get(t, "/@rotterdam/"+p.ID); !strings.Contains(string(body), "Jammer, ik wilde maandag langskomen.") {
				t.Fatalf("the reply is not shown again:\n%s", body)
			}
		})
	}
}

// TestStaffDecisionNamesNotice proves the choice of the notice a removal
// follows on the moderation screen: offered for the reply the notice is
// about, and taken, so that the statement's source is SOURCE_ARTICLE_16
// and the notice is handled.
func TestStaffDecisionNamesNotice(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			f := newStaffFixture(t, e)
			ctx := context.Background()
			p := f.srv.Post(t, f.org, "Het stadhuis is maandag gesloten.")
			replyID := "https://social.example/notes/1"
			if err := f.srv.App.Store.PutReply(ctx, &model.Reply{ID: replyID, PostID: p.ID, ActorID: "https://social.example/users/kim",
				ContentHTML: "<p>Mijn buurman is een oplichter.</p>", State: model.ReplyShown, Published: time.Now(), ReceivedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			notice := &model.Notice{ID: model.NewID(time.Now()), OrgID: f.org.ID, Source: model.NoticeFromForm, Objects: []string{replyID},
				Content: "Smaad", Ground: model.GroundIllegal, Law: "art. 261 Sr", Reference: "M-CCCC-DDDD", State: model.NoticeOpen,
				ReceivedAt: time.Now(), Lang: "nl"}
			if err := f.srv.App.Store.AddNotice(ctx, notice); err != nil {
				t.Fatal(err)
			}
			queue := "/staff/orgs/rotterdam/replies"
			admin := f.client(t, "admin@rotterdam.nl")
			resp, page := admin.get(queue + "?state=shown")
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<option value="`+notice.ID+`">M-CCCC-DDDD`) {
				t.Fatalf("the notice is not offered (%d):\n%s", resp.StatusCode, page)
			}
			resp, page = admin.post(queue, url.Values{"reply": {replyID}, "action": {"hide"}, "state": {"shown"}, "ground": {"illegal"},
				"law": {"art. 261 Sr"}, "explanation": {"Smaad van een buurman."}, "notice": {"nothing"}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "over deze reactie") {
				t.Fatalf("a notice that is not about the reply: %d\n%s", resp.StatusCode, page)
			}
			if resp, _ = admin.post(queue, url.Values{"reply": {replyID}, "action": {"hide"}, "state": {"shown"}, "ground": {"illegal"},
				"law": {"art. 261 Sr"}, "explanation": {"Smaad van een buurman."}, "notice": {notice.ID}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("hide: %d", resp.StatusCode)
			}
			sts, err := f.srv.App.Moderation.Statements(ctx, auth.Operator(), f.org.ID, time.Time{}, time.Time{})
			if err != nil || len(sts) != 1 || sts[0].SourceType != "SOURCE_ARTICLE_16" || sts[0].NoticeID != notice.ID {
				t.Fatalf("statements: %+v %v", sts, err)
			}
			if n, _ := f.srv.App.Store.NoticeByID(ctx, notice.ID); n.State != model.NoticeHandled {
				t.Fatalf("notice: %s", n.State)
			}
		})
	}
}
