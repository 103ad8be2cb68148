package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update after checking the change):\n%s", path, got)
	}
}

const testFrom = "nieuws@plein.example"

var testDate = time.Date(2026, 3, 5, 9, 7, 0, 0, time.FixedZone("CET", 3600))

// png1x1 is a one-pixel PNG.
var png1x1 = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")

// samples are the messages the golden files hold.
func samples() map[string]*Message {
	return map[string]*Message{
		"text.eml": {
			ID: "01JQ9A-text@plein.example", FromName: "Gemeente Demo", To: "jan@example.nl",
			Subject: "Bevestig uw inschrijving", Lang: "nl", Date: testDate,
			Text: "Bevestig uw inschrijving op de berichten van Gemeente Demo:\nhttps://plein.example/@demo/subscribe/confirm?t=abc\n\nWas u dit niet? Dan hoeft u niets te doen.",
		},
		"post.eml": {
			ID: "01JQ9A-post@plein.example", FromName: "Gemeente Súdwest-Fryslân", To: "jan@example.nl",
			BounceToken: "s_01JQ9A",
			Subject:     "Werkzaamheden aan de Zuiderbrug: de brug is van 10 tot en met 14 maart afgesloten voor álle verkeer",
			Lang:        "nl", Date: testDate,
			Text: "De Zuiderbrug is van 10 tot en met 14 maart dicht.   \nOmleiding: via de Noorderbrug (± 5 minuten).\n" +
				"Een regel die veel langer is dan zesenzeventig tekens, zodat quoted-printable haar moet afbreken met een zachte regeleinde.\n" +
				".Een regel die met een punt begint\n\nAfmelden: https://plein.example/u/abc",
			HTML: `<!doctype html><html lang="nl"><body><h1>Werkzaamheden aan de Zuiderbrug</h1>` +
				`<p><img src="cid:header@plein.example" alt="De Zuiderbrug"></p><p>Omleiding: via de Noorderbrug (± 5 minuten).</p>` +
				`<p><img src="cid:kaart@plein.example" alt="Kaart"></p></body></html>`,
			Inline: []Part{
				{ContentID: "header@plein.example", ContentType: "image/png", Filename: "zuiderbrug.png", Data: png1x1},
				{ContentID: "kaart@plein.example", ContentType: "image/png", Filename: "kaart-omleiding ö.png", Data: bytes.Repeat(png1x1, 3)},
			},
			ListID:            "Gemeente Súdwest-Fryslân <sudwest-fryslan.plein.example>",
			Unsubscribe:       "https://plein.example/@sudwestfryslan/unsubscribe?t=s_01JQ9A.c2lnbmF0dXJl",
			UnsubscribeMailto: "nieuws+unsubscribe-s_01JQ9A@plein.example",
		},
		"html-no-images.eml": {
			ID: "01JQ9A-digest@plein.example", FromName: "Waterschap \"Rijn & IJssel\"", To: "an.de.vries@example.org",
			Subject: "Weekoverzicht / Weekly digest", Lang: "en", Date: testDate,
			Text:        "Two posts this week.",
			HTML:        "<p>Two posts this week.</p>",
			ListID:      "<rijn-ijssel.plein.example>",
			Unsubscribe: "https://plein.example/@wrij/unsubscribe?t=x",
		},
	}
}

func TestComposeGolden(t *testing.T) {
	for name, m := range samples() {
		t.Run(name, func(t *testing.T) {
			got, err := Compose(m, testFrom)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name, got)
			checkWireForm(t, got)
			checkRoundTrip(t, m, got)
		})
	}
}

// checkWireForm checks what every relay expects: 7-bit text, CRLF line
// ends, header lines folded within 78 characters where they have a space
// to fold at, body lines within 998.
func checkWireForm(t *testing.T, raw []byte) {
	t.Helper()
	header, _, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		t.Fatal("no end of header")
	}
	for i, c := range raw {
		if c >= 0x80 || c == 0 {
			t.Fatalf("byte %d is %#x: not 7-bit text", i, c)
		}
		if c == '\n' && (i == 0 || raw[i-1] != '\r') {
			t.Fatalf("bare LF at byte %d", i)
		}
		if c == '\r' && (i+1 == len(raw) || raw[i+1] != '\n') {
			t.Fatalf("bare CR at byte %d", i)
		}
	}
	for _, line := range strings.Split(string(header), "\r\n") {
		if len(line) > 78 && strings.Contains(strings.TrimSpace(line), " ") {
			t.Errorf("header line of %d characters that could have been folded: %q", len(line), line)
		}
		if strings.TrimSpace(line) == "" {
			t.Errorf("header line of white space only")
		}
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line of %d characters", len(line))
		}
	}
}

