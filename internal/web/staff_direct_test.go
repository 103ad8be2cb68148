package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// TestStaffAnswersDirectMessage answers a Fediverse direct message in the
// staff interface: the message, sent to the organisation's own inbox,
// shows in the inbox with the sender's address and where it came from; the
// screen offers an answer by direct message, and the answer arrives,
// signed, at the sender's server, addressed to the sender only.
func TestStaffAnswersDirectMessage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		fed := pleintest.NewFediverse(t)
		kim := fed.NewActor(t, "kim")
		orgActor := f.srv.URL + "/orgs/" + f.org.ID
		dm := kim.DirectMessage([]string{orgActor}, "", "<p>@rotterdam Is het stadhuis open op tweede Pinksterdag?</p>")
		if status := kim.Send(t, orgActor+"/inbox", dm); status != http.StatusAccepted {
			t.Fatalf("direct message: %d", status)
		}
		items, err := f.srv.App.Contact.Inbox(ctx, auth.Operator(), f.org.ID)
		if err != nil || len(items) != 1 {
			t.Fatalf("inbox %v %v", items, err)
		}
		admin := f.client(t, "admin@rotterdam.nl")
		if _, page := admin.get("/staff/orgs/rotterdam/inbox"); !strings.Contains(page, "@kim@"+fed.Host) || !strings.Contains(page, "Is het stadhuis open") {
			t.Errorf("inbox:\n%s", page)
		}
		path := "/staff/orgs/rotterdam/inbox/" + items[0].ID
		if _, page := admin.get(path); !strings.Contains(page, "Antwoord als direct bericht") || !strings.Contains(page, "als direct bericht uit de Fediverse") {
			t.Errorf("question:\n%s", page)
		}
		resp, _ := admin.post(path+"/answer", url.Values{"text": {"Nee, dan is het stadhuis gesloten."}})
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "done=answereddirect") {
			t.Fatalf("answer: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		got := fed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
			return r.Activity != nil && r.Activity.Type == "Create" && strings.Contains(r.Activity.Object.ID, "/answers/")
		})
		if !got.Verified || !slices.Equal(got.Activity.To, []string{kim.ID}) || len(got.Activity.Cc) != 0 ||
			!strings.Contains(string(got.Raw), "Nee, dan is het stadhuis gesloten.") {
			t.Errorf("answer received: %s\n%s", got, got.Raw)
		}
	})
}
