package markup

import (
	"html/template"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestTags(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		mentions []string
		tags     []string
	}{
		{"mention and tag", "Hallo @eva@social.example, zie #Hoogwater!", []string{"@eva@social.example"}, []string{"Hoogwater"}},
		{"sentence end", "Vraag het @Jan_1@mastodon.example.nl.", []string{"@Jan_1@mastodon.example.nl"}, nil},
		{"host lower-cased", "@eva@Social.Example", []string{"@eva@social.example"}, nil},
		{"e-mail is no mention", "mail info@gemeente.example", nil, nil},
		{"port", "@eva@intranet.example:8443 ok", []string{"@eva@intranet.example:8443"}, nil},
		{"no host dot", "@eva@localhost", nil, nil},
		{"local mention not federated", "@eva and more", nil, nil},
		{"number is no tag", "#1 op de lijst", nil, nil},
		{"inside word", "C# en a#b", nil, nil},
		{"code", "`#code @a@b.example`", nil, nil},
		{"link text", "[#tag @a@b.example](https://x.example/)", nil, nil},
		{"url fragment", "https://x.example/page#section", nil, nil},
		{"once each", "#Water #water @a@b.example @A@B.example", []string{"@a@b.example"}, []string{"Water"}},
		{"parenthesis and accents", "(#écluse) #straße_2", nil, []string{"écluse", "straße_2"}},
		{"heading", "# Kop\n\n#tag", nil, []string{"tag"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, tags := Tags(tt.src)
			var got []string
			for _, m := range ms {
				got = append(got, m.String())
			}
			if !slices.Equal(got, tt.mentions) || !slices.Equal(tags, tt.tags) {
				t.Errorf("Tags(%q) = %q, %q; want %q, %q", tt.src, got, tags, tt.mentions, tt.tags)
			}
		})
	}
}

func TestHTMLWithTags(t *testing.T) {
	links := Links{Hashtag: func(tag string) string { return "https://plein.example/@demo/tags/" + strings.ToLower(tag) }}
	tests := []struct {
		name  string
		src   string
		links Links
		want  string
	}{
		{"mention", "Dank @eva@social.example", Links{},
			`<p>Dank <span class="h-card" translate="no"><a href="https://social.example/@eva" class="u-url mention">@<span>eva</span></a></span></p>`},
		{"hashtag linked", "Zie #Hoogwater", links,
			`<p>Zie <a href="https://plein.example/@demo/tags/hoogwater" class="mention hashtag" rel="tag">#<span>Hoogwater</span></a></p>`},
		{"hashtag as text without links", "Zie #Hoogwater", Links{}, `<p>Zie #Hoogwater</p>`},
		{"escaped tag", "#a<b", links, `<p><a href="https://plein.example/@demo/tags/a" class="mention hashtag" rel="tag">#<span>a</span></a>&lt;b</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HTMLWith(tt.src, tt.links)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("HTMLWith(%q)\n got %s\nwant %s", tt.src, got, tt.want)
			}
		})
	}
	if got := PlainText("Dank @eva@social.example #Hoogwater"); got != "Dank @eva@social.example #Hoogwater" {
		t.Errorf("PlainText keeps tags as written, got %q", got)
	}
}

// TestMentionMarkupAsMastodon checks that a mention is marked up exactly as
// Mastodon marks it in the content it sends (the fixture of a Mastodon
// reply), and that the sanitiser keeps that markup.
func TestMentionMarkupAsMastodon(t *testing.T) {
	const mastodon = `<span class="h-card" translate="no"><a href="https://plein.example/@zeeendam" class="u-url mention">@<span>zeeendam</span></a></span>`
	fixture, err := os.ReadFile("../activity/testdata/incoming/mastodon_create_reply.json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ReplaceAll(string(fixture), `\"`, `"`), mastodon) {
		t.Fatalf("the Mastodon fixture does not contain %s", mastodon)
	}
	if got := string(MentionHTML("https://plein.example/@zeeendam", "zeeendam")); got != mastodon {
		t.Errorf("MentionHTML\n got %s\nwant %s", got, mastodon)
	}
	rendered, err := HTML("@zeeendam@plein.example dank!")
	if err != nil {
		t.Fatal(err)
	}
	if want := "<p>" + mastodon + " dank!</p>"; string(rendered) != want {
		t.Errorf("HTML\n got %s\nwant %s", rendered, want)
	}
	if got := policy.Sanitize(mastodon); got != mastodon {
		t.Errorf("the sanitiser changed a mention:\n got %s\nwant %s", got, mastodon)
	}
}

func TestMentionHTML(t *testing.T) {
	for _, tc := range []struct{ href, user, want string }{
		{"https://social.example/users/eva", "eva",
			`<span class="h-card" translate="no"><a href="https://social.example/users/eva" class="u-url mention">@<span>eva</span></a></span>`},
		{`https://social.example/@"><script>`, "<b>",
			`<span class="h-card" translate="no"><a href="https://social.example/@%22%3E%3Cscript%3E" class="u-url mention">@<span>&lt;b&gt;</span></a></span>`},
		{"javascript:alert(1)", "eva", `@eva`},
	} {
		if got := string(MentionHTML(tc.href, tc.user)); got != tc.want {
			t.Errorf("MentionHTML(%q, %q)\n got %s\nwant %s", tc.href, tc.user, got, tc.want)
		}
	}
}

func TestPrependMention(t *testing.T) {
	m := MentionHTML("https://social.example/@eva", "eva")
	for _, tc := range []struct{ content, want string }{
		{"<p>Dank!</p>\n<p>Tot vrijdag.</p>", "<p>" + string(m) + " Dank!</p>\n<p>Tot vrijdag.</p>"},
		{"<ul><li>a</li></ul>", "<p>" + string(m) + "</p><ul><li>a</li></ul>"},
		{"", "<p>" + string(m) + "</p>"},
	} {
		if got := string(PrependMention(template.HTML(tc.content), m)); got != tc.want {
			t.Errorf("PrependMention(%q)\n got %s\nwant %s", tc.content, got, tc.want)
		}
	}
}
