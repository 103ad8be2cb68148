package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/store/storetest"
)

// TestStaffInboxTeam works the inbox's team features in the staff
// interface without script: an admin saves a standard answer, starts an
// answer from it, assigns the question to a colleague who may read the
// inbox (and not to one who may not), writes an internal note, marks a
// complaint and downloads the .eml export; then the admin lets editors
// read the inbox, and the editor's screens show it. Every form carries the
// CSRF token, and a form without it changes nothing.
func TestStaffInboxTeam(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		now := time.Now().UTC()
		q := &model.Question{ID: model.NewID(now), OrgID: f.org.ID, Reference: "V-TEAM-0002", Topic: "general",
			ReplyTo: "burger@example.org", Text: "Waar kan ik grofvuil kwijt?", Lang: "nl",
			State: model.QuestionNew, ReceivedAt: now, UpdatedAt: now}
		if err := f.srv.App.Store.CreateQuestion(ctx, q); err != nil {
			t.Fatal(err)
		}
		admin := f.client(t, "admin@rotterdam.nl")
		path := "/staff/orgs/rotterdam/inbox/" + q.ID

		admin.get("/staff/orgs/rotterdam/inbox/saved")
		if resp, page := admin.post("/staff/orgs/rotterdam/inbox/saved", url.Values{"title": {""}, "text": {"x"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(page, `id="title-error"`) {
			t.Errorf("a saved answer without title: %d", resp.StatusCode)
		}
		if resp, _ := admin.post("/staff/orgs/rotterdam/inbox/saved", url.Values{"title": {"Grofvuil"}, "text": {"U kunt grofvuil naar de milieustraat brengen."}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save an answer: %d", resp.StatusCode)
		}
		saved, err := f.srv.App.Store.SavedAnswers(ctx, f.org.ID)
		if err != nil || len(saved) != 1 {
			t.Fatalf("saved answers: %v %v", saved, err)
		}
		_, page := admin.get(path)
		for _, want := range []string{`name="saved"`, `value="` + saved[0].ID + `"`, `action="` + path + `/assign"`, `action="` + path + `/note"`,
			`action="` + path + `/complaint"`, `action="` + path + `/export"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the question's screen lacks %q", want)
			}
		}
		if _, page := admin.get(path + "?saved=" + saved[0].ID); !strings.Contains(page, ">U kunt grofvuil naar de milieustraat brengen.</textarea>") {
			t.Errorf("the saved answer is not in the answer field:\n%s", page)
		}

		if resp, page := admin.post(path+"/assign", url.Values{"to": {"editor@rotterdam.nl"}}); resp.StatusCode != http.StatusBadRequest ||
			!strings.Contains(page, "geen collega die de vragen mag lezen") {
			t.Errorf("assign to an editor: %d", resp.StatusCode)
		}
		if resp, _ := admin.post(path+"/assign", url.Values{"to": {"admin@rotterdam.nl"}, "csrf": {""}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("assign without CSRF token: %d", resp.StatusCode)
		}
		if got, _ := f.srv.App.Store.QuestionByID(ctx, q.ID); got.Assignee != "" {
			t.Fatalf("assigned by a refused form: %+v", got)
		}
		admin.get(path)
		if resp, _ := admin.post(path+"/assign", url.Values{"to": {"admin@rotterdam.nl"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("assign: %d", resp.StatusCode)
		}
		if resp, page := admin.post(path+"/note", url.Values{"note": {" "}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="note-error"`) {
			t.Errorf("an empty note: %d", resp.StatusCode)
		}
		if resp, _ := admin.post(path+"/note", url.Values{"note": {"Milieustraat is zaterdag dicht."}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("note: %d", resp.StatusCode)
		}
		if resp, _ := admin.post(path+"/complaint", url.Values{"complaint": {"1"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("complaint: %d", resp.StatusCode)
		}
		_, page = admin.get(path)
		if !strings.Contains(page, "Milieustraat is zaterdag dicht.") || !regexp.MustCompile(`id="complaint" name="complaint" value="1" checked`).MatchString(page) ||
			!strings.Contains(page, "<dd>admin@rotterdam.nl</dd>") {
			t.Errorf("the question after assignment, note and complaint:\n%s", page)
		}
		_, list := admin.get("/staff/orgs/rotterdam/inbox?state=in_progress")
		if !strings.Contains(list, "<td>admin@rotterdam.nl</td>") || !strings.Contains(list, `<span class="badge">klacht</span>`) {
			t.Errorf("the inbox does not show the assignee and the complaint:\n%s", list)
		}
		resp, eml := admin.post(path+"/export", url.Values{})
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "message/rfc822" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), `filename="V-TEAM-0002.eml"`) ||
			!strings.Contains(eml, "Message-ID: <question."+q.ID+"@") || strings.Contains(eml, "Milieustraat is zaterdag") {
			t.Errorf("export: %d %v\n%s", resp.StatusCode, resp.Header, eml)
		}

		editor := f.client(t, "editor@rotterdam.nl")
		if resp, _ := editor.get("/staff/orgs/rotterdam/inbox"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an editor opens the inbox: %d", resp.StatusCode)
		}
		if resp, _ := editor.get("/staff/orgs/rotterdam/inbox/settings"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an editor opens the inbox settings: %d", resp.StatusCode)
		}
		admin.get("/staff/orgs/rotterdam/inbox/settings")
		if resp, page := admin.post("/staff/orgs/rotterdam/inbox/settings", url.Values{"readers": {"moderator", "editor"}, "retention": {"zeven"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(page, `id="retention-error"`) {
			t.Errorf("a retention that is no number: %d", resp.StatusCode)
		}
		if resp, _ := admin.post("/staff/orgs/rotterdam/inbox/settings", url.Values{"readers": {"moderator", "editor"}, "retention": {"90"}, "notify": {"1"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("settings: %d", resp.StatusCode)
		}
		set, err := f.srv.App.Store.InboxSettings(ctx, f.org.ID)
		if err != nil || set.Retention != 90*24*time.Hour || !set.Notify || len(set.Readers) != 3 {
			t.Errorf("stored settings %+v %v", set, err)
		}
		if _, page := editor.get("/staff/orgs/rotterdam/posts"); !strings.Contains(page, "/staff/orgs/rotterdam/inbox") {
			t.Error("an editor who may read the inbox is not offered it")
		}
		if resp, page := editor.get(path); resp.StatusCode != 200 || !strings.Contains(page, "Waar kan ik grofvuil kwijt?") {
			t.Errorf("an editor reads the question: %d", resp.StatusCode)
		}
		_, page = admin.get("/staff/orgs/rotterdam/audit")
		for _, want := range []string{"wees vraag V-TEAM-0002 toe aan", "schreef een interne notitie bij vraag V-TEAM-0002",
			"markeerde vraag V-TEAM-0002 als klacht", "exporteerde vraag V-TEAM-0002", "bewaarde het standaardantwoord ‘Grofvuil’",
			"wijzigde de instellingen van de vragen"} {
			if !strings.Contains(page, want) {
				t.Errorf("the audit log lacks %q", want)
			}
		}
	})
}

// inboxScreens makes a question from the Fediverse with a BSN and a saved
// answer, and returns the addresses of the question's screen, the saved
// answers and the inbox settings under org, for the accessibility checks.
func inboxScreens(t *testing.T, f *staffFixture, org string) []string {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	q := &model.Question{ID: model.NewID(now), OrgID: f.org.ID, Reference: "V-A11Y-0001", Topic: "general",
		ReplyTo: "@kim@social.example", ActorID: "https://social.example/users/kim", Text: "Mijn BSN is 111222333. Wanneer is de markt?",
		Lang: "nl", State: model.QuestionNew, ReceivedAt: now, UpdatedAt: now}
	if err := f.srv.App.Store.CreateQuestion(ctx, q); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.App.Contact.AddSavedAnswer(ctx, auth.Operator(), f.org.ID, "Markt", "De markt is op zaterdag."); err != nil {
		t.Fatal(err)
	}
	// Topics, so the screens show the topic filter and the field of topics.
	if err := f.srv.App.Contact.SetTopics(ctx, auth.Operator(), f.org.ID, []string{"Markt", "Parkeren"}); err != nil {
		t.Fatal(err)
	}
	return []string{org + "/inbox/" + q.ID, org + "/inbox/saved", org + "/inbox/settings", org + "/inbox?state=new&topic=Markt"}
}
