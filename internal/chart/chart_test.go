package chart

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// node is one parsed XML element.
type node struct {
	name     string
	attrs    map[string]string
	text     string // character data directly inside the element
	children []*node
}

func (n *node) walk(f func(*node)) {
	f(n)
	for _, c := range n.children {
		c.walk(f)
	}
}

// find returns the elements named name that carry class (when not empty).
func (n *node) find(name, class string) []*node {
	var out []*node
	n.walk(func(e *node) {
		if e.name == name && (class == "" || slices.Contains(strings.Fields(e.attrs["class"]), class)) {
			out = append(out, e)
		}
	})
	return out
}

// parse parses s strictly as one XML document and returns its root element.
func parse(t *testing.T, s string) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	var root *node
	var stack []*node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				key := a.Name.Local
				if a.Name.Space != "" && a.Name.Space != "xmlns" {
					key = a.Name.Space + ":" + key
				} else if a.Name.Space == "xmlns" || key == "xmlns" {
					key = "xmlns"
				}
				n.attrs[key] = a.Value
			}
			if len(stack) == 0 {
				if root != nil {
					t.Fatalf("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			} else if strings.TrimSpace(string(tok)) != "" {
				t.Fatalf("text outside the root element: %q", tok)
			}
		}
	}
	if root == nil {
		t.Fatalf("no root element in %q", s)
	}
	return root
}

func daily(values ...int64) Series {
	s := Series{Title: "Views"}
	for i, v := range values {
		s.Points = append(s.Points, Point{Label: fmt.Sprintf("2026-11-%02d", i+1), Value: v})
	}
	return s
}

func ramp(n int, f func(i int) int64) Series {
	s := Series{Title: "Views"}
	for i := range n {
		s.Points = append(s.Points, Point{Label: fmt.Sprintf("d%03d", i), Value: f(i)})
	}
	return s
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		max  int64
		want []int64
	}{
		{-5, []int64{0, 1, 2}},
		{0, []int64{0, 1, 2}},
		{1, []int64{0, 1, 2}},
		{3, []int64{0, 1, 2, 3}},
		{4, []int64{0, 1, 2, 3, 4}},
		{5, []int64{0, 2, 4, 6}},
		{7, []int64{0, 2, 4, 6, 8}},
		{10, []int64{0, 5, 10}},
		{99, []int64{0, 50, 100}},
		{1234, []int64{0, 500, 1000, 1500}},
		{1e9, []int64{0, 5e8, 1e9}},
		{1e9 + 1, []int64{0, 5e8, 1e9, 1.5e9}},
		{math.MaxInt64, []int64{0, 1e18, 2e18, 3e18, 4e18}},
	}
	for _, tt := range tests {
		t.Run(strconv.FormatInt(tt.max, 10), func(t *testing.T) {
			if got := NiceTicks(tt.max); !slices.Equal(got, tt.want) {
				t.Errorf("NiceTicks(%d) = %v, want %v", tt.max, got, tt.want)
			}
		})
	}
}

// TestNiceTicksProperties checks the promise of NiceTicks over many maxima.
func TestNiceTicksProperties(t *testing.T) {
	var maxima []int64
	for v := int64(0); v <= 3000; v++ {
		maxima = append(maxima, v)
	}
	for p := int64(1); p <= 1e18; p *= 10 {
		maxima = append(maxima, p-1, p, p+1, 2*p+1, 5*p-1, 5*p+1)
	}
	for _, hi := range maxima {
		ticks := NiceTicks(hi)
		if len(ticks) < 3 || len(ticks) > 5 {
			t.Fatalf("NiceTicks(%d) = %v: want 3 to 5 ticks", hi, ticks)
		}
		step := ticks[1]
		if ticks[0] != 0 || !isNice(step) {
			t.Fatalf("NiceTicks(%d) = %v: want 0 and a step of 1, 2 or 5 × 10^n", hi, ticks)
		}
		for i := range ticks {
			if ticks[i] != int64(i)*step {
				t.Fatalf("NiceTicks(%d) = %v: uneven steps", hi, ticks)
			}
		}
		top := ticks[len(ticks)-1]
		drawn := min(hi, maxTick) // larger values are drawn at the top
		if top < drawn {
			t.Fatalf("NiceTicks(%d) = %v: top below the maximum", hi, ticks)
		}
		if len(ticks) > 3 && top-step >= drawn {
			t.Fatalf("NiceTicks(%d) = %v: one interval too many", hi, ticks)
		}
	}
}

