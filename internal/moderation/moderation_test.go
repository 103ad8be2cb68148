package moderation_test

import (
	"strings"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/moderation"
)

func TestParseBlockTarget(t *testing.T) {
	for _, tc := range []struct {
		in     string
		kind   model.BlockKind
		target string
	}{
		{"spam.example", model.BlockServer, "spam.example"},
		{" Spam.Example. ", model.BlockServer, "spam.example"},
		{"https://spam.example", model.BlockServer, "spam.example"},
		{"https://spam.example/", model.BlockServer, "spam.example"},
		{"https://social.example/users/troll", model.BlockAccount, "https://social.example/users/troll"},
		{"not a server", "", ""},
		{"troll@social.example", "", ""},
		{"", "", ""},
		{"localhost", "", ""},
	} {
		kind, target, err := moderation.ParseBlockTarget(tc.in)
		if kind != tc.kind || target != tc.target || (err != nil) != (tc.kind == "") {
			t.Errorf("ParseBlockTarget(%q) = %q %q %v, want %q %q", tc.in, kind, target, err, tc.kind, tc.target)
		}
	}
}

func TestParseCategory(t *testing.T) {
	if len(moderation.Categories) != 16 {
		t.Fatalf("%d categories, want the Database's 16", len(moderation.Categories))
	}
	for in, want := range map[string]string{
		"scams_and_fraud":                   "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
		"Scams-And-Fraud":                   "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
		"STATEMENT_CATEGORY_VIOLENCE":       "STATEMENT_CATEGORY_VIOLENCE",
		"other_violation_tc":                "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
		"pornography_or_sexualized_content": "", // not in the current list
		"":                                  "",
	} {
		got, ok := moderation.ParseCategory(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseCategory(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}

func TestTDBStatement(t *testing.T) {
	day := time.Date(2026, 3, 14, 23, 30, 0, 0, time.UTC)
	st := &model.Statement{ID: "06h5", Visibility: moderation.VisibilityRemoved, Ground: model.GroundIllegal, Law: "art. 285 Sr",
		Explanation: "Een bedreiging.", Category: moderation.CategoryIllegalOrHarmfulSpeech, ContentType: []string{moderation.ContentTypeText},
		ContentDate: day, ApplicationDate: day.Add(time.Hour), Facts: strings.Repeat("f", moderation.MaxFacts+10),
		SourceType: moderation.SourceVoluntary, AutomatedDecision: moderation.AutomatedNotAutomated, Language: "nl"}
	got := moderation.TDB(st)
	if got.DecisionGround != moderation.GroundIllegalContent || got.IllegalContentLegalGround != "art. 285 Sr" ||
		got.IncompatibleContentGround != "" || got.ContentDate != "2026-03-14" || got.ApplicationDate != "2026-03-15" ||
		len([]rune(got.DecisionFacts)) != moderation.MaxFacts || got.AutomatedDetection != "No" || got.ContentLanguage != "NL" || got.PUID != "06h5" {
		t.Errorf("TDB: %+v", got)
	}
	st.Ground = model.GroundIncompatible
	if got := moderation.TDB(st); got.DecisionGround != moderation.GroundIncompatibleContent || got.IncompatibleContentGround != "art. 285 Sr" ||
		got.IncompatibleContentExplanation != "Een bedreiging." || got.IllegalContentLegalGround != "" {
		t.Errorf("TDB incompatible: %+v", got)
	}
	var b strings.Builder
	many := make([]*model.Statement, 2*moderation.TDBBatchSize+1)
	for i := range many {
		many[i] = st
	}
	if err := moderation.WriteTDB(&b, many); err != nil || strings.Count(b.String(), "\n") != 3 {
		t.Errorf("%d statements in %d batches, want 3 (%v)", len(many), strings.Count(b.String(), "\n"), err)
	}
}