// checkRoundTrip reads raw back with the standard library's parsers and
// compares what a mail program shows with m.
func checkRoundTrip(t *testing.T, m *Message, raw []byte) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	h := msg.Header
	if subj, err := dec.DecodeHeader(h.Get("Subject")); err != nil || subj != m.Subject {
		t.Errorf("Subject reads %q (%v), want %q", subj, err, m.Subject)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != m.FromName || from[0].Address != testFrom {
		t.Errorf("From reads %v (%v)", from, err)
	}
	if to, err := h.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != m.To {
		t.Errorf("To reads %v (%v)", to, err)
	}
	if d, err := h.Date(); err != nil || !d.Equal(m.Date) {
		t.Errorf("Date reads %v (%v)", d, err)
	}
	if got := h.Get("Message-Id"); got != "<"+m.ID+">" {
		t.Errorf("Message-ID = %q", got)
	}
	if got := h.Get("Content-Language"); got != m.Lang {
		t.Errorf("Content-Language = %q", got)
	}
	if m.Unsubscribe != "" {
		want := "<" + m.Unsubscribe + ">"
		if m.UnsubscribeMailto != "" {
			want += ", <mailto:" + m.UnsubscribeMailto + ">"
		}
		if got := h.Get("List-Unsubscribe"); got != want {
			t.Errorf("List-Unsubscribe = %q, want %q", got, want)
		}
		if got := h.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post = %q", got)
		}
	}
	if m.ListID != "" {
		if got, _ := dec.DecodeHeader(h.Get("List-Id")); !strings.HasSuffix(got, m.ListID[strings.Index(m.ListID, "<"):]) {
			t.Errorf("List-Id = %q", got)
		}
	}
	text, html, images := readParts(t, h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), msg.Body)
	if want := strings.ReplaceAll(strings.TrimSuffix(m.Text, "\n"), "\n", "\r\n") + "\r\n"; text != want {
		t.Errorf("text reads\n%q\nwant\n%q", text, want)
	}
	if m.HTML != "" && html != strings.ReplaceAll(m.HTML, "\n", "\r\n")+"\r\n" {
		t.Errorf("HTML reads %q", html)
	}
	if len(images) != len(m.Inline) {
		t.Fatalf("%d images, want %d", len(images), len(m.Inline))
	}
	for _, p := range m.Inline {
		if !bytes.Equal(images["<"+p.ContentID+">"], p.Data) {
			t.Errorf("image %s differs", p.ContentID)
		}
		if !strings.Contains(m.HTML, "cid:"+p.ContentID) {
			t.Errorf("the HTML does not refer to %s", p.ContentID)
		}
	}
}

// readParts walks a MIME body and returns the decoded text, HTML and
// images by Content-ID.
func readParts(t *testing.T, contentType, cte string, body io.Reader) (text, html string, images map[string][]byte) {
	t.Helper()
	images = map[string][]byte{}
	var walk func(ct, cte, cid string, r io.Reader)
	walk = func(ct, cte, cid string, r io.Reader) {
		mediaType, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatalf("Content-Type %q: %v", ct, err)
		}
		if strings.HasPrefix(mediaType, "multipart/") {
			mr := multipart.NewReader(r, params["boundary"])
			for {
				p, err := mr.NextPart() // decodes quoted-printable
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Id"), p)
			}
		}
		var b []byte
		if cte == "quoted-printable" {
			b, err = io.ReadAll(newQPReader(r))
		} else if cte == "base64" {
			b, err = io.ReadAll(newBase64Reader(r))
		} else {
			b, err = io.ReadAll(r)
		}
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case mediaType == "text/plain":
			if params["charset"] != "utf-8" {
				t.Errorf("text charset %q", params["charset"])
			}
			text = string(b)
		case mediaType == "text/html":
			html = string(b)
		default:
			images[cid] = b
		}
	}
	walk(contentType, cte, "", body)
	return text, html, images
}

