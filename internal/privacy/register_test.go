package privacy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const day = 24 * time.Hour

// knownKeys are the category keys the register describes.
var knownKeys = []string{
	"access_log", "visitor_estimate", "referrers", "login_throttle", "followers",
	"replies", "reactions", "remote_actors", "seen_activities", "staff_accounts", "staff_sessions",
	"audit_log", "insights", "uploads", "questions", "moderation",
}

var generated = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// defaultPolicies resemble a fresh installation, with no value of 30 or
// 365 days, so that tests can change those.
func defaultPolicies() []Policy {
	return []Policy{
		{Category: "access_log", MaxAge: 7 * day, Fixed: true, Enabled: true},
		{Category: "visitor_estimate", MaxAge: 2 * day, Fixed: true, Enabled: true},
		{Category: "referrers", MaxAge: 2 * day, Fixed: true, Enabled: true},
		{Category: "login_throttle", MaxAge: 15 * time.Minute, Fixed: true, Enabled: true},
		{Category: "followers", MaxAge: 14 * day, WhileRelationship: true, Enabled: true},
		{Category: "replies", MaxAge: 365 * day, Enabled: true},
		{Category: "reactions", MaxAge: 180 * day, Enabled: true},
		{Category: "remote_actors", MaxAge: 21 * day, Enabled: true},
		{Category: "seen_activities", MaxAge: 7 * day, Enabled: true},
		{Category: "staff_sessions", MaxAge: 7 * day, Enabled: true},
		{Category: "audit_log", MaxAge: 730 * day, Enabled: true},
		{Category: "insights", MaxAge: 400 * day, Enabled: true},
		{Category: "uploads", MaxAge: day, Enabled: true},
	}
}

func orgInput(lang string, policies ...Policy) Input {
	if policies == nil {
		policies = defaultPolicies()
	}
	return Input{
		Lang:         lang,
		Installation: "https://plein.example.nl",
		Org:          &Org{Name: "Gemeente Voorbeeld", Handle: "voorbeeld", URL: "https://www.voorbeeld.nl", Contact: "privacy@voorbeeld.nl"},
		Retention:    policies,
		Recipients:   Recipients{FollowerServers: 12, MailRelay: "smtp.voorbeeld.nl"},
		GeneratedAt:  generated,
	}
}

// renderings returns the Markdown, the JSON and the text of the HTML of r.
func renderings(t *testing.T, r Register) map[string]string {
	t.Helper()
	j, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"markdown": r.Markdown(),
		"json":     string(j),
		"html":     htmlText(t, string(r.HTML())),
	}
}

// htmlText parses a fragment and returns its text content.
func htmlText(t *testing.T, h string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(h))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	var b strings.Builder
	for n := range doc.Descendants() {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
	}
	return b.String()
}

func TestEveryCategoryInEveryLanguage(t *testing.T) {
	const maxAge = 17 * day
	for _, key := range knownKeys {
		for _, lang := range []string{"nl", "en"} {
			t.Run(key+"/"+lang, func(t *testing.T) {
				p := Policy{Category: key, MaxAge: maxAge, Enabled: true, WhileRelationship: key == "followers"}
				r := Build(orgInput(lang, p))
				if len(r.Activities) != 1 {
					t.Fatalf("got %d activities, want 1", len(r.Activities))
				}
				a := r.Activities[0]
				for name, v := range map[string]string{
					"name": a.Name, "dataSubjects": a.DataSubjects, "data": a.Data, "purpose": a.Purpose,
					"legalBasis": a.LegalBasis, "retention": a.Retention, "protection": a.Protection,
				} {
					if v == "" {
						t.Errorf("%s is empty", name)
					}
				}
				if a.Name == key {
					t.Errorf("known category %q got the generic name", key)
				}
				other := Build(orgInput(map[string]string{"nl": "en", "en": "nl"}[lang], p)).Activities[0]
				if a.Data == other.Data || a.Retention == other.Retention {
					t.Errorf("nl and en texts are the same: %q", a.Data)
				}
				want := map[string]string{"nl": "17 dagen", "en": "17 days"}[lang]
				if !strings.Contains(a.Retention, want) {
					t.Errorf("retention %q does not name %q", a.Retention, want)
				}
				if a.MaxAgeSeconds != int64(maxAge/time.Second) {
					t.Errorf("maxAgeSeconds = %d", a.MaxAgeSeconds)
				}
				for format, out := range renderings(t, r) {
					if strings.Contains(out, "%!") {
						t.Errorf("%s has a formatting artefact:\n%s", format, out)
					}
					if i := strings.IndexAny(out, "{}"); i >= 0 && format != "json" {
						t.Errorf("%s has an unfilled placeholder near %q", format, out[max(0, i-20):min(len(out), i+20)])
					}
					if !strings.Contains(out, want) {
						t.Errorf("%s does not name %q", format, want)
					}
				}
			})
		}
	}
}

