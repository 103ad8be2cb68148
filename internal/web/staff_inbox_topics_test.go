package web_test

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/store/storetest"
)

// TestStaffInboxTopics sets the topics of the contact form in the staff
// interface without script: only an admin may, a bad list is refused next
// to its field with the text kept, the inbox shows each question's topic
// and filters on one, the question's screen names it, and the audit log
// records the change.
func TestStaffInboxTopics(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		now := time.Now().UTC()
		var ids []string
		for i, topic := range []string{"Parkeren", "Afval", "other"} {
			at := now.Add(time.Duration(i) * time.Minute)
			q := &model.Question{ID: model.NewID(at), OrgID: f.org.ID, Reference: "V-TOPC-000" + string(rune('1'+i)), Topic: topic,
				ReplyTo: "burger@example.org", Text: "Vraag over " + topic, Lang: "nl", State: model.QuestionNew, ReceivedAt: at, UpdatedAt: at}
			if err := f.srv.App.Store.CreateQuestion(ctx, q); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, q.ID)
		}
		admin := f.client(t, "admin@rotterdam.nl")
		editor := f.client(t, "editor@rotterdam.nl")
		topicsPath := "/staff/orgs/rotterdam/inbox/topics"

		editor.get("/staff/orgs/rotterdam/posts")
		if resp, _ := editor.post(topicsPath, url.Values{"topics": {"Afval"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an editor sets topics: %d", resp.StatusCode)
		}
		_, page := admin.get("/staff/orgs/rotterdam/inbox/settings")
		if !strings.Contains(page, `action="/staff/orgs/rotterdam/inbox/topics"`) || !strings.Contains(page, `<textarea id="topics" name="topics"`) {
			t.Fatalf("the settings lack the field of topics:\n%s", page)
		}
		for _, tc := range []struct{ name, topics, want string }{
			{"duplicate", "Afval\nParkeren\nafval", "staat er twee keer in"},
			{"too long", "Afval\n" + strings.Repeat("p", 61), "1 tot 60 tekens"},
			{"too big", strings.Repeat("x", 5000), "hoogstens 20 onderwerpen"},
		} {
			resp, page := admin.post(topicsPath, url.Values{"topics": {tc.topics}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="topics-error"`) || !strings.Contains(page, tc.want) {
				t.Errorf("%s: %d\n%s", tc.name, resp.StatusCode, page)
			}
			if tc.name == "duplicate" && !strings.Contains(page, "Afval\nParkeren\nafval</textarea>") {
				t.Errorf("the typed topics are not kept:\n%s", page)
			}
		}
		if resp, _ := admin.post(topicsPath, url.Values{"topics": {"Afval\r\nParkeren\r\n\r\nBelastingen"}, "csrf": {""}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("topics without CSRF token: %d", resp.StatusCode)
		}
		if resp, _ := admin.post(topicsPath, url.Values{"topics": {"Afval\r\nParkeren\r\n\r\nBelastingen"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("set topics: %d", resp.StatusCode)
		}
		set, err := f.srv.App.Store.InboxSettings(ctx, f.org.ID)
		if want := []string{"Afval", "Parkeren", "Belastingen"}; err != nil || !reflect.DeepEqual(set.Topics, want) {
			t.Errorf("stored topics %q %v, want %q", set.Topics, err, want)
		}

		_, page = admin.get("/staff/orgs/rotterdam/inbox")
		for _, want := range []string{"<td>Parkeren</td>", "<td>Afval</td>", "<td>Anders</td>", `<select id="topic" name="topic">`, `<option value="Belastingen">Belastingen</option>`} {
			if !strings.Contains(page, want) {
				t.Errorf("the inbox lacks %q:\n%s", want, page)
			}
		}
		_, page = admin.get("/staff/orgs/rotterdam/inbox?state=new&topic=Parkeren")
		if !strings.Contains(page, "V-TOPC-0001") || strings.Contains(page, "V-TOPC-0002") || strings.Contains(page, "V-TOPC-0003") ||
			!strings.Contains(page, `<option value="Parkeren" selected>`) || !strings.Contains(page, "topic=Parkeren") {
			t.Errorf("the inbox on topic Parkeren:\n%s", page)
		}
		if _, page = admin.get("/staff/orgs/rotterdam/inbox?topic=other"); !strings.Contains(page, "V-TOPC-0003") || strings.Contains(page, "V-TOPC-0001") {
			t.Errorf("the inbox on topic other:\n%s", page)
		}
		if _, page = admin.get("/staff/orgs/rotterdam/inbox?topic=Sport"); !strings.Contains(page, "V-TOPC-0001") || !strings.Contains(page, "V-TOPC-0003") {
			t.Errorf("an unknown topic does not show every question:\n%s", page)
		}
		if _, page = admin.get("/staff/orgs/rotterdam/inbox/" + ids[1]); !strings.Contains(page, "<dt>Onderwerp</dt><dd>Afval</dd>") {
			t.Errorf("the question's screen lacks its topic:\n%s", page)
		}

		if resp, _ := admin.post(topicsPath, url.Values{"topics": {""}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("clear topics: %d", resp.StatusCode)
		}
		if _, page = admin.get("/staff/orgs/rotterdam/inbox"); strings.Contains(page, `<select id="topic"`) {
			t.Error("the inbox offers a topic filter without topics")
		}
		_, page = admin.get("/staff/orgs/rotterdam/audit")
		for _, want := range []string{"stelde de onderwerpen van het contactformulier in: Afval; Parkeren; Belastingen",
			"haalde de onderwerpen van het contactformulier weg"} {
			if !strings.Contains(page, want) {
				t.Errorf("the audit log lacks %q", want)
			}
		}
	})
}
