package moderation_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/moderation"
)

func TestMatchFilters(t *testing.T) {
	filters := []*model.Filter{{ID: "1", Phrase: "horloge"}, {ID: "2", Phrase: "koop nu"}, {ID: "3", Phrase: "ÉÉN"},
		{ID: "4", Phrase: "straße"}, {ID: "5", Phrase: "спам"}}
	for _, tc := range []struct {
		text string
		want string // ids of the filters that match
	}{
		{"Mooi horloge!", "1"},
		{"HORLOGE", "1"},
		{"horloges", ""},          // whole words only
		{"Mijn horlogemaker", ""}, // not inside a word
		{"Koop   nu, echt", "2"},
		{"koop, nu", "2"}, // punctuation separates words the same way
		{"koopnu", ""},
		{"nu koop", ""},
		{"Eén keer", ""}, // accents are letters of their own
		{"één keer", "3"},
		{"Die STRASSE", ""},
		{"Die Straße", "4"},
		{"это СПАМ.", "5"},
		{"", ""},
	} {
		var got []string
		for _, f := range moderation.MatchFilters(filters, tc.text) {
			got = append(got, f.ID)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("MatchFilters(%q) = %v, want %s", tc.text, got, tc.want)
		}
	}
}

func TestParseFilterAction(t *testing.T) {
	for in, want := range map[string]model.FilterAction{"hold": model.FilterHold, " Refuse ": model.FilterRefuse, "block": "", "": ""} {
		got, err := moderation.ParseFilterAction(in)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("ParseFilterAction(%q) = %q %v, want %q", in, got, err, want)
		}
	}
}

func TestQuarters(t *testing.T) {
	q := moderation.QuarterOf(time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC))
	if q != (moderation.Quarter{Year: 2026, Q: 4}) || q.Next() != (moderation.Quarter{Year: 2027, Q: 1}) ||
		q.Prev() != (moderation.Quarter{Year: 2026, Q: 3}) || !q.Start().Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) ||
		moderation.QuarterOf(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)).Prev() != q {
		t.Fatalf("quarter %+v", q)
	}
}

// mastodonBlocklist is a blocklist as Mastodon's admin export writes it,
// with a line whose severity is wrong, one that is no domain, an
// obfuscated domain, a no-op and a repeated domain.
const mastodonBlocklist = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n" +
	"spam.example,suspend,true,true,Spam and scams,false\n" +
	"loud.example,silence,false,false,\"Harassment, repeatedly\",false\n" +
	"odd.example,banish,false,false,,false\n" +
	"not a domain,suspend,false,false,,false\n" +
	"ha**ss.example,suspend,true,true,hidden,true\n" +
	"fine.example,noop,false,false,,false\n" +
	"\n" +
	"SPAM.example.,suspend,false,false,,false\n"

func TestParseBlocklist(t *testing.T) {
	entries, report, err := moderation.ParseBlocklist(strings.NewReader(mastodonBlocklist))
	if err != nil {
		t.Fatal(err)
	}
	want := []moderation.BlocklistEntry{
		{Line: 2, Domain: "spam.example", Mode: model.BlockSuspend, Reason: "Spam and scams"},
		{Line: 3, Domain: "loud.example", Mode: model.BlockHideReplies, Reason: "Harassment, repeatedly"},
	}
	if len(entries) != len(want) || entries[0] != want[0] || entries[1] != want[1] {
		t.Fatalf("entries %+v", entries)
	}
	lines := func(ps []moderation.BlocklistProblem) (out []int) {
		for _, p := range ps {
			out = append(out, p.Line)
		}
		return out
	}
	if got := lines(report.Invalid); len(got) != 2 || got[0] != 4 || got[1] != 5 {
		t.Errorf("invalid lines %v, want 4 and 5", got)
	}
	if got := lines(report.Skipped); len(got) != 3 || got[0] != 6 || got[1] != 7 || got[2] != 9 {
		t.Errorf("skipped lines %v, want 6 (obfuscated), 7 (noop) and 9 (repeated)", got)
	}
	if !strings.Contains(report.Skipped[0].Why.In("en"), "obfuscated") {
		t.Errorf("why line 6 was skipped: %s", report.Skipped[0].Why.In("en"))
	}

	// The older form: one domain a line, each a suspension.
	entries, report, err = moderation.ParseBlocklist(strings.NewReader("spam.example\r\nscam.example\r\n"))
	if err != nil || len(entries) != 2 || entries[1].Domain != "scam.example" || entries[1].Mode != model.BlockSuspend ||
		entries[1].Line != 2 || len(report.Invalid)+len(report.Skipped) != 0 {
		t.Fatalf("one domain a line: %+v %+v %v", entries, report, err)
	}

	// Too large a file is refused whole.
	big := strings.Repeat("a.example\n", moderation.MaxBlocklistBytes/10+1)
	if _, _, err := moderation.ParseBlocklist(strings.NewReader(big)); err == nil {
		t.Fatal("a file over the limit was read")
	}
}

// TestTDBAutomatedStatement checks the export of an automated refusal:
// automated detection Yes, a fully automated decision, values from the
// Database's lists.
func TestTDBAutomatedStatement(t *testing.T) {
	day := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		detected            bool
		decision, detection string
	}{
		{true, moderation.AutomatedFully, "Yes"},
		{false, moderation.AutomatedNotAutomated, "No"},
	} {
		st := &model.Statement{ID: "06h6", Visibility: moderation.VisibilityRemoved, Ground: model.GroundIncompatible,
			Law: "The organisation's rules for replies: words and phrases it does not accept", Explanation: "De reactie bevat ‘koop nu’.",
			Category: moderation.CategoryOtherViolationTC, ContentType: []string{moderation.ContentTypeText}, ContentDate: day,
			ApplicationDate: day, Facts: "automated", SourceType: moderation.SourceVoluntary, AutomatedDetection: tc.detected,
			AutomatedDecision: tc.decision, Language: "nl"}
		got := moderation.TDB(st)
		if got.AutomatedDetection != tc.detection || got.AutomatedDecision != tc.decision ||
			!slices.Contains(moderation.AutomatedDecisions, got.AutomatedDecision) || !slices.Contains(moderation.SourceTypes, got.SourceType) ||
			got.DecisionGround != moderation.GroundIncompatibleContent || got.IncompatibleContentGround == "" || moderation.Automated(st) != tc.detected {
			t.Errorf("TDB of a statement detected %v: %+v", tc.detected, got)
		}
	}
}

// BenchmarkMatchFilters matches a reply of about 500 characters against
// an organisation's MaxFilters filters, as ScreenReply does for each
// reply that arrives.
func BenchmarkMatchFilters(b *testing.B) {
	filters := make([]*model.Filter, moderation.MaxFilters)
	for i := range filters {
		filters[i] = &model.Filter{ID: strconv.Itoa(i), Phrase: "woord" + strconv.Itoa(i) + " en meer"}
	}
	text := strings.Repeat("Dit is een gewone reactie op het bericht over de markt. ", 9)
	for b.Loop() {
		if len(moderation.MatchFilters(filters, text)) != 0 {
			b.Fatal("matched")
		}
	}
}
