package i18n

import (
	"testing"
	"time"
)

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