func isNice(step int64) bool {
	for step%10 == 0 {
		step /= 10
	}
	return step == 1 || step == 2 || step == 5
}

func TestCompact(t *testing.T) {
	tests := []struct {
		v    int64
		want string
	}{
		{0, "0"}, {5, "5"}, {999, "999"}, {1000, "1k"}, {1500, "1.5k"},
		{20000, "20k"}, {2500000, "2.5M"}, {1e9, "1G"}, {4e18, "4E"},
	}
	for _, tt := range tests {
		if got := compact(tt.v); got != tt.want {
			t.Errorf("compact(%d) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// render is one way to draw a chart.
var renders = []struct {
	name string
	f    func(Series, Options) template.HTML
}{
	{"bars", Bars},
	{"line", Line},
}

func TestChartsWellFormed(t *testing.T) {
	series := []struct {
		name string
		s    Series
	}{
		{"empty", Series{Title: "Views"}},
		{"one point", daily(42)},
		{"one zero", daily(0)},
		{"all zero", daily(0, 0, 0, 0, 0, 0, 0)},
		{"7 days", daily(3, 0, 12, 7, 7, 1, 20)},
		{"30 days", ramp(30, func(i int) int64 { return int64(i * i) })},
		{"90 days", ramp(90, func(i int) int64 { return int64((i * 37) % 101) })},
		{"huge", daily(1e9, 999_999_999, 1, 0, 5e8)},
		{"max int64", daily(math.MaxInt64, math.MaxInt64, 1)},
		{"negative", daily(-5, 3, -1e18, 8)},
		{"all negative", daily(-1, -2)},
		{"no title", Series{Points: daily(1, 2).Points}},
	}
	for _, r := range renders {
		for _, sc := range series {
			t.Run(r.name+"/"+sc.name, func(t *testing.T) {
				out := string(r.f(sc.s, Options{ID: "views"}))
				checkSVG(t, out, sc.s, r.name, 640, 200)
			})
		}
	}
}

// checkSVG asserts everything a chart of s must hold.
func checkSVG(t *testing.T, out string, s Series, kind string, w, h float64) {
	t.Helper()
	for _, bad := range []string{"NaN", "Inf", "<style", "style="} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	if rest := strings.Replace(out, `xmlns="http://www.w3.org/2000/svg"`, "", 1); strings.Contains(strings.ToLower(rest), "http") {
		t.Errorf("output refers to a URL other than the SVG namespace: %s", out)
	}

	root := parse(t, out)
	if root.name != "svg" || root.attrs["role"] != "img" || root.attrs["width"] != "100%" {
		t.Fatalf("root = <%s role=%q width=%q>, want <svg role=img width=100%%>", root.name, root.attrs["role"], root.attrs["width"])
	}
	if want := fmt.Sprintf("0 0 %g %g", w, h); root.attrs["viewBox"] != want {
		t.Errorf("viewBox = %q, want %q", root.attrs["viewBox"], want)
	}
	if _, ok := root.attrs["height"]; ok {
		t.Errorf("svg has a height attribute; it must follow its width")
	}
	root.walk(func(n *node) {
		if n.name == "style" || n.name == "script" || n.name == "foreignObject" {
			t.Errorf("element <%s> in output", n.name)
		}
		if _, ok := n.attrs["style"]; ok {
			t.Errorf("<%s> has a style attribute", n.name)
		}
		for k, v := range n.attrs {
			if strings.HasPrefix(k, "on") || strings.Contains(k, "href") {
				t.Errorf("<%s> has attribute %s", n.name, k)
			}
			if k != "xmlns" && strings.Contains(strings.ToLower(v), "http") {
				t.Errorf("<%s %s=%q> names a URL", n.name, k, v)
			}
		}
		checkCoordinates(t, n, w, h)
	})

	// The accessible name and description.
	ids := strings.Fields(root.attrs["aria-labelledby"])
	if len(ids) != 2 {
		t.Fatalf("aria-labelledby = %q, want the ids of title and desc", root.attrs["aria-labelledby"])
	}
	byID := map[string]*node{}
	root.walk(func(n *node) {
		if id, ok := n.attrs["id"]; ok {
			if byID[id] != nil {
				t.Errorf("id %q used twice", id)
			}
			byID[id] = n
		}
	})
	title, desc := byID[ids[0]], byID[ids[1]]
	if title == nil || title.name != "title" || desc == nil || desc.name != "desc" {
		t.Fatalf("aria-labelledby %v does not name a <title> and a <desc>", ids)
	}
	if root.children[0] != title || root.children[1] != desc {
		t.Errorf("<title> and <desc> must be the first children of <svg>")
	}
	if title.text != s.Title {
		t.Errorf("title = %q, want %q", title.text, s.Title)
	}
	if want := DefaultSummary(Summarize(s)); desc.text != want {
		t.Errorf("desc = %q, want %q", desc.text, want)
	}

	// Marks.
	var positive int
	var hi int64
	for _, p := range s.Points {
		if p.Value > 0 {
			positive++
		}
		hi = max(hi, p.Value)
	}
	hasData := hi > 0
	bars, points, lines := root.find("rect", "chart-bar"), root.find("circle", "chart-point"), root.find("path", "chart-line")
	switch {
	case !hasData:
		if len(bars)+len(points)+len(lines) != 0 {
			t.Errorf("chart without data has %d bars, %d points, %d lines", len(bars), len(points), len(lines))
		}
	case kind == "bars":
		if len(bars) != positive || len(points)+len(lines) != 0 {
			t.Errorf("bar chart has %d bars, %d points, %d lines; want %d bars", len(bars), len(points), len(lines), positive)
		}
	default:
		wantLines := 0
		if len(s.Points) > 1 {
			wantLines = 1
		}
		if len(points) != len(s.Points) || len(lines) != wantLines || len(bars) != 0 {
			t.Errorf("line chart has %d points, %d lines, %d bars; want %d points, %d lines", len(points), len(lines), len(bars), len(s.Points), wantLines)
		}
	}
	for _, m := range append(bars, points...) {
		if tt := m.find("title", ""); len(tt) != 1 || !strings.Contains(tt[0].text, ": ") {
			t.Errorf("mark without a tooltip title: %+v", m.attrs)
		}
	}
	noData := root.find("text", "chart-nodata")
	if hasData == (len(noData) == 1) || (!hasData && noData[0].text != "no data") {
		t.Errorf("has data %v, but %d no-data texts", hasData, len(noData))
	}

	// Axes.
	xl := labels(root, "chart-label-x")
	if len(s.Points) > 0 && (len(xl) == 0 || len(xl) > 8 || xl[0] != s.Points[0].Label) {
		t.Errorf("x labels = %v: want 1 to 8, starting with %q", xl, s.Points[0].Label)
	}
	for _, l := range xl {
		if !slices.ContainsFunc(s.Points, func(p Point) bool { return p.Label == l }) {
			t.Errorf("x label %q is not a point's label", l)
		}
	}
	if len(s.Points) <= 7 && len(xl) != len(s.Points) {
		t.Errorf("x labels = %v: want all %d", xl, len(s.Points))
	}
	yl := labels(root, "chart-label-y")
	if hasData {
		var want []string
		for _, v := range NiceTicks(hi) {
			want = append(want, compact(v))
		}
		if !slices.Equal(yl, want) {
			t.Errorf("y labels = %v, want %v", yl, want)
		}
		if grid := root.find("line", ""); len(grid) != len(want) { // gridlines above 0 and the baseline
			t.Errorf("%d lines, want %d", len(grid), len(want))
		}
	} else if !slices.Equal(yl, []string{"0"}) {
		t.Errorf("y labels = %v, want [0]", yl)
	}
}

// labels returns the texts inside the group of class class.
func labels(root *node, class string) []string {
	var out []string
	for _, g := range root.find("g", class) {
		for _, tx := range g.find("text", "") {
			out = append(out, tx.text)
		}
	}
	return out
}

// checkCoordinates asserts that every coordinate of n is a finite number
// inside the viewBox.
func checkCoordinates(t *testing.T, n *node, w, h float64) {
	t.Helper()
	check := func(attr, v string, limit float64) {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > limit {
			t.Errorf("<%s %s=%q>: want a number from 0 to %g", n.name, attr, v, limit)
		}
	}
	for _, a := range []string{"x", "x1", "x2", "cx", "width"} {
		if v, ok := n.attrs[a]; ok && !(n.name == "svg" && a == "width") {
			check(a, v, w)
		}
	}
	for _, a := range []string{"y", "y1", "y2", "cy", "height", "r", "font-size", "stroke-width"} {
		if v, ok := n.attrs[a]; ok {
			check(a, v, h)
		}
	}
	if d, ok := n.attrs["d"]; ok {
		fields := strings.Fields(strings.NewReplacer("M", " ", "L", " ").Replace(d))
		if len(fields)%2 != 0 {
			t.Errorf("path d=%q has an odd number of coordinates", d)
		}
		for i, f := range fields {
			check("d", f, [2]float64{w, h}[i%2])
		}
	}
}

func TestGeometry(t *testing.T) {
	s := daily(0, 5, 10) // ticks 0, 5, 10: the top tick is the maximum
	plotTop, base := marginTop, DefaultHeight-marginBottom

	root := parse(t, string(Bars(s, Options{})))
	bars := root.find("rect", "chart-bar")
	if len(bars) != 2 {
		t.Fatalf("%d bars, want 2", len(bars))
	}
	y10, _ := strconv.ParseFloat(bars[1].attrs["y"], 64)
	h10, _ := strconv.ParseFloat(bars[1].attrs["height"], 64)
	h5, _ := strconv.ParseFloat(bars[0].attrs["height"], 64)
	if y10 != plotTop || y10+h10 != base || h5 != h10/2 {
		t.Errorf("bar of 10: y %g height %g; bar of 5: height %g; want y %g, bottom %g, half height", y10, h10, h5, plotTop, base)
	}
	x5, _ := strconv.ParseFloat(bars[0].attrs["x"], 64)
	x10, _ := strconv.ParseFloat(bars[1].attrs["x"], 64)
	if x10 <= x5 {
		t.Errorf("bars not in order: x %g then %g", x5, x10)
	}

	root = parse(t, string(Line(s, Options{})))
	var cy []float64
	for _, c := range root.find("circle", "chart-point") {
		f, _ := strconv.ParseFloat(c.attrs["cy"], 64)
		cy = append(cy, f)
	}
	if want := []float64{base, (base + plotTop) / 2, plotTop}; !slices.Equal(cy, want) {
		t.Errorf("point heights = %v, want %v", cy, want)
	}
}

func TestSizes(t *testing.T) {
	tests := []struct {
		w, h         int
		wantW, wantH float64
	}{
		{0, 0, 640, 200},
		{320, 160, 320, 160},
		{10, 10, minWidth, minHeight},
		{-1, 1e6, 640, maxSize},
	}
	s := ramp(90, func(i int) int64 { return int64(i) })
	for _, tt := range tests {
		for _, r := range renders {
			t.Run(fmt.Sprintf("%s/%dx%d", r.name, tt.w, tt.h), func(t *testing.T) {
				checkSVG(t, string(r.f(s, Options{Width: tt.w, Height: tt.h})), s, r.name, tt.wantW, tt.wantH)
			})
		}
	}
}

func TestEscaping(t *testing.T) {
	s := Series{
		Title:      `<script>alert("x")</script> & 'co'`,
		LabelTitle: "<i>Dag</i>",
		Points: []Point{
			{Label: "<b>1</b>", Value: 3},
			{Label: "a&b\x01\xff", Value: 4},
		},
	}
	opts := Options{ID: "x", Description: "Views & <visits>", NoData: "<none>"}
	for _, r := range renders {
		t.Run(r.name, func(t *testing.T) {
			out := string(r.f(s, opts))
			for _, bad := range []string{"<script", "<b>", "<visits>", "\x01", "\xff"} {
				if strings.Contains(out, bad) {
					t.Errorf("output contains %q unescaped:\n%s", bad, out)
				}
			}
			root := parse(t, out)
			if got := root.find("title", "")[0].text; got != s.Title {
				t.Errorf("title = %q, want %q", got, s.Title)
			}
			desc := root.find("desc", "")[0].text
			if !strings.HasPrefix(desc, "Views & <visits> Over 2 days") {
				t.Errorf("desc = %q: want the description, then the summary", desc)
			}
			if xl := labels(root, "chart-label-x"); !slices.Equal(xl, []string{"<b>1</b>", "a&b\uFFFD"}) {
				t.Errorf("x labels = %q", xl)
			}
		})
	}
	out := string(Bars(Series{Title: "<t>"}, opts))
	if got := parse(t, out).find("text", "chart-nodata")[0].text; got != "<none>" {
		t.Errorf("no-data text = %q, want <none>", got)
	}
	tbl := string(Table(s, "Caption <&>"))
	if strings.Contains(tbl, "<script") || strings.Contains(tbl, "<b>") || strings.Contains(tbl, "<i>") {
		t.Errorf("table holds unescaped markup: %s", tbl)
	}
	if got := parse(t, tbl).find("caption", "")[0].text; got != "Caption <&>" {
		t.Errorf("caption = %q", got)
	}
}

func TestElementIDs(t *testing.T) {
	tests := []struct {
		id, want string
	}{
		{"views", "chart-views"},
		{"Views 7d", "chart-views-7d"},
		{"  --Feed__fetches--  ", "chart-feed-fetches"},
		{`a"><script>`, "chart-a-script"},
		{"Été-90", "chart-t-90"},
	}
	for _, tt := range tests {
		if got := elementID(tt.id, "Views", "bars"); got != tt.want {
			t.Errorf("elementID(%q) = %q, want %q", tt.id, got, tt.want)
		}
		root := parse(t, string(Bars(daily(1, 2), Options{ID: tt.id})))
		if want := tt.want + "-title " + tt.want + "-desc"; root.attrs["aria-labelledby"] != want {
			t.Errorf("aria-labelledby = %q, want %q", root.attrs["aria-labelledby"], want)
		}
	}

	// Without an ID, the id depends on the title and kind, and only on them.
	a, b := elementID("", "Views", "bars"), elementID("!!", "Views", "bars")
	if a != b || !strings.HasPrefix(a, "chart-bars-") {
		t.Errorf("fallback ids %q, %q: want equal, starting chart-bars-", a, b)
	}
	if a == elementID("", "Likes", "bars") || a == elementID("", "Views", "line") {
		t.Errorf("fallback id %q does not depend on title and kind", a)
	}
	for _, c := range a {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			t.Errorf("fallback id %q holds %q", a, c)
		}
	}
}

func TestDeterministic(t *testing.T) {
	s := ramp(90, func(i int) int64 { return int64(i * 7 % 13) })
	for _, r := range renders {
		first := r.f(s, Options{ID: "a"})
		for range 3 {
			if again := r.f(s, Options{ID: "a"}); again != first {
				t.Fatalf("%s: two renderings differ", r.name)
			}
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name string
		s    Series
		want string
	}{
		{"empty", Series{}, "No data."},
		{"all zero", daily(0, 0, 0), "Over 3 days: total 0."},
		{"one", daily(9), "One day: 9 on 2026-11-01."},
		{"week", daily(3, 0, 12, 7, 12, 0, 20),
			"Over 7 days: total 54; highest 20 on 2026-11-07; lowest 0 on 2026-11-02."},
		{"first of equal maxima", daily(5, 5), "Over 2 days: total 10; highest 5 on 2026-11-01; lowest 5 on 2026-11-01."},
		{"saturated total", daily(math.MaxInt64, 1),
			"Over 2 days: total 9223372036854775807; highest 9223372036854775807 on 2026-11-01; lowest 1 on 2026-11-02."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DefaultSummary(Summarize(tt.s)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}

	// A caller's wording replaces the default one.
	var got Stats
	opts := Options{ID: "v", Summary: func(st Stats) string { got = st; return "Totaal 54." }}
	root := parse(t, string(Line(daily(3, 0, 12, 7, 12, 0, 20), opts)))
	if d := root.find("desc", "")[0].text; d != "Totaal 54." {
		t.Errorf("desc = %q, want the caller's summary", d)
	}
	want := Stats{Count: 7, Total: 54, Max: 20, MaxLabel: "2026-11-07", Min: 0, MinLabel: "2026-11-02"}
	if got != want {
		t.Errorf("Summary got %+v, want %+v", got, want)
	}
}

func TestTable(t *testing.T) {
	tests := []struct {
		name string
		s    Series
	}{
		{"empty", Series{Title: "Views"}},
		{"one", daily(1)},
		{"7 days", daily(3, 0, 12, 7, 12, 0, 20)},
		{"90 days", ramp(90, func(i int) int64 { return int64(i) * 1e7 })},
		{"defaults", Series{Points: daily(1, 2).Points}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := parse(t, string(Table(tt.s, "Views per day")))
			if root.name != "table" || root.attrs["class"] != "chart-table" {
				t.Fatalf("root = <%s class=%q>, want <table class=chart-table>", root.name, root.attrs["class"])
			}
			if c := root.children[0]; c.name != "caption" || c.text != "Views per day" {
				t.Errorf("first child = <%s>%q, want the caption", c.name, c.text)
			}
			var cols []string
			for _, th := range root.find("thead", "")[0].find("th", "") {
				if th.attrs["scope"] != "col" {
					t.Errorf("header %q has scope %q, want col", th.text, th.attrs["scope"])
				}
				cols = append(cols, th.text)
			}
			wantCols := []string{"Day", tt.s.Title}
			if tt.s.Title == "" {
				wantCols[1] = "Value"
			}
			if !slices.Equal(cols, wantCols) {
				t.Errorf("columns = %q, want %q", cols, wantCols)
			}
			rows := root.find("tbody", "")[0].find("tr", "")
			if len(rows) != len(tt.s.Points) {
				t.Fatalf("%d rows, want %d", len(rows), len(tt.s.Points))
			}
			for i, row := range rows {
				p := tt.s.Points[i]
				th, td := row.find("th", ""), row.find("td", "chart-num")
				if len(th) != 1 || th[0].attrs["scope"] != "row" || th[0].text != p.Label ||
					len(td) != 1 || td[0].text != strconv.FormatInt(p.Value, 10) {
					t.Errorf("row %d does not show %s = %d", i, p.Label, p.Value)
				}
			}
		})
	}
	root := parse(t, string(Table(Series{Title: "V", LabelTitle: "Dag"}, "c")))
	if th := root.find("th", "")[0].text; th != "Dag" {
		t.Errorf("label column = %q, want Dag", th)
	}
}

func BenchmarkBars90(b *testing.B) {
	s := ramp(90, func(i int) int64 { return int64(i * 37 % 101) })
	for b.Loop() {
		Bars(s, Options{ID: "views"})
	}
}

func BenchmarkLine90(b *testing.B) {
	s := ramp(90, func(i int) int64 { return int64(i * 37 % 101) })
	for b.Loop() {
		Line(s, Options{ID: "views"})
	}
}
