package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/store/storetest"
)

// TestStaffModeration proves the moderation screen: moderators and admins
// see the pending replies with their post, author and server; editors do
// not; a refusal without an explanation is refused with the typed values
// kept; an approved reply is shown on the post's public page, linking to
// its author's profile, and a refused one is not; an organisation that
// shows no replies shows none.
func TestStaffModeration(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			f := newStaffFixture(t, e)
			ctx := context.Background()
			p := f.srv.Post(t, f.org, "Het stadhuis is maandag gesloten.")
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(f.srv.App.Store.PutRemoteActor(ctx, &model.RemoteActor{ID: "https://social.example/users/kim",
				Inbox: "https://social.example/users/kim/inbox", Username: "kim", URL: "https://social.example/@kim", FetchedAt: time.Now()}))
			for n, text := range map[string]string{"1": "Dank voor het bericht", "2": "Koop goedkope horloges",
				"3": "Mijn BSN is 111222333, kunt u mij bellen?"} {
				must(f.srv.App.Store.PutReply(ctx, &model.Reply{ID: "https://social.example/notes/" + n, PostID: p.ID,
					ActorID: "https://social.example/users/kim", ContentHTML: "<p>" + text + "</p>", State: model.ReplyPending,
					Published: time.Now(), ReceivedAt: time.Now()}))
			}
			must(f.srv.App.Store.AddNotice(ctx, &model.Notice{ID: model.NewID(time.Now()), OrgID: f.org.ID, Source: "flag",
				Reporter: "https://other.example/actor", Objects: []string{"https://social.example/notes/2"}, Content: "Dit is spam",
				State: model.NoticeOpen, ReceivedAt: time.Now()}))
			must(f.srv.App.Store.AddNotice(ctx, &model.Notice{ID: model.NewID(time.Now()), OrgID: f.org.ID, Source: model.NoticeFromForm,
				Objects: []string{p.ID}, Content: "Dit bericht noemt mijn adres", Ground: model.GroundIllegal, Law: "Art. 6 AVG",
				Name: "Piet", Email: "piet@example.org", Reference: "M-AAAA-BBBB", State: model.NoticeOpen, ReceivedAt: time.Now()}))
			queue := "/staff/orgs/rotterdam/replies"

			editor := f.client(t, "editor@rotterdam.nl")
			if resp, _ := editor.get(queue); resp.StatusCode != http.StatusForbidden {
				t.Fatalf("editor sees the queue: %d", resp.StatusCode)
			}
			admin := f.client(t, "admin@rotterdam.nl")
			resp, page := admin.get(queue)
			for _, want := range []string{"Dank voor het bericht", "Koop goedkope horloges", "@kim@social.example", "Het stadhuis is maandag gesloten.",
				"Dit is spam", "https://other.example/actor", "Melding via het meldformulier", "M-AAAA-BBBB", "In strijd met de wet",
				"Art. 6 AVG", "Dit bericht noemt mijn adres", "Piet piet@example.org"} {
				if resp.StatusCode != http.StatusOK || !strings.Contains(page, want) {
					t.Fatalf("queue lacks %q (%d):\n%s", want, resp.StatusCode, page)
				}
			}
			// Only the reply with a BSN is flagged.
			if n := strings.Count(page, "lijkt een BSN (burgerservicenummer) te bevatten"); n != 1 {
				t.Errorf("%d replies flagged as holding a BSN, want 1", n)
			}

			resp, page = admin.post(queue, url.Values{"reply": {"https://social.example/notes/2"}, "action": {"refuse"},
				"state": {"pending"}, "ground": {"illegal"}, "law": {"art. 326 Sr"}, "explanation": {""}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "art. 326 Sr") || !strings.Contains(page, `aria-invalid="true"`) {
				t.Fatalf("refusal without explanation: %d\n%s", resp.StatusCode, page)
			}
			if resp, _ = admin.post(queue, url.Values{"reply": {"https://social.example/notes/1"}, "action": {"approve"}, "state": {"pending"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("approve: %d", resp.StatusCode)
			}
			if resp, _ = admin.post(queue, url.Values{"reply": {"https://social.example/notes/2"}, "action": {"refuse"}, "state": {"pending"},
				"ground": {"incompatible"}, "explanation": {"Reclame hoort niet onder onze berichten."}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("refuse: %d", resp.StatusCode)
			}
			if resp, _ = admin.post(queue, url.Values{"reply": {"https://social.example/notes/2"}, "action": {"approve"}, "state": {"shown"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("approving a refused reply again: %d", resp.StatusCode)
			}
			if resp, page = admin.post(queue, url.Values{"reply": {"https://social.example/notes/2"}, "action": {"hide"}, "state": {"shown"},
				"ground": {"incompatible"}, "explanation": {"Toch reclame."}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("hide: %d\n%s", resp.StatusCode, page)
			}
			if _, page = admin.get(queue + "?state=hidden"); !strings.Contains(page, "Koop goedkope horloges") {
				t.Fatalf("hidden list:\n%s", page)
			}
			if _, page = admin.get("/staff/orgs/rotterdam/audit"); !strings.Contains(page, "approved a reply to the post") && !strings.Contains(page, "keurde een reactie") {
				t.Fatalf("audit log:\n%s", page)
			}

			f.srv.WaitFresh(t)
			_, body := f.srv.Get(t, "/@rotterdam/"+p.ID)
			html := string(body)
			if !strings.Contains(html, "Dank voor het bericht") || !strings.Contains(html, `href="https://social.example/@kim"`) ||
				strings.Contains(html, "horloges") || strings.Contains(html, "<script") {
				t.Fatalf("post page:\n%s", html)
			}

			if resp, _ = admin.post(queue+"/display", url.Values{"display": {"never"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("display: %d", resp.StatusCode)
			}
			f.srv.WaitFresh(t)
			if _, body = f.srv.Get(t, "/@rotterdam/"+p.ID); strings.Contains(string(body), "Dank voor het bericht") {
				t.Fatal("a reply is shown while the organisation shows none")
			}
		})
	}
}