func TestRetentionChangeChangesEveryRendering(t *testing.T) {
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			before := defaultPolicies()
			after := defaultPolicies()
			for i := range after {
				if after[i].Category == "replies" {
					after[i].MaxAge = 30 * day
				}
			}
			oldWords := map[string]string{"nl": "365 dagen", "en": "365 days"}[lang]
			newWords := map[string]string{"nl": "30 dagen", "en": "30 days"}[lang]
			oldR, newR := renderings(t, Build(orgInput(lang, before...))), renderings(t, Build(orgInput(lang, after...)))
			// Word boundaries: the audit log's "730 days" is not "30 days".
			hasOld := regexp.MustCompile(`\b` + oldWords + `\b`).MatchString
			hasNew := regexp.MustCompile(`\b` + newWords + `\b`).MatchString
			for format := range oldR {
				oldOut, newOut := oldR[format], newR[format]
				if !hasOld(oldOut) || hasNew(oldOut) {
					t.Errorf("%s before the change: want %q and not %q", format, oldWords, newWords)
				}
				if hasOld(newOut) || !hasNew(newOut) {
					t.Errorf("%s after the change: want %q and not %q", format, newWords, oldWords)
				}
			}
			if !strings.Contains(oldR["json"], `"maxAgeSeconds": 31536000`) ||
				strings.Contains(newR["json"], `"maxAgeSeconds": 31536000`) ||
				!strings.Contains(newR["json"], `"maxAgeSeconds": 2592000`) {
				t.Error("JSON maxAgeSeconds did not follow the change from 365 to 30 days")
			}
		})
	}
}

func TestDisabledProcessing(t *testing.T) {
	tests := []struct {
		lang, category string
		enabled        bool
		want, notWant  string
	}{
		{"en", "access_log", false, "Plein keeps no access log", "3 days"},
		{"nl", "access_log", false, "Plein houdt geen toegangslog bij", "3 dagen"},
		{"en", "access_log", true, "3 days", "keeps no access log"},
		{"nl", "access_log", true, "3 dagen", "geen toegangslog"},
		{"en", "replies", false, "does not take place", "3 days"},
		{"nl", "replies", false, "vindt in deze installatie niet plaats", "3 dagen"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.lang, tt.category, tt.enabled), func(t *testing.T) {
			r := Build(orgInput(tt.lang, Policy{Category: tt.category, MaxAge: 3 * day, Fixed: true, Enabled: tt.enabled}))
			a := r.Activities[0]
			if a.Enabled != tt.enabled {
				t.Errorf("Enabled = %v", a.Enabled)
			}
			if !strings.Contains(a.Retention, tt.want) || strings.Contains(a.Retention, tt.notWant) {
				t.Errorf("retention %q: want %q, not %q", a.Retention, tt.want, tt.notWant)
			}
			notInUse := labelsByLang[tt.lang].NotInUse
			for format, out := range renderings(t, r) {
				if !strings.Contains(out, tt.want) {
					t.Errorf("%s does not say %q", format, tt.want)
				}
				if format != "json" && strings.Contains(out, notInUse) == tt.enabled {
					t.Errorf("%s: shows %q = %v, want %v", format, notInUse, !tt.enabled, tt.enabled)
				}
			}
		})
	}
}

