// Package chart draws daily series as inline SVG bar and line charts, and
// as HTML tables, for pages served under a strict Content-Security-Policy.
//
// The output uses no JavaScript, no inline style and nothing from another
// host: shapes carry SVG presentation attributes and CSS classes
// (chart-bar, chart-line, chart-point, chart-grid, chart-axis,
// chart-label, chart-nodata, chart-table, chart-num) that the site's own
// stylesheet may style. Colours default to currentColor so a chart follows
// the text colour of its page. The same input always gives the same output.
package chart

import (
	"hash/fnv"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Point is one value of a series, such as the views of one day.
type Point struct {
	Label string // shown on the x-axis and in the table, e.g. "2026-11-20"
	Value int64
}

// Series is a titled sequence of points, oldest first.
type Series struct {
	Title string // e.g. "Views"; the chart's title and the table's value column
	// LabelTitle heads the table's label column; "Day" when empty.
	LabelTitle string
	Points     []Point
}

// Options shape one chart. The zero value gives a 640×200 chart.
type Options struct {
	// ID names the chart's elements: it is lowercased and reduced to
	// [a-z0-9-]. Give every chart on a page its own ID; when it is empty an
	// id is derived from the title and the kind of chart.
	ID string
	// Width and Height are the size of the viewBox; the chart is drawn at
	// 100% of its container's width and keeps this aspect ratio.
	Width, Height int
	// Description opens the chart's accessible description; the summary of
	// the values follows it.
	Description string
	// Summary words the summary of the values; DefaultSummary when nil.
	Summary func(Stats) string
	// NoData is shown on a chart without a value above zero; "no data" when
	// empty.
	NoData string
}

// Default and minimum chart sizes, in viewBox units.
const (
	DefaultWidth  = 640
	DefaultHeight = 200
	minWidth      = 200
	minHeight     = 120
	maxSize       = 10000
)

// Layout inside the viewBox.
const (
	marginLeft   = 48.0
	marginRight  = 10.0
	marginTop    = 10.0
	marginBottom = 26.0
	fontSize     = 11.0
	maxXLabels   = 8
)

// Stats summarises a series.
type Stats struct {
	Count    int    // number of points
	Total    int64  // sum of the values, held at the int64 limits
	Max      int64  // highest value
	MaxLabel string // label of the first point with the highest value
	Min      int64  // lowest value
	MinLabel string // label of the first point with the lowest value
}

// Summarize returns the count, total, highest and lowest value of s.
func Summarize(s Series) Stats {
	st := Stats{Count: len(s.Points)}
	for i, p := range s.Points {
		st.Total = addSaturated(st.Total, p.Value)
		if i == 0 || p.Value > st.Max {
			st.Max, st.MaxLabel = p.Value, p.Label
		}
		if i == 0 || p.Value < st.Min {
			st.Min, st.MinLabel = p.Value, p.Label
		}
	}
	return st
}

// DefaultSummary words st in English, for example
// "Over 7 days: total 52; highest 20 on 2026-11-20; lowest 0 on 2026-11-18."
func DefaultSummary(st Stats) string {
	switch {
	case st.Count == 0:
		return "No data."
	case st.Max == 0 && st.Min == 0:
		return "Over " + days(st.Count) + ": total 0."
	case st.Count == 1:
		return "One day: " + strconv.FormatInt(st.Max, 10) + " on " + st.MaxLabel + "."
	}
	return "Over " + days(st.Count) + ": total " + strconv.FormatInt(st.Total, 10) +
		"; highest " + strconv.FormatInt(st.Max, 10) + " on " + st.MaxLabel +
		"; lowest " + strconv.FormatInt(st.Min, 10) + " on " + st.MinLabel + "."
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

// maxTick bounds the y-axis: larger values are drawn at the top of the
// chart (the table and the description still give them exactly).
const maxTick = 4_000_000_000_000_000_000

// NiceTicks returns the y-axis gridline values for a series whose highest
// value is hi: 3 to 5 values from 0, evenly spaced by 1, 2 or 5 × 10^n,
// the last at or above hi. A hi of 0 or less gives 0, 1, 2.
func NiceTicks(hi int64) []int64 {
	hi = max(0, min(maxTick, hi))
	step := niceStep(hi)
	n := max(2, intervals(hi, step))
	ticks := make([]int64, 0, n+1)
	for k := int64(0); k <= n; k++ {
		ticks = append(ticks, k*step)
	}
	return ticks
}

// niceStep returns the smallest step of 1, 2 or 5 × 10^n that covers hi in
// at most 4 intervals. hi must not exceed maxTick, so the step stays below
// 10^19 and never overflows.
func niceStep(hi int64) int64 {
	for mag := int64(1); ; mag *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if intervals(hi, m*mag) <= 4 {
				return m * mag
			}
		}
	}
}