func TestComposeRefusesHeaderInjection(t *testing.T) {
	const inject = "x\r\nBcc: everyone@example.org"
	for _, tc := range []struct {
		field string
		set   func(m *Message)
	}{
		{"ID", func(m *Message) { m.ID = inject }},
		{"FromName", func(m *Message) { m.FromName = inject }},
		{"FromName LF", func(m *Message) { m.FromName = "x\nBcc: everyone@example.org" }},
		{"To", func(m *Message) { m.To = "jan@example.nl\r\nBcc: everyone@example.org" }},
		{"Subject", func(m *Message) { m.Subject = inject }},
		{"Subject CR", func(m *Message) { m.Subject = "x\rBcc: everyone@example.org" }},
		{"Lang", func(m *Message) { m.Lang = "nl\r\nBcc: everyone@example.org" }},
		{"ListID", func(m *Message) { m.ListID = "Demo <demo.example>\r\nBcc: everyone@example.org" }},
		{"Unsubscribe", func(m *Message) { m.Unsubscribe = "https://plein.example/u\r\nBcc: everyone@example.org" }},
		{"UnsubscribeMailto", func(m *Message) {
			m.Unsubscribe = "https://plein.example/u"
			m.UnsubscribeMailto = "u@plein.example\r\nBcc: everyone@example.org"
		}},
		{"BounceToken", func(m *Message) { m.BounceToken = inject }},
		{"inline ContentID", func(m *Message) {
			m.HTML = "<p>x</p>"
			m.Inline = []Part{{ContentID: inject, ContentType: "image/png", Data: png1x1}}
		}},
		{"inline Filename", func(m *Message) {
			m.HTML = "<p>x</p>"
			m.Inline = []Part{{ContentID: "a@b", ContentType: "image/png", Filename: inject, Data: png1x1}}
		}},
		// Not line breaks, but values that are not what the field holds.
		{"To with a name", func(m *Message) { m.To = "Jan <jan@example.nl>" }},
		{"To not ASCII", func(m *Message) { m.To = "jöran@example.nl" }},
		{"Unsubscribe not http", func(m *Message) { m.Unsubscribe = "javascript:alert(1)" }},
		{"Unsubscribe with a >", func(m *Message) { m.Unsubscribe = "https://plein.example/u>, <https://evil.example/" }},
		{"Lang", func(m *Message) { m.Lang = "nl; x" }},
		{"ListID without id", func(m *Message) { m.ListID = "Demo" }},
		{"Inline without HTML", func(m *Message) { m.Inline = []Part{{ContentID: "a@b", ContentType: "image/png"}} }},
		{"Subject not UTF-8", func(m *Message) { m.Subject = "\xff" }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			m := &Message{ID: "1@plein.example", To: "jan@example.nl", Subject: "Hallo", Text: "Hallo", Date: testDate}
			tc.set(m)
			raw, err := Compose(m, testFrom)
			if !errors.Is(err, ErrInvalid) || !errors.Is(err, ErrRejected) {
				t.Fatalf("Compose = %v, want ErrInvalid (and ErrRejected); message:\n%s", err, raw)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("the error has a line break: %q", err)
			}
		})
	}
}

func TestComposeDefaults(t *testing.T) {
	m := &Message{To: "jan@example.nl", Subject: "Hallo", Text: "Hallo"}
	before := time.Now().Add(-time.Second)
	raw, err := Compose(m, testFrom)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if d, err := msg.Header.Date(); err != nil || d.Before(before) {
		t.Errorf("Date = %v (%v), want now", d, err)
	}
	if id := msg.Header.Get("Message-Id"); !strings.HasSuffix(id, "@plein.example>") || len(id) < 20 {
		t.Errorf("Message-ID = %q, want a random one at the From domain", id)
	}
	for _, name := range []string{"List-Unsubscribe", "List-Unsubscribe-Post", "List-Id", "Content-Language"} {
		if _, ok := msg.Header[name]; ok {
			t.Errorf("%s is set on a message without it", name)
		}
	}
	if got := msg.Header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", got)
	}
	if got := msg.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
}

func TestBoundaryNeverInContent(t *testing.T) {
	// A text that holds the boundary itself still cannot end its part:
	// quoted-printable writes '=' as =3D.
	m := samples()["post.eml"]
	b := boundaryOf(m.ID)
	m.Text = "--" + b + "_alt--\n--" + b + "_rel"
	m.HTML += "\n--" + b + "_rel--"
	raw, err := Compose(m, testFrom)
	if err != nil {
		t.Fatal(err)
	}
	checkRoundTrip(t, m, raw)
}

func newQPReader(r io.Reader) io.Reader     { return quotedprintable.NewReader(r) }
func newBase64Reader(r io.Reader) io.Reader { return base64.NewDecoder(base64.StdEncoding, r) }