func TestRetentionWording(t *testing.T) {
	tests := []struct {
		name    string
		p       Policy
		want    []string
		notWant []string
	}{
		{"followers with limit", Policy{Category: "followers", MaxAge: 14 * day, WhileRelationship: true, Enabled: true},
			[]string{"As long as the account follows", "Undo", "Delete", "every delivery for 14 days"}, []string{"Set by the software"}},
		{"followers without limit", Policy{Category: "followers", WhileRelationship: true, Enabled: true},
			[]string{"As long as the account follows", "no other limit"}, []string{"0 seconds"}},
		{"generic while", Policy{Category: "replies", MaxAge: 10 * day, WhileRelationship: true, Enabled: true},
			[]string{"While the relationship exists", "at the latest 10 days after the last activity"}, nil},
		{"fixed", Policy{Category: "login_throttle", MaxAge: 15 * time.Minute, Fixed: true, Enabled: true},
			[]string{"15 minutes after the first failed attempt", "within the hour", "Set by the software, not configurable"}, []string{"in memory"}},
		{"no limit", Policy{Category: "audit_log", Enabled: true},
			[]string{"No maximum retention is configured"}, []string{"0 seconds"}},
		{"staff accounts", Policy{Category: "staff_accounts", WhileRelationship: true, Fixed: true, Enabled: true},
			[]string{"While the account exists", "second factor", "Set by the software"}, []string{"No maximum retention"}},
		{"session idle", Policy{Category: "staff_sessions", MaxAge: 12 * time.Hour, Enabled: true},
			[]string{"1 hour without use", "at the latest 12 hours after log-in"}, nil},
		{"session idle set", Policy{Category: "staff_sessions", MaxAge: 7 * day, Idle: 30 * time.Minute, Enabled: true},
			[]string{"30 minutes without use", "at the latest 7 days after log-in"}, []string{"fixed"}},
		{"referrer threshold", Policy{Category: "referrers", MaxAge: 2 * day, Fixed: true, Enabled: true},
			[]string{"fewer than 5 visits", "2 days after that day began"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := orgInput("en", tt.p)
			in.ReferrerThreshold = 5
			got := Build(in).Activities[0].Retention
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("retention %q lacks %q", got, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("retention %q has %q", got, w)
				}
			}
		})
	}
	in := orgInput("nl", Policy{Category: "referrers", MaxAge: 2 * day, Enabled: true})
	if got := Build(in).Activities[0].Retention; !strings.Contains(got, "weinig bezoeken") {
		t.Errorf("without a threshold: %q", got)
	}
}