// intervals returns how many steps of size step cover hi, rounded up.
func intervals(hi, step int64) int64 {
	n := hi / step
	if hi%step != 0 {
		n++
	}
	return n
}

func addSaturated(a, b int64) int64 {
	switch {
	case b > 0 && a > math.MaxInt64-b:
		return math.MaxInt64
	case b < 0 && a < math.MinInt64-b:
		return math.MinInt64
	}
	return a + b
}

// Bars renders s as a bar chart: one bar per point, values below zero drawn
// as zero.
func Bars(s Series, opts Options) template.HTML {
	return render(s, opts, "bars")
}

// Line renders s as a line through one marked point per value, values below
// zero drawn as zero.
func Line(s Series, opts Options) template.HTML {
	return render(s, opts, "line")
}

// layout holds the geometry of one chart.
type layout struct {
	width, height float64
	left, top     float64 // top-left corner of the plot area
	plotW, plotH  float64
	band          float64 // horizontal space given to each point
	top0          int64   // highest y-axis value
}

func (l layout) x(i int) float64 {
	return l.left + l.band*(float64(i)+0.5)
}

func (l layout) y(v int64) float64 {
	v = max(0, min(v, l.top0))
	return l.top + l.plotH - l.plotH*float64(v)/float64(l.top0)
}

