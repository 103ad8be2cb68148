package i18n

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// verbs finds the formatting verbs of a message.
var verbs = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*([a-zA-Z%])`)

// arguments describes the arguments a message takes, in order of argument
// (a language may name them in another order with %[n]s): "1:d 2:s".
func arguments(msg string) string {
	byIndex := map[int]string{}
	next := 1
	for _, m := range verbs.FindAllStringSubmatch(msg, -1) {
		if m[2] == "%" {
			continue
		}
		if m[1] != "" {
			next, _ = strconv.Atoi(m[1])
		}
		byIndex[next] = m[2]
		next++
	}
	var parts []string
	for i := 1; i <= len(byIndex); i++ {
		parts = append(parts, strconv.Itoa(i)+":"+byIndex[i])
	}
	return strings.Join(parts, " ")
}

func TestPick(t *testing.T) {
	for _, tc := range []struct{ req, fallback, want string }{
		{"en", "nl", "en"},
		{"EN-GB", "nl", "en"},
		{"", "en", "en"},
		{"fr", "en", "en"},
		{"fr", "de", "nl"},
		{"", "", "nl"},
	} {
		if got := Pick(tc.req, tc.fallback); got != tc.want {
			t.Errorf("Pick(%q, %q) = %q, want %q", tc.req, tc.fallback, got, tc.want)
		}
	}
}

func TestEveryMessageHasBothLanguages(t *testing.T) {
	for key, m := range messages {
		if m[0] == "" || m[1] == "" {
			t.Errorf("%s lacks a translation: %q", key, m)
		}
		// Both languages take the same arguments, or one of them would
		// show %!d(MISSING) or %!(EXTRA ...) to its readers.
		if nl, en := arguments(m[0]), arguments(m[1]); nl != en {
			t.Errorf("%s: Dutch takes %s, English %s", key, nl, en)
		}
	}
	if got := T("nl", "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
	if got := T("en", "post.version", 3); got != "Version 3" {
		t.Errorf("formatted = %q", got)
	}
}

func TestDateTime(t *testing.T) {
	at := time.Date(2026, 3, 5, 9, 7, 0, 0, time.UTC)
	if got := DateTime("nl", at); got != "5 maart 2026 om 09:07" {
		t.Errorf("nl: %q", got)
	}
	if got := DateTime("en", at); got != "5 March 2026, 09:07" {
		t.Errorf("en: %q", got)
	}
}

func TestMessage(t *testing.T) {
	at := time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		m                  Message
		nl, en, sentenceNL string
	}{
		{M(ErrTextEmpty), "een bericht heeft tekst nodig", "a post needs text", "Een bericht heeft tekst nodig."},
		// A nested message is told in the same language.
		{M(ErrAltMissing, M(ImageNumber, 2)), "afbeelding 2 heeft geen alt-tekst: beschrijf de afbeelding voor wie haar niet kan zien",
			"image 2 has no alt text: describe the image for people who cannot see it",
			"Afbeelding 2 heeft geen alt-tekst: beschrijf de afbeelding voor wie haar niet kan zien."},
		// A file name at the start keeps its case.
		{M(ErrImageDamaged, "kaart.png"), "kaart.png is beschadigd of onvolledig; sla de afbeelding opnieuw op als PNG, JPEG, GIF of WebP",
			"kaart.png is damaged or incomplete; save the image again as PNG, JPEG, GIF or WebP",
			"kaart.png is beschadigd of onvolledig; sla de afbeelding opnieuw op als PNG, JPEG, GIF of WebP."},
		// Times are written as each language writes them.
		{M(ErrScheduleInPast, at), "1 januari 2020 om 10:00 ligt in het verleden", "1 January 2020, 10:00 is in the past",
			"1 januari 2020 om 10:00 ligt in het verleden."},
	} {
		if got := tc.m.In("nl"); got != tc.nl {
			t.Errorf("%s in Dutch: %q, want %q", tc.m.Key, got, tc.nl)
		}
		if got := tc.m.In("en"); got != tc.en || tc.m.String() != tc.en {
			t.Errorf("%s in English: %q, want %q", tc.m.Key, got, tc.en)
		}
		if got := tc.m.Sentence("nl"); got != tc.sentenceNL {
			t.Errorf("%s as a Dutch sentence: %q, want %q", tc.m.Key, got, tc.sentenceNL)
		}
	}
}