func TestControllerAndContact(t *testing.T) {
	tests := []struct {
		name             string
		in               Input
		scope            string
		controller       string
		contactHas       []string
		address          string
		orgs             int
		wantHref         string
		operatorFallback bool
	}{
		{
			name:       "org with contact",
			in:         Input{Lang: "en", Org: &Org{Name: "Gemeente A", URL: "https://a.example", Contact: "privacy@a.example"}},
			scope:      ScopeOrganisation,
			controller: "Gemeente A",
			contactHas: []string{"exercise your rights", "privacy@a.example"},
			address:    "privacy@a.example",
			orgs:       1,
			wantHref:   "mailto:privacy@a.example",
		},
		{
			name:       "org without contact falls back to its website",
			in:         Input{Lang: "nl", Org: &Org{Name: "Gemeente B", URL: "https://b.example"}, Contact: "dpo@operator.example"},
			scope:      ScopeOrganisation,
			controller: "Gemeente B",
			contactHas: []string{"algemene contactgegevens op de website", "https://b.example"},
			address:    "https://b.example",
			orgs:       1,
			wantHref:   "https://b.example",
		},
		{
			name:       "org without contact or website uses the operator",
			in:         Input{Lang: "en", Org: &Org{Name: "Dienst C"}, Contact: "dpo@operator.example"},
			scope:      ScopeOrganisation,
			controller: "Dienst C",
			contactHas: []string{"dpo@operator.example"},
			address:    "dpo@operator.example",
			orgs:       1,
			wantHref:   "mailto:dpo@operator.example",
		},
		{
			name:       "org with nothing",
			in:         Input{Lang: "en", Org: &Org{Name: "Dienst D"}},
			scope:      ScopeOrganisation,
			controller: "Dienst D",
			contactHas: []string{"the organisation's general contact details"},
			orgs:       1,
		},
		{
			name: "installation",
			in: Input{Lang: "en", Contact: "https://operator.example/privacy", Orgs: []Org{
				{Name: "Gemeente A", URL: "https://a.example", Contact: "privacy@a.example"},
				{Name: "Gemeente B", URL: "https://b.example"},
			}},
			scope:      ScopeInstallation,
			controller: "The organisations below",
			contactHas: []string{"Each organisation is the controller", "Operator of this installation: https://operator.example/privacy"},
			address:    "https://operator.example/privacy",
			orgs:       2,
			wantHref:   "https://operator.example/privacy",
		},
		{
			name:       "installation in Dutch without operator contact",
			in:         Input{Lang: "nl", Orgs: []Org{{Name: "Gemeente A", URL: "https://a.example"}}},
			scope:      ScopeInstallation,
			controller: "De organisaties hieronder",
			contactHas: []string{"Elke organisatie is verwerkingsverantwoordelijke"},
			orgs:       1,
			wantHref:   "https://a.example",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Build(tt.in)
			if r.Scope != tt.scope || r.Controller != tt.controller || r.ContactAddress != tt.address {
				t.Errorf("scope, controller, address = %q, %q, %q; want %q, %q, %q",
					r.Scope, r.Controller, r.ContactAddress, tt.scope, tt.controller, tt.address)
			}
			for _, w := range tt.contactHas {
				if !strings.Contains(r.Contact, w) {
					t.Errorf("contact %q lacks %q", r.Contact, w)
				}
			}
			if len(r.Organisations) != tt.orgs {
				t.Errorf("got %d organisations, want %d", len(r.Organisations), tt.orgs)
			}
			for _, c := range r.Organisations {
				if c.Contact == "" {
					t.Errorf("organisation %q has no contact text", c.Name)
				}
			}
			mdOut, page := r.Markdown(), string(r.HTML())
			if !strings.Contains(mdOut, md(tt.controller)) && tt.scope == ScopeOrganisation {
				t.Errorf("Markdown does not name controller %q", tt.controller)
			}
			if tt.wantHref != "" && !strings.Contains(page, `href="`+tt.wantHref+`"`) {
				t.Errorf("HTML has no link to %q:\n%s", tt.wantHref, page)
			}
		})
	}
	// Every organisation of the installation appears with its own contact.
	r := Build(tests[4].in)
	if r.Organisations[0].ContactAddress != "privacy@a.example" || r.Organisations[1].ContactAddress != "https://b.example" {
		t.Errorf("organisation contacts: %+v", r.Organisations)
	}
	for format, out := range renderings(t, r) {
		for _, w := range []string{"Gemeente A", "Gemeente B", "privacy@a.example", "https://b.example"} {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q", format, w)
			}
		}
	}
}

func TestUnknownCategory(t *testing.T) {
	for _, key := range []string{"mystery_data", "", "<b>odd</b> `key`"} {
		for _, lang := range []string{"nl", "en"} {
			t.Run(lang+"/"+key, func(t *testing.T) {
				r := Build(orgInput(lang, Policy{Category: key, MaxAge: 3 * day, Enabled: true}))
				a := r.Activities[0]
				want := map[string]string{"nl": "3 dagen", "en": "3 days"}[lang]
				if a.Name != key || !strings.Contains(a.Retention, want) || !strings.Contains(a.Data, key) {
					t.Errorf("activity %+v: want name %q and retention %q", a, key, want)
				}
				for format, out := range renderings(t, r) {
					if !strings.Contains(out, want) || strings.Contains(out, "%!") {
						t.Errorf("%s: want %q, no artefacts", format, want)
					}
				}
				if got := markdownHeadings(t, r.Markdown(), 3); len(got) != 1 || got[0] != key {
					t.Errorf("Markdown activity headings %q, want [%q]", got, key)
				}
			})
		}
	}
}

// markdownHeadings renders md with a CommonMark renderer and returns the
// text of its headings of the given level. It fails when the Markdown
// contains raw HTML, which no register value may introduce.
func markdownHeadings(t *testing.T, md string, level int) []string {
	t.Helper()
	var out bytes.Buffer
	if err := goldmark.Convert([]byte(md), &out); err != nil {
		t.Fatalf("convert Markdown: %v", err)
	}
	if strings.Contains(out.String(), "raw HTML omitted") {
		t.Errorf("Markdown contains raw HTML:\n%s", md)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatal(err)
	}
	tag := atom.Lookup([]byte(fmt.Sprintf("h%d", level)))
	var got []string
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == tag {
			got = append(got, textOf(n))
		}
	}
	return got
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

