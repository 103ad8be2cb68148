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
