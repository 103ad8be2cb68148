package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// TestStaffBluesky connects an organisation to an account on a real PDS in
// the staff interface without script: only an admin may, a refused app
// password is said next to its field and never shown back, a post's
// screen shows its state on Bluesky, the public page names the account,
// and disconnecting takes it off.
func TestStaffBluesky(t *testing.T) {
	pds := pleintest.StartPDS(t)
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		did, handle := pds.CreateAccount(t, "rotterdam", "hunter2-account")
		appPassword := pds.CreateAppPassword(t, did, "hunter2-account", "Plein")
		admin := f.client(t, "admin@rotterdam.nl")
		editor := f.client(t, "editor@rotterdam.nl")
		connect := "/staff/orgs/rotterdam/bluesky/connect"

		editor.get("/staff/orgs/rotterdam/posts")
		if resp, _ := editor.post(connect, url.Values{"pds": {pds.URL}, "bluesky_handle": {handle}, "app_password": {appPassword}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an editor connects: %d", resp.StatusCode)
		}
		_, page := admin.get("/staff/orgs/rotterdam/profile")
		if !strings.Contains(page, `action="/staff/orgs/rotterdam/bluesky/connect"`) || !strings.Contains(page, "Er is geen Bluesky-account gekoppeld.") {
			t.Fatalf("the profile lacks the Bluesky form:\n%s", page)
		}
		resp, page := admin.post(connect, url.Values{"pds": {pds.URL}, "bluesky_handle": {handle}, "app_password": {"wrong-password-123"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="app_password-error"`) ||
			!strings.Contains(page, "De PDS weigerde deze naam en dit app-wachtwoord") || !strings.Contains(page, `value="`+handle+`"`) ||
			strings.Contains(page, "wrong-password-123") {
			t.Errorf("refused password: %d\n%s", resp.StatusCode, page)
		}
		if resp, _ := admin.post(connect, url.Values{"pds": {pds.URL}, "bluesky_handle": {handle}, "app_password": {appPassword}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("connect: %d", resp.StatusCode)
		}
		_, page = admin.get("/staff/orgs/rotterdam/profile?done=bluesky")
		if !strings.Contains(page, "Het Bluesky-account is gekoppeld.") || !strings.Contains(page, "Gekoppeld: @"+handle) || strings.Contains(page, appPassword) {
			t.Errorf("the profile after connecting:\n%s", page)
		}

		p, err := f.srv.App.Posts.Create(ctx, auth.Operator(), f.org.ID, post.Input{Text: "Vandaag #afval ophalen"}, post.When{})
		if err != nil {
			t.Fatal(err)
		}
		var bp *model.BlueskyPost
		pleintest.Eventually(t, 30*time.Second, func() error {
			bp, err = f.srv.App.Crosspost.PostState(ctx, p.ID)
			if err != nil || bp == nil || bp.State != model.BlueskyPublished {
				return fmt.Errorf("state %+v, %v", bp, err)
			}
			return nil
		})
		_, page = admin.get("/staff/orgs/rotterdam/posts/" + p.ID)
		if !strings.Contains(page, "Bluesky: geplaatst") || !strings.Contains(page, bp.URI) {
			t.Errorf("the post's screen lacks its Bluesky state:\n%s", page)
		}

		f.srv.WaitFresh(t)
		_, public := f.srv.Get(t, "/@rotterdam")
		if !strings.Contains(string(public), `<a class="address" href="https://bsky.app/profile/`+handle+`">@`+handle+`</a>`) {
			t.Errorf("the public page does not name the Bluesky account:\n%s", public)
		}
		pdsHost := strings.TrimPrefix(strings.TrimPrefix(pds.URL, "http://"), "https://")
		if _, privacy := f.srv.Get(t, "/@rotterdam/privacy?lang=en"); !strings.Contains(string(privacy), "(PDS) "+pdsHost) {
			t.Errorf("the privacy page does not name the PDS %s among the recipients:\n%s", pdsHost, privacy)
		}

		if resp, _ := admin.post("/staff/orgs/rotterdam/bluesky/policy", url.Values{"edit_policy": {"republish"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("policy: %d", resp.StatusCode)
		}
		if a, err := f.srv.App.Crosspost.Account(ctx, f.org.ID); err != nil || a.EditPolicy != model.BlueskyEditRepublish {
			t.Errorf("policy stored: %+v, %v", a, err)
		}
		if resp, _ := admin.post("/staff/orgs/rotterdam/bluesky/disconnect", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("disconnect: %d", resp.StatusCode)
		}
		if a, err := f.srv.App.Crosspost.Account(ctx, f.org.ID); err != nil || a != nil {
			t.Errorf("after disconnecting: %+v, %v", a, err)
		}
		f.srv.WaitFresh(t)
		if _, public = f.srv.Get(t, "/@rotterdam"); strings.Contains(string(public), "bsky.app") {
			t.Errorf("the public page still names the Bluesky account")
		}
	})
}
