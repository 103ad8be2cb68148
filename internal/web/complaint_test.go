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
	"plein/internal/moderation"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// refusedReply stores a pending reply by kim to p and refuses it as the
// operator, returning the statement of reasons.
func refusedReply(t *testing.T, srv *pleintest.Server, p *model.Post, n string, at time.Time) *model.Statement {
	t.Helper()
	ctx := context.Background()
	kim := "https://social.example/users/kim"
	if err := srv.App.Store.PutRemoteActor(ctx, &model.RemoteActor{ID: kim, Inbox: kim + "/inbox", Username: "kim",
		URL: "https://social.example/@kim", FetchedAt: at}); err != nil {
		t.Fatal(err)
	}
	id := "https://social.example/notes/" + n
	if err := srv.App.Store.PutReply(ctx, &model.Reply{ID: id, PostID: p.ID, ActorID: kim, ContentHTML: "<p>Reactie " + n + "</p>",
		State: model.ReplyPending, Published: at, ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
	st, err := srv.App.Moderation.Refuse(ctx, auth.Operator(), id, moderation.Reasons{Ground: model.GroundIncompatible,
		Explanation: "Dit hoort niet bij het bericht."})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// complaintFormPath returns the path of the complaint form that the
// statement st of the organisation handle links to.
func complaintFormPath(t *testing.T, srv *pleintest.Server, handle string, st *model.Statement) string {
	t.Helper()
	key, err := srv.App.Moderation.ComplaintKey(context.Background(), st.ID)
	if err != nil {
		t.Fatal(err)
	}
	return moderation.ComplaintPath(handle, st.ID, key)
}

// TestComplaintForm sends a complaint about a refused reply through the
// form the statement links to, without an account: a link with a wrong
// key is not found; the form sets no cookie and holds no script, in
// Dutch or English; a form sent at once, or without text, comes back with
// why; a robot's form is answered and not kept; a complete one is kept
// as the complaint, and the form then says one was received; after six
// months the form says a complaint is no longer possible, and takes none.
func TestComplaintForm(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := pleintest.NewClock(time.Now())
			srv := pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now})
			o := srv.Org(t, "rotterdam")
			p := srv.Post(t, o, "De markt gaat verhuizen.")
			st := refusedReply(t, srv, p, "1", clock.Now())
			path := complaintFormPath(t, srv, "rotterdam", st)
			base, _, _ := strings.Cut(path, "?")

			for _, bad := range []string{base, base + "?key=nep", "/@rotterdam/complaint/nothing?key=nep"} {
				if resp, _ := srv.Get(t, bad); resp.StatusCode != http.StatusNotFound {
					t.Errorf("GET %s: %d, want 404", bad, resp.StatusCode)
				}
			}
			token := func(path string) string {
				t.Helper()
				resp, body := srv.Get(t, path)
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "De markt gaat verhuizen.") {
					t.Fatalf("complaint form: %d\n%s", resp.StatusCode, body)
				}
				if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
					t.Errorf("the complaint form sets a cookie: %v", c)
				}
				if strings.Contains(strings.ToLower(string(body)), "<script") {
					t.Error("the complaint form holds a script")
				}
				m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindSubmatch(body)
				if m == nil {
					t.Fatalf("no form token:\n%s", body)
				}
				return string(m[1])
			}
			if _, body := srv.Get(t, path+"&lang=en"); !strings.Contains(string(body), "free of charge") {
				t.Errorf("the English form:\n%s", body)
			}
			key := strings.SplitN(path, "key=", 2)[1]
			form := url.Values{"key": {key}, "complaint": {"Mijn reactie ging juist over de markt."}, "token": {token(path)}}
			resp, body := postForm(t, srv, base, form)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "te snel") ||
				!strings.Contains(string(body), "Mijn reactie ging juist over de markt.") {
				t.Fatalf("a form sent at once: %d\n%s", resp.StatusCode, body)
			}
			form.Set("token", token(path))
			form.Set("complaint", "  ")
			clock.Advance(time.Minute)
			if resp, body = postForm(t, srv, base, form); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `aria-invalid="true"`) {
				t.Fatalf("a form without text: %d\n%s", resp.StatusCode, body)
			}
			robot := url.Values{"key": {key}, "complaint": {"buy"}, "token": {token(path)}, "website": {"http://spam.example"}}
			clock.Advance(time.Minute)
			if resp, _ = postForm(t, srv, base, robot); resp.StatusCode != http.StatusOK {
				t.Fatalf("the honeypot: %d", resp.StatusCode)
			}
			if cs, _ := srv.App.Moderation.Complaints(ctx, auth.Operator(), o.ID, ""); len(cs) != 0 {
				t.Fatalf("complaints kept from refused forms: %+v", cs)
			}

			form.Set("token", token(path))
			form.Set("complaint", "Mijn reactie ging juist over de markt.")
			clock.Advance(time.Minute)
			resp, body = postForm(t, srv, base, form)
			cs, err := srv.App.Moderation.Complaints(ctx, auth.Operator(), o.ID, model.ComplaintOpen)
			if err != nil || len(cs) != 1 {
				t.Fatalf("complaints: %+v %v", cs, err)
			}
			c := cs[0].Complaint
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), c.ID) || len(resp.Header.Values("Set-Cookie")) > 0 {
				t.Fatalf("receipt: %d\n%s", resp.StatusCode, body)
			}
			if c.Source != model.ComplaintFromForm || c.Author != "https://social.example/users/kim" || c.StatementID != st.ID ||
				c.Content != "Mijn reactie ging juist over de markt." || c.Lang != "nl" {
				t.Fatalf("complaint kept: %+v", c)
			}
			if resp, body = srv.Get(t, path); resp.StatusCode != http.StatusGone || !strings.Contains(string(body), "al een klacht ontvangen") ||
				strings.Contains(string(body), `name="complaint"`) {
				t.Fatalf("the form after a complaint: %d\n%s", resp.StatusCode, body)
			}

			// Six months and a day later, no complaint is taken.
			late := refusedReply(t, srv, p, "2", clock.Now())
			latePath := complaintFormPath(t, srv, "rotterdam", late)
			lateToken := token(latePath)
			clock.Advance(6*31*24*time.Hour + 24*time.Hour)
			if resp, body = srv.Get(t, latePath+"&lang=en"); resp.StatusCode != http.StatusGone || !strings.Contains(string(body), "more than 6 months old") {
				t.Fatalf("the form after six months: %d\n%s", resp.StatusCode, body)
			}
			lateBase, lateKey, _ := strings.Cut(latePath, "?key=")
			resp, body = postForm(t, srv, lateBase, url.Values{"key": {lateKey}, "complaint": {"Toch nog"}, "token": {lateToken}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "meer dan 6 maanden oud") {
				t.Fatalf("a complaint after six months: %d\n%s", resp.StatusCode, body)
			}
			if all, _ := srv.App.Moderation.Complaints(ctx, auth.Operator(), o.ID, ""); len(all) != 1 {
				t.Fatalf("%d complaints, want 1", len(all))
			}
		})
	}
}
