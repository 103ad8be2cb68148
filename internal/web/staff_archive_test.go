package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"plein/internal/store/storetest"
)

// TestStaffArchive downloads an organisation's archive from the audit
// screen as its administrator, and refuses it to an editor.
func TestStaffArchive(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	p := f.srv.Post(t, f.org, "Het archief bewaart dit bericht.")
	admin := f.client(t, "admin@rotterdam.nl")
	resp, page := admin.get("/staff/orgs/rotterdam/audit")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `action="/staff/orgs/rotterdam/archive"`) || !strings.Contains(page, "Archief downloaden") {
		t.Fatalf("audit screen of an administrator: %d, without the archive button\n%s", resp.StatusCode, page)
	}
	resp, body := admin.post("/staff/orgs/rotterdam/archive", url.Values{})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="archive-rotterdam-`) {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatalf("the download is no zip file: %v", err)
	}
	found := map[string]bool{}
	var manifest struct {
		Handle string `json:"handle"`
		Posts  int    `json:"posts"`
	}
	for _, zf := range zr.File {
		found[zf.Name] = true
		if zf.Name == "manifest.json" {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if err := json.Unmarshal(b, &manifest); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, want := range []string{"html/index.html", "html/posts/" + p.ID + ".html", "mdto/posts/" + p.ID + ".xml", "activitystreams/posts/" + p.ID + ".json"} {
		if !found[want] {
			t.Errorf("the archive lacks %s", want)
		}
	}
	if manifest.Handle != "rotterdam" || manifest.Posts != 1 {
		t.Errorf("manifest = %+v", manifest)
	}

	editor := f.client(t, "editor@rotterdam.nl")
	if _, page := editor.get("/staff/orgs/rotterdam/audit"); strings.Contains(page, "/archive") {
		t.Error("an editor's audit screen offers the archive")
	}
	if resp, _ := editor.post("/staff/orgs/rotterdam/archive", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an editor downloading the archive: %d, want 403", resp.StatusCode)
	}
}
