package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// TestTransparencyPages reads the transparency report of an organisation
// and of the installation: figures per quarter generated from the data
// (replies received and shown, refusals by ground with the automated ones,
// removals, notices by source, the median time to a decision), no names,
// no script, no cookie, cacheable, and linked from the privacy page.
func TestTransparencyPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		clock := pleintest.NewClock(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
		srv := pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now})
		o, other := srv.Org(t, "almere"), srv.Org(t, "zwolle")
		p, q := srv.Post(t, o, "De markt verhuist."), srv.Post(t, other, "Het zwembad is open.")
		op := auth.Operator()
		reply := func(postID, n string) string {
			id := "https://social.example/users/kim/statuses/" + n
			if err := srv.App.Store.PutReply(ctx, &model.Reply{ID: id, PostID: postID, ActorID: "https://social.example/users/kim",
				ContentHTML: "<p>Reactie " + n + "</p>", State: model.ReplyPending, ReceivedAt: clock.Now()}); err != nil {
				t.Fatal(err)
			}
			return id
		}
		shown, refused, hidden := reply(p.ID, "1"), reply(p.ID, "2"), reply(p.ID, "3")
		reply(p.ID, "4") // pending
		reply(q.ID, "5")
		clock.Advance(90 * time.Minute)
		for _, id := range []string{shown, hidden} {
			if err := srv.App.Moderation.Approve(ctx, op, id); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := srv.App.Moderation.Refuse(ctx, op, refused, moderation.Reasons{Ground: model.GroundIllegal, Law: "art. 285 Sr",
			Explanation: "Een bedreiging."}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		if _, err := srv.App.Moderation.Hide(ctx, op, hidden, moderation.Reasons{Ground: model.GroundIncompatible, Explanation: "Reclame."}); err != nil {
			t.Fatal(err)
		}
		if err := srv.App.Store.AddNotice(ctx, &model.Notice{ID: model.NewID(clock.Now()), OrgID: o.ID, Source: model.NoticeFromFlag,
			Reporter: "https://social.example/users/lea", Objects: []string{shown}, Content: "Klopt niet", State: model.NoticeOpen,
			ReceivedAt: clock.Now()}); err != nil {
			t.Fatal(err)
		}
		srv.WaitFresh(t)

		resp, body := srv.Get(t, "/@almere/transparency")
		page := string(body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Transparantieverslag van Gemeente almere") || !strings.Contains(page, "2026 K4") {
			t.Fatalf("transparency page %d:\n%s", resp.StatusCode, page)
		}
		for label, want := range map[string]string{"ontvangen": "4", "getoond": "1", "Geweigerd: onwettig": "1",
			"Geweigerd: in strijd met de regels": "0", "Verwijderd na tonen: in strijd met de regels": "1",
			"Meldingen: uit de Fediverse": "1", "Mediane tijd tot besluit": "90 min"} {
			if !strings.Contains(page, label+"</th><td>"+want+"</td>") {
				t.Errorf("the report lacks %s = %s", label, want)
			}
		}
		if strings.Contains(page, "kim") || strings.Contains(page, "social.example") || strings.Contains(page, "bedreiging") ||
			strings.Contains(page, "<script") || resp.Header.Get("Set-Cookie") != "" || resp.Header.Get("ETag") == "" {
			t.Errorf("the report holds a name, text or script, sets a cookie or cannot be cached: %v\n%s", resp.Header, page)
		}
		_, en := srv.Get(t, "/transparency?lang=en")
		if !strings.Contains(string(en), "2026 Q4") || !strings.Contains(string(en), "received</th><td>5</td>") {
			t.Errorf("installation report:\n%s", en)
		}
		if _, privacy := srv.Get(t, "/@almere/privacy"); !strings.Contains(string(privacy), `href="/@almere/transparency"`) {
			t.Errorf("the privacy page does not link the transparency report")
		}
	})
}
