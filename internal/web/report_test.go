package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// reportToken fetches the report form of a post and returns its token,
// checking that the form sets no cookie and holds no script.
func reportToken(t *testing.T, srv *pleintest.Server, path string) string {
	t.Helper()
	resp, body := srv.Get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("report form: %d", resp.StatusCode)
	}
	if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("the report form sets a cookie: %v", c)
	}
	if strings.Contains(strings.ToLower(string(body)), "<script") {
		t.Error("the report form holds a script")
	}
	m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no form token in the report form:\n%s", body)
	}
	return string(m[1])
}

// TestReportForm sends a report about a post as a visitor without an
// account: the post's page links to the form, a form without the
// good-faith box comes back with what was typed, and a complete one is
// confirmed with a reference and kept as a notice holding only what was
// typed.
func TestReportForm(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "rotterdam")
			p := srv.Post(t, o, "De markt gaat verhuizen.")
			path := "/@rotterdam/report/" + p.ID
			if _, body := srv.Get(t, "/@rotterdam/"+p.ID); !strings.Contains(string(body), `href="`+path+`"`) {
				t.Error("the post's page does not link to its report form")
			}
			form := url.Values{"ground": {"incompatible"}, "explanation": {"Reclame voor een webwinkel."},
				"token": {reportToken(t, srv, path)}}
			resp, body := postForm(t, srv, path, form)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "Reclame voor een webwinkel.") ||
				!strings.Contains(string(body), "naar beste weten juist") {
				t.Fatalf("form without the good-faith box: %d\n%s", resp.StatusCode, body)
			}
			form.Set("goodfaith", "1")
			form.Set("token", reportToken(t, srv, path))
			resp, body = postForm(t, srv, path, form)
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "M-") {
				t.Fatalf("report: %d\n%s", resp.StatusCode, body)
			}
			if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
				t.Errorf("the receipt sets a cookie: %v", c)
			}
			ns, err := srv.App.Store.Notices(context.Background(), o.ID, 0)
			if err != nil || len(ns) != 1 {
				t.Fatalf("notices: %+v %v", ns, err)
			}
			if n := ns[0]; n.Source != model.NoticeFromForm || n.Content != "Reclame voor een webwinkel." || n.Name != "" ||
				n.Email != "" || n.Reporter != "" || n.Objects[0] != p.ID || !strings.Contains(string(body), n.Reference) {
				t.Fatalf("notice kept: %+v", n)
			}
		})
	}
}
