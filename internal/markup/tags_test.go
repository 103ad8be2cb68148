package markup

import (
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
			`<p>Dank <span class="h-card"><a href="https://social.example/@eva" class="u-url mention" rel="noopener noreferrer">@<span>eva</span></a></span></p>`},
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