func render(s Series, opts Options, kind string) template.HTML {
	st := Summarize(s)
	hasData := st.Max > 0

	w, h := size(opts.Width, DefaultWidth, minWidth), size(opts.Height, DefaultHeight, minHeight)
	ticks := NiceTicks(st.Max)
	top0 := ticks[len(ticks)-1]
	if !hasData {
		ticks = ticks[:1] // only the baseline's 0
	}
	l := layout{
		width: float64(w), height: float64(h),
		left: marginLeft, top: marginTop,
		plotW: float64(w) - marginLeft - marginRight,
		plotH: float64(h) - marginTop - marginBottom,
		top0:  top0,
	}
	l.band = l.plotW / float64(max(1, len(s.Points)))

	id := elementID(opts.ID, s.Title, kind)
	summary := DefaultSummary
	if opts.Summary != nil {
		summary = opts.Summary
	}
	desc := strings.TrimSpace(strings.TrimSpace(opts.Description) + " " + summary(st))
	noData := opts.NoData
	if noData == "" {
		noData = "no data"
	}

	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-`)
	b.WriteString(kind)
	b.WriteString(`" role="img" aria-labelledby="`)
	b.WriteString(id + `-title ` + id + `-desc" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(w) + " " + strconv.Itoa(h))
	b.WriteString(`" width="100%" preserveAspectRatio="xMidYMid meet">`)
	b.WriteString(`<title id="` + id + `-title">`)
	escape(&b, s.Title)
	b.WriteString(`</title><desc id="` + id + `-desc">`)
	escape(&b, desc)
	b.WriteString(`</desc>`)

	yAxis(&b, l, ticks)
	xAxis(&b, l, s.Points)
	if hasData {
		if kind == "bars" {
			bars(&b, l, s.Points)
		} else {
			line(&b, l, s.Points)
		}
	} else {
		b.WriteString(`<text class="chart-nodata" x="` + num(l.left+l.plotW/2) +
			`" y="` + num(l.top+l.plotH/2) + `" text-anchor="middle" font-size="` +
			num(fontSize*1.25) + `" fill="currentColor">`)
		escape(&b, noData)
		b.WriteString(`</text>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// yAxis draws one gridline and label per tick, the baseline last.
func yAxis(b *strings.Builder, l layout, ticks []int64) {
	b.WriteString(`<g class="chart-grid" stroke="currentColor" stroke-opacity="0.2" stroke-width="1">`)
	for _, t := range ticks[1:] {
		y := num(l.y(t))
		b.WriteString(`<line x1="` + num(l.left) + `" y1="` + y + `" x2="` + num(l.left+l.plotW) + `" y2="` + y + `"/>`)
	}
	b.WriteString(`</g>`)
	base := num(l.top + l.plotH)
	b.WriteString(`<line class="chart-axis" x1="` + num(l.left) + `" y1="` + base + `" x2="` + num(l.left+l.plotW) +
		`" y2="` + base + `" stroke="currentColor" stroke-width="1"/>`)
	b.WriteString(`<g class="chart-label chart-label-y" font-size="` + num(fontSize) + `" fill="currentColor" text-anchor="end">`)
	for _, t := range ticks {
		b.WriteString(`<text x="` + num(l.left-6) + `" y="` + num(l.y(t)+fontSize*0.35) + `">`)
		b.WriteString(compact(t))
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g>`)
}

// xAxis labels every point when they fit, and otherwise every k-th point
// from the first, so that at most maxXLabels labels are shown.
func xAxis(b *strings.Builder, l layout, pts []Point) {
	if len(pts) == 0 {
		return
	}
	longest := 1
	for _, p := range pts {
		longest = max(longest, utf8.RuneCountInString(p.Label))
	}
	labelW := float64(longest)*fontSize*0.6 + 8
	fit := max(1, min(maxXLabels, int(l.plotW/labelW)))
	every := (len(pts) + fit - 1) / fit
	b.WriteString(`<g class="chart-label chart-label-x" font-size="` + num(fontSize) + `" fill="currentColor" text-anchor="middle">`)
	y := num(l.top + l.plotH + fontSize + 6)
	for i := 0; i < len(pts); i += every {
		// Keep the estimated label inside the viewBox.
		half := float64(utf8.RuneCountInString(pts[i].Label)) * fontSize * 0.3
		x := math.Max(half, math.Min(l.width-half, l.x(i)))
		b.WriteString(`<text x="` + num(x) + `" y="` + y + `">`)
		escape(b, pts[i].Label)
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g>`)
}

func bars(b *strings.Builder, l layout, pts []Point) {
	gap := math.Min(l.band*0.2, 8)
	bw := l.band - gap
	base := l.top + l.plotH
	b.WriteString(`<g class="chart-bars" fill="currentColor">`)
	for i, p := range pts {
		if p.Value <= 0 {
			continue
		}
		y := l.y(p.Value)
		b.WriteString(`<rect class="chart-bar" x="` + num(l.x(i)-bw/2) + `" y="` + num(y) +
			`" width="` + num(bw) + `" height="` + num(base-y) + `">`)
		pointTitle(b, p)
		b.WriteString(`</rect>`)
	}
	b.WriteString(`</g>`)
}

func line(b *strings.Builder, l layout, pts []Point) {
	if len(pts) > 1 {
		b.WriteString(`<path class="chart-line" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" d="`)
		for i, p := range pts {
			if i == 0 {
				b.WriteString("M")
			} else {
				b.WriteString(" L")
			}
			b.WriteString(num(l.x(i)) + " " + num(l.y(p.Value)))
		}
		b.WriteString(`"/>`)
	}
	r := math.Max(1.5, math.Min(3, l.band*0.35))
	b.WriteString(`<g class="chart-points" fill="currentColor">`)
	for i, p := range pts {
		b.WriteString(`<circle class="chart-point" cx="` + num(l.x(i)) + `" cy="` + num(l.y(p.Value)) +
			`" r="` + num(r) + `">`)
		pointTitle(b, p)
		b.WriteString(`</circle>`)
	}
	b.WriteString(`</g>`)
}

// pointTitle gives a mark a tooltip such as "2026-11-20: 12".
func pointTitle(b *strings.Builder, p Point) {
	b.WriteString(`<title>`)
	escape(b, p.Label)
	b.WriteString(`: ` + strconv.FormatInt(p.Value, 10) + `</title>`)
}

// Table renders s as an HTML table: a caption, a header row, and one row per
// point whose number cell carries the class chart-num.
func Table(s Series, caption string) template.HTML {
	labelTitle := s.LabelTitle
	if labelTitle == "" {
		labelTitle = "Day"
	}
	valueTitle := s.Title
	if valueTitle == "" {
		valueTitle = "Value"
	}
	var b strings.Builder
	b.WriteString(`<table class="chart-table"><caption>`)
	escape(&b, caption)
	b.WriteString(`</caption><thead><tr><th scope="col">`)
	escape(&b, labelTitle)
	b.WriteString(`</th><th scope="col" class="chart-num">`)
	escape(&b, valueTitle)
	b.WriteString(`</th></tr></thead><tbody>`)
	for _, p := range s.Points {
		b.WriteString(`<tr><th scope="row">`)
		escape(&b, p.Label)
		b.WriteString(`</th><td class="chart-num">` + strconv.FormatInt(p.Value, 10) + `</td></tr>`)
	}
	b.WriteString(`</tbody></table>`)
	return template.HTML(b.String())
}

// size applies the default and the bounds to a requested dimension.
func size(v, def, lo int) int {
	if v <= 0 {
		return def
	}
	return max(lo, min(maxSize, v))
}

// elementID returns the prefix of the chart's element ids: "chart-" and the
// sanitised ID, or a hash of the title and kind when ID has no usable
// character.
func elementID(id, title, kind string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(id) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() > 0 {
		return "chart-" + b.String()
	}
	h := fnv.New32a()
	h.Write([]byte(kind + "\x00" + title)) // a hash.Hash never returns an error
	return "chart-" + kind + "-" + strconv.FormatUint(uint64(h.Sum32()), 16)
}

// num formats a coordinate with at most two decimals; a value that is not
// finite becomes 0 so the SVG never holds NaN or Inf.
func num(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	f = math.Round(f*100) / 100
	if f == 0 {
		return "0" // also turns -0 into 0
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// compact formats an axis value with a k, M, G, T, P or E suffix, e.g.
// 1500 as "1.5k" and 1000000000 as "1G".
func compact(v int64) string {
	units := []string{"", "k", "M", "G", "T", "P", "E"}
	unit, i := int64(1), 0
	for i+1 < len(units) && v/unit >= 1000 {
		unit *= 1000
		i++
	}
	if v%unit == 0 {
		return strconv.FormatInt(v/unit, 10) + units[i]
	}
	return strconv.FormatFloat(float64(v)/float64(unit), 'f', -1, 64) + units[i]
}

// escape writes s as XML and HTML text: it escapes the five markup
// characters, replaces invalid UTF-8 with U+FFFD and drops characters XML
// does not allow.
func escape(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == utf8.RuneError && n == 1:
			b.WriteRune('\uFFFD')
		case r == '\t' || r == '\n' || r == '\r' ||
			r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF:
			b.WriteRune(r)
		}
	}
}
