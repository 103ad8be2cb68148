package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// row is one line of the result table. An empty plein, baseline and ratio
// make it a section heading.
type row struct {
	metric, plein, baseline, ratio string
}

// report gathers the table and the notes under it.
type report struct {
	header   []string // lines above the table
	failures []string // what went wrong although the run completed; above the table
	rows     []row
	notes    []string // lines under the table
}

func (r *report) section(title string) { r.rows = append(r.rows, row{metric: "**" + title + "**"}) }

func (r *report) add(metric, plein, baseline, ratio string) {
	r.rows = append(r.rows, row{metric, plein, baseline, ratio})
}

func (r *report) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

// failure records something the run found wrong, such as a reader served
// a page without a change the node had reached.
func (r *report) failure(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// markdown renders the report: header lines, failures, the table, the
// notes.
func (r *report) markdown() string {
	var b strings.Builder
	b.WriteString("# Plein benchmark\n\n")
	for _, h := range r.header {
		b.WriteString("- " + h + "\n")
	}
	b.WriteString("\n")
	if len(r.failures) > 0 {
		fmt.Fprintf(&b, "**FAILURES (%d)**\n\n", len(r.failures))
		for _, f := range r.failures {
			b.WriteString("- **FAILURE:** " + f + "\n")
		}
		b.WriteString("\n")
	}
	cells := [][]string{{"metric", "Plein", "baseline", "ratio"}}
	for _, rw := range r.rows {
		cells = append(cells, []string{rw.metric, rw.plein, rw.baseline, rw.ratio})
	}
	width := make([]int, 4)
	for _, c := range cells {
		for i, s := range c {
			width[i] = max(width[i], len([]rune(s)))
		}
	}
	line := func(c []string) {
		b.WriteString("|")
		for i, s := range c {
			pad := strings.Repeat(" ", width[i]-len([]rune(s)))
			if i == 0 {
				b.WriteString(" " + s + pad + " |")
			} else {
				b.WriteString(" " + pad + s + " |")
			}
		}
		b.WriteString("\n")
	}
	line(cells[0])
	b.WriteString("|")
	for i, w := range width {
		if i == 0 {
			b.WriteString(" " + strings.Repeat("-", w) + " |")
		} else {
			b.WriteString(" " + strings.Repeat("-", w-1) + ": |")
		}
	}
	b.WriteString("\n")
	for _, c := range cells[1:] {
		line(c)
	}
	if len(r.notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.notes {
			b.WriteString("- " + n + "\n")
		}
	}
	return b.String()
}

// fmtDur writes d in milliseconds with about three significant digits.
func fmtDur(d time.Duration) string { return fmtMillis(d) + " ms" }

// fmtDurs writes durations as "a / b / c ms".
func fmtDurs(ds ...time.Duration) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmtMillis(d)
	}
	return strings.Join(parts, " / ") + " ms"
}

// fmtMillis writes d as a number of milliseconds with about three
// significant digits.
func fmtMillis(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms >= 100:
		return fmt.Sprintf("%.0f", ms)
	case ms >= 10:
		return fmt.Sprintf("%.1f", ms)
	default:
		return fmt.Sprintf("%.2f", ms)
	}
}

// fmtRate writes a rate per second.
func fmtRate(v float64) string { return fmt.Sprintf("%.0f/s", v) }

// ratio writes a÷b, or "–" when b is zero.
func ratio(a, b float64) string {
	if b == 0 || math.IsNaN(a/b) || math.IsInf(a/b, 0) {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// durRatio is ratio for durations.
func durRatio(a, b time.Duration) string { return ratio(float64(a), float64(b)) }

// percentile returns the p-th percentile (0–100) of sorted ds, nearest
// rank; zero for none.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