func TestMarkdownSections(t *testing.T) {
	hostile := "<script>alert(1)</script> *bold* [x](javascript:alert(1)) # `code` & &amp;"
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			in := orgInput(lang)
			in.Org.Name = hostile
			in.Retention = append(in.Retention, Policy{Category: "mystery", MaxAge: day, Enabled: true})
			r := Build(in)
			md := r.Markdown()
			h3 := markdownHeadings(t, md, 3)
			if len(h3) != len(r.Activities) {
				t.Fatalf("%d activity headings for %d activities", len(h3), len(r.Activities))
			}
			for i, a := range r.Activities {
				if h3[i] != a.Name {
					t.Errorf("heading %d = %q, want %q", i, h3[i], a.Name)
				}
			}
			l := labelsByLang[lang]
			h2 := markdownHeadings(t, md, 2)
			wantH2 := []string{l.Controller, l.Activities, l.Recipients, l.Rights, l.NoTracking}
			if !reflect.DeepEqual(h2, wantH2) {
				t.Errorf("sections %q, want %q", h2, wantH2)
			}
			h1 := markdownHeadings(t, md, 1)
			if len(h1) != 1 || !strings.HasSuffix(h1[0], hostile) {
				t.Errorf("title %q does not end with the literal organisation name", h1)
			}
		})
	}
}

func TestHTMLFragment(t *testing.T) {
	hostile := "<script>alert(1)</script>"
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			in := orgInput(lang)
			in.Org.Name = hostile
			in.Org.Contact = `"><script>x</script>@evil`
			in.Org.URL = "javascript:alert(1)"
			in.Recipients.CDN = `cdn.example"><img src=x onerror=alert(1)>`
			in.Retention = append(in.Retention, Policy{Category: `<style>x</style>`, MaxAge: day, Enabled: true})
			r := Build(in)
			checkFragment(t, string(r.HTML()), len(r.Activities), nil)
			text := htmlText(t, string(r.HTML()))
			if !strings.Contains(text, hostile) {
				t.Error("the hostile organisation name is not shown as text")
			}

			// A well-behaved organisation gets links to its site and contact,
			// and to nothing else.
			good := Build(orgInput(lang))
			checkFragment(t, string(good.HTML()), len(good.Activities),
				[]string{"https://www.voorbeeld.nl", "mailto:privacy@voorbeeld.nl"})
		})
	}
}

// checkFragment fails unless page is a balanced fragment with one <h3> per
// activity, no <h1>, no style attribute, no event handler, no <script>,
// <style> or <img>, and links only to allowed.
func checkFragment(t *testing.T, page string, activities int, allowed []string) {
	t.Helper()
	void := map[string]bool{"br": true, "hr": true, "img": true, "meta": true, "link": true, "input": true, "wbr": true}
	var stack []string
	z := html.NewTokenizer(strings.NewReader(page))
	counts := map[string]int{}
	var hrefs []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			counts[tok.Data]++
			for _, a := range tok.Attr {
				if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("<%s> has attribute %s", tok.Data, a.Key)
				}
				if a.Key == "href" || a.Key == "src" {
					hrefs = append(hrefs, a.Val)
				}
			}
			if tt == html.StartTagToken && !void[tok.Data] {
				stack = append(stack, tok.Data)
			}
		case html.EndTagToken:
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				t.Fatalf("unbalanced </%s>, open: %v", tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Errorf("unclosed elements: %v", stack)
	}
	for _, tag := range []string{"script", "style", "img", "iframe", "h1", "form"} {
		if counts[tag] != 0 {
			t.Errorf("fragment has <%s>", tag)
		}
	}
	if counts["h3"] != activities {
		t.Errorf("%d <h3> for %d activities", counts["h3"], activities)
	}
	if counts["h2"] != 5 || counts["section"] != 5+activities {
		t.Errorf("%d <h2> and %d <section>, want 5 and %d", counts["h2"], counts["section"], 5+activities)
	}
	for _, h := range hrefs {
		ok := false
		for _, a := range allowed {
			ok = ok || h == a
		}
		if !ok {
			t.Errorf("link to %q, allowed only %q", h, allowed)
		}
	}
	for _, a := range allowed {
		found := false
		for _, h := range hrefs {
			found = found || h == a
		}
		if !found {
			t.Errorf("no link to %q", a)
		}
	}
	if _, err := html.ParseFragment(strings.NewReader(page), &html.Node{Type: html.ElementNode, Data: "main", DataAtom: atom.Main}); err != nil {
		t.Errorf("parse fragment: %v", err)
	}
}

