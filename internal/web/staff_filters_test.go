package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/store/storetest"
)

// TestStaffFiltersAndBlocks works the filter and block screens as a
// browser without JavaScript would: forms with CSRF tokens, an upload of
// a Mastodon blocklist, and the installation's blocks for instance
// administrators only.
func TestStaffFiltersAndBlocks(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newStaffFixture(t, e)
		ctx := context.Background()
		admin := f.client(t, "admin@rotterdam.nl")
		org := "/staff/orgs/rotterdam"

		// Filters.
		if resp, page := admin.get(org + "/filters"); resp.StatusCode != http.StatusOK || !strings.Contains(page, "Nog geen filters") {
			t.Fatalf("filters: %d", resp.StatusCode)
		}
		if resp, _ := admin.post(org+"/filters", url.Values{"phrase": {"koop nu"}, "action": {"refuse"}, "csrf": {""}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a filter without CSRF token: %d", resp.StatusCode)
		}
		if resp, page := admin.post(org+"/filters", url.Values{"phrase": {"  !! "}, "action": {"refuse"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(page, `aria-invalid="true"`) {
			t.Fatalf("an empty phrase: %d", resp.StatusCode)
		}
		resp, _ := admin.post(org+"/filters", url.Values{"phrase": {"Koop nu"}, "action": {"refuse"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != org+"/filters?done=filteradded" {
			t.Fatalf("add filter: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, page := admin.get(org + "/filters?done=filteradded")
		if !strings.Contains(page, "Het filter is toegevoegd") || !strings.Contains(page, "Koop nu") || !strings.Contains(page, "Automatisch weigeren") {
			t.Fatalf("filters after adding one:\n%s", page)
		}
		filters, err := f.srv.App.Moderation.Filters(ctx, auth.Operator(), f.org.ID)
		if err != nil || len(filters) != 1 || filters[0].Action != model.FilterRefuse {
			t.Fatalf("filters %+v %v", filters, err)
		}
		editor := f.client(t, "editor@rotterdam.nl")
		if resp, _ := editor.get(org + "/filters"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("an editor reads the filters: %d", resp.StatusCode)
		}
		if resp, _ := admin.post(org+"/filters/"+filters[0].ID+"/remove", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove filter: %d", resp.StatusCode)
		}
		if resp, _ := admin.post(org+"/filters/"+filters[0].ID+"/remove", url.Values{}); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("remove a filter twice: %d", resp.StatusCode)
		}

		// Blocks of the organisation.
		admin.get(org + "/blocks")
		if resp, page := admin.post(org+"/blocks", url.Values{"target": {"not a server"}, "mode": {"suspend"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(page, "not a server") {
			t.Fatalf("a bad target: %d", resp.StatusCode)
		}
		if resp, _ := admin.post(org+"/blocks", url.Values{"target": {"loud.example"}, "mode": {"hide-replies"}, "reason": {"Luid"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("block: %d", resp.StatusCode)
		}
		_, page = admin.get(org + "/blocks")
		if !strings.Contains(page, "loud.example") || !strings.Contains(page, "Reacties verbergen") || strings.Contains(page, "/staff/admin/blocks") {
			t.Fatalf("blocks:\n%s", page)
		}
		list := "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n" +
			"spam.example,suspend,true,true,Spam,false\nloud.example,silence,false,false,,false\nba**.example,suspend,false,false,,true\nbad domain,suspend,false,false,,false\n"
		resp, page = admin.postMultipart(org+"/blocks/import", url.Values{}, map[string][]byte{"file": []byte(list)})
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "1 toegevoegd, 2 overgeslagen, 1 ongeldig") ||
			!strings.Contains(page, "regel 4: ba**.example") || !strings.Contains(page, "regel 5: bad domain") || !strings.Contains(page, "regel 3: loud.example") {
			t.Fatalf("import: %d\n%s", resp.StatusCode, page)
		}
		if resp, page := admin.postMultipart(org+"/blocks/import", url.Values{}, nil); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(page, "kies een bestand") && !strings.Contains(page, "Kies een bestand") {
			t.Fatalf("import without a file: %d", resp.StatusCode)
		}
		blocks, err := f.srv.App.Moderation.Blocks(ctx, auth.Operator(), f.org.ID)
		if err != nil || len(blocks) != 2 {
			t.Fatalf("blocks %+v %v", blocks, err)
		}
		if resp, _ := admin.post(org+"/blocks/"+blocks[0].ID+"/remove", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("lift block: %d", resp.StatusCode)
		}

		// The installation's blocks: for instance administrators only.
		if resp, _ := admin.get("/staff/admin/blocks"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("an organisation admin reads the installation's blocks: %d", resp.StatusCode)
		}
		if resp, _ := admin.post("/staff/admin/blocks", url.Values{"target": {"evil.example"}, "mode": {"suspend"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("an organisation admin blocks for the installation: %d", resp.StatusCode)
		}
		root := f.client(t, "root@plein.nl")
		if resp, _ := root.get("/staff/admin/blocks"); resp.StatusCode != http.StatusOK {
			t.Fatalf("instance blocks: %d", resp.StatusCode)
		}
		if resp, _ := root.post("/staff/admin/blocks", url.Values{"target": {"evil.example"}, "mode": {"suspend"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("instance block: %d", resp.StatusCode)
		}
		_, page = root.get("/staff/admin/blocks")
		id := regexp.MustCompile(`/staff/admin/blocks/([0-9a-z]+)/remove`).FindStringSubmatch(page)
		if !strings.Contains(page, "evil.example") || id == nil {
			t.Fatalf("instance blocks:\n%s", page)
		}
		if resp, _ := root.post("/staff/admin/blocks/"+id[1]+"/remove", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("lift instance block: %d", resp.StatusCode)
		}
		if bs, _ := f.srv.App.Moderation.Blocks(ctx, auth.Operator(), ""); len(bs) != 0 {
			t.Fatalf("instance blocks after lifting: %+v", bs)
		}
	})
}
