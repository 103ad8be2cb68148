package fbimport

import (
	"fmt"
	"io"

	"plein/internal/i18n"
)

// Write writes the report as text in lang ("nl" or "en").
func (r *Report) Write(w io.Writer, lang string) error {
	title, counts := i18n.ImportReportTitle, i18n.ImportReportCounts
	if r.DryRun {
		title, counts = i18n.ImportReportDryTitle, i18n.ImportReportDryCount
	}
	fmt.Fprintf(w, "%s\n%s\n", i18n.M(title).In(lang), i18n.M(counts, r.Found, r.Imported, r.Before, r.Images, len(r.HeldBack)).In(lang))
	for _, part := range []struct {
		key     i18n.Key
		entries []Entry
	}{{i18n.ImportReportProblems, r.Problems}, {i18n.ImportReportHeld, r.HeldBack}} {
		if len(part.entries) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", i18n.M(part.key, len(part.entries)).In(lang))
		for _, e := range part.entries {
			fmt.Fprintf(w, "- %s\n", e.Line(lang))
		}
	}
	_, err := fmt.Fprint(w)
	return err
}

// Line is the entry as one line of text in lang.
func (e Entry) Line(lang string) string {
	s := e.Item.In(lang)
	if s == "" {
		s = "–"
	}
	if !e.At.IsZero() {
		s += " (" + e.At.Format("2006-01-02") + ")"
	}
	if e.Excerpt != "" {
		s += " ‘" + e.Excerpt + "’"
	}
	if e.PostID != "" {
		s += " [" + e.PostID + "]"
	}
	return s + ": " + e.Reason.In(lang)
}