func TestJSON(t *testing.T) {
	in := orgInput("nl")
	in.GeneratedAt = time.Date(2026, 3, 14, 10, 30, 0, 0, time.FixedZone("CET", 3600))
	in.Recipients.CDN = "cdn.voorbeeld.nl"
	in.Retention = append(in.Retention, Policy{Category: "mystery", MaxAge: day, Enabled: true})
	r := Build(in)
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Register
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Errorf("round trip changed the register:\n got %+v\nwant %+v", back, r)
	}
	again, err := Build(in).JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, again) {
		t.Error("JSON differs between two builds of the same input")
	}
	for _, key := range []string{`"lang": "nl"`, `"scope": "organisation"`, `"generatedAt": "2026-03-14T09:30:00Z"`,
		`"dataSubjects"`, `"legalBasis"`, `"maxAgeSeconds"`, `"whileRelationship"`, `"noTracking"`, `"contactAddress"`,
		"\n  \"activities\": ["} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("JSON lacks %s", key)
		}
	}
	// Empty input still gives arrays, never null.
	empty, err := Build(Input{}).JSON()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(empty, []byte("null")) {
		t.Errorf("JSON of an empty register has null:\n%s", empty)
	}
}

func TestRecipients(t *testing.T) {
	tests := []struct {
		name      string
		lang      string
		rc        Recipients
		install   bool
		kinds     []string
		want, not []string
	}{
		{"nothing configured", "en", Recipients{}, false,
			[]string{RecipientFediverse, RecipientMail, RecipientMedia},
			[]string{"currently 0 servers", "No e-mail is sent", "this installation's own disks"}, []string{"CDN"}},
		{"one follower server", "en", Recipients{FollowerServers: 1}, false,
			[]string{RecipientFediverse, RecipientMail, RecipientMedia},
			[]string{"currently 1 server)", "the organisation's public posts"}, []string{"1 servers"}},
		{"everything, installation", "en", Recipients{FollowerServers: 240, MailRelay: "smtp.example.nl", ObjectStore: "s3.example.nl", CDN: "cdn.example.nl"}, true,
			[]string{RecipientFediverse, RecipientMail, RecipientMedia, RecipientCDN},
			[]string{"currently 240 servers", "organisations' public posts", "mail relay smtp.example.nl", "object store s3.example.nl", "reverse proxy cdn.example.nl"},
			[]string{"No e-mail", "own disks"}},
		{"Bluesky", "en", Recipients{Bluesky: []string{"bsky.social", "pds.example.nl"}}, true,
			[]string{RecipientFediverse, RecipientMail, RecipientMedia, RecipientBluesky, RecipientBluesky},
			[]string{"(PDS) bsky.social", "(PDS) pds.example.nl", "no data about readers"}, []string{"CDN"}},
		{"Bluesky, Dutch", "nl", Recipients{Bluesky: []string{"pds.example.nl"}}, false,
			[]string{RecipientFediverse, RecipientMail, RecipientMedia, RecipientBluesky},
			[]string{"(PDS) pds.example.nl", "geen gegevens van lezers"}, nil},
		{"Dutch", "nl", Recipients{FollowerServers: 3, ObjectStore: "s3.example.nl"}, false,
			[]string{RecipientFediverse, RecipientMail, RecipientMedia},
			[]string{"nu 3 servers", "geen e-mail", "objectopslag s3.example.nl"}, []string{"eigen schijven"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := orgInput(tt.lang)
			in.Recipients = tt.rc
			if tt.install {
				in.Org, in.Orgs = nil, []Org{{Name: "A"}}
			}
			r := Build(in)
			var kinds []string
			var all strings.Builder
			for _, rc := range r.Recipients {
				kinds = append(kinds, rc.Kind)
				all.WriteString(rc.Description + "\n")
			}
			if !reflect.DeepEqual(kinds, tt.kinds) {
				t.Errorf("kinds %q, want %q", kinds, tt.kinds)
			}
			if r.Recipients[0].Count != tt.rc.FollowerServers {
				t.Errorf("count = %d", r.Recipients[0].Count)
			}
			for _, w := range tt.want {
				if !strings.Contains(all.String(), w) {
					t.Errorf("recipients lack %q:\n%s", w, all.String())
				}
			}
			for _, w := range tt.not {
				if strings.Contains(all.String(), w) {
					t.Errorf("recipients have %q:\n%s", w, all.String())
				}
			}
			for format, out := range renderings(t, r) {
				if !strings.Contains(out, tt.want[0]) {
					t.Errorf("%s lacks %q", format, tt.want[0])
				}
			}
		})
	}
}

