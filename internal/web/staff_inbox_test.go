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

// TestStaffInbox reads and answers a question in the staff interface
// without script: the list and the question hide a BSN until an admin
// reveals it (audited), an empty answer is refused next to its field, an
// answer is mailed to the citizen, and an editor, whose role does not
// moderate, sees no inbox.
func TestStaffInbox(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		now := time.Now().UTC()
		q := &model.Question{ID: model.NewID(now), OrgID: f.org.ID, Reference: "V-TEST-0001", Topic: "general",
			ReplyTo: "burger@example.org", Text: "Mijn BSN is 111222333. Waar blijft mijn vergunning?", Lang: "nl",
			State: model.QuestionNew, ReceivedAt: now, UpdatedAt: now}
		if err := f.srv.App.Store.CreateQuestion(ctx, q); err != nil {
			t.Fatal(err)
		}
		editor := f.client(t, "editor@rotterdam.nl")
		if _, page := editor.get("/staff/orgs/rotterdam/posts"); strings.Contains(page, "/inbox") {
			t.Error("an editor is offered the inbox")
		}
		if resp, _ := editor.get("/staff/orgs/rotterdam/inbox"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an editor opens the inbox: %d", resp.StatusCode)
		}

		admin := f.client(t, "admin@rotterdam.nl")
		resp, page := admin.get("/staff/orgs/rotterdam/inbox")
		if resp.StatusCode != 200 || !strings.Contains(page, "V-TEST-0001") || strings.Contains(page, "111222333") ||
			!strings.Contains(page, "•••••••••") {
			t.Fatalf("inbox: %d\n%s", resp.StatusCode, page)
		}
		path := "/staff/orgs/rotterdam/inbox/" + q.ID
		if _, page := admin.get(path); strings.Contains(page, "111222333") || !strings.Contains(page, path+"/reveal") {
			t.Errorf("the question shows the BSN or offers no reveal:\n%s", page)
		}
		if resp, page := admin.post(path+"/reveal", url.Values{}); resp.StatusCode != 200 || !strings.Contains(page, "Mijn BSN is 111222333") {
			t.Errorf("reveal: %d", resp.StatusCode)
		}
		if resp, page := admin.post(path+"/answer", url.Values{"text": {" "}}); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(page, `id="answer-error"`) {
			t.Errorf("empty answer: %d", resp.StatusCode)
		}
		if resp, _ := admin.post(path+"/answer", url.Values{"text": {"Uw vergunning is vandaag verstuurd."}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("answer: %d", resp.StatusCode)
		}
		m := f.srv.Mail.WaitFor(t, "burger@example.org", 1)[0]
		if !strings.Contains(m.Text, "Uw vergunning is vandaag verstuurd.") || !strings.Contains(m.Subject, "V-TEST-0001") {
			t.Errorf("answer mail: %q %q", m.Subject, m.Text)
		}
		if resp, _ := admin.post(path+"/state", url.Values{"state": {"closed"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("close: %d", resp.StatusCode)
		}
		if got, err := f.srv.App.Store.QuestionByID(ctx, q.ID); err != nil || got.State != model.QuestionClosed {
			t.Errorf("after closing: %+v %v", got, err)
		}
		_, page = admin.get("/staff/orgs/rotterdam/audit")
		for _, want := range []string{"toonde de verborgen nummers in vraag V-TEST-0001", "beantwoordde vraag V-TEST-0001 per e-mail",
			"zette vraag V-TEST-0001 op ‘gesloten’"} {
			if !strings.Contains(page, want) {
				t.Errorf("the audit log lacks %q", want)
			}
		}
	})
}
