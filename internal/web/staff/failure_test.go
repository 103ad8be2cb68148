package staff

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"plein/internal/auth"
	"plein/internal/model"
)

// outage is an error as a domain service returns it when the database
// cannot be reached; its text must never reach a page.
var outage = fmt.Errorf("post: create: store: create post: %w: %w", model.ErrUnavailable,
	&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")})

func newTestApp(t *testing.T) (*App, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	s, err := New(Deps{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s, &logs
}

// composePost is a POST of the compose form as the mux hands it over.
func composePost(t *testing.T, form url.Values, files map[string][]byte) *http.Request {
	t.Helper()
	var body bytes.Buffer
	contentType := "application/x-www-form-urlencoded"
	if files == nil {
		body.WriteString(form.Encode())
	} else {
		mw := multipart.NewWriter(&body)
		for k, vs := range form {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		for field, data := range files {
			fw, err := mw.CreateFormFile(field, field+".png")
			if err != nil {
				t.Fatal(err)
			}
			fw.Write(data)
		}
		mw.Close()
		contentType = mw.FormDataContentType()
	}
	r := httptest.NewRequest(http.MethodPost, "/staff/orgs/rotterdam/compose", &body)
	r.Header.Set("Content-Type", contentType)
	r.Pattern = "POST /staff/orgs/{org}/compose"
	r.SetPathValue("org", "rotterdam")
	return r
}

func loggedIn(lang string) *staffRequest {
	u := &model.User{ID: "u1", Email: "redactie@rotterdam.example", Name: "Redactie"}
	return &staffRequest{lang: lang, login: &auth.Login{Session: &model.Session{ID: "s1", CSRFToken: "token", Lang: lang},
		User: u, Actor: auth.ActorOf(u)}, org: &model.Org{Handle: "rotterdam", DisplayName: "Gemeente Rotterdam"},
		role: model.RoleEditor}
}

func body(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	b, err := io.ReadAll(w.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFailurePage(t *testing.T) {
	typed := "Let op: <script>alert(1)</script> de **Erasmusbrug** is dicht & \"blijft\" dicht."
	warning := "Verkeer <b>hinder</b>"
	for _, tc := range []struct {
		name        string
		sr          *staffRequest
		err         error
		lang        string // Accept-Language
		files       map[string][]byte
		wantStatus  int
		wantTexts   []string
		wantMenu    bool
		wantImages  bool
		wantRetryIn bool
	}{{
		name: "session unknown, database unreachable", err: fmt.Errorf("resume session: %w", outage), lang: "en-GB,en;q=0.8",
		wantStatus: http.StatusServiceUnavailable, wantRetryIn: true,
		wantTexts: []string{`<html lang="en">`, "The database cannot be reached right now. Nothing was saved. Please try again in a moment.",
			"Below is what you had filled in."},
	}, {
		name: "logged in, database unreachable", sr: loggedIn("nl"), err: outage, lang: "en",
		files:      map[string][]byte{"image1": []byte("not really an image")},
		wantStatus: http.StatusServiceUnavailable, wantRetryIn: true, wantMenu: true, wantImages: true,
		wantTexts: []string{`<html lang="nl">`, "De database is op dit moment niet bereikbaar. Er is niets opgeslagen.",
			"Hieronder staat wat u had ingevuld.", "Gekozen afbeeldingen zijn niet bewaard"},
	}, {
		name: "logged in, another cause", sr: loggedIn("nl"), err: errors.New("post: create: template exploded"),
		wantStatus: http.StatusInternalServerError, wantMenu: true,
		wantTexts: []string{"Er is niets opgeslagen. Probeer het over een ogenblik opnieuw.", "Hieronder staat wat u had ingevuld."},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s, logs := newTestApp(t)
			r := composePost(t, url.Values{"csrf": {"token"}, "text": {typed}, "summary": {warning}, "alt1": {"De brug"},
				"action": {"publish"}}, tc.files)
			if tc.lang != "" {
				r.Header.Set("Accept-Language", tc.lang)
			}
			w := httptest.NewRecorder()
			if tc.sr != nil {
				if err := s.parseForm(w, r); err != nil { // as checkForm does before any handler
					t.Fatal(err)
				}
				s.staffFailure(w, r, tc.sr, tc.err)
			} else {
				s.failed(w, r, nil, tc.err)
			}
			page := body(t, w)
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d\n%s", w.Code, tc.wantStatus, page)
			}
			if got := w.Header().Get("Retry-After"); (got == retryAfter) != tc.wantRetryIn || tc.wantRetryIn && got != "5" {
				t.Errorf("Retry-After %q", got)
			}
			for _, want := range tc.wantTexts {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q\n%s", want, page)
				}
			}
			// What was typed is shown back escaped, in read-only fields
			// outside any form, so nothing is submitted from here.
			for _, want := range []string{
				`readonly>` + "\n" + `Let op: &lt;script&gt;alert(1)&lt;/script&gt; de **Erasmusbrug** is dicht &amp; &#34;blijft&#34; dicht.</textarea>`,
				`readonly>` + "\n" + `Verkeer &lt;b&gt;hinder&lt;/b&gt;</textarea>`,
				`De brug</textarea>`, `href="/staff/orgs/rotterdam/compose"`,
			} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q\n%s", want, page)
				}
			}
			for _, never := range []string{"<script>alert", "connection refused", "template exploded", "dial", `name="text"`, `name="summary"`} {
				if strings.Contains(page, never) {
					t.Errorf("page shows %q", never)
				}
			}
			if menu := strings.Contains(page, "/staff/logout"); menu != tc.wantMenu {
				t.Errorf("menu shown: %v, want %v", menu, tc.wantMenu)
			}
			if images := strings.Contains(page, "afbeeldingen zijn niet bewaard") || strings.Contains(page, "images were not kept"); images != tc.wantImages {
				t.Errorf("images note shown: %v, want %v", images, tc.wantImages)
			}
			if !strings.Contains(logs.String(), "route=\"POST /staff/orgs/{org}/compose\"") {
				t.Errorf("log does not name the route: %s", logs.String())
			}
			for _, never := range []string{typed, "redactie@"} {
				if strings.Contains(logs.String(), never) {
					t.Errorf("log holds %q", never)
				}
			}
		})
	}
}

func TestFailurePageOfAGet(t *testing.T) {
	s, _ := newTestApp(t)
	r := httptest.NewRequest(http.MethodGet, "/staff/orgs/rotterdam/posts?state=draft", nil)
	r.Pattern = "GET /staff/orgs/{org}/posts"
	w := httptest.NewRecorder()
	s.staffFailure(w, r, loggedIn("en"), outage)
	page := body(t, w)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != retryAfter {
		t.Fatalf("status %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	if !strings.Contains(page, "The database cannot be reached right now.") || strings.Contains(page, "<textarea") ||
		!strings.Contains(page, `href="/staff/orgs/rotterdam/posts?state=draft">Try again</a>`) {
		t.Errorf("page:\n%s", page)
	}
	if cc := w.Header().Get("Content-Type"); cc != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", cc)
	}
}

// TestFailedFormsKeepNoPasswords: the password form fails without showing
// anything typed back.
func TestFailedFormsKeepNoPasswords(t *testing.T) {
	s, _ := newTestApp(t)
	r := httptest.NewRequest(http.MethodPost, "/staff/password", strings.NewReader(url.Values{"current": {"oud geheim"}, "new": {"nieuw geheim wachtwoord"}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Pattern = "POST /staff/password"
	w := httptest.NewRecorder()
	s.failed(w, r, nil, outage)
	page := body(t, w)
	if w.Code != http.StatusServiceUnavailable || strings.Contains(page, "geheim") || strings.Contains(page, "<textarea") {
		t.Errorf("password form: %d\n%s", w.Code, page)
	}
}
