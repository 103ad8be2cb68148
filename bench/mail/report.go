//go:build linux

package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// report gathers the runs and the lines around them.
type report struct {
	header  []string
	results []result
	notes   []string
}

func (r *report) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

func (r *report) failed() int {
	n := 0
	for _, res := range r.results {
		if res.err != nil {
			n++
		}
	}
	return n
}

// markdown renders the header, a table of every run, the medians (and
// their ratios to the baseline) and the notes.
func (r *report) markdown() string {
	var b strings.Builder
	b.WriteString("# Plein mail benchmark\n\n")
	for _, h := range r.header {
		b.WriteString("- " + h + "\n")
	}
	b.WriteString("\n")
	rows := [][]string{{"engine", "DKIM", "binary", "messages", "seconds", "messages/s", "first after", "publish command", "CPU per message", "VmHWM", "result"}}
	for _, res := range r.results {
		verdict := "ok"
		if res.err != nil {
			verdict = "FAILED: " + res.err.Error()
		}
		rows = append(rows, []string{res.engine, res.dkim, res.binary, fmt.Sprint(res.messages), fmt.Sprintf("%.1f", res.took.Seconds()),
			fmt.Sprintf("%.0f", res.rate()), fmtMillis(res.first), fmtMillis(res.publish), fmtMicros(res.cpu, res.messages), fmtMiB(res.hwm), verdict})
	}
	table(&b, rows, 3)
	if summary := r.summary(); len(summary) > 1 {
		b.WriteString("\nMedians of the runs that completed")
		if len(summary[0]) > 5 {
			b.WriteString(", and plein's ratio to the baseline (the median of the ratios of the runs paired in turn)")
		}
		b.WriteString(":\n\n")
		table(&b, summary, 2)
	}
	if len(r.notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.notes {
			b.WriteString("- " + n + "\n")
		}
	}
	return b.String()
}

// summary returns the median rate, CPU per message and memory of each
// engine and key set, with the ratios to the baseline when there is one.
func (r *report) summary() [][]string {
	type key struct{ engine, dkim string }
	var keys []key
	runs := map[key]map[string][]result{}
	for _, res := range r.results {
		k := key{res.engine, res.dkim}
		if runs[k] == nil {
			runs[k] = map[string][]result{}
			keys = append(keys, k)
		}
		runs[k][res.binary] = append(runs[k][res.binary], res)
	}
	baseline := false
	for _, res := range r.results {
		baseline = baseline || res.binary == "baseline"
	}
	head := []string{"engine", "DKIM", "messages/s", "first after", "CPU per message", "VmHWM"}
	if baseline {
		head = append(head, "baseline messages/s", "baseline first after", "baseline CPU per message", "baseline VmHWM",
			"rate ratio", "first-after ratio", "CPU ratio", "VmHWM ratio")
	}
	out := [][]string{head}
	for _, k := range keys {
		p, bl := runs[k]["plein"], runs[k]["baseline"]
		row := []string{k.engine, k.dkim}
		row = append(row, medians(p)...)
		if baseline {
			row = append(row, medians(bl)...)
			var rates, firsts, cpus, hwms []float64
			for i := range min(len(p), len(bl)) {
				if p[i].err != nil || bl[i].err != nil {
					continue
				}
				rates = append(rates, p[i].rate()/bl[i].rate())
				firsts = append(firsts, p[i].first.Seconds()/bl[i].first.Seconds())
				cpus = append(cpus, perMessage(p[i])/perMessage(bl[i]))
				hwms = append(hwms, float64(p[i].hwm)/float64(bl[i].hwm))
			}
			row = append(row, fmtRatio(rates), fmtRatio(firsts), fmtRatio(cpus), fmtRatio(hwms))
		}
		out = append(out, row)
	}
	return out
}

// medians returns the median rate, time to the first message, CPU per
// message and memory of the runs that completed.
func medians(rs []result) []string {
	var rates, firsts, cpus, hwms []float64
	for _, res := range rs {
		if res.err == nil {
			rates = append(rates, res.rate())
			firsts = append(firsts, float64(res.first))
			cpus = append(cpus, perMessage(res))
			hwms = append(hwms, float64(res.hwm))
		}
	}
	if len(rates) == 0 {
		return []string{"–", "–", "–", "–"}
	}
	return []string{fmt.Sprintf("%.0f", median(rates)), fmtMillis(time.Duration(median(firsts))), fmt.Sprintf("%.0f µs", median(cpus)), fmtMiB(int64(median(hwms)))}
}

// perMessage is the CPU time per message in microseconds.
func perMessage(res result) float64 {
	if res.messages == 0 {
		return 0
	}
	return float64(res.cpu.Microseconds()) / float64(res.messages)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func fmtRatio(v []float64) string {
	if len(v) == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", median(v))
}

func fmtMillis(d time.Duration) string {
	if d <= 0 {
		return "–"
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

func fmtMicros(cpu time.Duration, messages int) string {
	if messages == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f µs", float64(cpu.Microseconds())/float64(messages))
}

func fmtMiB(bytes int64) string {
	if bytes <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f MiB", float64(bytes)/(1<<20))
}

// table writes rows as a Markdown table, the first row as its head; the
// first left columns are aligned left, the others right.
func table(b *strings.Builder, rows [][]string, left int) {
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	line := func(row []string) {
		b.WriteString("|")
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i < left {
				b.WriteString(" " + c + pad + " |")
			} else {
				b.WriteString(" " + pad + c + " |")
			}
		}
		b.WriteString("\n")
	}
	line(rows[0])
	b.WriteString("|")
	for i, w := range width {
		if i < left {
			b.WriteString(" " + strings.Repeat("-", w) + " |")
		} else {
			b.WriteString(" " + strings.Repeat("-", w-1) + ": |")
		}
	}
	b.WriteString("\n")
	for _, row := range rows[1:] {
		line(row)
	}
}