func TestRightsAndNoTracking(t *testing.T) {
	tests := []struct {
		lang               string
		rights, noTracking []string
	}{
		{"en",
			[]string{"art. 15", "art. 16", "art. 17", "art. 21", "public task", "Autoriteit Persoonsgegevens", "unfollow", "Undo and Delete at once"},
			[]string{"No cookies", "Nothing stored in the visitor's browser", "No third-party requests", "No personalisation", "newest first, the same for everyone", "No profiles", "No advertising"}},
		{"nl",
			[]string{"art. 15", "art. 16", "art. 17", "art. 21", "taak van algemeen belang", "Autoriteit Persoonsgegevens", "ontvolg", "Undo en Delete direct"},
			[]string{"Geen cookies", "Niets in de browser", "Geen verzoeken aan derden", "Geen personalisatie", "van nieuw naar oud, voor iedereen hetzelfde", "Geen profielen", "Geen advertenties"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			r := Build(orgInput(tt.lang))
			rights, noTracking := strings.Join(r.Rights, "\n"), strings.Join(r.NoTracking, "\n")
			for _, w := range tt.rights {
				if !strings.Contains(rights, w) {
					t.Errorf("rights lack %q", w)
				}
			}
			for _, w := range tt.noTracking {
				if !strings.Contains(noTracking, w) {
					t.Errorf("noTracking lacks %q", w)
				}
			}
			for format, out := range renderings(t, r) {
				for _, s := range append(r.Rights, r.NoTracking...) {
					if format != "json" && !strings.Contains(out, s) {
						t.Errorf("%s lacks %q", format, s)
					}
				}
			}
		})
	}
}

func TestLegalBasis(t *testing.T) {
	for _, lang := range []string{"nl", "en"} {
		r := Build(orgInput(lang))
		for _, a := range r.Activities {
			if strings.Contains(a.LegalBasis, "(f)") || strings.Contains(a.LegalBasis, "onder f") {
				t.Errorf("%s/%s relies on legitimate interests: %q", lang, a.Category, a.LegalBasis)
			}
			wantE := a.Category != "insights"
			hasE := strings.Contains(a.LegalBasis, "6(1)(e)") || strings.Contains(a.LegalBasis, "6 lid 1 onder e")
			if hasE != wantE {
				t.Errorf("%s/%s legal basis %q: public task named = %v, want %v", lang, a.Category, a.LegalBasis, hasE, wantE)
			}
		}
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"nl", "nl"}, {"NL", "nl"}, {"nl-BE", "nl"}, {"en", "en"}, {"en-GB", "en"}, {"de", "en"}, {"", "en"},
	}
	for _, tt := range tests {
		r := Build(Input{Lang: tt.in})
		if r.Lang != tt.want {
			t.Errorf("Lang %q gave %q, want %q", tt.in, r.Lang, tt.want)
		}
		wantTitle := labelsByLang[tt.want].Title
		if !strings.HasPrefix(r.Markdown(), "# "+wantTitle) {
			t.Errorf("Lang %q: Markdown does not start with %q", tt.in, wantTitle)
		}
	}
}

func TestLinkHref(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://gemeente.example/contact", "https://gemeente.example/contact"},
		{"http://gemeente.example", "http://gemeente.example"},
		{"privacy@gemeente.example", "mailto:privacy@gemeente.example"},
		{"javascript:alert(1)", ""},
		{"mailto:x@y.example", ""},
		{"a@b@c.example", ""},
		{"bel 14 020", ""},
		{`x"@evil.example`, ""},
	}
	for _, tt := range tests {
		if got := linkHref(tt.in); got != tt.want {
			t.Errorf("linkHref(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
